"""When each content file last changed, from the main line (``mainline.py``): the dates of the
pages, the feeds' entries, the catalogue and the sitemap."""
from __future__ import annotations

from pathlib import Path

from pdz.content import mainline
from pdz.content.mainline import FORMAT_ONLY_TRAILER  # noqa: F401 - the trailer's name, for callers


def _under(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip("/") + "/")


def last_changes(root: Path, folder: str = "content") -> dict[str, str]:
    """Map 'content/...' paths to the ISO date (YYYY-MM-DD) of their last change on the main
    line; {} outside a git checkout. The paths come in the order of their last change, newest
    first (the home's "what is new").

    A verified format-only commit (``mainline.verify_format_only``) is not a change: it gives no
    date, and a file it renamed keeps the date of its last change under the old name.
    """
    dates: dict[str, str] = {}
    renamed: dict[str, str] = {}   # old name -> current name, through format-only renames
    for commit in mainline.commits(root):
        for change in commit.changes:
            if not _under(change.path, folder):
                continue
            if commit.format_only:
                if change.status == "R":
                    renamed[change.old] = renamed.get(change.path, change.path)
                continue
            if change.status != "D":
                dates.setdefault(renamed.get(change.path, change.path), commit.day)   # newest first
        if commit.format_only:   # a rename git did not detect (a small file): same stem, A and D
            added = {c.path.rsplit(".", 1)[0]: c.path for c in commit.changes if c.status == "A"}
            for change in commit.changes:
                new = added.get(change.path.rsplit(".", 1)[0]) if change.status == "D" else None
                if new and _under(new, folder):
                    renamed[change.path] = renamed.get(new, new)
    return dates


def last_commit_epoch(root: Path) -> str | None:
    """Seconds since the epoch of the newest main-line date (for SOURCE_DATE_EPOCH): never in the
    future, never before an earlier commit. None outside git."""
    epoch = mainline.newest_epoch(root)
    return None if epoch is None else str(epoch)


def history(root: Path, folder: str = "content") -> list[tuple[str, str, str, str]]:
    """Every change to a file of ``folder`` on the main line, newest first: (commit, ISO
    date-time, A/M, path under its current name: renames are followed). Deletions, pure renames (a
    record that only moved) and verified format-only commits are left out. [] outside git."""
    changes = []
    renamed: dict[str, str] = {}
    for commit in mainline.commits(root):
        for change in commit.changes:
            if not _under(change.path, folder):
                continue
            if change.status == "R":
                renamed[change.old] = renamed.get(change.path, change.path)
            if commit.format_only or change.status == "D" or change.status == "R" and change.pure:
                continue
            changes.append((commit.sha, commit.when, "M" if change.status == "R" else change.status,
                            renamed.get(change.path, change.path)))
    return changes
