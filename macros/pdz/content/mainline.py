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

The reason of a change (``reason``) is said by the trailer ``Motivo:`` of the main-line commit or
of a commit its merge brought in (``make nuovo`` asks for it), else by the title of the pull
request a merge commit names, else by the commit's subject. The web editor asks for the reason in
the record itself (its field ``motivo_modifica``), which ``pdz.domain.changes`` prefers for that
record when the commit wrote a new one.

``commits`` reads the history in one ``git log`` pass (with the files' object ids, so that their
versions can be read in one ``git cat-file --batch``) and parses files only for the commits that
carry the trailer; ``messages`` reads every commit's message in one more light pass. Plain Python,
no MkDocs; ``gitdates.py`` derives the pages' dates from it, ``pdz.domain.changes`` the history of
every record, ``check --base`` the problems of a pull request's commits.
"""
from __future__ import annotations

import datetime
import re
import subprocess
import time
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

FORMAT_ONLY_TRAILER = "Pdz-Format-Only"
REASON_TRAILER = "Motivo"
MAX_REASON = 300   # characters of a reason shown on pages and in feeds (a commit's subject can be long)
# the subject GitHub gives the merge commit of a pull request; its body starts with the PR's title
_PULL_REQUEST_MERGE = re.compile(r"^Merge (pull request #[0-9]+|branch '[^']*') ")
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
    old_blob: str = ""     # the file's git object before the commit ('' when added)
    new_blob: str = ""     # and after it ('' when deleted)


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
    """Commits of ``git log --format=_FORMAT --raw --no-abbrev``, in the order git printed them."""
    commits: list[Commit] = []
    for line in out.splitlines():
        if line.startswith("\x00"):
            _, sha, parents, epoch, when, trailer, subject = line.split("\x00", 6)
            commits.append(Commit(sha, parents.split(" ")[0], int(epoch), when, subject,
                                  trailer.strip().lower() in TRUE_WORDS, committed=int(epoch), git_when=when))
            continue
        if not commits or not line.startswith(":"):
            continue
        meta, *paths = line.split("\t")
        fields = meta.split(" ")
        if len(fields) < 5 or not paths:
            continue
        old_blob, new_blob = (b if b.strip("0") else "" for b in fields[2:4])   # all zeros: no such file
        status = fields[4]
        if status.startswith("R") and len(paths) == 2:
            commits[-1].changes.append(Change("R", paths[1], paths[0], pure=status == "R100",
                                              old_blob=old_blob, new_blob=new_blob))
        elif status[:1] in ("A", "M", "D", "T"):
            commits[-1].changes.append(Change("M" if status[:1] == "T" else status[:1], paths[-1],
                                              old_blob=old_blob, new_blob=new_blob))
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
    sha = head(root)
    if not sha:
        return []
    found = [replace(c, epoch=c.committed, when=c.git_when, changes=list(c.changes))
             for c in _cached(str(Path(root).resolve()), sha, tuple(folders))]
    clamp(found, now)
    return found


def head(root: Path) -> str:
    """The checked-out commit ('' outside a git checkout)."""
    return (_git(Path(root), "rev-parse", "HEAD", timeout=30) or "").strip()


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
    out = _git(Path(root), "log", "--first-parent", "--diff-merges=first-parent", "-M", "--raw", "--no-abbrev",
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
    pairs: list[tuple[str, str, str, str]] = []
    added: dict[str, Change] = {}
    deleted: dict[str, Change] = {}
    for change in commit.changes:
        if change.status == "M":
            pairs.append((change.path, change.path, change.old_blob, change.new_blob))
        elif change.status == "R":
            pairs.append((change.old, change.path, change.old_blob, change.new_blob))
        elif change.status == "A":
            added[change.path.rsplit(".", 1)[0]] = change
        elif change.status == "D":
            deleted[change.path.rsplit(".", 1)[0]] = change
    for stem in set(added) & set(deleted):   # a small file whose rename git did not detect: same stem
        gone, came = deleted.pop(stem), added.pop(stem)
        pairs.append((gone.path, came.path, gone.old_blob, came.new_blob))
    changed = sorted({c.path for c in added.values()} | {c.path for c in deleted.values()})   # a record added or removed
    if not commit.parent:
        changed = sorted({c.path for c in commit.changes})
        pairs = []
    parsed = versions(root, [(blob, path) for old, new, old_blob, new_blob in pairs
                             for blob, path in ((old_blob, old), (new_blob, new)) if path.startswith("content/")])
    for old, new, old_blob, new_blob in pairs:
        before, after = parsed.get((old_blob, old)), parsed.get((new_blob, new))
        if before is None or after is None:   # not a record (or not readable): only the same bytes are the same
            same = old_blob == new_blob and (old == new or old.startswith("content/"))
        else:
            same = (before.kind, before.id, before.data, before.body) == (after.kind, after.id, after.data, after.body)
        if not same:
            changed.append(new)
    commit.changed_records = sorted(set(changed))
    commit.format_only = not commit.changed_records


_VERSIONS: dict[tuple[str, str], Any] = {}   # (object id, path) -> Record | None: an object never changes


def versions(root: Path, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    """Each (object id, path) of a file's version as the site's loader reads it (a Record, or None
    when it is not a readable record: ``loader.record_from_bytes``), each version parsed once per
    process; the ones not parsed before are read through one ``git cat-file --batch``."""
    from pdz.content.loader import record_from_bytes   # the loader imports much of the package: only when needed
    missing = [w for w in dict.fromkeys(wanted) if w not in _VERSIONS and w[0]]
    contents = read_objects(root, sorted({blob for blob, _ in missing}))
    for blob, path in missing:
        raw = contents.get(blob)
        _VERSIONS[(blob, path)] = None if raw is None else record_from_bytes(path, raw)
    return {w: _VERSIONS.get(w) for w in wanted}


def read_objects(root: Path, wanted: list[str]) -> dict[str, bytes]:
    """The contents of git objects by id, through one ``git cat-file --batch``."""
    wanted = [w for w in wanted if re.fullmatch(r"[0-9a-f]{40,64}", w)]
    if not wanted:
        return {}
    try:
        out = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input="".join(f"{w}\n" for w in wanted).encode(),
                             capture_output=True, timeout=600, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    found, position = {}, 0
    for key in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].split(b" ")
        position = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[key] = out[position:position + size]
            position += size + 1
    return found


def problems_between(root: Path, base: str, head: str = "HEAD", now: float | None = None) -> list:
    """For ``make check --base``: the commits a pull request adds (``base..head``) whose trailer
    claims a format-only change that changes records, and those dated in the future."""
    from pdz.content.problems import Problem
    out = _git(Path(root), "log", "--diff-merges=first-parent", "-M", "--raw", "--no-abbrev", f"--format={_FORMAT}",
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


@dataclass(frozen=True)
class Message:
    parents: tuple[str, ...]
    subject: str
    body: str            # the message after the subject (a pull request's title, for GitHub's merges)
    reasons: tuple[str, ...] = ()   # the values of its ``Motivo:`` trailers


def messages(root: Path) -> dict[str, Message]:
    """Every commit's parents and message, by hash, from one ``git log -z`` (NUL never occurs in a
    message, so a message cannot forge a field). {} outside git."""
    head = _git(Path(root), "rev-parse", "HEAD", timeout=30)
    return _messages(str(Path(root).resolve()), head.strip()) if head else {}


@lru_cache(maxsize=8)
def _messages(root: str, head: str) -> dict[str, Message]:
    fields = ("%H", "%P", "%s", f"%(trailers:key={REASON_TRAILER},valueonly,unfold,separator=%x1f)", "%b")
    out = _git(Path(root), "log", "-z", "--format=" + "%x00".join(fields), head)
    found: dict[str, Message] = {}
    if not out:
        return found
    tokens = out.split("\x00")
    for start in range(0, len(tokens) - len(fields) + 1, len(fields)):
        sha, parents, subject, reasons, body = tokens[start:start + len(fields)]
        sha = sha.strip("\n")
        if re.fullmatch(r"[0-9a-f]{40,64}", sha):
            found[sha] = Message(tuple(parents.split()), subject,
                                 body, tuple(r.strip() for r in reasons.split("\x1f") if r.strip()))
    return found


def reason(sha: str, found: dict[str, Message], main_line: set[str]) -> str:
    """Why a main-line commit changed the content: its ``Motivo:`` trailer; for a merge, the trailer
    of the newest commit it brought in that has one, else the title of the pull request (the first
    paragraph of GitHub's merge message); else its subject. One line, at most MAX_REASON characters."""
    message = found.get(sha)
    if message is None:
        return ""
    text = " ".join(message.reasons)
    if not text and len(message.parents) > 1:
        step, seen = message.parents[1], 0
        while step and step not in main_line and step in found and seen < 1000:
            if found[step].reasons:
                text = " ".join(found[step].reasons)
                break
            step, seen = (found[step].parents or ("",))[0], seen + 1
        if not text and _PULL_REQUEST_MERGE.match(message.subject):
            text = _first_paragraph(message.body)
    return one_line(text or message.subject)


def _first_paragraph(body: str) -> str:
    paragraph = body.strip().split("\n\n", 1)[0]
    return "" if re.match(r"^[A-Za-z-]+: ", paragraph) else paragraph   # a trailer block is not a title


def one_line(text: str) -> str:
    """A reason as pages and feeds show it: one line, at most MAX_REASON characters."""
    text = " ".join(text.split())
    if len(text) <= MAX_REASON:
        return text
    return text[:MAX_REASON].rsplit(" ", 1)[0] + " …"


def first_parent_line(root: Path) -> set[str]:
    """The hashes of every main-line commit (whatever they touched)."""
    out = _git(Path(root), "rev-list", "--first-parent", "HEAD")
    return set((out or "").split())

