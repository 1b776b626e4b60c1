"""An Ambito over time: the territory's page (current plan first, then the archive), one page per
plan (an Ambito in one period) and the plan's lists."""
from __future__ import annotations

from collections import defaultdict

from pdz.content import schemas
from pdz.content.model import KINDS, Record
from pdz.html.text import escape
from pdz.content.urls import page_url
from pdz.render.base import Page, euro, italian_date, number, percent
from pdz.render.charts import bar_chart, drawable
from pdz.render.facets import facets_block, kind_label
from pdz.domain.budget import COMPUTED, item_kinds, by_kind, total as budget_sum
from pdz.render.history import OWN_SCHEDA, kinds_text
from pdz.render.italian import count, with_article
from pdz.render.money import computed, computed_plain, totals
from pdz.render.blocks import breadcrumb, extra_fields, facts, h1, heading, html_block, provenance, table
from pdz.render.changes import follow_link, history_block, plan_latest
from pdz.render.comuni import ambito_comuni
from pdz.render.context import PageContext
from pdz.render.history import chains_table, quoted_lines, record_type, records_noun, rollup
from pdz.render.listings import evaluations_table, objectives_table, simple_list

# A plan page lists its objectives, then its evaluations, in full while they come to at most this
# many rows together (the real plans: 77 at most). A list that would go past it is given as a
# link to the plan's list page (the objectives keep their roll-up), so that a plan of a large
# Ambito (two tables of 77 rows: 112 kB) stays as light on a phone as the site's other pages,
# under 100 kB (issue #27).
PLAN_PAGE_ROWS = 100
PLAN_PARTS = (("progetto", "progetti"), ("monitoraggio", "monitoraggio"), ("organo", "governance"),
              ("tabella", "dati"), ("sezione", "sezioni"))


def print_url(plan_id: str) -> str:
    """The printable plan: the contents page of its printable parts (folders below it), under the plan's address."""
    return f"{plan_id}/stampa/"


def ambito_page(ctx: PageContext, a: Record) -> list[Page]:
    ctx = ctx.at(page_url("ambito", a.id))
    facets = facets_block(a.title, ambito=a.title, tipo=kind_label("ambito"))
    pages = [Page(ctx.url, a.title, ambito_body(ctx, a) + facets, source=a.path)]
    chains = ctx.monitoring.chains(ctx.catalog.of_ambito(a.id, "obiettivo"))
    if chains:
        pages.append(history_page(ctx, a, chains))
    return pages

def history_page(ctx: PageContext, a: Record, chains: list) -> Page:
    """'Storia degli obiettivi': every chain of the Ambito, one row each, one column per plan."""
    ctx = ctx.at(f"{a.id}/storia/")
    out = breadcrumb(ctx, [(f"{a.id}/", a.title)]) + h1(ctx, "Storia degli obiettivi", a.title)
    out += html_block(
        "<p>Ogni riga è la storia di un obiettivo: gli obiettivi dei piani precedenti che prosegue e quelli che "
        "lo proseguono, collegati direttamente. Per ogni collegamento, le righe del piano che lo dichiarano o il "
        "motivo per cui la redazione lo deduce; tra parentesi lo stato di attuazione, quando una scheda o una "
        "valutazione lo indica.</p>"
        + chains_table(ctx, chains, caption=f"Storia degli obiettivi – {a.title}"))
    sources = sorted({o.path for chain in chains for o in chain})
    return Page(ctx.url, f"Storia degli obiettivi – {a.title}", out, sources=sources)

