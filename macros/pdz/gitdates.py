"""When each content file last changed, from git history, in one ``git log`` call per build."""
from __future__ import annotations

import subprocess
from pathlib import Path


def last_changes(root: Path, folder: str = "content") -> dict[str, str]:
    """Map 'content/...' paths to the ISO date of their last commit; {} outside a git checkout."""
    try:
        out = subprocess.run(["git", "log", "--format=%x00%cs", "--name-only", "--no-renames", "--", folder],
                             cwd=root, capture_output=True, text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, str] = {}
    current = ""
    for line in out.splitlines():
        if line.startswith("\x00"):
            current = line[1:]
        elif line and current:
            dates.setdefault(line, current)   # newest commit comes first
    return dates


def last_commit_epoch(root: Path) -> str | None:
    """Seconds since the epoch of the last commit (for SOURCE_DATE_EPOCH); None outside git."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True,
                             text=True, timeout=60, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out if out.isdigit() else None
