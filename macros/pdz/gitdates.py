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
    current, format_only = "", False
    for line in out.splitlines():
        if line.startswith("\x00"):
            _, current, trailer = line.split("\x00", 2)
            format_only = trailer.strip().lower() in ("yes", "true", "si", "sì")
            continue
        status, *paths = line.split("\t")
        if not current or not paths:
            continue
        if format_only:
            if status.startswith("R") and len(paths) == 2:
                renamed[paths[0]] = renamed.get(paths[1], paths[1])
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