def ambito_body(ctx: PageContext, a: Record) -> str:
    d = a.data
    ctx = ctx.at(page_url("ambito", a.id))
    plans = ctx.catalog.plans(a.id)
    current = plans[-1] if plans else None
    out = h1(ctx, a.title, "Ambito territoriale")
    feed = ctx.feed_url("ambito", a.id)
    if feed:
        out += follow_link(ctx, feed, f"le novità dei piani dell'{a.title}" if a.title.lower().startswith("ambito")
                           else f"le novità dei piani di {a.title}")
    comuni = d.get("comuni") or []
    out += html_block(facts(ctx, [
        ("Comuni", number(d["numero_comuni"]) if d.get("numero_comuni") else (number(len(comuni)) if comuni else "")),
        ("Popolazione", f"{number(d['popolazione']['abitanti'])} abitanti"
         + (f" ({escape(d['popolazione']['riferimento'])})" if d["popolazione"].get("riferimento") else "")
         if d.get("popolazione") else ""),
        ("Superficie", f"{number(d['superficie_kmq'])} km²" if d.get("superficie_kmq") else ""),
        ("ATS", ctx.ref_link("partner", d["ats"]) if d.get("ats") else ""),
        ("ASST", ", ".join(ctx.ref_link("partner", x) for x in d.get("asst") or [])),
        ("Piani di Zona su questo sito", ", ".join(ctx.record_link(p, p.period) for p in reversed(plans))),
    ], "pdz-facts pdz-summary"))
    if current:
        out += heading(ctx, 2, f"Il piano più recente: {current.title}", "piano-corrente")
        out += html_block(plan_summary(ctx, current))
        objectives = ctx.catalog.of_plan(current.id, "obiettivo")
        if objectives:
            out += html_block(rollup(ctx, objectives, current) +
                                   objectives_table(ctx, objectives, caption=f"Obiettivi {current.period}"))
    earlier = plans[:-1]
    if earlier:
        out += heading(ctx, 2, "Archivio dei piani precedenti", "archivio")
        items = "".join(f"<li>{ctx.record_link(p)}: {plan_counts(ctx, p)}{archive_rollup(ctx, p)}</li>"
                        for p in reversed(earlier))
        out += html_block(f"<ul>{items}</ul>")
    if ctx.monitoring.chains(ctx.catalog.of_ambito(a.id, "obiettivo")):
        out += heading(ctx, 2, "Storia degli obiettivi", "storia") + html_block(
            f"<p>{ctx.link(f'{a.id}/storia/', 'Storia degli obiettivi')}: ogni obiettivo attraverso i piani, "
            "con la valutazione che lo ha originato, il suo stato e come prosegue.</p>")
    out += heading(ctx, 2, "Comuni e subambiti" if d.get("subambiti") else "Comuni", "comuni") + \
        html_block(ambito_comuni(ctx, a))
    as_partner = [p for p in ctx.catalog.all("partner") if p.data.get("ambito_territoriale") == a.id]
    for partner in as_partner:
        others = sorted({x["ambito"] for x in partner.data.get("ambiti") or []} - {a.id})
        if others:
            names = ", ".join(ctx.ref_link("ambito", x) for x in others)
            out += html_block(f"<p>Questo Ambito è citato come {ctx.record_link(partner, 'attore della rete')} "
                                   f"nei documenti di: {names}.</p>")
    partners = network(ctx, a)
    if partners:
        out += heading(ctx, 2, "La rete: attori citati nei piani", "rete") + \
            html_block(simple_list(ctx, partners), searchable=False)
    files = " · ".join(f"{escape(name.capitalize())}: {ctx.link(f'dati/{a.id}/{name}.json', 'JSON')}, "
                       f"{ctx.link(f'dati/{a.id}/{name}.csv', 'CSV')}"
                       for name in ("obiettivi", "indicatori", "misurazioni", "valutazioni", "risorse", "modifiche"))
    out += heading(ctx, 2, "Dati aperti", "dati-aperti") + html_block(
        f"<p>{files}. Licenza CC BY 4.0 ({ctx.link('dati-aperti/', 'come usare i dati')}).</p>")
    out += extra_fields(ctx, a)
    return out + provenance(ctx, a) + history_block(ctx, a)

