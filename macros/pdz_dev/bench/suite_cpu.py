"""Where the CPU of ``make test`` goes (issue #24): the processor time of every test, whole.

``getrusage`` undercounts a test suite badly: a process counts only into the parent that waits
for it, so Chromium's renderers (and any process left to init) are never counted, and a browser's
time shows up only when the session's browser closes, in whichever test ran last. Measured on the
whole suite at f064244: rusage 472 s, the cgroup 617 s.

So each pytest worker puts itself in a cgroup v1 ``cpuacct`` group of its own (every process it
starts, and theirs, stay in it whatever their parent), and the time of each test is the group's
``cpuacct.usage`` before and after it (set-up and tear-down included). Needs root and
``/sys/fs/cgroup/cpuacct``; without them it falls back to getrusage and says so.

    make test PYTEST_ADDOPTS="-p pdz_dev.bench.suite_cpu" PDZ_TEST_CPU=/tmp/cpu
    .venv/bin/python -P -m pdz_dev.bench.suite_cpu /tmp/cpu          # the report, by file

A measuring tool, not a test: it asserts nothing and changes no test.
"""
from __future__ import annotations

import collections
import json
import os
import resource
import sys
import time
from pathlib import Path

import pytest

CGROUPS = Path("/sys/fs/cgroup/cpuacct")
OUT = "PDZ_TEST_CPU"


class _Clock:
    """Processor seconds of this worker and of everything it started."""

    def __init__(self, worker: str):
        self.group: Path | None = None
        try:
            group = CGROUPS / f"pdz-test-{os.getpid()}-{worker}"
            group.mkdir(exist_ok=True)
            (group / "cgroup.procs").write_text(str(os.getpid()))
            self.group = group
        except OSError:
            pass

    def seconds(self) -> float:
        if self.group is not None:
            return int((self.group / "cpuacct.usage").read_text()) / 1e9
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


_rows: list = []
_clock: _Clock | None = None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    global _clock
    if not os.environ.get(OUT):
        yield
        return
    if _clock is None:   # in the process that runs tests (a worker), not in xdist's controller
        _clock = _Clock(os.environ.get("PYTEST_XDIST_WORKER", "main"))
    wall, cpu = time.monotonic(), _clock.seconds()
    yield
    _rows.append([item.nodeid, round(time.monotonic() - wall, 3), round(_clock.seconds() - cpu, 3)])


def pytest_sessionfinish(session):
    if _clock is None:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    out = Path(os.environ[OUT])
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{worker}.json").write_text(json.dumps({"cgroup": _clock.group is not None, "tests": _rows}))
    if _clock.group is not None:
        try:   # this worker leaves its group; the group goes when nothing it started is left
            (CGROUPS / "cgroup.procs").write_text(str(os.getpid()))
            _clock.group.rmdir()
        except OSError:
            pass


def report(folder: Path, top: int = 40) -> str:
    files: dict = collections.defaultdict(lambda: [0.0, 0.0, 0, ""])
    lines, exact = [], True
    for part in sorted(folder.glob("*.json")):
        data = json.loads(part.read_text())
        exact &= data["cgroup"]
        for nodeid, wall, cpu in data["tests"]:
            entry = files[nodeid.split("::")[0]]
            entry[0] += wall
            entry[1] += cpu
            entry[2] += 1
            entry[3] = part.stem
        tests = data["tests"]
        lines.append(f"{part.stem}: {len(tests)} tests, {sum(t[1] for t in tests):.0f} s wall, "
                     f"{sum(t[2] for t in tests):.0f} s CPU")
    total = sum(e[1] for e in files.values())
    head = [f"CPU of the whole suite: {total:.0f} s ({'cgroup: every process' if exact else 'getrusage: undercounts'}); "
            f"load average now {os.getloadavg()[0]:.2f}", *lines, "",
            f"{'file':<55} {'worker':>6} {'tests':>5} {'wall s':>7} {'CPU s':>7} {'share':>6}"]
    for name, (wall, cpu, count, worker) in sorted(files.items(), key=lambda kv: -kv[1][1])[:top]:
        head.append(f"{name:<55} {worker:>6} {count:>5} {wall:>7.1f} {cpu:>7.1f} {cpu / total:>6.1%}")
    return "\n".join(head)


if __name__ == "__main__":
    print(report(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 40))
