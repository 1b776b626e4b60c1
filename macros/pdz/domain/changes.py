"""The public history of every record: what changed, when and why (issue #26).

Read once per build from the main line of the published branch (``pdz.content.mainline``: one
``git log`` pass with the object ids of the files each commit changed, one more for the commit
messages, and one ``git cat-file --batch`` kept open to read the versions a comparison needs,
each version parsed once by the site's own loader). Dates are the main line's (a merge's date for
what it brought in, never in the future). The reason of a record's change is the one the web
editor asked for in the record itself (its ``motivo_modifica``, ``schemas.reason_fields``) when
the change wrote a new one; a reason left as the previous change wrote it is not reused, and the
change takes the commit's (``mainline.reason``). The reason field is no field of the change.

Walking the commits from the oldest:

- a file added is a record published; a file removed, a record removed (its page stays, saying
  so, and the address keeps working);
- a renamed file continues the same record, and so do a removed and an added file of the same
  kind in one commit whose parsed data are equal, or that share their name in the same Ambito
  (git does not detect the rename of a small file it also edited): the record's history follows
  it. A new address is a visible move, except when the old file lay in the layout of before plans
  over time (``loader.place_earlier``): the one-off migration "one plan to several", whose old
  addresses redirects.yaml keeps;
- a record changes when its parsed data differ, field by field, once the ids of the records moved
  in the same commit are written with their new ids. A change of format only (YAML to Markdown,
  quoting, order, comments) or a move parses to the same data and is no change, whatever the
  commit message says;
- fields (or items of a list) that leave a record for a record the same commit creates, with the
  same value, moved: the plan's fields leaving ``ambito.yaml`` for ``piano.yaml`` (one plan to
  several) are neither a removal nor a new publication.

The records of a plan that appear first in one commit are one publication of the plan
(``PLAN_PUBLISHED``); later records of the plan are published one by one. ``latest`` gives the
newest changes of the whole site (for the home page's "what is new").
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from pdz.content import mainline, schemas
from pdz.content.catalog import Catalog, natural_key
from pdz.content.loader import place, place_earlier
from pdz.content.model import KINDS, Record
from pdz.content.problems import Problem
from pdz.content.urls import page_url
from pdz.content.values import euro, italian_date, measured_text, measured_values, number, percent

PUBLISHED, CHANGED, MOVED, REMOVED = "pubblicata", "modificata", "spostata", "rimossa"
PLAN_PUBLISHED, PUBLISHED_TOGETHER = "piano-pubblicato", "pubblicate-insieme"   # events of several records
GROUPS = (PLAN_PUBLISHED, PUBLISHED_TOGETHER)
CONTENT = "content/"
BODY = "(testo)"   # a section's Markdown body, compared as one more field (no schema field has this name)


@dataclass(frozen=True)
class FieldChange:
    """One value of a record that changed: ``path`` in the record (keys, list indexes), the value
    before and after (None: absent)."""
    path: tuple
    old: object = None
    new: object = None


@dataclass(eq=False)
class Event:
    """One change of the site: a record published, changed, moved or removed, or a plan published."""
    action: str
    commit: str
    when: str                  # ISO 8601 date-time on the main line
    reason: str
    kind: str
    record_id: str             # the record's id after the change (for a removal: its last id)
    title: str                 # its title then
    ambito: str | None
    plan: str | None
    fields: tuple[FieldChange, ...] = ()
    moved_from: str = ""       # MOVED: the id before
    published_with: str = ""   # part of a group's event (PUBLISHED with others, or links to them): its plan or kind
    records: tuple = ()        # a group (GROUPS): the lineages published together
    members: tuple = ()        # and their own events
    lineage: Lineage | None = field(default=None, repr=False)
    seq: int = 0               # the commit's place on the main line (0: the oldest)
    titled: bool = True        # False: the version was not read, the title is its id until ``attach``

    @property
    def day(self) -> str:
        return self.when[:10]

    @property
    def url(self) -> str:
        return page_url(self.kind, self.record_id)


@dataclass(eq=False)
class Lineage:
    """One record through time: every id it had, its events (oldest first), its file now."""
    kind: str
    ids: list[str]
    path: str
    record: Record | None      # its last version known (parsed from git; None when unreadable)
    events: list[Event] = field(default_factory=list)
    removed: bool = False

    @property
    def id(self) -> str:
        return self.ids[-1]

    @property
    def plan(self) -> str | None:
        return self.record.piano if self.record else None

    @property
    def ambito(self) -> str | None:
        return self.record.ambito if self.record else None

    @property
    def title(self) -> str:
        return self.record.title if self.record else self.id


class Wanted:
    """Which records' news ``History.news`` gives, said so that the history finds their events in
    an index instead of asking every record of every event: the records whose ``attribute``
    (``plan``, ``ambito``) is ``value`` (``Wanted.having``), or whose kind and id are one of
    ``keys`` (``Wanted.among``). A page per plan and a feed per Ambito, partner and area each
    asked the whole history: that grew with the square of the region (issue #27)."""

    __slots__ = ("attribute", "value", "keys")

    def __init__(self, attribute: str = "", value=None, keys: frozenset | None = None):
        self.attribute, self.value, self.keys = attribute, value, keys

    @classmethod
    def having(cls, attribute: str, value) -> "Wanted":
        return cls(attribute, value)

    @classmethod
    def among(cls, keys) -> "Wanted":
        return cls(keys=frozenset(keys))

    def index(self) -> str:
        return _KEY if self.keys is not None else self.attribute

    def lookups(self):
        return self.keys if self.keys is not None else (self.value,)

    def __call__(self, lineage: Lineage | None) -> bool:
        return lineage is not None and _indexed(lineage, self.index()) in self.lookups()


_KEY = "(kind, id)"


def _indexed(lineage: Lineage, index: str):
    return (lineage.kind, lineage.id) if index == _KEY else getattr(lineage, index)


@dataclass
class History:
    lineages: list[Lineage] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)   # every visible event, newest first
    by_path: dict[str, Lineage] = field(default_factory=dict)   # current file -> its lineage
    # Wanted.index() -> value -> positions in ``events`` of the events that involve it, made for
    # the events and records as they are when first asked (``attach`` gives other records)
    _positions: dict = field(default_factory=dict, repr=False, compare=False)
    _positions_of: list | None = field(default=None, repr=False, compare=False)

    def of(self, record: Record) -> list[Event]:
        """The record's events, newest first ([] when git knows nothing of it)."""
        lineage = self.by_path.get(record.path)
        return list(reversed(lineage.events)) if lineage else []

    def lineage(self, record: Record) -> Lineage | None:
        return self.by_path.get(record.path)

    def attach(self, catalog: Catalog) -> History:
        """The records as loaded now stand for their lineages (titles, Ambito and plan as the
        pages show them); an event whose version was not read takes the record's title."""
        self._positions, self._positions_of = {}, None
        for path, lineage in self.by_path.items():
            record = catalog.get(lineage.kind, lineage.id)
            if record is not None and record.path == path:
                lineage.record = record
        for event in self.events:
            lineage = event.lineage
            if not event.titled and lineage is not None and lineage.record is not None and lineage.record.data:
                event.title = lineage.record.title
            if event.action in GROUPS and event.kind == "piano":
                plan = catalog.get("piano", event.record_id)
                event.title = plan.title if plan else event.title
        return self

    def gone(self) -> list[tuple[str, Lineage]]:
        """(kind and old id, lineage) of every address a record left: removed, or moved away."""
        out = []
        for lineage in self.lineages:
            old_ids = lineage.ids if lineage.removed else lineage.ids[:-1]
            out += [(old_id, lineage) for old_id in dict.fromkeys(old_ids)]
        return out

    def news(self, wanted: Callable[[Lineage], bool] | None = None) -> list[Event]:
        """What a reader is told, newest first: each plan's first publication as one event (when
        it holds a wanted record), then every other event of the wanted records. (A ``Wanted``
        is answered from the events that involve it: the others would add nothing.)"""
        out = []
        for event in self.events if not isinstance(wanted, Wanted) else self._involving(wanted):
            if event.action in GROUPS:
                chosen = [m for m in event.members if wanted is None or wanted(m.lineage)]
                if event.action == PUBLISHED_TOGETHER and len(chosen) == 1:
                    out.append(chosen[0])   # of several records added together, the one wanted
                elif chosen:
                    out.append(event)
            elif not event.published_with and (wanted is None or wanted(event.lineage)):
                out.append(event)
        return out


    def _involving(self, wanted: Wanted) -> list[Event]:
        """The events (newest first) that involve a record ``wanted`` chooses: a member of a
        group, or the record of an event of its own."""
        if self._positions_of is not self.events:
            self._positions, self._positions_of = {}, self.events
        index = self._positions.get(wanted.index())
        if index is None:
            index = self._positions[wanted.index()] = {}
            for position, event in enumerate(self.events):
                lineages = [m.lineage for m in event.members] if event.action in GROUPS else [event.lineage]
                for value in {_indexed(lineage, wanted.index()) for lineage in lineages if lineage is not None}:
                    index.setdefault(value, []).append(position)
        found = [index.get(value, ()) for value in wanted.lookups()]
        positions = found[0] if len(found) == 1 else sorted({p for ps in found for p in ps})
        return [self.events[p] for p in positions]


