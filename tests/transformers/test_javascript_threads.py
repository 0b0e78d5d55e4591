"""JavaScript engines made, run and closed from many threads at once, as a worker's sender
threads and gunicorn's request threads do. mini-racer crashed the whole process
(SIGSEGV) when its first engine was made off the main thread and the next one on
another, and when an engine stopped by its time limit was freed on another thread. A
crash would take pytest down with it, so the threads run in a process of their own."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.profile_independent  # engines only: no database, no Redis

ROOT = Path(__file__).resolve().parents[2]

THREADS = """
import os, threading
os.environ["DJANGO_SETTINGS_MODULE"] = "relaycore.settings"
os.environ["TRANSFORM_JS_TIMEOUT_MS"] = "50"
import django
django.setup()
from apps.transformers import javascript

QUICK = "function transform(event) { return {n: event.body.n * 2}; }"
SLOW = "function transform(event) { while (true) {} }"
failures = []

def work(thread):
    for n in range(12):
        # A version of its own per thread and round: a new engine nearly every time.
        key = ("threads", thread, n % 4)
        result = javascript.run(QUICK, {"body": {"n": n}}, key=key)
        if result.output != {"body": {"n": n * 2}, "headers": {}}:
            failures.append(result)
        if n % 5 == 0:  # stopped by its limit, then closed
            stopped = javascript.run(SLOW, {"body": {}}, key=("slow", thread, n))
            if "timed out" not in (stopped.error or ""):
                failures.append(stopped)

threads = [threading.Thread(target=work, args=(t,)) for t in range(6)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
javascript.forget_engines()
print("failures", len(failures))
"""


def test_engines_made_run_and_closed_on_many_threads_do_not_crash_the_process(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", THREADS],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "RELAYCORE_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("failures 0")
