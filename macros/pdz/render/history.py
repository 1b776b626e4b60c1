"""Blocks about an objective over time: its state, its measurements (chart and table), its chain
across plans, and the roll-up of states for a list of objectives."""
from __future__ import annotations

import html

from pdz.content.model import Record
from pdz.content import schemas
from pdz.domain.monitoring import Measurement, Monitoring, monitoring_of, progress, states
from pdz.html.text import escape
from pdz.render.base import Renderer, italian_date, measured, number
from pdz.render.charts import line_chart

class HistoryBlocks(Renderer):
    @property
    def monitoring(self) -> Monitoring:
        return monitoring_of(self.catalog)

    # --- state ----------------------------------------------------------------------------
    def state_text(self, o: Record, with_date: bool = True) -> str:
        state = self.monitoring.state(o)
        if state is None:
            return ""
        label = f'<strong class="pdz-state pdz-state-{escape(state.value)}">{escape(state.label)}</strong>'
        if not with_date:
            return label
        if state.date:
            return f'{label} al <time datetime="{escape(state.date)}">{italian_date(state.date)}</time>'
        if state.evaluation:
            return f"{label} secondo la {self.record_link(state.evaluation, 'valutazione')} nel Piano {escape(state.evaluation.period)}"
        return label

    def state_block(self, o: Record) -> str:
        state = self.monitoring.state(o)
        if state is None:
            return "<p>Lo stato di attuazione non è ancora indicato.</p>"
        note = self.text.block(state.note) if state.note else ""
        return f"<p>{self.state_text(o)}</p>{note}"

    def rollup(self, objectives: list[Record]) -> str:
        """'7 obiettivi su 11 avviati', with the count of each state (computed by the site)."""
        if not objectives:
            return ""
        counts = self.monitoring.rollup(objectives)
        if counts["senza_stato"] == counts["totale"]:
            return (f'<p class="pdz-rollup">Lo stato di attuazione non è ancora indicato per nessuno dei '
                    f'{number(counts["totale"])} obiettivi.</p>')
        parts = [f"{number(n)} {escape(states()[key].lower())}" for key, n in counts["per_stato"].items()
                 if key and n]
        parts.sort()
        if counts["senza_stato"]:
            parts.append(f"{number(counts['senza_stato'])} senza stato indicato")
        return (f'<p class="pdz-rollup"><strong>{number(counts["avviati"])} obiettivi su {number(counts["totale"])} '
                f'avviati</strong> ({"; ".join(parts)}). Conteggio calcolato dal sito sugli stati di attuazione '
                "indicati nelle schede o nelle valutazioni.</p>")

    # --- measurements ------------------------------------------------------------------------
    def measurements_block(self, o: Record) -> str:
        found = self.monitoring.measurements(o)
        if not found:
            return ""
        groups: dict[int, list[Measurement]] = {}
        for m in found:
            groups.setdefault(id(m.indicator), []).append(m)
        out = []
        for n, items in enumerate(groups.values(), start=1):
            out.append(self._indicator_over_time(o, n, items))
        return "".join(out)

    def _indicator_over_time(self, o: Record, n: int, items: list[Measurement]) -> str:
        indicator = items[0].indicator
        unit = indicator.get("unita", "")
        name = self.text.plain(indicator["descrizione"])
        target = indicator.get("valore_obiettivo")
        target_text = " ".join(filter(None, [schemas.vocabulary("confronto").get(indicator.get("confronto"), ""),
                                             number(target) if target is not None else "", unit])) \
            if target is not None else ""
        rows = []
        for m in sorted(items, key=lambda m: m.period):
            where = self.record_link(m.record, "scheda dell'obiettivo" if m.record is o else f"valutazione {m.record.period}")
            if m.source:
                lines = m.source.get("righe")
                where += f", {escape(m.source['documento'])}" + (f" righe {lines[0]}–{lines[1]}" if lines else "")
            rows.append([escape(_period(m.period)), measured(m.value, unit), where,
                         self.text.inline(m.note) if m.note else ""])
        caption = f"Misurazioni: {indicator['descrizione']}"
        table = self.table(caption, ["Periodo", "Valore", "Fonte", "Nota"], rows)
        chart = ""
        # one series per chart: the figures of one indicator, each a plain number in the same unit
        series = len({(m.value.get("voce"), m.unit) for m in items}) == 1
        points = [(_period(m.period), m.number, html.unescape(measured(m.value, unit)))
                  for m in sorted(items, key=lambda m: m.period) if m.number is not None] if series else []
        if points:
            chart_id = f"grafico-misure-{n}"
            desc = (f"Valori misurati nel tempo ({len(points)} {'valore' if len(points) == 1 else 'valori'})"
                    + (f" e linea tratteggiata del valore obiettivo ({target_text})" if target_text else "")
                    + ". Gli stessi valori sono nella tabella che segue.")
            svg = line_chart(chart_id, f"{indicator['descrizione']}: valori nel tempo", desc, points,
                             (target, f"obiettivo: {target_text}") if target is not None else None)
            caption = "Valori misurati nel tempo" + (f" e valore obiettivo ({escape(target_text)}, linea tratteggiata)"
                                                     if target_text else "")
            chart = f'<figure class="pdz-figure">{svg}<figcaption>{caption}</figcaption></figure>'
        advance = progress(items, indicator)
        share = ""
        if advance and advance.share is not None:
            share = (f"<p>Ultimo valore ({escape(_period(advance.latest.period))}): {measured(advance.latest.value, unit)} "
                     f"su un obiettivo di {escape(target_text)}: <strong>{number(round(advance.share))}%</strong> "
                     "del valore obiettivo (calcolato dal sito).</p>")
        return f"<h3>{name}</h3>{chart}{share}{table}"

    # --- chains --------------------------------------------------------------------------------
    def chain_block(self, o: Record) -> str:
        """The story of an objective: every plan it runs through, with its evaluations and state."""
        chain = self.monitoring.chain(o)
        if len(chain) == 1 and not self.monitoring.evaluations_of(o):
            return ""
        steps = []
        for step in chain:
            mark = ' aria-current="step"' if step is o else ""
            here = "<strong>questo obiettivo</strong>: " if step is o else ""
            state = self.state_text(step, with_date=False)
            count = len(self.monitoring.measurements(step))
            facts = [f"stato: {state}" if state else "", f"{number(count)} misurazioni" if count else ""]
            evaluations = "".join(
                f"<li>{self.record_link(e, f'Valutazione nel Piano {e.period}')}{self._evaluation_facts(e)}</li>"
                for e in self.monitoring.evaluations_of(step))
            facts_text = f' <span class="pdz-muted">({"; ".join(f for f in facts if f)})</span>' if any(facts) else ""
            steps.append(f"<li{mark}>Piano {escape(step.period)} – {here}{self.record_link(step)}{facts_text}"
                         + (f"<ul>{evaluations}</ul>" if evaluations else "") + "</li>")
        return '<ol class="pdz-chain">' + "".join(steps) + "</ol>"

    def _evaluation_facts(self, e: Record) -> str:
        d = e.data
        facts = []
        grade = (d.get("grado_raggiungimento") or {}).get("percentuale")
        if grade is not None:
            facts.append(f"raggiungimento {number(grade)}%")
        if d.get("riproposto"):
            facts.append({"si": "riproposto", "no": "non riproposto", "in_parte": "riproposto in parte"}
                         .get(d["riproposto"]["risposta"], ""))
        facts = [f for f in facts if f]
        return f": {escape(', '.join(facts))}" if facts else ""

    def chains_table(self, chains: list[list[Record]], with_ambito: bool = False, caption: str = "") -> str:
        """One row per chain, one column per period: the story of every objective at a glance."""
        periods = sorted({o.period for chain in chains for o in chain})
        rows = []
        for chain in chains:
            cells = []
            for period in periods:
                here = [o for o in chain if o.period == period]
                cells.append("<br>".join(self.record_link(o) + self._chain_cell(o) for o in here) or "–")
            rows.append(([self.ref_link("ambito", chain[0].ambito)] if with_ambito else []) + cells)
        headers = (["Ambito"] if with_ambito else []) + [f"Piano {p}" for p in periods]
        return self.table(caption or "Storia degli obiettivi", headers, rows)

    def _chain_cell(self, o: Record) -> str:
        state = self.state_text(o, with_date=False)
        return f" ({state})" if state else ""


def _period(value: str) -> str:
    return italian_date(value) if len(value) == 10 else value