def latest(history: History, limit: int = 10, ambito: str | None = None) -> list[Event]:
    """The newest changes of the site (of one Ambito), newest first: a plan's publication is one
    change; records published, changed, moved or removed one each. What a "what is new" block
    lists (``Event.title``, ``.day``, ``.url``, ``.fields`` with ``describe``)."""
    return history.news(None if ambito is None else Wanted.having("ambito", ambito))[:limit]


# --- reading the history ----------------------------------------------------------------------------
_READ: dict[tuple, History] = {}


def read_history(root: Path, preview: str | None = None, now: float | None = None) -> History:
    """The history of every record on the main line of ``root``; an empty History outside git.
    ``preview`` (an Ambito id): only that Ambito's records and the shared ones are read. One walk
    per checkout, HEAD, reference date and preview (``mkdocs serve`` rebuilds on the same)."""
    commits = mainline.commits(root, now=now)
    if not commits:
        return History()
    key = (str(Path(root).resolve()), commits[0].sha, commits[0].when, preview)
    if key not in _READ:
        if len(_READ) >= 4:
            _READ.pop(next(iter(_READ)))
        _READ[key] = _read(Path(root), preview, commits)
    return _READ[key]


def _read(root: Path, preview: str | None, commits: list[mainline.Commit]) -> History:
    messages = mainline.messages(root)
    line = mainline.first_parent_line(root)

    def relevant(path: str) -> bool:
        parts = path.split("/")
        if not path.startswith(CONTENT) or preview is not None and parts[1] == "ambiti" and parts[2:3] != [preview]:
            return False
        return _stub(path) is not None   # a record's file

    walk = _Walk()
    steps = []
    for seq, commit in enumerate(reversed(commits)):
        changes = [c for c in commit.changes if relevant(c.path) or (c.old and relevant(c.old))]
        if changes:
            steps.append((seq, commit, changes))
    needed = [need for _, _, changes in steps for need in _versions_needed(changes)]
    walk.parsed = mainline.versions(root, needed + _added_with_reason(root, steps, set(needed)))
    for seq, commit, changes in steps:
        walk.commit(commit, mainline.reason(commit.sha, messages, line), changes, seq)
    return walk.history()


