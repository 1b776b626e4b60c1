"""Monitoring over time, computed from the catalog: measurements of indicators, the state of each
objective, roll-ups, and the chain that links an objective to the plans before and after it.

Plain data, no rendering: pages and open data read the same results.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pdz.content import schemas
from pdz.content.catalog import Catalog
from pdz.content.lineage import Link, links
from pdz.content.model import Record
from pdz.content.values import measured_values


# The objective's state of implementation, in the plans' own words (Tabella 2: raggiunto /
# parzialmente raggiunto / non raggiunto; Dalmine: attuati, in corso, non attuati). The labels
# and the scale that turns a grade of achievement into a state are data: schemas/_defs.schema.json.


def states() -> dict[str, str]:
    """The states of implementation and their labels (schemas: _defs stato_attuazione)."""
    return schemas.vocabulary("stato_attuazione")


def scale() -> dict:
    """The scale that turns a grade of achievement into a state (_defs stato_attuazione, x-scala-grado)."""
    return schemas.definitions()["stato_attuazione"][GRADE_SCALE]


GRADE_SCALE = "x-scala-grado"
SECTIONS = ("bisogni", "modalita", "risultati", "impatto")


def state_of_grade(percent: float) -> str:
    """The state a grade of achievement (0-100) gives, by the first threshold of the scale it meets."""
    for step in scale()["soglie"]:
        if ("almeno" in step and percent >= step["almeno"]) or ("piu_di" in step and percent > step["piu_di"]):
            return step["stato"]
    raise ValueError(f"grade {percent} outside the scale")


def scale_text() -> str:
    """The scale in words: '100%: raggiunto; più di 0%: parzialmente raggiunto; 0%: non raggiunto'."""
    parts, steps = [], scale()["soglie"]
    for step in steps:
        bound = step.get("almeno", step.get("piu_di"))
        figure = f"{bound:g}%".replace(".", ",")
        if "piu_di" in step:
            figure = f"più di {figure}"
        elif step is not steps[-1] and bound < 100:
            figure = f"almeno {figure}"
        parts.append(f"{figure}: {states()[step['stato']].lower()}")
    return "; ".join(parts)


@dataclass
class Measurement:
    objective: Record          # the objective the indicator measures
    record: Record             # the record where the measurement is written (objective or evaluation)
    indicator: dict
    index: int                 # position of the indicator in its record (1, 2...)
    period: str                # "2020", "2018-2020" or a date "2024-06-30"
    value: dict                # one figure: valore (or minimo/massimo), qualificatore, unita, voce
    source: dict | None = None  # {documento, righe}, when the measurement names its own source
    note: str = ""

    @property
    def unit(self) -> str:
        return self.value.get("unita") or self.indicator.get("unita", "")

    @property
    def number(self) -> float | None:
        """The figure as one number (a range has none)."""
        return self.value.get("valore")


@dataclass
class State:
    value: str                 # a value of _defs stato_attuazione
    date: str = ""             # AAAA-MM-GG, when the record gives one
    note: str = ""
    evaluation: Record | None = None   # when the state is the one an evaluation gives
    grade: float | None = None         # the evaluation's grade of achievement it comes from (scale())

    @property
    def label(self) -> str:
        return states().get(self.value, self.value)


def indicators(record: Record) -> list[dict]:
    """Every indicator of a record, in page order (form sections, then the record's own list)."""
    items: list[dict] = []
    for key in SECTIONS:
        section = record.data.get(key)
        if isinstance(section, dict):
            items += section.get("indicatori") or []
    return items + (record.data.get("indicatori") or [])


def _measurements_of_record(objective: Record, record: Record) -> list[Measurement]:
    out = []
    for index, item in enumerate(indicators(record), start=1):
        for m in item.get("misurazioni") or []:
            period = m.get("periodo") or m.get("data", "")
            for figure in measured_values(m["valore"]):
                out.append(Measurement(objective, record, item, index, period,
                                       {**figure, **({"unita": m["unita"]} if m.get("unita") and not figure.get("unita") else {})},
                                       m.get("fonte"), m.get("nota", "")))
        if item.get("anno") and "valore_rilevato" in item:   # a value of the plan with its year
            for figure in measured_values(item["valore_rilevato"]):
                out.append(Measurement(objective, record, item, index, item["anno"], figure))
    return out


class Monitoring:
    """Measurements, states and the lineage of every objective, indexed once per build."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.evaluations: dict[str, list[Record]] = {}
        for e in catalog.all("valutazione"):
            target = e.data.get("obiettivo_valutato")
            if target:
                self.evaluations.setdefault(target, []).append(e)
        self._measurements: dict[str, list[Measurement]] = {}
        for o in catalog.all("obiettivo"):
            found = _measurements_of_record(o, o)
            for e in self.evaluations.get(o.id, []):
                found += _measurements_of_record(o, e)
            self._measurements[o.id] = sorted(found, key=lambda m: (m.index, m.period))
        # direct links only: up (the objectives it continues) and down (those that continue it)
        self.links: list[Link] = [link for link in links(catalog)
                                  if catalog.get("obiettivo", link.earlier) and catalog.get("obiettivo", link.later)]
        self._up: dict[str, list[Link]] = {}
        self._down: dict[str, list[Link]] = {}
        self._held: dict[int, list[Link]] = {}
        # the objectives reached from one, by direction: each walked once per build (a story is
        # asked for each of its objectives, on several pages, and again by mkdocs serve's reuse)
        self._reached: dict[tuple, dict[str, Record]] = {}
        self._chains: dict[str, tuple] = {}   # objective id -> (objective, its story)
        for link in self.links:
            self._up.setdefault(link.later, []).append(link)
            self._down.setdefault(link.earlier, []).append(link)
            self._held.setdefault(id(link.holder), []).append(link)

    # --- measurements and states --------------------------------------------------------
    def measurements(self, objective: Record) -> list[Measurement]:
        return self._measurements.get(objective.id, [])

    def all_measurements(self) -> list[Measurement]:
        return [m for o in self.catalog.all("obiettivo") for m in self.measurements(o)]

    def evaluations_of(self, objective: Record) -> list[Record]:
        return sorted(self.evaluations.get(objective.id, []), key=lambda e: e.period)

    def state(self, objective: Record) -> State | None:
        """The objective's own state; else the one its latest evaluation gives: from the plan's
        grade of achievement through the scale, or else the state the evaluation writes."""
        own = objective.data.get("stato")
        if own:
            return State(own["valore"], own.get("data", ""), own.get("nota", ""))
        for e in reversed(self.evaluations_of(objective)):
            grade = e.data.get("grado_raggiungimento") or {}
            if isinstance(grade.get("percentuale"), (int, float)) and not grade.get("condizionale"):
                return State(state_of_grade(grade["percentuale"]), evaluation=e, grade=grade["percentuale"])
            value = e.data.get("stato_attuazione")
            if value and value in states():
                return State(value, evaluation=e)
        return None

    def rollup(self, objectives: list[Record]) -> dict:
        """How many objectives are in each state, and how many have none."""
        counts: dict[str, int] = {}
        for o in objectives:
            state = self.state(o)
            key = state.value if state else ""
            counts[key] = counts.get(key, 0) + 1
        return {"totale": len(objectives), "per_stato": {k: n for k, n in counts.items() if k},
                "senza_stato": counts.get("", 0)}

    # --- lineage ------------------------------------------------------------------------
    def links_up(self, objective: Record) -> list[Link]:
        """The direct links to the objectives this one continues."""
        return self._up.get(objective.id, [])

    def links_down(self, objective: Record) -> list[Link]:
        """The direct links to the objectives that continue this one."""
        return self._down.get(objective.id, [])

    def held_by(self, record: Record) -> list[Link]:
        """The links ``record`` states (an evaluation proposing the objectives that continue its own)."""
        return [link for link in self._held.get(id(record), []) if link.holder is record]

    def continues(self, objective: Record) -> list[Record]:
        return self._records({link.earlier for link in self.links_up(objective)})

    def continued_by(self, objective: Record) -> list[Record]:
        return self._records({link.later for link in self.links_down(objective)})

    def _records(self, ids) -> list[Record]:
        found = [self.catalog.get("obiettivo", i) for i in ids]
        return sorted((o for o in found if o), key=lambda o: (o.period, o.id))

    def _walk(self, objective: Record, step) -> dict[str, Record]:
        key = (objective.id, step.__name__)   # links are by id: the walk depends on the id alone
        if key not in self._reached:
            self._reached[key] = self._walk_now(objective, step)
        return self._reached[key]

    def _walk_now(self, objective: Record, step) -> dict[str, Record]:
        seen: dict[str, Record] = {}
        todo = [objective]
        while todo:
            for other in step(todo.pop()):
                if other.id not in seen and other.id != objective.id:
                    seen[other.id] = other
                    todo.append(other)
        return seen

    def ancestors(self, objective: Record) -> list[Record]:
        """The objectives this one continues, directly or through the ones they continue."""
        return list(self._walk(objective, self.continues).values())   # a new list: the memo's stays

    def descendants(self, objective: Record) -> list[Record]:
        """The objectives that continue this one, directly or through the ones that continue them."""
        return list(self._walk(objective, self.continued_by).values())

    def chain(self, objective: Record) -> list[Record]:
        """The story of one objective: its ancestors, itself and its descendants, reached by
        following direct links up and down separately (never the objectives that only share an
        ancestor or a descendant with it), oldest plan first."""
        known = self._chains.get(objective.id)
        if known is None or known[0] is not objective:
            members = {o.id: o for o in self.ancestors(objective) + self.descendants(objective)}
            members[objective.id] = objective
            known = self._chains[objective.id] = (objective, sorted(members.values(),
                                                                    key=lambda o: (o.period, self.catalog.sort_key(o))))
        return list(known[1])

    def chains(self, objectives: list[Record]) -> list[list[Record]]:
        """The stories to show for a list of objectives, one per objective that nothing in the
        list continues (its ancestors and descendants with it): a lone objective that nobody has
        evaluated yet is no story."""
        ids = {o.id for o in objectives}
        out: list[list[Record]] = []
        for o in sorted(objectives, key=lambda x: (x.period, self.catalog.sort_key(x))):
            if any(d.id in ids for d in self.descendants(o)):
                continue   # it is in the story of the objective of the list that continues it
            chain = self.chain(o)
            if len(chain) > 1 or self.evaluations_of(o):
                out.append(chain)
        return out


def monitoring_of(catalog: Catalog) -> Monitoring:
    """Computed once per loaded catalog, shared by the pages and the open data of a build."""
    if not isinstance(catalog._monitoring, Monitoring):
        catalog._monitoring = Monitoring(catalog)
    return catalog._monitoring


@dataclass
class Progress:
    latest: Measurement
    target: float
    comparison: str
    share: float | None = field(default=None)


def progress(measurements: list[Measurement], indicator: dict) -> Progress | None:
    """Latest numeric measurement against the indicator's numeric target."""
    target = indicator.get("valore_obiettivo")
    numbers = [m for m in measurements if m.indicator is indicator and m.number is not None]
    if target is None or not numbers or isinstance(target, bool):
        return None
    latest = max(numbers, key=lambda m: m.period)
    share = latest.number / target * 100 if target and indicator.get("confronto") != "al_massimo" else None
    return Progress(latest, target, indicator.get("confronto", ""), share)


def period_span(period: str) -> tuple[str, int]:
    """What a measurement's period is: ('anno', 1), ('periodo', years) or ('data', 0)."""
    if len(period) == 10:
        return "data", 0
    if "-" in period:
        first, last = period.split("-")
        return "periodo", int(last) - int(first) + 1
    return "anno", 1


def chart_points(items: list[Measurement]) -> list[Measurement]:
    """The measurements of one indicator that a line chart may join, oldest first: two or more
    figures of the same thing (same item and unit), each complete (no partial figure) and of
    the same kind (all averages or none), over periods of the same length and all different, so
    that no part of a total is drawn as the next point of a series. [] when there is no such
    series: the values are then written out, never drawn."""
    points = [m for m in items if m.number is not None and not m.value.get("parziale_al")]
    if len(points) < 2:
        return []
    same = {(m.value.get("voce"), m.unit, bool(m.value.get("media")), period_span(m.period)) for m in points}
    periods = [m.period for m in points]
    if len(same) != 1 or len(set(periods)) != len(periods):
        return []
    return sorted(points, key=lambda m: m.period)
