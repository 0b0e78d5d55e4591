"""Sample a running service with py-spy while load runs, and boil the stacks down.

py-spy (`pip install py-spy`) reads another process's stacks from outside, so the
server runs unmodified. Where it is missing or not permitted the report says so and
the benchmark carries on.

The summary is two tables over the collapsed stacks: functions by inclusive time (in
how many samples they were anywhere on the stack) and code by self time grouped by
package, which is what points at a fix ("psycopg 20 %, kombu 15 %, ...").
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAME = re.compile(r"^(?P<func>.+) \((?P<file>[^()]+):(?P<line>\d+)\)$")
SITE = sysconfig.get_paths()["purelib"]
STDLIB = sysconfig.get_paths()["stdlib"]


def py_spy() -> str | None:
    local = Path(sys.executable).parent / "py-spy"
    return str(local) if local.exists() else shutil.which("py-spy")


@dataclass
class Profile:
    samples: int = 0
    inclusive: Counter = field(default_factory=Counter)
    self_by_package: Counter = field(default_factory=Counter)
    self_by_function: Counter = field(default_factory=Counter)
    error: str = ""

    def top(self, counter: Counter, n: int) -> list[tuple[str, float]]:
        return [(name, 100.0 * count / self.samples) for name, count in counter.most_common(n)]


def short_file(path: str) -> str:
    for prefix in (str(ROOT) + "/", SITE + "/", STDLIB + "/"):
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path


def package_of(path: str) -> str:
    """django/db, psycopg, apps/ingestion, stdlib json, ...: where the time goes."""
    if path.startswith(SITE + "/"):
        parts = short_file(path).split("/")
        return "/".join(parts[:2]) if parts[0] == "django" else parts[0]
    if path.startswith(str(ROOT) + "/"):
        return "/".join(short_file(path).split("/")[:2]).removesuffix(".py")
    if path.startswith(STDLIB + "/"):
        return "stdlib " + short_file(path).split("/")[0].removesuffix(".py")
    return path


def parse_collapsed(text: str) -> Profile:
    profile = Profile()
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = [m for m in (FRAME.match(f) for f in stack.split(";")) if m]
        if not frames:
            continue
        weight = int(count)
        profile.samples += weight
        seen = {f"{m['func']} ({short_file(m['file'])})" for m in frames}
        for name in seen:
            profile.inclusive[name] += weight
        leaf = frames[-1]
        profile.self_by_package[package_of(leaf["file"])] += weight
        profile.self_by_function[f"{leaf['func']} ({short_file(leaf['file'])})"] += weight
    return profile


def profile_while(
    pid: int, run: Callable[[], object], out: Path, rate: int = 250, gil: bool = False
) -> Profile:
    return profile_modes(pid, run, {out: gil}, rate)[out]


def profile_modes(
    pid: int, run: Callable[[], object], outs: dict[Path, bool], rate: int = 250
) -> dict[Path, Profile]:
    """Sample `pid` and its children for as long as `run()` takes.

    By default every thread that is not idle is sampled, so time spent waiting on
    PostgreSQL or Redis shows; with `gil` only the thread holding the GIL is, which is
    where the Python CPU goes (the web tier's limit on two cores).
    """
    binary = py_spy()
    if binary is None:
        run()
        return {out: Profile(error="py-spy is not installed (pip install py-spy)") for out in outs}
    spies = {}
    for out, gil in outs.items():
        command = [
            binary, "record", "--pid", str(pid), "--subprocesses", "--nonblocking",
            "--rate", str(rate), "--format", "raw", "--output", str(out), "--duration", "600",
            *(["--gil"] if gil else []),
        ]  # fmt: skip
        spies[out] = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
    try:
        run()
    finally:
        for spy in spies.values():
            spy.send_signal(signal.SIGINT)  # py-spy writes what it has on Ctrl-C
    found = {}
    for out, spy in spies.items():
        log = spy.communicate(timeout=60)[0]
        if not out.exists():
            found[out] = Profile(error=f"py-spy wrote nothing: {log.strip()[-500:]}")
        else:
            found[out] = parse_collapsed(out.read_text())
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its live children (gunicorn's workers), from
    /proc; 0 for a process that is gone."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    with contextlib.suppress(OSError):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(child) for child in children]
    for one in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def summary(profile: Profile, n: int = 25) -> str:
    """A plain-text digest of one profile, for a terminal or a file."""
    if profile.error:
        return profile.error
    lines = [f"{profile.samples} samples", "self by package:"]
    lines += [f"  {pct:5.1f}  {name}" for name, pct in profile.top(profile.self_by_package, n)]
    lines.append("self by function:")
    lines += [f"  {pct:5.1f}  {name}" for name, pct in profile.top(profile.self_by_function, n)]
    lines.append("inclusive:")
    lines += [f"  {pct:5.1f}  {name}" for name, pct in profile.top(profile.inclusive, 3 * n)]
    return "\n".join(lines)