def _versions_needed(changes: list[mainline.Change]) -> list[tuple[str, str]]:
    """The versions a commit's comparison reads: both sides of a file changed or renamed, a
    removed file (its last title, a rename git missed), and an added file only when the commit
    also removes or changes files (a rename git missed, fields moved to it)."""
    needed = []
    for c in changes:
        if c.status in ("M", "R"):
            needed += [(c.old_blob, c.old or c.path), (c.new_blob, c.path)]
        elif c.status == "D":
            needed.append((c.old_blob, c.path))
    if needed:
        needed += [(c.new_blob, c.path) for c in changes if c.status == "A"]
    return needed


def _added_with_reason(root: Path, steps: list, needed: set) -> list[tuple[str, str]]:
    """The versions of added files that carry a reason of their own (a record created in the web
    editor): the added files not read anyway are read as bytes in one pass, and only those that
    hold the name of a reason field are parsed."""
    added = [(c.new_blob, c.path) for _, _, changes in steps for c in changes
             if c.status == "A" and (c.new_blob, c.path) not in needed]
    names = {name.encode() for kind in KINDS for name in schemas.reason_fields(kind)}
    if not added or not names:
        return []
    raw = mainline.read_objects(root, sorted({blob for blob, _ in added}))
    return [(blob, path) for blob, path in added if any(name in raw.get(blob, b"") for name in names)]


