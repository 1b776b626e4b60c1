"""The check of derived statements: everything the site computes from the plans, recomputed from
the records and verified against its basis in the source.

- Links between plans: each carries lines of its plan that exist, or the editors' reason; a link
  the plan denies (a scheda answering "No" to continuity) has a note quoting lines that justify it,
  and the quotation is in those lines. The objective an evaluation looks back on is the one its
  own lines describe (they share source lines, or the titles match).
- Histories ("Storia dell'obiettivo"): every member of an objective's story is reachable from it
  by direct links, going only up (the objectives it continues) or only down (those that continue
  it); none is there because it shares an ancestor or a descendant with it.
- States: each state shown is the objective's own ``stato``, the ``stato_attuazione`` its
  evaluation writes (its words or a note on those lines back it), or the state the scale gives
  for the grade of achievement written in the evaluation's cited lines; a grade and a written
  state of the same evaluation agree.
- Roll-ups: the counts of states are those of the records the page lists; the plan's own words
  the site quotes (``obiettivi_dichiarati``, ``esito_complessivo``) are in the lines cited.
- Areas: an objective's areas (``area``, ``altre_aree``) are named by its title or its plan
  group, word for word, unless the editors give their reason (``area_dedotta``); the group titles
  that place evaluations in areas (``aree_dei_gruppi``) are in the lines cited, and name the
  areas unless the editors give their reason.
- Measurement series: a chart joins only figures of one indicator of the same item, unit and kind
  (all averages or none, none partial) over distinct periods of the same length, each written in
  the cited lines.

``python -m pdz.commands.derived`` prints every violation as ``file:line: field: message (hint)``
and the time the check took. Plain Python, no MkDocs.
"""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

from pdz.content.lineage import denial, justifying_note, links, quotes
from pdz.content.problems import Problem, field_path
from pdz.content.sourcetext import contains_quote
from pdz.domain.areas import objective_areas
from pdz.domain.fidelity import words
from pdz.domain.monitoring import chart_points, monitoring_of, period_span, state_of_grade, states

# A number as the plans write it: 3.473, 175,5, 0.5, 4mila, 2 milioni.
_NUMBER = re.compile(r"(?<![\w])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)(?:\s*(mila|milion[ei]))?", re.I)
def state_words(value: str) -> list[str]:
    """The stems of the words of a state's label ('Parzialmente raggiunto': parzialment, raggiunt;
    'non' aside): the lines that back a written state use them."""
    return [w[:-1] if len(w) > 3 else w for w in states()[value].lower().split() if w != "non"]


def numbers_in(text: str) -> set[Decimal]:
    """Every value a number of ``text`` can have (1.500 may be fifteen hundred or one and a half)."""
    found = set()
    for match in _NUMBER.finditer(text):
        written, multiplier = match.group(1), (match.group(2) or "").lower()
        candidates = {written.replace(".", "").replace(",", "."), written.replace(",", ".")}
        for candidate in candidates:
            try:
                value = Decimal(candidate)
            except InvalidOperation:
                continue
            found.add(value.normalize())
            if multiplier:
                found.add((value * (1000 if multiplier == "mila" else 1_000_000)).normalize())
    return found


