"""``mkdocs serve``: the generated pages of the last build given again when nothing they read changed.

``build_pages`` renders the site in units (``page_units``: one call each, such as a record's page
or a plan's pages). With a ``Reuse`` (kept by ``mkdocs serve`` from one build to the next), each
unit is rendered with a Build that records what the unit asks: every method called and attribute
read of the catalog, of the source texts, of the monitoring and of the casing of titles, with its
answer (``_Questions``). In the next build, a unit whose every question gets an equal answer gives
its pages again without being rendered. Answers are compared with ``==``: a record first by
identity, and the loader's memo gives the same Record object for the same file, so a record that
did not change costs an identity check.

What every unit is given as a whole (the text converter, the files' dates, the site's address,
the preview, the day: the review page tells what is overdue) is compared as a whole: when one differs, every unit is rendered again. The history
(``pdz.domain.changes``) is one object per commit of the main line, whose lineages stand for the
records of the build (``History.attach``): a question about it has the same answer when no
lineage it involves stands for another record or event title than in the last build (``_changed``).
"""
from __future__ import annotations

import dataclasses
import datetime

from pdz.content.catalog import Catalog
from pdz.content.model import Record
from pdz.render.base import Page
from pdz.render.context import Build


class _Questions:
    """What one unit asked while it was rendered."""
    __slots__ = ("asked", "history_paths", "news", "history_all")

    def __init__(self):
        self.asked: dict = {}           # key -> (target, attribute, args or None, answer)
        self.history_paths: set = set()   # content paths whose lineage's events were read
        self.news: list = []            # (wanted, ids of the lineages of the answer)
        self.history_all = False        # something else of the history was read


def _key(value):
    if isinstance(value, Record):
        return ("R", value.kind, value.id, id(value))
    if isinstance(value, (list, tuple)):
        return tuple(_key(v) for v in value)
    if value is None or isinstance(value, (str, int, float)):
        return value
    return ("O", id(value))   # the args are kept with the question: the id is not reused meanwhile


class _Watched:
    """An object of the build whose method calls and attribute reads are recorded as questions."""

    def __init__(self, name: str, target, reuse: Reuse):
        self._name, self._target, self._reuse = name, target, reuse

    def __getattr__(self, attribute: str):
        value = getattr(self._target, attribute)
        name, reuse = self._name, self._reuse
        if callable(value) and not isinstance(value, type):
            def asked(*args):
                answer = value(*args)
                reuse.ask(name, attribute, args, answer)
                return answer
            return asked
        reuse.ask(name, attribute, None, value)
        return value

    def __call__(self, *args):
        answer = self._target(*args)
        self._reuse.ask(self._name, "__call__", args, answer)
        return answer


class _WatchedCatalog(_Watched):
    sort_key = staticmethod(Catalog.sort_key)   # of the record alone

    @property
    def texts(self):
        return _Watched("texts", self._target.texts, self._reuse)


class _WatchedHistory:
    """The history, whose answers depend on the lineages they involve (``Reuse._changed``)."""

    def __init__(self, history, reuse: Reuse):
        self._history, self._reuse = history, reuse

    def of(self, record: Record):
        self._reuse.current.history_paths.add(record.path)
        return self._history.of(record)

    def lineage(self, record: Record):
        self._reuse.current.history_paths.add(record.path)
        return self._history.lineage(record)

    def news(self, wanted=None):
        answer = self._history.news(wanted)
        involved = set()
        for event in answer:
            involved.add(id(event.lineage))
            involved.update(id(lineage) for lineage in event.records)
            involved.update(id(member.lineage) for member in event.members)
        self._reuse.current.news.append((wanted, involved))
        return answer

    def __getattr__(self, attribute: str):
        self._reuse.current.history_all = True
        return getattr(self._history, attribute)


class _WatchedBuild(Build):
    """The build as a unit sees it: what it asks is recorded."""

    def __init__(self, build: Build, reuse: Reuse):   # not the dataclass's: it would make a text converter
        self._build = build
        self.catalog = _WatchedCatalog("catalog", build.catalog, reuse)   # type: ignore[assignment]
        self.updated, self.text, self.preview, self.site_url = build.updated, build.text, build.preview, build.site_url
        self.history = _WatchedHistory(build.history, reuse) if build.history is not None else None  # type: ignore[assignment]
        self._reuse = reuse

    @property
    def monitoring(self):
        return _Watched("monitoring", self._build.monitoring, self._reuse)

    @property
    def kept_words(self):
        value = self._build.kept_words
        self._reuse.ask("build", "kept_words", None, value)
        return value

    @property
    def sentence_case(self):
        return _Watched("sentence_case", self._build.sentence_case, self._reuse)