def record_reason(before: Record | None, after: Record | None) -> str:
    """The reason ``after`` gives for its change: the value of its reason field when it differs
    from ``before``'s ('' when it gives none, or repeats the previous one)."""
    if after is None:
        return ""
    for name in schemas.reason_fields(after.kind):
        given = after.data.get(name)
        if isinstance(given, str) and given.strip() and given != (before.data.get(name) if before else None):
            return mainline.one_line(given)
    return ""


class _Walk:
    def __init__(self):
        self.live: dict[str, Lineage] = {}
        self.lineages: list[Lineage] = []
        self.parsed: dict[tuple[str, str], object] = {}

    def version(self, blob: str, path: str) -> Record | None:
        """A file's version as the site's loader reads it (None: not a readable record)."""
        found = self.parsed.get((blob, path))
        return found if isinstance(found, Record) else None

    def known(self, blob: str, path: str) -> Record | None:
        """The version when it was read, else what the file's place says (kind, id, plan; no fields)."""
        return self.version(blob, path) or _stub(path)

    def commit(self, commit: mainline.Commit, reason: str, changes: list[mainline.Change], seq: int) -> None:
        def event(action: str, record: Record | None, lineage: Lineage, before: Record | None = None, **extra) -> None:
            known = record or lineage.record
            if known is None:   # no version of it could be read: nothing to say of it
                return
            said = record_reason(before, record) or reason
            lineage.events.append(Event(action, commit.sha, commit.when, said, known.kind, known.id, known.title,
                                        known.ambito, known.piano, lineage=lineage, seq=seq,
                                        titled=bool(known.data), **extra))

        pairs = [(c.old or c.path, c.path, c.old_blob, c.new_blob) for c in changes if c.status in ("M", "R")]
        removed = {c.path: c.old_blob for c in changes if c.status == "D"}
        added = {c.path: c.new_blob for c in changes if c.status == "A"}
        pairs += self.undetected_renames(removed, added)
        moved = {}
        versions = []
        for old_path, new_path, old_blob, new_blob in pairs:
            before = self.version(old_blob, old_path)
            after = before if old_blob == new_blob and old_path == new_path else self.version(new_blob, new_path)
            versions.append((old_path, new_path, before, after))
            if before and after and (before.kind, before.id) != (after.kind, after.id):
                moved[before.id] = after.id
        created = [(r.path, content_of(r)) for r in (self.version(b, p) for p, b in added.items()) if r]
        split_off: set[str] = set()
        for old_path, new_path, before, after in versions:
            lineage = self.live.pop(old_path, None) or self.new_lineage(after or before, new_path)
            lineage.path = new_path
            lineage.record = after or lineage.record
            if before is None or after is None:   # a version the loader cannot read: no fields to compare
                self.live[new_path] = lineage
                if after is not None and after.id != lineage.id:
                    lineage.ids.append(after.id)
                continue
            fields = field_changes(content_of(before, moved), content_of(after))
            fields, gone_to = _without_moved_fields(fields, created, moved)
            split_off |= gone_to
            visible_move = after.id != before.id and not isinstance(place(Path(old_path[len(CONTENT):])), Problem) \
                and after.kind == before.kind
            if after.id != lineage.id:
                lineage.ids.append(after.id)
            if visible_move:
                event(MOVED, after, lineage, before, fields=tuple(fields), moved_from=before.id)
            elif fields:
                event(CHANGED, after, lineage, before, fields=tuple(fields))
            self.live[new_path] = lineage
        for path, blob in added.items():
            record = self.known(blob, path)
            lineage = self.new_lineage(record, path)
            self.live[path] = lineage
            if path not in split_off:
                event(PUBLISHED, record, lineage)
        for path, blob in removed.items():
            lineage = self.live.pop(path, None) or self.new_lineage(self.known(blob, path), path)
            lineage.record = self.version(blob, path) or lineage.record
            lineage.removed = True
            event(REMOVED, lineage.record, lineage)

    def new_lineage(self, record: Record | None, path: str) -> Lineage:
        lineage = Lineage(record.kind if record else "", [record.id if record else path], path, record)
        self.lineages.append(lineage)
        return lineage

    def undetected_renames(self, removed: dict[str, str], added: dict[str, str]) -> list[tuple]:
        """Pairs (old path, new path, old blob, new blob) of a removed and an added file that are
        one record moved: same kind and equal parsed data (ids aside), else same kind, Ambito and
        file name, when only one file fits. Taken out of ``removed`` and ``added``."""
        if not removed or not added:
            return []
        gone = {path: self.version(blob, path) for path, blob in removed.items()}
        new = {path: self.version(blob, path) for path, blob in added.items()}
        pairs = []

        def take(old_path: str, new_path: str) -> None:
            pairs.append((old_path, new_path, removed.pop(old_path), added.pop(new_path)))
            gone.pop(old_path)
            new.pop(new_path)

        by_content: dict[tuple, list[str]] = {}
        for path, record in new.items():
            if record:
                by_content.setdefault((record.kind, _canonical(content_of(record))), []).append(path)
        for old_path, record in list(gone.items()):
            if record:
                same = [p for p in by_content.get((record.kind, _canonical(content_of(record))), []) if p in new]
                if len(same) == 1:
                    take(old_path, same[0])
        for old_path, record in list(gone.items()):
            if record:
                stem = Path(old_path).stem
                same = [p for p, r in new.items() if r and r.kind == record.kind and r.ambito == record.ambito
                        and Path(p).stem == stem]
                if len(same) == 1:
                    take(old_path, same[0])
        return pairs

    def history(self) -> History:
        history = History(self.lineages)
        for path, lineage in self.live.items():
            history.by_path[path] = lineage
        events = [e for lineage in self.lineages for e in lineage.events]
        publications = _publications(self.lineages)
        _links_to_publications(events, publications)
        events += publications
        # newest first; within one commit, plan publications first, then by record (stable sorts)
        events.sort(key=lambda e: natural_key(e.record_id))
        events.sort(key=lambda e: (e.seq, e.action in GROUPS), reverse=True)
        history.events = events
        return history


