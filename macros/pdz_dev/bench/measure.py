"""Run one build in a child process and measure it; describe the site it produced."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    wall: float           # seconds
    cpu: float            # user + sys seconds of the child
    peak_rss: int         # bytes (maximum resident set size of the build process)
    returncode: int
    log: str              # stderr tail
    load: float = 0.0     # 1-minute load average when the build ended (others share the machine)


GNU_TIME = "/usr/bin/time"


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
    with open(log_path, "wb") as log:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    peak, cpu = usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime
    if use_time:
        try:
            last = timefile.read_text().strip().splitlines()[-1].split()
            peak, cpu = int(last[0]) * 1024, float(last[1]) + float(last[2])
        except (OSError, IndexError, ValueError):
            pass
    text = log_path.read_text(encoding="utf-8", errors="replace")
    return Run(wall, cpu, peak, child.returncode, text[-4000:], os.getloadavg()[0])


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