def plan_counts(ctx: PageContext, plan: Record) -> str:
    """'11 obiettivi, 26 valutazioni del piano precedente' – what a plan holds, in words: what its
    objective records are when they are not all objectives, and how many objectives the plan
    says it has, quoted with its line."""
    parts = []
    objectives = ctx.catalog.of_plan(plan.id, "obiettivo")
    evaluated = [o for o in objectives if evaluations_of(ctx, o)]
    if objectives:
        (singular, plural), feminine = records_noun(ctx, objectives)
        text = count(len(objectives), singular, plural)
        kinds = records_composition(ctx, objectives)
        if len(kinds) > 1 or feminine:
            text += f" ({kinds_text(kinds)})"
        if evaluated:
            text += (f", {count(len(evaluated), 'valutata' if feminine else 'valutato', 'valutate' if feminine else 'valutati')}"
                     " nei piani successivi")
        parts.append(text)
    evaluations = ctx.catalog.of_plan(plan.id, "valutazione")
    if evaluations:
        parts.append(count(len(evaluations), "valutazione", "valutazioni") + " del piano precedente")
    out = escape("; ".join(parts) or "nessun contenuto")
    stated = plan.data.get("obiettivi_dichiarati")
    if stated:
        out += f". La fonte scrive: «{ctx.text.inline(stated['testo'])}» ({quoted_lines(ctx, plan, stated)})"
    return out

def records_composition(ctx: PageContext, objectives: list[Record]) -> dict[str, int]:
    """How many records of each type (valutazione.tipo_oggetto), in a stable order."""
    kinds: dict[str, int] = {}
    for o in objectives:
        kind = record_type(ctx, o)
        kinds[kind] = kinds.get(kind, 0) + 1
    order = [OWN_SCHEDA, *schemas.vocabulary("tipo_oggetto_valutato")]
    return dict(sorted(kinds.items(), key=lambda item: order.index(item[0])))

def archive_rollup(ctx: PageContext, p: Record) -> str:
    objectives = ctx.catalog.of_plan(p.id, "obiettivo")
    if not objectives:
        return ""
    return rollup(ctx, objectives, p) + f"<p>{ctx.link(f'{p.id}/obiettivi/', 'Elenco delle schede contate')}</p>"

def plan_counts_short(ctx: PageContext, objectives: list[Record]) -> str:
    if not objectives:
        return ""
    kinds = records_composition(ctx, objectives)
    return number(len(objectives)) + (f" ({escape(kinds_text(kinds))})" if len(kinds) > 1 or records_noun(ctx, objectives)[1] else "")

def evaluations_of(ctx: PageContext, objective: Record) -> list[Record]:
    return [link.source for link in ctx.catalog.referrers(objective, "valutazione")
            if link.field == ("obiettivo_valutato",)]

def plan_summary(ctx: PageContext, p: Record) -> str:
    """The key facts of a plan, with a link to its page (Ambito page)."""
    objectives = ctx.catalog.of_plan(p.id, "obiettivo")
    return facts(ctx, [
        ("Periodo", escape(period_label(p))),
        ("Titolo del documento", ctx.text.plain(p.data["titolo_piano"]) if p.data.get("titolo_piano") else ""),
        ("Contenuto", plan_counts(ctx, p)),
        ("Risorse preventivate per gli obiettivi", totals(objectives)),
    ], "pdz-facts pdz-summary") + f"<p>{ctx.record_link(p, 'Vai al piano ' + p.period)}</p>"

def period_label(p: Record) -> str:
    extension = p.data.get("proroga") or {}
    if not extension:
        return p.period
    act = f", {extension['atto']}" if extension.get("atto") else ""
    return f"{p.period}, prorogato fino al {_year_or_date(extension['fino_al'])}{act}"

# --- Piano (the Ambito in one period) -------------------------------------------------------
def plan_pages(ctx: PageContext, p: Record) -> list[Page]:
    ctx = ctx.at(page_url("piano", p.id))
    facets = facets_block(f"{p.title} – {ctx.ambito_name(p)}", ambito=ctx.ambito_name(p), tipo=kind_label("piano"),
                          periodo=p.period or "")
    pages = [Page(ctx.url, f"{p.title} – {ctx.ambito_name(p)}", plan_body(ctx, p) + plan_latest(ctx, p) + history_block(ctx, p) + facets,
                  source=p.path)]
    for kind in KINDS.values():
        records = ctx.catalog.of_plan(p.id, kind.name)
        if kind.scoped and records:
            pages.append(plan_list_page(ctx, p, kind.name, records))
    return pages