def _publications(lineages: list[Lineage]) -> list[Event]:
    """Records published together, as one event each: the first records of a plan (with its
    Ambito's record, when it came with them) are the plan's publication (``PLAN_PUBLISHED``); two
    or more records added later to the same plan, or shared records of one kind (partners,
    areas...) added together, one ``PUBLISHED_TOGETHER``. Their members' ``published_with`` names it."""
    groups: dict[tuple, dict[int, list[Event]]] = {}
    ambito_records: dict[tuple[str, int], Event] = {}
    for lineage in lineages:
        published = next((e for e in lineage.events if e.action == PUBLISHED), None)
        if published is None:
            continue
        if lineage.kind == "ambito":
            ambito_records[(lineage.id, published.seq)] = published
        elif lineage.plan:
            groups.setdefault(("piano", lineage.plan), {}).setdefault(published.seq, []).append(published)
        elif not KINDS[lineage.kind].scoped:
            groups.setdefault((lineage.kind, ""), {}).setdefault(published.seq, []).append(published)
    out = []
    # an Ambito's record published with its first plans joins the newest of them (its current plan)
    for (kind, plan), by_commit in sorted(groups.items(), key=lambda item: item[0][1], reverse=True):
        for seq, together in sorted(by_commit.items()):
            first = together[0]
            initial = kind == "piano" and seq == min(by_commit)
            founding = ambito_records.pop((first.ambito or "", seq), None) if initial else None
            if founding is not None:
                together.append(founding)
            if not initial and len(together) < 2:
                continue
            if kind == "piano":
                plan_record = next((e.lineage.record for e in together if e.lineage and e.lineage.kind == "piano"), None)
                title = plan_record.title if plan_record and plan_record.data else f"Piano di Zona {plan.rsplit('/', 1)[-1]}"
            else:
                title = KINDS[kind].label_plural
            group = Event(PLAN_PUBLISHED if initial else PUBLISHED_TOGETHER, first.commit, first.when, first.reason,
                          kind, plan, title, first.ambito if kind == "piano" else None, plan or None,
                          records=tuple(e.lineage for e in together if e.lineage), seq=seq, members=tuple(together))
            for e in together:
                e.published_with = plan or kind
            out.append(group)
    return out


