"""Run the browser tests many times in a row while busy processes load the CPU, and count the
runs that passed (issue #11: CI must not fail by chance).

    .venv/bin/python tests/stress/browser_under_load.py            # 20 runs, 2 busy processes
    .venv/bin/python tests/stress/browser_under_load.py --runs 5 --busy 4

The real site is built once (strict mode) and every run tests that same build (PDZ_REAL_SITE),
so a run measures the browser tests, not the build. The busy processes are `yes > /dev/null`,
started here and stopped here by their process ids, even when the script is interrupted.
Prints one line per run and the summary; exits 1 if any run failed.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# every test that drives Chromium: the browser tier (tests/conftest.py marks them)
BROWSER_TIER = ["-m", "browser", "tests"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--busy", type=int, default=2, help="number of `yes > /dev/null` processes")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="pdz-stress-"))
    busy: list[subprocess.Popen] = []
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PDZ_REAL_SITE=str(work / "site"))
    try:
        built = subprocess.run([sys.executable, "-P", "-m", "mkdocs", "build", "--strict", "--site-dir", str(work / "site")],
                               cwd=ROOT, env=env, capture_output=True, text=True)
        if built.returncode != 0:
            print(built.stdout[-2000:], built.stderr[-2000:], file=sys.stderr)
            return 2
        busy = [subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) for _ in range(args.busy)]
        print(f"{args.busy} busy processes: {' '.join(str(p.pid) for p in busy)}; {os.cpu_count()} CPUs")
        passed, failures = 0, []
        for run in range(1, args.runs + 1):
            start = time.monotonic()
            result = subprocess.run([sys.executable, "-P", "-m", "pytest", "-q", "-p", "no:cacheprovider", *BROWSER_TIER],
                                    cwd=ROOT, env=env, capture_output=True, text=True)
            last = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
            ok = result.returncode == 0
            passed += ok
            print(f"run {run:2d}: {'PASS' if ok else 'FAIL'} in {time.monotonic() - start:5.0f} s  {last}", flush=True)
            if not ok:   # what failed, at once (an interrupted series still tells)
                lines = [l for l in result.stdout.splitlines() if l.startswith(("FAILED", "ERROR"))]
                failures.append((run, lines))
                print("\n".join(["    " + l for l in lines] or ["    " + l for l in result.stdout.splitlines()[-30:]]),
                      "\n    stderr: " + result.stderr.strip()[-1500:] if result.stderr.strip() else "", flush=True)
        print(f"\n{passed}/{args.runs} runs passed with {args.busy} busy processes")
        for run, lines in failures:
            print(f"run {run}: " + "; ".join(lines))
        return 0 if passed == args.runs else 1
    finally:
        for process in busy:
            process.kill()
            process.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
