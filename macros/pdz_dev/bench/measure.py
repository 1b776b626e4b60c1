"""Run one build in a child process and measure it; describe the site it produced.

Memory is the whole process tree's: a build is MkDocs plus the programs it starts (Pagefind),
and what a machine must have is their sum at the worst moment, not the largest one alone.
``TreeSampler`` reads the resident set of every descendant from /proc every 0.1 s and keeps the
largest sum.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Run:
    wall: float           # seconds
    cpu: float            # user + sys seconds of the child and every descendant it waited for
    peak_rss: int         # bytes: largest sum of the resident sets of the whole process tree
    returncode: int
    log: str              # stderr tail
    load: float = 0.0     # 1-minute load average when the build ended (others share the machine)
    peak_process: int = 0     # bytes: largest resident set of one process (GNU time %M)
    peaks: dict = field(default_factory=dict)   # program name -> its largest resident set (bytes)
    load_start: float = 0.0   # 1-minute load average when the build started


GNU_TIME = "/usr/bin/time"
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                out += [int(x) for x in handle.read().split()]
    except (OSError, ValueError):
        pass
    return out


def _rss(pid: int) -> tuple[int, str]:
    """(resident bytes, program name) of a process, (0, '') once it is gone."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            resident = int(handle.read().split()[1]) * PAGE
        with open(f"/proc/{pid}/comm") as handle:
            return resident, handle.read().strip()
    except (OSError, ValueError, IndexError):
        return 0, ""


TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + sys) used so far by a process and every descendant: the live ones
    (/proc/<pid>/stat), and the children each has waited for (its cutime and cstime)."""
    total, todo, seen = 0, [pid], set()
    while todo:
        each = todo.pop()
        if each in seen:
            continue
        seen.add(each)
        try:
            with open(f"/proc/{each}/stat") as handle:
                fields = handle.read().rpartition(")")[2].split()
        except OSError:   # gone meanwhile
            continue
        total += sum(int(x) for x in fields[11:15])   # utime, stime, cutime, cstime
        todo += _children(each)
    return total / TICK


class TreeSampler:
    """Samples the resident memory of a process and all its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval = pid, interval
        self.peak = 0
        self.peaks: dict[str, int] = {}
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        return False

    def sample(self) -> int:
        total, todo, seen = 0, [self.pid], set()
        while todo:
            pid = todo.pop()
            if pid in seen:
                continue
            seen.add(pid)
            resident, name = _rss(pid)
            if name == "time" and pid == self.pid:   # GNU time, the measuring wrapper
                resident = 0
            if name:
                total += resident
                if resident > self.peaks.get(name, 0):
                    self.peaks[name] = resident
            todo += _children(pid)
        self.samples += 1
        self.peak = max(self.peak, total)
        return total

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)


def run_build(project: Path, site_dir: Path, log_path: Path, env_extra: dict | None = None,
              python_args: list[str] | None = None) -> Run:
    """``python [python_args] -m mkdocs build --strict --site-dir site_dir`` in ``project``.

    Peak RSS: on Linux a child's ``ru_maxrss`` starts from the high-water mark of the process it
    was forked from (the benchmark itself, which holds whole catalogs), so the build is started
    through GNU time, a small process, and its ``%M`` is read. Without /usr/bin/time the child's
    own rusage (os.wait4) is used, which may over-report."""
    env = {k: v for k, v in os.environ.items() if k != "PDZ_AMBITO"}   # full build unless asked
    env.update(NO_MKDOCS_2_WARNING="1", **(env_extra or {}))
    cmd = [sys.executable, "-P", *(python_args or []), "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    timefile = log_path.with_suffix(".time")
    use_time = os.access(GNU_TIME, os.X_OK)
    if use_time:
        cmd = [GNU_TIME, "-o", str(timefile), "-f", "%M %U %S", *cmd]
    return run_command(cmd, project, env, log_path, timefile if use_time else None)


def run_command(cmd: list, cwd: Path, env: dict, log_path: Path, timefile: Path | None = None) -> Run:
    """Run ``cmd`` and measure it: wall time, CPU of the whole tree (the child's rusage, which
    counts every descendant it waited for), the whole tree's peak resident memory (sampled),
    the largest single process (GNU time's %M when ``timefile`` is its output)."""
    load_start = os.getloadavg()[0]
    with open(log_path, "wb") as log:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        with TreeSampler(child.pid) as sampler:
            _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    single, cpu = usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime
    if timefile is not None:
        try:
            last = timefile.read_text().strip().splitlines()[-1].split()
            single, cpu = int(last[0]) * 1024, float(last[1]) + float(last[2])
        except (OSError, IndexError, ValueError):
            pass
    peaks = {k: v for k, v in sampler.peaks.items() if k != "time"}
    text = log_path.read_text(encoding="utf-8", errors="replace")
    return Run(wall, cpu, max(sampler.peak, single), child.returncode, text[-4000:], os.getloadavg()[0],
               single, peaks, load_start)


@dataclass
class SiteStats:
    pages: int
    total_bytes: int
    largest_bytes: int
    largest_page: str
    search_bytes: int
    files: int


def site_stats(site: Path) -> SiteStats:
    pages, largest, largest_page, total, files = 0, 0, "", 0, 0
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        files += 1
        if path.suffix == ".html":
            pages += 1
            if size > largest:
                largest, largest_page = size, path.relative_to(site).as_posix()
    index = site / "search" / "search_index.json"            # Material's lunr index (the floor)
    search = index.stat().st_size if index.exists() else 0
    pagefind = site / "pagefind"                             # ours: Pagefind's bundle, loaded per query
    if pagefind.is_dir():
        search += sum(p.stat().st_size for p in pagefind.rglob("*") if p.is_file())
    return SiteStats(pages, total, largest, largest_page, search, files)


def human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def wrap_attribute(dotted_owner: str, attribute: str, make_wrapper) -> None:
    """Replace ``attribute`` of the module or class named ``dotted_owner`` (``pkg.mod`` or
    ``pkg.mod.Class``) by ``make_wrapper(original)``, where the build looks it up; a static
    method stays one. Raises ImportError or AttributeError when the name is not there (the code
    being measured changed): the timing tools list what they could not time."""
    import importlib
    parts = dotted_owner.split(".")
    for i in range(len(parts), 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for part in parts[i:]:
            owner = getattr(owner, part)
        break
    else:
        raise ImportError(dotted_owner)
    original = getattr(owner, attribute)
    raw = vars(owner).get(attribute) if isinstance(owner, type) else original
    wrapper = make_wrapper(original)
    setattr(owner, attribute, staticmethod(wrapper) if isinstance(raw, staticmethod) else wrapper)