@lru_cache(maxsize=None)
def _stub(path: str) -> Record | None:
    """What a content file's place says of its record (kind, id, Ambito, plan), without reading
    it; None for a file that is not a record (in today's layout or the one before plans over time)."""
    rel = Path(path[len(CONTENT):])
    placed = place(rel)
    if isinstance(placed, Problem):
        placed = place_earlier(rel)
    if placed is None:
        return None
    kind, record_id, ambito, plan = placed
    return Record(kind, record_id, path, {}, ambito=ambito, piano=plan)


def _links_to_publications(events: list[Event], publications: list[Event]) -> None:
    """A change that only adds links to records of a plan published by the same commit (an
    evaluation naming the objective it evaluates, in the plan just published) is part of that
    publication: its record's history shows it, the news the publication."""
    published = {(p.seq, lineage.id): p.record_id or p.kind for p in publications for lineage in p.records}
    for event in events:
        if event.action != CHANGED or not event.fields:
            continue
        plans = set()
        for change in event.fields:
            added = _added_links(event.kind, change)
            plans |= {published.get((event.seq, target), "") for target in added}
            if not added or "" in plans:
                break
        else:
            if len(plans) == 1:
                event.published_with = plans.pop()


def _added_links(kind: str, change: FieldChange) -> list[str]:
    """The ids a change adds to a reference field (a value that was absent, or items added to a
    list of ids); [] when it does anything else."""
    def reference(path: tuple) -> bool:
        info = schemas.field_at(kind, path)
        return bool(info and info.schema.get(schemas.REFERENCE))

    if change.old is None and isinstance(change.new, str) and reference(change.path):
        return [change.new]
    if isinstance(change.new, list) and all(isinstance(x, str) for x in change.new) and reference(change.path + (0,)):
        before = change.old or []
        if isinstance(before, list) and all(x in change.new for x in before):
            return [x for x in change.new if x not in before]
    return []


# --- comparing two versions ----------------------------------------------------------------------
def content_of(record: Record, moved: dict[str, str] | None = None) -> dict:
    """What the site shows of a record: its fields (and a section's Markdown body), with the ids
    of records ``moved`` (old id -> new id) written as their new ids, also inside a text. The
    reason of the change that saved it is not content: it is the change's reason."""
    reasons = schemas.reason_fields(record.kind)
    data = {key: value for key, value in record.data.items() if key not in reasons}
    if record.body.strip():
        data[BODY] = record.body.strip("\n")
    return _renamed(data, _Renamer(moved)) if moved else data


class _Renamer:
    """Old ids to new ids: a value that is an id, and an id written inside a text."""
    def __init__(self, moved: dict[str, str]):
        self.moved = moved
        ids = "|".join(re.escape(i) for i in sorted(moved, key=len, reverse=True))
        self.inside = re.compile(rf"(?<![\w/-])(?:{ids})(?![\w/-])") if moved else None

    def __call__(self, text: str) -> str:
        if text in self.moved:
            return self.moved[text]
        if self.inside is None or "/" not in text:
            return text
        return self.inside.sub(lambda m: self.moved[m.group()], text)


def _renamed(value, rename: _Renamer):
    if isinstance(value, str):
        return rename(value)
    if isinstance(value, dict):
        return {k: _renamed(v, rename) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, rename) for v in value]
    return value


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def field_changes(old, new, path: tuple = ()) -> list[FieldChange]:
    """The values that differ between two versions of a record's data: objects field by field,
    lists of objects item by item (aligned, so that an item added or removed is one change), any
    other value as a whole. Equal data (in any order of keys) give []."""
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[FieldChange] = []
        for key in list(new) + [k for k in old if k not in new]:
            out += field_changes(old.get(key), new.get(key), path + (key,))
        return out
    if isinstance(old, list) and isinstance(new, list) and any(isinstance(x, dict) for x in old + new):
        return _list_changes(old, new, path)
    return [FieldChange(path, old, new)]


