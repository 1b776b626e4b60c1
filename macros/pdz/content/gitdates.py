"""When each content file last changed, from git history, in one ``git log`` call per build."""
from __future__ import annotations

import subprocess
from pathlib import Path


FORMAT_ONLY_TRAILER = "Pdz-Format-Only"


def last_changes(root: Path, folder: str = "content") -> dict[str, str]:
    """Map 'content/...' paths to the ISO date of their last commit; {} outside a git checkout.

    A commit whose message carries the trailer ``Pdz-Format-Only: yes`` (a scripted change of
    file format, such as objectives from .yaml to .md) is not a change of content: it gives no
    date, and a file it renamed keeps the date of its last change under the old name.
    """
    try:
        out = subprocess.run(["git", "log", f"--format=%x00%cs%x00%(trailers:key={FORMAT_ONLY_TRAILER},valueonly,separator=)",
                              "--name-status", "-M", "--", folder],
                             cwd=root, capture_output=True, text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, str] = {}
    renamed: dict[str, str] = {}   # old name -> current name, through format-only renames
    pending: dict[tuple, str] = {}  # (commit, stem, A/D) -> path, until its other half is seen
    current, format_only, commit = "", False, 0
    for line in out.splitlines():
        if line.startswith("\x00"):
            _, current, trailer = line.split("\x00", 2)
            commit += 1
            format_only = trailer.strip().lower() in ("yes", "true", "si", "sì")
            continue
        status, *paths = line.split("\t")
        if not current or not paths:
            continue
        if format_only:
            if status.startswith("R") and len(paths) == 2:
                renamed[paths[0]] = renamed.get(paths[1], paths[1])
            elif status in ("A", "D"):   # a small file whose rename git did not detect: same stem
                stem = paths[0].rsplit(".", 1)[0]
                other = pending.pop((commit, stem, "D" if status == "A" else "A"), None)
                if other is None:
                    pending[(commit, stem, status)] = paths[0]
                else:
                    old, new = (other, paths[0]) if status == "A" else (paths[0], other)
                    renamed[old] = renamed.get(new, new)
            continue
        path = paths[-1]
        dates.setdefault(renamed.get(path, path), current)   # newest commit comes first
    return dates


def last_commit_epoch(root: Path) -> str | None:
    """Seconds since the epoch of the last commit (for SOURCE_DATE_EPOCH); None outside git."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True,
                             text=True, timeout=60, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out if out.isdigit() else None


def history(root: Path, folder: str = "content") -> list[tuple[str, str, str, str]]:
    """Every change to a file of ``folder``, newest first: (commit, ISO date-time, A/M, path under
    its current name: renames are followed). Deletions, pure renames (a record that only moved)
    and format-only commits (see ``last_changes``) are left out. [] outside git."""
    try:
        out = subprocess.run(["git", "log", f"--format=%x00%H %cI%x00%(trailers:key={FORMAT_ONLY_TRAILER},valueonly,separator=)",
                              "--name-status", "-M", "--", folder],
                             cwd=root, capture_output=True, text=True, timeout=120, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    changes = []
    renamed: dict[str, str] = {}
    commit = when = ""
    format_only = False
    for line in out.splitlines():
        if line.startswith("\x00"):
            _, head, trailer = line.split("\x00", 2)
            commit, _, when = head.partition(" ")
            format_only = trailer.strip().lower() in ("yes", "true", "si", "sì")
            continue
        status, *paths = line.split("\t")
        if not commit or not paths:
            continue
        if status.startswith("R") and len(paths) == 2:
            renamed[paths[0]] = renamed.get(paths[1], paths[1])
        if format_only or status in ("R100",) or status[:1] not in ("A", "M", "R"):
            continue
        path = paths[-1]
        changes.append((commit, when, "M" if status[:1] == "R" else status[:1], renamed.get(path, path)))
    return changes