@dataclasses.dataclass
class _Unit:
    pages: tuple
    questions: _Questions


def _lineage_state(history) -> list:
    """What ``History.attach`` changes, lineage by lineage: the record it stands for and the
    titles of its events (a plan's publication is among its members' events)."""
    return [(lineage.record, tuple(e.title for e in lineage.events)) for lineage in history.lineages]


def _empty(history) -> bool:
    return history is None or not (history.lineages or history.events)


class Reuse:
    """The units of the last build (``mkdocs serve``), and what they asked."""

    def __init__(self):
        self.units: dict = {}
        self.given: tuple | None = None   # what every unit was given (text converter, address, preview, day, dates)
        self.history = None
        self.states: list = []
        self.current = _Questions()
        self.rendered = 0   # units rendered by the last build (the others were given again)

    def ask(self, target: str, attribute: str, args, answer) -> None:
        key = (target, attribute, _key(args))
        if key not in self.current.asked:
            self.current.asked[key] = (target, attribute, args, answer)

    def pages(self, build: Build, units: list) -> list[Page]:
        given = (build.text, build.preview, build.site_url, datetime.date.today(), build.updated)
        same = self.given is not None and self.given[0] is build.text and self.given[1:] == given[1:]
        history = build.history
        states = _lineage_state(history) if history is not None else []
        if history is self.history and history is not None:
            changed = [lineage for lineage, old, new in zip(history.lineages, self.states, states) if old != new]
            same_history = True
        else:
            changed, same_history = [], _empty(history) and _empty(self.history)
        check = _Check(build, changed, same_history)
        watched = _WatchedBuild(build, self).page("")
        kept: dict = {}
        out: list[Page] = []
        self.rendered = 0
        for fn, *args in units:
            key = (fn.__module__, fn.__qualname__, tuple((a.kind, a.id) for a in args))
            unit = self.units.get(key) if same else None
            if unit is None or not check.valid(unit.questions):
                unit = self._render(watched, fn, args)
            kept[key] = unit
            out += [dataclasses.replace(p) for p in unit.pages]   # the plugin empties a page's body once read
        self.units, self.given, self.history, self.states = kept, given, history, states
        self.current = _Questions()
        return out

    def _render(self, ctx, fn, args) -> _Unit:
        self.current = questions = _Questions()
        for record in args:   # the records a unit is made for are what it reads first
            self.ask("catalog", "get", (record.kind, record.id), record)
        made = fn(ctx, *args)
        self.rendered += 1
        pages = tuple(dataclasses.replace(p) for p in (made if isinstance(made, list) else [made]))
        return _Unit(pages, questions)


_UNASKED, _UNKNOWN = object(), object()   # no answer yet; a question this build cannot answer


class _Check:
    """The answers of this build to the questions of the last ones, each computed once."""

    def __init__(self, build: Build, changed: list, same_history: bool):
        self.build = build
        self.changed = changed
        self.changed_ids = {id(lineage) for lineage in changed}
        self.same_history = same_history
        self.answers: dict = {}
        self.targets: dict = {}

    def target(self, name: str):
        if name not in self.targets:
            build = self.build
            self.targets[name] = {"catalog": lambda: build.catalog, "texts": lambda: build.catalog.texts,
                                  "monitoring": lambda: build.monitoring, "build": lambda: build,
                                  "sentence_case": lambda: build.sentence_case}[name]()
        return self.targets[name]

    def answer(self, key, target: str, attribute: str, args):
        """This build's answer to a question (computed once), ``_UNKNOWN`` when it has none."""
        try:
            if args is None:
                now = getattr(self.target(target), attribute)
            elif attribute == "__call__":
                now = self.target(target)(*args)
            else:
                now = getattr(self.target(target), attribute)(*args)
        except Exception:   # noqa: BLE001 - a question this build cannot answer: render the unit
            now = _UNKNOWN
        self.answers[key] = now
        return now

    def valid(self, questions: _Questions) -> bool:
        answers = self.answers   # an answer known is looked up here, not through a call (120,000 at N=100)
        for key, (target, attribute, args, answer) in questions.asked.items():
            now = answers.get(key, _UNASKED)
            if now is _UNASKED:
                now = self.answer(key, target, attribute, args)
            if now is not answer and (now is _UNKNOWN or now != answer):
                return False
        if questions.history_paths or questions.news or questions.history_all:
            if not self.same_history:
                return False
            if self.changed and questions.history_all:
                return False
            history = self.build.history
            if history is not None:
                for path in questions.history_paths:
                    if id(history.by_path.get(path)) in self.changed_ids:
                        return False
            for wanted, involved in questions.news:
                for lineage in self.changed:
                    if id(lineage) in involved or wanted is None or wanted(lineage):
                        return False
        return True