def plan_body(ctx: PageContext, p: Record, here: str | None = None) -> str:
    """``here``: the page the body is placed on, when not the plan's own (printable plan)."""
    d = p.data
    ctx = ctx.at(here or page_url("piano", p.id))
    out = breadcrumb(ctx, [(f"{p.ambito}/", ctx.ambito_name(p))]) + h1(ctx, p.title, ctx.ambito_name(p))
    out += html_block(f'<p class="pdz-print-link">{ctx.link(print_url(p.id), "Versione stampabile del piano completo")}: '
                           "tutto il piano, diviso in parti da stampare o salvare in PDF, con il loro indice.</p>")
    objectives = ctx.catalog.of_plan(p.id, "obiettivo")
    approval = d.get("approvazione") or {}
    out += html_block(facts(ctx, [
        ("Ambito", ctx.ref_link("ambito", p.ambito)),
        ("Periodo", escape(period_label(p))),
        ("Titolo del documento", ctx.text.plain(d["titolo_piano"]) if d.get("titolo_piano") else ""),
        ("Obiettivi" if not records_noun(ctx, objectives)[1] else "Voci", plan_counts_short(ctx, objectives)),
        ("Numero secondo la fonte",
         f"«{ctx.text.inline(d['obiettivi_dichiarati']['testo'])}» ({quoted_lines(ctx, p, d['obiettivi_dichiarati'])})"
         if d.get("obiettivi_dichiarati") else ""),
        ("Risorse preventivate per gli obiettivi", totals(objectives)),
        ("Ente capofila", escape(d.get("ente_capofila", ""))),
        ("Ente gestore", ctx.ref_link("partner", d["ente_gestore"]) if d.get("ente_gestore") else ""),
        ("Approvazione", " ".join(filter(None, [escape(approval.get("organo", "")),
                                               _italian_date(approval.get("data"))]))),
        ("Documenti di origine", ", ".join(ctx.ref_link("documento", x) for x in d.get("documenti") or [])),
        ("Altri piani dell'Ambito", ", ".join(ctx.record_link(x, x.period) for x in ctx.catalog.plans(p.ambito)
                                              if x is not p)),
    ], "pdz-facts pdz-summary"))
    if d.get("sintesi"):
        out += heading(ctx, 2, "Il piano in breve", "in-breve") + html_block(ctx.text.block(d["sintesi"]))
    evaluations = ctx.catalog.of_plan(p.id, "valutazione")
    objectives_in_full, evaluations_in_full = lists_in_full(objectives, evaluations)
    if objectives:
        listing = objectives_table(ctx, objectives, caption=f"Obiettivi {p.period}") if objectives_in_full \
            else list_link(ctx, p, "obiettivo", objectives)
        out += heading(ctx, 2, f"Obiettivi {p.period}", "obiettivi") + \
            html_block(rollup(ctx, objectives, p) + listing, searchable=False)
        out += budget_chart(ctx, p, objectives)
    if evaluations:
        out += heading(ctx, 2, "Esiti della programmazione " + evaluated_periods(ctx, evaluations), "valutazioni")
        if evaluations_in_full:
            out += html_block(evaluations_table(ctx, evaluations), searchable=False) + achievement_chart(ctx, p, evaluations)
        else:   # the chart, a bar per evaluation, goes with the table to the list page
            out += html_block(list_link(ctx, p, "valutazione", evaluations), searchable=False)
    for kind_name, anchor_id in PLAN_PARTS:
        records = ctx.catalog.of_plan(p.id, kind_name)
        if records:
            out += heading(ctx, 2, KINDS[kind_name].label_plural, anchor_id) + \
                html_block(simple_list(ctx, records), searchable=False)
    out += extra_fields(ctx, p)
    return out + provenance(ctx, p)