class DerivedCheck:
    def __init__(self, catalog):
        self.catalog = catalog
        self.monitoring = monitoring_of(catalog)
        self.problems: list[Problem] = []
        self.counts: Counter = Counter()

    # --- helpers ----------------------------------------------------------------------------
    def lines(self, document: str | None, start: int, end: int) -> list[str] | None:
        text = self.catalog.texts.get(document) if document else None
        return text.lines if text else None

    def cited(self, record) -> str:
        """The text of every line the record cites."""
        out = []
        for source in record.data.get("fonti") or []:
            text = self.catalog.texts.get(source.get("documento"))
            if text and source.get("righe"):
                start, end = source["righe"]
                out += text.lines[start - 1:end]
        return "\n".join(out)

    def report(self, record, path: tuple, message: str, hint: str = "") -> None:
        self.problems.append(Problem(record.path, record.line(path), field_path(path), message, hint))

    def quoted(self, record, path: tuple, quote: str, lines) -> bool:
        """True when ``quote`` is in ``lines`` of the record's first document (None: text unknown)."""
        sources = record.data.get("fonti") or []
        document = sources[0].get("documento") if sources else None
        text = self.lines(document, *lines)
        return text is None or contains_quote(text, lines[0], lines[1], quote)

    # --- links and histories ---------------------------------------------------------------
    def check_links(self) -> None:
        for link in links(self.catalog):
            self.counts["collegamenti tra piani"] += 1
            self.counts["dedotti dalla redazione" if link.reason else "dichiarati dal piano"] += 1
            if not link.lines and not link.reason:
                self.report(link.holder, link.field, "collegamento senza giustificazione",
                            "aggiungi 'righe' (le righe del piano che lo dichiarano) o 'dedotto' (il motivo)")
            denied = denial(self.catalog, link)
            if denied:
                record, field = denied
                note = justifying_note(record, field)
                if note is None:
                    self.report(link.holder, link.field, f"collegamento negato dal piano ({record.id} risponde «No»)",
                                "togli il collegamento o giustificalo con una nota che cita le righe del piano")
                else:
                    index = (record.data.get("note_fonte") or []).index(note)
                    for quote in quotes(note):
                        if not self.quoted(record, ("note_fonte", index), quote, note["righe"]):
                            self.report(record, ("note_fonte", index, "nota"),
                                        f"la citazione «{quote}» non è nelle righe {note['righe'][0]}–{note['righe'][1]}")
        for e in self.catalog.all("valutazione"):
            target = self.catalog.get("obiettivo", e.data.get("obiettivo_valutato", ""))
            if target is None:
                continue
            self.counts["valutazioni collegate all'obiettivo valutato"] += 1
            if not (_shared_lines(e, target) or _same_title(e, target)):
                self.report(e, ("obiettivo_valutato",),
                            f"le righe di questa valutazione non descrivono l'obiettivo '{target.id}' "
                            "(nessuna riga in comune e titoli diversi)",
                            "controlla l'obiettivo valutato o le fonti dei due file")

    def check_histories(self) -> None:
        up: dict[str, set] = {}
        down: dict[str, set] = {}
        for link in links(self.catalog):
            up.setdefault(link.later, set()).add(link.earlier)
            down.setdefault(link.earlier, set()).add(link.later)

        def closure(start: str, step: dict) -> set:
            seen, todo = set(), [start]
            while todo:
                for other in step.get(todo.pop(), ()):
                    if other not in seen:
                        seen.add(other)
                        todo.append(other)
            return seen - {start}

        for o in self.catalog.all("obiettivo"):
            members = {m.id for m in self.monitoring.chain(o)} - {o.id}
            self.counts["storie degli obiettivi"] += 1
            self.counts["obiettivi nelle storie"] += len(members)
            reachable = closure(o.id, up) | closure(o.id, down)
            for stray in sorted(members - reachable):
                self.report(o, (), f"la storia dell'obiettivo mostra '{stray}', che non è raggiungibile con "
                                   "collegamenti diretti (né tra i suoi predecessori né tra i successori)")
            for missing in sorted(reachable - members):
                self.report(o, (), f"la storia dell'obiettivo non mostra '{missing}', collegato direttamente")

    # --- states and roll-ups -------------------------------------------------------------------
    def expected_state(self, o) -> tuple[str, object] | None:
        """(state, basis record) recomputed from the records, checking the basis on the way."""
        own = o.data.get("stato")
        if own:
            return own["valore"], o
        for e in sorted(self.monitoring.evaluations_of(o), key=lambda x: x.period, reverse=True):
            grade = e.data.get("grado_raggiungimento") or {}
            written = e.data.get("stato_attuazione")
            if isinstance(grade.get("percentuale"), (int, float)) and not grade.get("condizionale"):
                value = state_of_grade(grade["percentuale"])
                if Decimal(str(grade["percentuale"])).normalize() not in numbers_in(self.cited(e)):
                    self.report(e, ("grado_raggiungimento", "percentuale"),
                                f"il grado {grade['percentuale']}% non è scritto nelle righe citate",
                                "correggi il grado o le righe della fonte")
                if written in states() and written != value:
                    self.report(e, ("stato_attuazione",),
                                f"lo stato scritto ({written}) non è quello del grado {grade['percentuale']}% "
                                f"secondo la scala del sito ({value})",
                                "controlla la fonte: se il piano dà entrambi e non tornano, segnalalo in una nota")
                return value, e
            if written in states():
                cited = self.cited(e).lower()
                backed = all(stem in cited for stem in state_words(written)) or any(
                    str(n.get("campo", "")).startswith("stato_attuazione") and n.get("righe")
                    for n in e.data.get("note_fonte") or [])
                if not backed:
                    self.report(e, ("stato_attuazione",), f"lo stato '{written}' non ha riscontro nelle righe citate",
                                "cita le righe in cui il piano lo dice o spiegalo in una nota sul campo stato_attuazione")
                return written, e
        return None

    def check_states(self) -> None:
        for o in self.catalog.all("obiettivo"):
            expected = self.expected_state(o)
            shown = self.monitoring.state(o)
            if expected is None and shown is None:
                continue
            self.counts["stati di attuazione"] += 1
            if shown is None or expected is None or shown.value != expected[0]:
                self.report(o, ("stato",), f"lo stato mostrato ({shown.value if shown else 'nessuno'}) non è quello "
                                           f"che risulta dalla fonte ({expected[0] if expected else 'nessuno'})")

    def check_rollups(self) -> None:
        for plan in self.catalog.all("piano"):
            objectives = self.catalog.of_plan(plan.id, "obiettivo")
            if objectives:
                self.counts["riepiloghi degli stati"] += 1
                counts = self.monitoring.rollup(objectives)
                recount = Counter(s[0] if (s := self.expected_state(o)) else "" for o in objectives)
                if counts["senza_stato"] != recount.pop("", 0) or counts["per_stato"] != dict(recount) \
                        or counts["totale"] != len(objectives):
                    self.report(plan, (), "il riepilogo degli stati non corrisponde agli stati delle schede del piano")
            for key in ("obiettivi_dichiarati", "esito_complessivo"):
                quote = plan.data.get(key)
                if quote:
                    self.counts["citazioni del piano nei riepiloghi"] += 1
                    if not self.quoted(plan, (key,), quote["testo"], quote["righe"]):
                        self.report(plan, (key, "testo"), f"il testo citato non è nelle righe "
                                                          f"{quote['righe'][0]}–{quote['righe'][1]} della fonte",
                                    "copia le parole esatte del piano e le righe in cui si trovano")

    # --- measurement series --------------------------------------------------------------------
    def check_series(self) -> None:
        for o in self.catalog.all("obiettivo"):
            groups: dict[int, list] = {}
            for m in self.monitoring.measurements(o):
                groups.setdefault(id(m.indicator), []).append(m)
            for items in groups.values():
                self.counts["serie di misurazioni"] += 1
                for m in items:
                    if m.number is None:
                        continue
                    text = self.cited(m.record)
                    if m.source and m.source.get("righe"):
                        lines = self.lines(m.source["documento"], *m.source["righe"])
                        text = "\n".join(lines[m.source["righe"][0] - 1:m.source["righe"][1]]) if lines else text
                    if Decimal(str(m.number)).normalize() not in numbers_in(text):
                        self.report(m.record, (), f"il valore {m.number} ({m.period}) non è scritto nelle righe citate")
                points = chart_points(items)
                if not points:
                    continue
                self.counts["grafici"] += 1
                kinds = {(m.value.get("voce"), m.unit, bool(m.value.get("media")), period_span(m.period)) for m in points}
                periods = [m.period for m in points]
                if len(points) < 2 or len(kinds) != 1 or len(set(periods)) != len(periods) or \
                        any(m.value.get("parziale_al") for m in points):
                    self.report(o, (), f"il grafico dell'indicatore «{items[0].indicator['descrizione'][:60]}» unisce "
                                       "valori che non sono una serie (voci, unità, medie, dati parziali o periodi diversi)")

    # --- areas --------------------------------------------------------------------------------
    def check_areas(self) -> None:
        for o in self.catalog.all("obiettivo"):
            letters = objective_areas(o)
            if not letters:
                continue
            self.counts["aree degli obiettivi"] += 1
            if o.data.get("area_dedotta"):
                self.counts["aree assegnate dalla redazione"] += 1
                continue
            said = set(words(f"{o.data.get('titolo', '')} {o.data.get('gruppo_piano', '')}"))
            for letter in letters:
                area = self.catalog.get("area", letter)
                if area and not names_area(said, area):
                    field = ("area",) if letter == o.data.get("area") else ("altre_aree",)
                    self.report(o, field, f"né il titolo né il gruppo del piano nominano l'area {letter} «{area.title}»",
                                "correggi l'area, oppure scrivi in 'area_dedotta' perché la redazione la assegna")
        for plan in self.catalog.all("piano"):
            for i, entry in enumerate(plan.data.get("aree_dei_gruppi") or []):
                self.counts["gruppi di valutazioni collocati in aree"] += 1
                if not self.quoted(plan, ("aree_dei_gruppi", i), entry["gruppo"], entry["righe"]):
                    self.report(plan, ("aree_dei_gruppi", i, "gruppo"),
                                f"il gruppo «{entry['gruppo']}» non è nelle righe {entry['righe'][0]}–{entry['righe'][1]}",
                                "indica le righe in cui il piano scrive il titolo del gruppo")
                if entry.get("dedotto"):
                    continue
                said = set(words(entry["gruppo"]))
                for letter in entry["aree"]:
                    area = self.catalog.get("area", letter)
                    if area and not names_area(said, area):
                        self.report(plan, ("aree_dei_gruppi", i, "aree"),
                                    f"il titolo del gruppo non nomina l'area {letter} «{area.title}»",
                                    "correggi le aree, oppure scrivi in 'dedotto' perché la redazione le assegna")

    def run(self) -> list[Problem]:
        self.check_links()
        self.check_areas()
        self.check_histories()
        self.check_states()
        self.check_rollups()
        self.check_series()
        return sorted(set(self.problems))


def names_area(said: set[str], area) -> bool:
    """True when the words ``said`` include every word of five letters or more of the area's
    regional name ('Interventi a favore di persone con disabilità': interventi, favore, persone,
    disabilità); shorter words (a, di, con, alla) may differ."""
    return all(w in said for w in words(area.title) if len(w) >= 5)


def _shared_lines(a, b) -> bool:
    for x in a.data.get("fonti") or []:
        for y in b.data.get("fonti") or []:
            if x.get("documento") == y.get("documento") and x.get("righe") and y.get("righe") and \
                    x["righe"][0] <= y["righe"][1] and y["righe"][0] <= x["righe"][1]:
                return True
    return False


def _same_title(a, b) -> bool:
    return words(str(a.data.get("titolo", ""))) == words(str(b.data.get("titolo", "")))


def check(catalog) -> tuple[list[Problem], Counter]:
    checker = DerivedCheck(catalog)
    return checker.run(), checker.counts
