"""Monitoring over time, computed from the catalog: measurements of indicators, the state of each
objective, roll-ups, and the chain that links an objective to the plans before and after it.

Plain data, no rendering: pages and open data read the same results.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pdz.content import schemas
from pdz.content.catalog import Catalog
from pdz.content.model import Record
from pdz.content.values import measured_values

# The objective's state of implementation, in the plans' own words (Tabella 2: raggiunto /
# parzialmente raggiunto / non raggiunto; Dalmine: attuati, in corso, non attuati).


def states() -> dict[str, str]:
    """The states of implementation and their labels (schemas: _defs stato_attuazione)."""
    return schemas.vocabulary("stato_attuazione")


STARTED = {"raggiunto", "parziale", "non-raggiunto", "in-corso", "avviato"}
SECTIONS = ("bisogni", "modalita", "risultati", "impatto")


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
    """Measurements, states and chains of every objective, indexed once per build."""

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
        self._continues: dict[str, set[str]] = {}   # objective -> objectives it continues
        for o in catalog.all("obiettivo"):
            earlier = set((o.data.get("continuita") or {}).get("obiettivi") or [])
            for e_id in (o.data.get("continuita") or {}).get("valutazioni") or []:
                e = catalog.get("valutazione", e_id)
                if e and e.data.get("obiettivo_valutato"):
                    earlier.add(e.data["obiettivo_valutato"])
            self._continues.setdefault(o.id, set()).update(earlier)
        for e in catalog.all("valutazione"):
            for later in (e.data.get("riproposto") or {}).get("obiettivi") or []:
                if e.data.get("obiettivo_valutato"):
                    self._continues.setdefault(later, set()).add(e.data["obiettivo_valutato"])
        self._continued_by: dict[str, set[str]] = {}
        for later, earlier in self._continues.items():
            for o_id in earlier:
                self._continued_by.setdefault(o_id, set()).add(later)

    # --- measurements and states --------------------------------------------------------
    def measurements(self, objective: Record) -> list[Measurement]:
        return self._measurements.get(objective.id, [])

    def all_measurements(self) -> list[Measurement]:
        return [m for o in self.catalog.all("obiettivo") for m in self.measurements(o)]

    def evaluations_of(self, objective: Record) -> list[Record]:
        return sorted(self.evaluations.get(objective.id, []), key=lambda e: e.period)

    def state(self, objective: Record) -> State | None:
        """The objective's own state; else the one its latest evaluation gives."""
        own = objective.data.get("stato")
        if own:
            return State(own["valore"], own.get("data", ""), own.get("nota", ""))
        for e in reversed(self.evaluations_of(objective)):
            value = e.data.get("stato_attuazione")
            if value and value in states():
                return State(value, evaluation=e)
        return None

    def rollup(self, objectives: list[Record]) -> dict:
        """How many objectives are started, and how many are in each state."""
        counts: dict[str, int] = {}
        for o in objectives:
            state = self.state(o)
            key = state.value if state else ""
            counts[key] = counts.get(key, 0) + 1
        started = sum(n for key, n in counts.items() if key in STARTED)
        return {"totale": len(objectives), "avviati": started, "per_stato": counts,
                "senza_stato": counts.get("", 0)}

    # --- chains -----------------------------------------------------------------------
    def continues(self, objective: Record) -> list[Record]:
        return self._records(self._continues.get(objective.id, ()))

    def continued_by(self, objective: Record) -> list[Record]:
        return self._records(self._continued_by.get(objective.id, ()))

    def _records(self, ids) -> list[Record]:
        found = [self.catalog.get("obiettivo", i) for i in ids]
        return sorted((o for o in found if o), key=lambda o: (o.period, o.id))

    def chain(self, objective: Record, limit: int = 50) -> list[Record]:
        """Every objective linked to this one through continuations, oldest plan first."""
        seen, todo = {objective.id: objective}, [objective]
        while todo and len(seen) < limit:
            current = todo.pop()
            for other in self.continues(current) + self.continued_by(current):
                if other.id not in seen:
                    seen[other.id] = other
                    todo.append(other)
        return sorted(seen.values(), key=lambda o: (o.period, self.catalog.sort_key(o)))

    def chains(self, objectives: list[Record]) -> list[list[Record]]:
        """The chains the objectives belong to, each once: those with an evaluation or a
        continuation (a lone objective that nobody has evaluated yet is no story)."""
        out: list[list[Record]] = []
        seen: set[str] = set()
        for o in sorted(objectives, key=lambda x: (x.period, self.catalog.sort_key(x))):
            if o.id in seen:
                continue
            chain = self.chain(o)
            seen.update(x.id for x in chain)
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
