"""Memory of the stack's processes, read from /proc (Linux).

RSS counts every page a process maps, shared ones in full, so a sum of RSS over
processes that share pages (gunicorn's forked workers, a forked Beat) counts those pages
twice; PSS divides each shared page among its sharers, so the sum of PSS over every
process of a stack is what the stack costs the machine.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1024 * 1024


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except OSError:
            continue
    return found


def process_tree(pid: int) -> list[int]:
    """`pid` and every process below it."""
    tree, todo = [], [pid]
    while todo:
        current = todo.pop(0)
        if Path(f"/proc/{current}").exists():
            tree.append(current)
            todo += _children(current)
    return tree


def _field_kib(path: str, name: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def rss_bytes(pid: int) -> int:
    return _field_kib(f"/proc/{pid}/status", "VmRSS") * 1024


def pss_bytes(pid: int) -> int:
    return _field_kib(f"/proc/{pid}/smaps_rollup", "Pss") * 1024


def command(pid: int) -> str:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    words = [w.decode(errors="replace") for w in words if w]
    # The interpreter's path says nothing: name the program and its arguments.
    if words and os.path.basename(words[0]).startswith("python") and len(words) > 1:
        words = words[1:]
    if words:
        words[0] = os.path.basename(words[0])
    return " ".join(words)[:100]


def stack_pss(root: int) -> dict:
    """PSS of every process under `root` (the supervisor included), and their sum."""
    rows = [
        {"pid": pid, "command": command(pid), "pss_mb": round(pss_bytes(pid) / 1e6, 1)}
        for pid in process_tree(root)
    ]
    return {"processes": rows, "total_mb": round(sum(r["pss_mb"] for r in rows), 1)}


@dataclass
class PeakRss:
    """Samples, every `interval` seconds while running, the RSS of named groups of
    processes (each group: the trees under its pids) and keeps each group's peak."""

    groups: dict[str, list[int]]
    interval: float = 0.25
    peaks: dict[str, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _sample(self) -> None:
        for name, roots in self.groups.items():
            total = sum(rss_bytes(pid) for root in roots for pid in process_tree(root))
            self.peaks[name] = max(self.peaks.get(name, 0), total)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> PeakRss:
        self._sample()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        self._sample()

    def mib(self) -> dict[str, float]:
        return {name: round(value / MIB, 1) for name, value in self.peaks.items()}