def lists_in_full(objectives: list[Record], evaluations: list[Record]) -> tuple[bool, bool]:
    """Whether the plan page lists its objectives, and then its evaluations, in full: each list
    while the rows listed so far stay within ``PLAN_PAGE_ROWS``."""
    objectives_in_full = len(objectives) <= PLAN_PAGE_ROWS
    listed = len(objectives) if objectives_in_full else 0
    return objectives_in_full, listed + len(evaluations) <= PLAN_PAGE_ROWS

def list_link(ctx: PageContext, p: Record, kind_name: str, records: list[Record]) -> str:
    """In place of a list too long for the plan page: the link to the plan's page that lists it."""
    if kind_name == "obiettivo":
        (_singular, plural), feminine = records_noun(ctx, records)
    else:
        plural, feminine = "valutazioni", True
    label = f"Elenco {with_article('di', len(records), feminine)} {plural}"
    return (f'<p>{ctx.link(f"{p.id}/{KINDS[kind_name].folder}/", label)}: in una pagina a parte, '
            "perché questa resti leggera anche sul telefono.</p>")

def evaluated_periods(ctx: PageContext, evaluations: list[Record]) -> str:
    """'2018-2020': the periods of the objectives that evaluations look back on."""
    periods = sorted({o.period for o in (ctx.catalog.get("obiettivo", e.data.get("obiettivo_valutato", ""))
                                         for e in evaluations) if o})
    return " e ".join(periods) if periods else "precedente"

def budget_chart(ctx: PageContext, p: Record, objectives: list[Record]) -> str:
    groups: dict[str, list[Record]] = defaultdict(list)
    for o in objectives:
        if budget_sum([o]) is None:
            continue
        area = ctx.catalog.get("area", o.data["area"]) if o.data.get("area") else None
        label = f"{area.data['lettera']}. {area.title}" if area else \
            f"{o.data.get('gruppo_piano', 'Senza area')} (nessuna area regionale)"
        groups[label].append(o)
    if not groups:
        return ""
    rows = sorted((label, budget_sum(records), by_kind(records)) for label, records in groups.items())
    kinds = [k for k in item_kinds() if any(k in sums for _, _, sums in rows)]
    slug = p.id.replace("/", "-")
    svg = bar_chart(f"grafico-risorse-{slug}", f"Risorse preventivate per area di policy – {ctx.ambito_name(p)}, {p.period}",
                    f"Barre orizzontali: per ogni area di policy, {COMPUTED} (tutte le voci delle schede "
                    f"obiettivo {p.period}). Gli stessi valori, divisi per tipo di risorsa, sono nella tabella che segue.",
                    [(label, value, euro(value)) for label, value, _ in rows])
    body = [[escape(label)] + [computed_plain(sums[k]) if k in sums else "–" for k in kinds] + [computed_plain(value)]
            for label, value, sums in rows]
    body.append(["<strong>Tutte le aree</strong>"] + [computed_plain(sum(s.get(k, 0) for _, _, s in rows)) for k in kinds]
                + [computed_plain(budget_sum(objectives))])
    breakdown = table(ctx, f"Risorse preventivate per area di policy e tipo di risorsa ({COMPUTED})",
                       ["Area di policy"] + [item_kinds()[k] for k in kinds] + ["Tutte le voci"], body,
                       numeric=set(range(1, len(kinds) + 2)))
    if not drawable(rows):   # one area: a sentence, then the table
        label, value, _ = rows[0]
        return heading(ctx, 3, "Risorse per area di policy", "grafico-risorse") + html_block(
            f"<p>Le risorse economiche preventivate nelle schede obiettivo sono tutte dell'area {escape(label)}: "
            f"{computed(value)}.</p>{breakdown}")
    return heading(ctx, 3, "Risorse per area di policy", "grafico-risorse") + \
        html_block(f'<figure class="pdz-figure">{svg}<figcaption>Risorse economiche preventivate nelle '
                        f'schede obiettivo, per area: {COMPUTED}.</figcaption></figure>{breakdown}')

