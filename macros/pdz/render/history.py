"""Blocks about an objective over time: its state, its measurements (chart and table), its chain
across plans, and the roll-up of states for a list of objectives."""
from __future__ import annotations

import html

from pdz.content import schemas
from pdz.content.lineage import Link, denial, justifying_note, quotes
from pdz.content.model import Record
from pdz.domain.monitoring import (Measurement, chart_points, progress, scale_text,
                                   state_of_grade, states)
from pdz.html.text import escape
from pdz.render.base import italian_date, measured, number
from pdz.render.charts import drawable, line_chart
from pdz.render.italian import count, with_article
from pdz.render.blocks import table
from pdz.render.context import PageContext

# The types of an evaluated item (valutazione.tipo_oggetto) that are objectives of their plan; the
# others (general aims, projects, objectives added during the triennium) are not.
OBJECTIVE_TYPES = {"obiettivo-ambito", "obiettivo-strategico", "obiettivo-regionale", "obiettivo-interambito",
                   "obiettivo-sociosanitario"}
OWN_SCHEDA = "obiettivo"   # an objective with its own scheda (no evaluated type)


def type_nouns(kind: str) -> tuple[str, str]:
    """(singular, plural) of a type of record in a sentence: the schema's labels, lowercased."""
    if kind == OWN_SCHEDA:
        return "obiettivo", "obiettivi"
    singular = schemas.vocabulary("tipo_oggetto_valutato")[kind]
    plural = schemas.plural_labels("tipo_oggetto_valutato")[kind]
    return singular[:1].lower() + singular[1:], plural[:1].lower() + plural[1:]


