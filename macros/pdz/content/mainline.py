"""The main line of the published branch: the dates of pages, feeds and the catalogue come from here.

The main line is the first-parent history of the checked-out branch (``main`` when the site is
published): a pull request merged with a merge commit is one main-line commit, dated when it was
merged, whatever dates its own commits carry (a contributor chooses those freely). Dates along
the main line never go backwards (a commit older than the one before it takes that one's date)
and never lie in the future (they are clamped to the build's reference time, the clock).

A main-line commit whose message carries the trailer ``Pdz-Format-Only: yes`` (a scripted change
of file format, such as objectives from .yaml to .md) changes no content and gives no date, but
only when the parsed records are identical before and after it (loaded with the project's own
strict loader, compared field by field); otherwise it counts as the change it is.

``commits`` reads the history in one ``git log`` pass and parses files only for the commits that
carry the trailer. Plain Python, no MkDocs; ``gitdates.py`` derives the pages' dates and the
feeds' entries from it, ``check --base`` the problems of a pull request's commits.
"""
from __future__ import annotations

import datetime
import subprocess
import time
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

FORMAT_ONLY_TRAILER = "Pdz-Format-Only"
TRUE_WORDS = ("yes", "true", "si", "sì")
FOLDERS = ("content", "docs")
# git's fields of one commit, between NUL bytes: hash, first parent, committer epoch and ISO date,
# the trailer, the subject
_FORMAT = f"%x00%H%x00%P%x00%ct%x00%cI%x00%(trailers:key={FORMAT_ONLY_TRAILER},valueonly,separator=)%x00%s"


@dataclass(frozen=True)
class Change:
    status: str            # A (added), M (modified), D (deleted), R (renamed)
    path: str              # the path after the commit
    old: str = ""          # the path before a rename
    pure: bool = False     # a rename that kept every byte (R100)


@dataclass
class Commit:
    sha: str
    parent: str            # first parent ('' for the first commit)
    epoch: int             # the date the site uses (seconds since the epoch), see ``when``
    when: str              # ISO 8601 date-time: the committer date, or the clamped one
    subject: str
    claims_format_only: bool
    changes: list[Change] = field(default_factory=list)
    format_only: bool = False       # claimed and true: the records are identical
    changed_records: list[str] = field(default_factory=list)   # claimed, but these changed
    committed: int = 0     # the committer date git recorded, before clamping
    git_when: str = ""     # and as git printed it (ISO 8601, with the committer's offset)

    @property
    def day(self) -> str:
        return self.when[:10]

    @property
    def clamped(self) -> str:
        """Why the date is not the commit's own: '' when it is."""
        if self.committed > self.epoch:
            return "futuro"
        return "indietro" if self.committed < self.epoch else ""


def _git(root: Path, *args: str, timeout: int = 120) -> str | None:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=timeout,
                              check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def _parse_log(out: str) -> list[Commit]:
    """Commits of ``git log --format=_FORMAT --name-status``, in the order git printed them."""
    commits: list[Commit] = []
    for line in out.splitlines():
        if line.startswith("\x00"):
            _, sha, parents, epoch, when, trailer, subject = line.split("\x00", 6)
            commits.append(Commit(sha, parents.split(" ")[0], int(epoch), when, subject,
                                  trailer.strip().lower() in TRUE_WORDS, committed=int(epoch), git_when=when))
            continue
        status, *paths = line.split("\t")
        if not commits or not paths:
            continue
        if status.startswith("R") and len(paths) == 2:
            commits[-1].changes.append(Change("R", paths[1], paths[0], pure=status == "R100"))
        elif status[:1] in ("A", "M", "D", "T"):
            commits[-1].changes.append(Change("M" if status[:1] == "T" else status[:1], paths[-1]))
    return commits


def _iso(epoch: int) -> str:
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).isoformat()


def clamp(commits: list[Commit], now: float | None = None) -> None:
    """Main-line dates (``commits`` newest first): never before the previous commit, never after
    the reference time ``now`` (the clock)."""
    limit = int(now if now is not None else time.time())
    floor = None
    for commit in reversed(commits):
        epoch = min(commit.committed if floor is None else max(commit.committed, floor), limit)
        if epoch != commit.committed:
            commit.epoch, commit.when = epoch, _iso(epoch)
        floor = epoch


def commits(root: Path, folders: tuple[str, ...] = FOLDERS, now: float | None = None) -> list[Commit]:
    """The main-line commits that touch ``folders``, newest first, with their dates (clamped) and
    their changes under ``folders`` (against the first parent); format-only claims verified.
    [] outside a git checkout."""
    head = _git(Path(root), "rev-parse", "HEAD", timeout=30)
    if not head:
        return []
    found = [replace(c, epoch=c.committed, when=c.git_when, changes=list(c.changes))
             for c in _cached(str(Path(root).resolve()), head.strip(), tuple(folders))]
    clamp(found, now)
    return found