def achievement_chart(ctx: PageContext, p: Record, evaluations: list[Record]) -> str:
    rows = [(ctx.display_title(e), e.data["grado_raggiungimento"]["percentuale"]) for e in evaluations
            if "percentuale" in (e.data.get("grado_raggiungimento") or {})]
    if not rows:
        return ""
    slug = p.id.replace("/", "-")
    periods = evaluated_periods(ctx, evaluations)
    if not drawable(rows):   # one evaluation with a grade: a sentence
        label, value = rows[0]
        return heading(ctx, 3, f"Raggiungimento degli obiettivi {periods}", "grafico-raggiungimento") + html_block(
            f"<p>Una sola valutazione indica un grado di raggiungimento: {ctx.text.plain(label)}, "
            f"<strong>{percent(value)}</strong>.</p>")
    svg = bar_chart(f"grafico-raggiungimento-{slug}", f"Grado di raggiungimento degli obiettivi {periods} – {ctx.ambito_name(p)}",
                    "Barre orizzontali da 0 a 100%: grado di raggiungimento dichiarato per ogni obiettivo "
                    "valutato. Gli stessi valori sono nella tabella degli esiti qui sopra.",
                    [(label, value, percent(value)) for label, value in rows], maximum=100)
    average = sum(v for _, v in rows) / len(rows)
    return heading(ctx, 3, f"Raggiungimento degli obiettivi {periods}", "grafico-raggiungimento") + \
        html_block(f'<figure class="pdz-figure">{svg}<figcaption>Grado di raggiungimento per obiettivo '
                        f'(media semplice: {percent(round(average, 1))}, calcolata dal sito su '
                        f'{count(len(rows), "valutazione", "valutazioni")} con una percentuale).</figcaption></figure>')

def network(ctx: PageContext, a: Record) -> list[Record]:
    """Partners linked to an Ambito: by declaration or by a reference from its records."""
    found = {}
    for p in ctx.catalog.all("partner"):
        if any(x.get("ambito") == a.id for x in p.data.get("ambiti") or []):
            found[p.id] = p
    for target in ctx.catalog.targets_of_ambito(a.id, "partner"):
        partner = ctx.catalog.get("partner", target)
        if partner:
            found[partner.id] = partner
    return sorted(found.values(), key=lambda r: r.title.lower())

def plan_list_page(ctx: PageContext, p: Record, kind_name: str, records: list[Record]) -> Page:
    kind = KINDS[kind_name]
    ctx = ctx.at(f"{p.id}/{kind.folder}/")
    out = breadcrumb(ctx, [(f"{p.ambito}/", ctx.ambito_name(p)), (f"{p.id}/", p.title)]) + \
        h1(ctx, kind.label_plural, f"{ctx.ambito_name(p)}, {p.period}")
    if kind_name == "obiettivo":
        listing = objectives_table(ctx, records, caption=f"Obiettivi {p.period}")
    elif kind_name == "valutazione":
        listing = evaluations_table(ctx, records)
    else:
        listing = simple_list(ctx, records)
    out += html_block(listing, searchable=False)   # the records are indexed on their own pages
    if kind_name == "valutazione" and not lists_in_full(ctx.catalog.of_plan(p.id, "obiettivo"), records)[1]:
        out += achievement_chart(ctx, p, records)   # not on the plan page, which links here
    # Out of the site search: indexed, it would be a result with a title and nothing else (its
    # list is not indexed), beside the plan's page, which is the result for the plan. Each such
    # page also costs every search a few bytes (Pagefind's list of pages, fetched by each search:
    # 956 of these pages at N=200, issue #27).
    return Page(ctx.url, f"{kind.label_plural} {p.period} – {ctx.ambito_name(p)}", out,
                sources=[r.path for r in records], search_exclude=True)


def _italian_date(iso: str | None) -> str:
    return f"il {italian_date(iso)}" if iso else ""


def _year_or_date(value: str) -> str:
    return italian_date(value) if len(value) == 10 else value
