"""The cost of every record's public history (issue #26) at N Ambiti.

A synthetic tree of N Ambiti (synth.py: the real Ambiti, then clones) is committed, then given a
scripted history on its main line: COMMITS commits that each change PER_COMMIT objectives (an
amount where the objective has one, else a sentence of its description) with a ``Motivo:`` line,
one commit that removes a record and one that renames one. In a fresh Python process it then
measures what the build adds for the history: reading it (``read_history``: one ``git log``
pass, one for the messages, one ``git cat-file --batch`` for the versions compared, each parsed
once) and writing the feeds, ``novita/`` and ``modifiche.csv`` from it. Prints the figures.

    .venv/bin/python -P -m pdz_dev.bench.history_bench --n 100
    .venv/bin/python -P -m pdz_dev.bench.history_bench --n 25 --commits 10 --per-commit 20
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pdz_dev.bench import synth

AMOUNT = re.compile(r"^(\s*-?\s*importo: )([0-9.]+)$", re.M)


def _git(project: Path, *args: str, date: str = "2026-01-01T12:00:00Z") -> None:
    env = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid", "GIT_COMMITTER_NAME": "bench",
           "GIT_COMMITTER_EMAIL": "bench@example.invalid", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "PATH": os.environ.get("PATH", ""), "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)


def _changed(text: str, step: int) -> str:
    """The objective with its first amount raised, or a sentence added to its description."""
    match = AMOUNT.search(text)
    if match:
        value = float(match.group(2)) + 1000 * step
        return text[:match.start(2)] + f"{value:.2f}" + text[match.end(2):]
    return text.rstrip("\n") + f" Aggiornamento {step} del piano.\n"


def script_history(project: Path, commits: int, per_commit: int) -> int:
    """Add the scripted commits to the tree's main line; the number of records changed."""
    objectives = sorted(project.glob("content/ambiti/*/*/obiettivi/*.md"))
    changed = 0
    for step in range(1, commits + 1):
        for k in range(per_commit):
            path = objectives[((step - 1) * per_commit + k) % len(objectives)]
            path.write_text(_changed(path.read_text(encoding="utf-8"), step), encoding="utf-8")
            changed += 1
        date = f"2026-02-{1 + step % 27:02d}T{step % 24:02d}:00:00Z"
        _git(project, "commit", "-qam", f"Aggiornamento {step}\n\nMotivo: variazione approvata n. {step}", date=date)
    _git(project, "rm", "-q", str(objectives[-1].relative_to(project)), date="2026-03-01T10:00:00Z")
    _git(project, "commit", "-qm", "Rimuove una scheda\n\nMotivo: scheda doppia", date="2026-03-01T10:00:00Z")
    renamed = objectives[-2]
    _git(project, "mv", str(renamed.relative_to(project)),
         str(renamed.with_name("99-" + renamed.name).relative_to(project)), date="2026-03-02T10:00:00Z")
    _git(project, "commit", "-qm", "Rinomina una scheda\n\nMotivo: numero del piano", date="2026-03-02T10:00:00Z")
    return changed


def measure(project: Path) -> dict:
    """Run in a fresh process: the history's cost without anything read before."""
    from pdz.content.loader import load_content
    from pdz.domain.changes import read_history
    from pdz.opendata.tables import change_rows
    from pdz.render import Build, text_renderer
    from pdz.render.changes import news_pages
    from pdz.render.feeds import Feeds

    started = time.perf_counter()
    catalog, _ = load_content(project)
    loaded = time.perf_counter()
    history = read_history(project).attach(catalog)
    read = time.perf_counter()
    build = Build(catalog, {}, text_renderer(catalog), None, "https://pdz-site.example.org/", history)
    feeds = Feeds(build, "bench").all()
    news = news_pages(build.page(""))
    rows = change_rows(catalog, "https://pdz-site.example.org/", None, history)
    written = time.perf_counter()
    return {"records": len(catalog.by_key), "events": len(history.events),
            "records_with_history": sum(1 for record in catalog.by_key.values() if history.of(record)),
            "load_s": loaded - started, "history_s": read - loaded, "outputs_s": written - read,
            "feeds": len(feeds), "feed_bytes": sum(len(b) for b in feeds.values()),
            "largest_feed_bytes": max((len(b) for b in feeds.values()), default=0),
            "news_pages": len(news), "change_rows": len(rows)}


def run(snapshot: Path, work: Path, n: int, commits: int = 30, per_commit: int = 40) -> dict:
    """The figures of the history at N Ambiti: a tree of ``snapshot`` with its scripted history in
    ``work``, measured in a fresh process (``measure``); with the tree's own counts."""
    t0 = time.perf_counter()
    project, ambiti = synth.make_tree(snapshot, work / "project", n)
    changed = script_history(project, commits, per_commit)
    print(f"[history] N={n}: {len(ambiti)} Ambiti; {commits} commits changing {changed} objectives, "
          f"one removal, one rename (tree and history written in {time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    child = subprocess.run([sys.executable, "-P", "-m", "pdz_dev.bench.history_bench", "--measure", str(project)],
                           capture_output=True, text=True, check=True)
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    return {"n": n, "ambiti": len(ambiti), "commits": commits + 2, "changed": changed, **figures}


def line(f: dict) -> str:
    """One row of the table of ``TABLE_HEAD``."""
    return (f"| {f['n']} | {f['commits']} | {f['records']} | {f['records_with_history']} | {f['events']} "
            f"| {f['load_s']:.2f} s | **{f['history_s']:.2f} s** | {f['outputs_s']:.2f} s "
            f"| {f['feeds']}, {f['feed_bytes'] // 1000} kB (largest {f['largest_feed_bytes'] // 1000} kB) "
            f"| {f['news_pages']} | {f['change_rows']} |")


TABLE_HEAD = ["| N Ambiti | commits | records | with a history | events | load and validate | read the history "
              "| feeds + novità + modifiche.csv | feeds | novità pages | rows of modifiche.csv |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100, help="Ambiti in total")
    parser.add_argument("--commits", type=int, default=30, help="scripted commits that change objectives")
    parser.add_argument("--per-commit", type=int, default=40, help="objectives each of them changes")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)   # the child process
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    work = Path(tempfile.mkdtemp(prefix="pdz-history-bench-"))
    try:
        synth.use_code(synth.snapshot_code(work / "code"))
        snapshot, _ = synth.snapshot(work / "snapshot")
        print("\n".join([*TABLE_HEAD, line(run(snapshot, work, args.n, args.commits, args.per_commit))]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