def newest_epoch(root: Path, now: float | None = None) -> int | None:
    """The clamped date of the newest main-line commit (whatever it touched): with dates that
    never go back, the latest committer date of the main line, but never after ``now``."""
    out = _git(Path(root), "log", "--first-parent", "--format=%ct", "HEAD")
    epochs = [int(line) for line in (out or "").split() if line.isdigit()]
    return min(max(epochs), int(now if now is not None else time.time())) if epochs else None


@lru_cache(maxsize=8)
def _cached(root: str, head: str, folders: tuple[str, ...]) -> tuple[Commit, ...]:
    """One ``git log`` per checkout and HEAD (a build asks for content and docs dates, feeds and
    the sitemap date; ``mkdocs serve`` rebuilds on the same HEAD)."""
    out = _git(Path(root), "log", "--first-parent", "--diff-merges=first-parent", "-M", "--name-status",
               f"--format={_FORMAT}", head, "--", *folders)
    if out is None:
        return ()
    found = _parse_log(out)
    for commit in found:
        if commit.claims_format_only:
            verify_format_only(Path(root), commit)
    return tuple(found)


def verify_format_only(root: Path, commit: Commit) -> None:
    """Honour the trailer only when every record the commit touched parses to the same data
    before (at its first parent) and after: sets ``format_only`` and ``changed_records``."""
    pairs, added, deleted = [], {}, {}
    for change in commit.changes:
        if change.status == "M":
            pairs.append((change.path, change.path))
        elif change.status == "R":
            pairs.append((change.old, change.path))
        elif change.status == "A":
            added[change.path.rsplit(".", 1)[0]] = change.path
        elif change.status == "D":
            deleted[change.path.rsplit(".", 1)[0]] = change.path
    for stem in set(added) & set(deleted):   # a small file whose rename git did not detect: same stem
        pairs.append((deleted.pop(stem), added.pop(stem)))
    changed = sorted(set(added.values()) | set(deleted.values()))   # a record added or removed
    if not commit.parent:
        changed = sorted({c.path for c in commit.changes})
        pairs = []
    blobs = read_blobs(root, [(commit.parent, old) for old, _ in pairs] + [(commit.sha, new) for _, new in pairs])
    for old, new in pairs:
        before, after = blobs.get((commit.parent, old)), blobs.get((commit.sha, new))
        if before is None or after is None or parsed_record(old, before) != parsed_record(new, after) \
                or parsed_record(new, after) is None and before != after:
            changed.append(new)
    commit.changed_records = sorted(set(changed))
    commit.format_only = not commit.changed_records


def read_blobs(root: Path, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], bytes]:
    """The contents of ``rev:path`` for each pair, through one ``git cat-file --batch``."""
    if not wanted:
        return {}
    request = "".join(f"{rev}:{path}\n" for rev, path in wanted).encode("utf-8", "surrogateescape")
    try:
        out = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input=request, capture_output=True,
                             timeout=120, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    blobs, position = {}, 0
    for key in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].split(b" ")
        position = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            blobs[key] = out[position:position + size]
            position += size + 1
    return blobs


def parsed_record(path: str, data: bytes):
    """What the site reads from a content file: (kind, id, fields, body), or None when it is not
    a valid record (then only identical bytes count as the same). Other files: their bytes."""
    from pdz.content.loader import parse_record_bytes   # the loader imports much of the package: only when needed
    if not path.startswith("content/"):
        return ("file", path, data)
    return parse_record_bytes(path, data)


def problems_between(root: Path, base: str, head: str = "HEAD", now: float | None = None) -> list:
    """For ``make check --base``: the commits a pull request adds (``base..head``) whose trailer
    claims a format-only change that changes records, and those dated in the future."""
    from pdz.content.problems import Problem
    out = _git(Path(root), "log", "--diff-merges=first-parent", "-M", "--name-status", f"--format={_FORMAT}",
               f"{base}..{head}", "--", *FOLDERS)
    if out is None:
        return [Problem(".git", 0, "", f"impossibile leggere la storia tra {base} e {head}",
                        "controlla che il checkout abbia tutta la storia (fetch-depth: 0)")]
    limit = int(now if now is not None else time.time())
    found = []
    for commit in _parse_log(out):
        short = commit.sha[:12]
        if commit.committed > limit + 300:   # a few minutes of clock skew are not a forgery
            found.append(Problem(commit.changes[0].path if commit.changes else ".git", 0, "",
                                 f"il commit {short} («{commit.subject}») ha una data nel futuro "
                                 f"({commit.when}): il sito userà la data dell'unione nel ramo principale",
                                 "correggi l'orologio del computer e rifai il commit (git commit --amend --date=now)"))
        if commit.claims_format_only:
            verify_format_only(Path(root), commit)
            for path in commit.changed_records:
                found.append(Problem(path, 0, "", f"il commit {short} («{commit.subject}») dichiara "
                                     f"«{FORMAT_ONLY_TRAILER}: yes» ma cambia i dati di questo file",
                                     f"togli la riga «{FORMAT_ONLY_TRAILER}» dal messaggio del commit: "
                                     "vale solo per i cambi di formato che lasciano identici i dati"))
    return found