def kinds_text(kinds: dict[str, int]) -> str:
    """'8 finalità generali e 69 progetti'."""
    parts = [count(n, *type_nouns(kind)) for kind, n in kinds.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " e " + parts[-1]


# --- state ----------------------------------------------------------------------------
def state_text(ctx: PageContext, o: Record, with_date: bool = True) -> str:
    state = ctx.monitoring.state(o)
    if state is None:
        return ""
    label = f'<strong class="pdz-state pdz-state-{escape(state.value)}">{escape(state.label)}</strong>'
    if not with_date:
        return label
    if state.date:
        return f'{label} al <time datetime="{escape(state.date)}">{italian_date(state.date)}</time>'
    if state.evaluation:
        return f"{label} secondo la {ctx.record_link(state.evaluation, 'valutazione')} nel Piano {escape(state.evaluation.period)}"
    return label

def state_basis(ctx: PageContext, o: Record) -> str:
    """Where a state taken from an evaluation comes from: the plan's grade and the scale that
    turns it into a state ('75% → parzialmente raggiunto'), or the state the evaluation writes."""
    state = ctx.monitoring.state(o)
    if state is None or state.evaluation is None:
        return ""
    if state.grade is None:
        return "<p>Stato indicato dalla valutazione.</p>"
    return (f"<p>Grado di raggiungimento indicato dalla valutazione: <strong>{number(state.grade)}%</strong>. "
            f"{grade_to_state(state.grade)}.</p>")

def grade_to_state(grade: float) -> str:
    """'75% → parzialmente raggiunto, secondo la scala del sito (...)'."""
    return (f"{number(grade)}% → {escape(states()[state_of_grade(grade)].lower())}, secondo la "
            f'<span class="pdz-computed">scala del sito ({escape(scale_text())})</span>')

def state_block(ctx: PageContext, o: Record) -> str:
    state = ctx.monitoring.state(o)
    if state is None:
        return "<p>Lo stato di attuazione non è ancora indicato.</p>"
    note = ctx.text.block(state.note) if state.note else ""
    return f"<p>{state_text(ctx, o)}</p>{state_basis(ctx, o)}{note}"

def rollup(ctx: PageContext, objectives: list[Record], plan: Record | None = None) -> str:
    """The states of a list of objectives counted by the site ('raggiunto per 5, parzialmente
    raggiunto per 12'), the records counted being listed next to it. A plan that grades its
    objectives as a whole (``esito_complessivo``) is quoted first, with its lines, and its
    records without a state are not counted."""
    if not objectives:
        return ""
    counts = ctx.monitoring.rollup(objectives)
    total, missing = counts["totale"], counts["senza_stato"]
    (singular, plural), feminine = records_noun(ctx, objectives)
    of_all = f"{with_article('di', total, feminine)} {plural}" if total > 1 else ""
    order = list(states())
    # 'raggiunto per 5': the state agrees with "stato", whatever the records are called
    parts = escape(", ".join(f"{states()[key].lower()} per {number(n)}"
                             for key, n in sorted(counts["per_stato"].items(), key=lambda kv: order.index(kv[0]))))
    whole = plan.data.get("esito_complessivo") if plan else None
    out = ""
    if whole:
        out = (f'<p class="pdz-rollup"><strong>Esito complessivo</strong>, con le parole della fonte '
               f"({quoted_lines(ctx, plan, whole)}): «{ctx.text.inline(whole['testo'])}»</p>")
        if missing == total:
            return out
    if missing == total:
        sentence = (f"Lo stato di attuazione non è indicato per {'nessuna' if feminine else 'nessuno'} {of_all}."
                    if total > 1 else f"Lo stato di attuazione non è indicato per {'questa' if feminine else 'questo'} {singular}.")
    elif missing:
        sentence = (f"<strong>Stato di attuazione indicato per {number(total - missing)} {of_all}</strong>: {parts}"
                    + ("." if whole else f"; non indicato per {number(missing)}."))
    else:
        sentence = f"<strong>Stato di attuazione{' ' + of_all if of_all else ''}</strong>: {parts}."
    if missing != total:
        sentence += (" Conteggio calcolato dal sito sugli stati delle schede elencate: quelli indicati nelle schede "
                     "o nelle valutazioni, o ricavati dal grado di raggiungimento che la valutazione indica.")
    return out + f'<p class="pdz-rollup">{sentence}</p>'

def records_noun(ctx: PageContext, objectives: list[Record]) -> tuple[tuple[str, str], bool]:
    """How to call a list of objective records: 'obiettivi' when each is an objective of its
    plan, 'voci' when they include other things (general aims, projects, sub-items)."""
    if all(record_type(ctx, o) in OBJECTIVE_TYPES | {OWN_SCHEDA} for o in objectives):
        return ("obiettivo", "obiettivi"), False
    return ("voce", "voci"), True

def record_type(ctx: PageContext, o: Record) -> str:
    """What an objective record is in its plan: the type its evaluation gives (a 2018-2020
    record known only through its evaluation), else 'obiettivo'."""
    for e in ctx.monitoring.evaluations_of(o):
        if e.data.get("tipo_oggetto"):
            return e.data["tipo_oggetto"]
    return OWN_SCHEDA

def quoted_lines(ctx: PageContext, record: Record, quote: dict) -> str:
    """'Documento, righe 186–192' for a quotation of a record's own document, linked to the lines."""
    sources = record.data.get("fonti") or []
    document = sources[0]["documento"] if sources else None
    title = ctx.ref_link("documento", document) + ", " if document else ""
    return title + lines_label(ctx, document, quote["righe"])

def lines_label(ctx: PageContext, document: str | None, lines) -> str:
    """'riga 960' or 'righe 1349–1355', linked to the published lines of the document."""
    start, end = lines
    label = f"riga {start}" if start == end else f"righe {start}–{end}"
    text = ctx.catalog.texts.get(document) if document else None
    return ctx.lines_link(text, start, end, label) if text else escape(label)

def link_basis(ctx: PageContext, link: Link) -> str:
    """What justifies a link between plans, next to it: the plan's lines that state it, or the
    editors' reason; and, when the plan's answer denies it, the quote of the note that justifies it."""
    lines = lines_label(ctx, link.document, link.lines) if link.lines else ""
    if link.reason:
        out = (f'<em class="pdz-inferred">collegamento dedotto dalla redazione</em>{f" ({lines})" if lines else ""}: '
               f"{ctx.text.inline(link.reason)}")
    else:
        out = f"collegamento dichiarato dal piano ({lines})"
    denied = denial(ctx.catalog, link)
    note = justifying_note(*denied) if denied else None
    if note:
        record, field = denied
        answer = "alla continuità" if field == "continuita" else "alla domanda se verrà riproposto"
        sources = record.data.get("fonti") or []
        where = lines_label(ctx, sources[0]["documento"] if sources else None, note["righe"])
        out += (f"; la scheda di {ctx.record_link(record)} risponde «No» {answer}, ma il piano scrive: "
                f"«{escape(quotes(note)[0])}» ({where})")
    return f'<span class="pdz-link-basis">{out}</span>'

# --- measurements ------------------------------------------------------------------------
def measurements_block(ctx: PageContext, o: Record) -> str:
    found = ctx.monitoring.measurements(o)
    if not found:
        return ""
    groups: dict[int, list[Measurement]] = {}
    for m in found:
        groups.setdefault(id(m.indicator), []).append(m)
    out = []
    for n, items in enumerate(groups.values(), start=1):
        out.append(_indicator_over_time(ctx, o, n, items))
    return "".join(out)

def _indicator_over_time(ctx: PageContext, o: Record, n: int, items: list[Measurement]) -> str:
    indicator = items[0].indicator
    unit = indicator.get("unita", "")
    name = ctx.text.plain(indicator["descrizione"])
    target = indicator.get("valore_obiettivo")
    target_text = " ".join(filter(None, [schemas.vocabulary("confronto").get(indicator.get("confronto"), ""),
                                         number(target) if target is not None else "", unit])) \
        if target is not None else ""
    rows = []
    for m in sorted(items, key=lambda m: m.period):
        where = ctx.record_link(m.record, "scheda dell'obiettivo" if m.record is o else f"valutazione {m.record.period}")
        if m.source:
            lines = m.source.get("righe")
            where += f", {escape(m.source['documento'])}" + (f" {lines_label(ctx, m.source['documento'], lines)}" if lines else "")
        rows.append([escape(_period(m.period)), measured(m.value, unit), where,
                     ctx.text.inline(m.note) if m.note else ""])
    if len(rows) == 1:   # one value is a sentence, not a chart nor a table
        period, value, where, note = rows[0]
        body = f"<p>{period}: <strong>{value}</strong> ({where}).{(' ' + note) if note else ''}</p>"
        return f"<h3>{name}</h3>{body}{_progress(ctx, items, indicator, unit, target_text)}"
    caption = f"Misurazioni: {indicator['descrizione']}"
    listing = table(ctx, caption, ["Periodo", "Valore", "Fonte", "Nota"], rows)
    chart = ""
    # one line per chart, and only for values that make a series (monitoring.chart_points)
    points = [(_period(m.period), m.number, html.unescape(measured(m.value, unit))) for m in chart_points(items)]
    if drawable(points):   # chart_points joins only a series: one value is the sentence above
        chart_id = f"grafico-misure-{n}"
        desc = (f"Valori misurati nel tempo ({number(len(points))} valori)"
                + (f" e linea tratteggiata del valore obiettivo ({target_text})" if target_text else "")
                + ". Gli stessi valori sono nella tabella che segue.")
        svg = line_chart(chart_id, f"{indicator['descrizione']}: valori nel tempo", desc, points,
                         (target, f"obiettivo: {target_text}") if target is not None else None)
        caption = "Valori misurati nel tempo" + (f" e valore obiettivo ({escape(target_text)}, linea tratteggiata)"
                                                 if target_text else "")
        chart = f'<figure class="pdz-figure">{svg}<figcaption>{caption}</figcaption></figure>'
    return f"<h3>{name}</h3>{chart}{_progress(ctx, items, indicator, unit, target_text)}{listing}"

def _progress(ctx: PageContext, items: list[Measurement], indicator: dict, unit: str, target_text: str) -> str:
    advance = progress(items, indicator)
    if advance and advance.share is not None:
        return (f"<p>Ultimo valore ({escape(_period(advance.latest.period))}): {measured(advance.latest.value, unit)} "
                f"su un obiettivo di {escape(target_text)}: <strong>{number(round(advance.share))}%</strong> "
                "del valore obiettivo (calcolato dal sito).</p>")
    return ""

# --- chains --------------------------------------------------------------------------------
def chain_block(ctx: PageContext, o: Record) -> str:
    """The story of an objective: every plan it runs through, with its evaluations, its state
    and, for each link between plans, what justifies it."""
    chain = ctx.monitoring.chain(o)
    if len(chain) == 1 and not ctx.monitoring.evaluations_of(o):
        return ""
    steps = []
    for step in chain:
        mark = ' aria-current="step"' if step is o else ""
        here = "<strong>questo obiettivo</strong>: " if step is o else ""
        state = state_text(ctx, step, with_date=False)
        measures = len(ctx.monitoring.measurements(step))
        facts = [f"stato: {state}" if state else "", count(measures, "misurazione", "misurazioni") if measures else ""]
        inner = "".join(f"<li>{ctx.record_link(e, f'Valutazione nel Piano {e.period}')}{_evaluation_facts(ctx, e)}"
                        f"{evaluated_basis(ctx, e)}</li>" for e in ctx.monitoring.evaluations_of(step))
        inner += "".join(f"<li>Prosegue {ctx.record_link(earlier)} (Piano {escape(earlier.period)}): {basis}</li>"
                         for earlier, basis in links_up_in(ctx, step, chain))
        facts_text = f' <span class="pdz-muted">({"; ".join(f for f in facts if f)})</span>' if any(facts) else ""
        steps.append(f"<li{mark}>Piano {escape(step.period)} – {here}{ctx.record_link(step)}{facts_text}"
                     + (f"<ul>{inner}</ul>" if inner else "") + "</li>")
    return '<ol class="pdz-chain">' + "".join(steps) + "</ol>"

def links_up_in(ctx: PageContext, o: Record, members: list[Record]) -> list[tuple[Record, str]]:
    """(earlier objective, justification) of each direct link from ``o`` to an earlier member
    of ``members``; a link written twice (the scheda's continuity and the evaluation's
    re-proposal) shows each distinct justification once."""
    ids = {m.id for m in members}
    grouped: dict[str, list[str]] = {}
    for link in ctx.monitoring.links_up(o):
        if link.earlier in ids:
            basis = link_basis(ctx, link)
            if basis not in grouped.setdefault(link.earlier, []):
                grouped[link.earlier].append(basis)
    return [(earlier, "; ".join(grouped[earlier.id])) for earlier in ctx.monitoring.continues(o)
            if earlier.id in grouped]

def evaluated_basis(ctx: PageContext, e: Record) -> str:
    """Where the later plan evaluates the objective: the evaluation's own lines."""
    sources = [s for s in e.data.get("fonti") or [] if s.get("righe")]
    if not sources:
        return ""
    return f' <span class="pdz-link-basis">(valutazione scritta nel piano, {lines_label(ctx, sources[0]["documento"], sources[0]["righe"])})</span>'

def _evaluation_facts(ctx: PageContext, e: Record) -> str:
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

def chains_table(ctx: PageContext, chains: list[list[Record]], with_ambito: bool = False, caption: str = "") -> str:
    """One row per story (an objective with its ancestors and descendants), one column per
    period; each link between plans with what justifies it."""
    periods = sorted({o.period for chain in chains for o in chain})
    rows = []
    for chain in chains:
        cells = []
        for period in periods:
            here = [o for o in chain if o.period == period]
            cells.append("<br>".join(ctx.record_link(o) + _chain_cell(ctx, o, chain) for o in here) or "–")
        rows.append(([ctx.ref_link("ambito", chain[0].ambito)] if with_ambito else []) + cells)
    headers = (["Ambito"] if with_ambito else []) + [f"Piano {p}" for p in periods]
    return table(ctx, caption or "Storia degli obiettivi", headers, rows)

def _chain_cell(ctx: PageContext, o: Record, chain: list[Record]) -> str:
    state = state_text(ctx, o, with_date=False)
    links = "".join(f"<br><small>prosegue {ctx.record_link(earlier)}: {basis}</small>"
                    for earlier, basis in links_up_in(ctx, o, chain))
    return (f" ({state})" if state else "") + links


def _period(value: str) -> str:
    return italian_date(value) if len(value) == 10 else value