def _list_changes(old: list, new: list, path: tuple) -> list[FieldChange]:
    out: list[FieldChange] = []
    matcher = difflib.SequenceMatcher(None, [_canonical(x) for x in old], [_canonical(x) for x in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            out += field_changes(old[i1 + k], new[j1 + k], path + (j1 + k,))
        out += [FieldChange(path + (j,), None, new[j]) for j in range(j1 + paired, j2)]
        out += [FieldChange(path + (i,), old[i], None) for i in range(i1 + paired, i2)]
    return out


def _without_moved_fields(fields: list[FieldChange], targets: list[tuple[str, dict]], moved: dict[str, str]):
    """The changes left once values that went, unchanged, to a record the commit created
    (``targets``: its path and content) are taken out (one plan to several), and the paths of
    the records that received them."""
    if not targets:
        return fields, set()
    kept, receivers = [], set()
    for change in fields:
        receiver = None
        if change.new is None and change.old is not None:
            top = change.path[0]
            old_value = _renamed(change.old, _Renamer(moved)) if moved else change.old
            for path, data in targets:
                there = data.get(top)
                if (len(change.path) == 1 and there == old_value) or \
                        (len(change.path) == 2 and isinstance(there, list) and old_value in there):
                    receiver = path
                    break
        if receiver is None:
            kept.append(change)
        else:
            receivers.add(receiver)
    return kept, receivers


# --- what a change says, in the site's words -------------------------------------------------------
@dataclass(frozen=True)
class Described:
    label: str          # the field, in words (its schema title, or its name made readable)
    old: str            # the value before, in the site's formats ('' when absent)
    new: str
    text: bool          # a text (shown as a word-level difference)
    target_kind: str = ""   # a reference: the kind of the record it names (old and new are titles)
    old_ref: str = ""       # and the ids before and after
    new_ref: str = ""


def describe(kind: str, change: FieldChange, catalog: Catalog | None = None) -> Described:
    """One change of a field, in words: its label and its two values as the site writes them
    (€ 3.500.000,00; 25%; circa 300 persone; the labels of closed lists; the title of a record
    named)."""
    if change.path == (BODY,):
        return Described("Testo", _plain(change.old), _plain(change.new), True)
    info = schemas.field_at(kind, change.path)
    label = info.label if info else " › ".join(str(p) for p in change.path)
    schema = info.schema if info else {}
    target = schema.get(schemas.REFERENCE, "")
    text = bool(info and ({"testo", "riga"} & set(info.definitions)) and not target) or \
        (info is None and isinstance(change.old, str) and isinstance(change.new, str))
    old, new = (value_text(kind, change.path, v, catalog) for v in (change.old, change.new))
    if target:
        old_ref, new_ref = (v if isinstance(v, str) else "" for v in (change.old, change.new))
        return Described(label, old, new, False, target, old_ref, new_ref)
    return Described(label, old, new, text)


def value_text(kind: str, path: tuple, value, catalog: Catalog | None = None) -> str:
    """A value of a record's field as the site writes it (plain text; '' when absent)."""
    if value is None:
        return ""
    info = schemas.field_at(kind, path)
    schema, names = (info.schema, set(info.definitions)) if info else ({}, set())
    if names & {"valore_misurato", "valore_qualificato"} and not isinstance(value, list) or \
            "valore_misurato" in names:
        return "; ".join(measured_text(v) for v in measured_values(value)) if measured_values(value) else _plain(value)
    if isinstance(value, bool):
        return "Sì" if value else "No"
    if isinstance(value, (int, float)):
        if "importo" in names:
            return euro(value)
        if "percentuale" in names:
            return percent(value)
        return number(value)
    if isinstance(value, str):
        target = schema.get(schemas.REFERENCE)
        if target and catalog is not None:
            record = catalog.get(target, value)
            return record.title if record else value
        if "data" in names and len(value) == 10:
            return italian_date(value)
        return schemas.enum_labels(schema).get(value, value) if "enum" in schema else value
    if isinstance(value, list):
        return "; ".join(value_text(kind, path + (i,), item, catalog) for i, item in enumerate(value))
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            sub = schemas.field_at(kind, path + (key,))
            name = sub.label.rsplit(" › ", 1)[-1] if sub else key
            parts.append(f"{name}: {value_text(kind, path + (key,), item, catalog)}")
        return "; ".join(parts)
    return _plain(value)


def _plain(value) -> str:
    return "" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
