"""One page per record of an Ambito: objectives, evaluations, projects, bodies, tables, sections."""
from __future__ import annotations

from pdz.domain.budget import headline, item_kinds
from pdz.content import schemas
from pdz.content.model import Record
from pdz.html.text import escape
from pdz.content.urls import anchor, page_url
from pdz.render.blocks import MISSING
from pdz.render.base import Page, euro, number, percent
from pdz.render.embed import cite_block
from pdz.render.facets import area_label, facets_block, kind_label
from pdz.render.money import computed, kind_name, kinds_phrase, objective_amount
from pdz.render.blocks import (answer, backlinks_block, brief, extra_fields, facts, heading, html_block, indicators, provenance,
                               record_heading, ref_list, short_text, table, text_list)
from pdz.render.changes import history_block
from pdz.render.context import PageContext
from pdz.render.evaluations import evaluation_body
from pdz.render.history import chain_block, links_up_in, measurements_block, state_block, state_text


# Fields of the regional objective form: an objective without any of them is known only from the
# evaluation written in a later plan (the 2018-2020 objectives), and gets a shorter page.
FORM_FIELDS = ("target", "risorse_economiche", "risorse_personale", "bisogni", "modalita", "azioni",
               "risultati", "impatto", "continuita", "coprogettazione")


def record_page(ctx: PageContext, record: Record) -> Page:
    ctx = ctx.at(page_url(record.kind, record.id))
    body = RECORD_BODIES[record.kind](ctx, record) + history_block(ctx, record) + record_facets(ctx, record)
    return Page(ctx.url, f"{ctx.display_title(record)} – {ctx.ambito_name(record)}",
                body, source=record.path, is_record=True)


def record_facets(ctx: PageContext, record: Record) -> str:
    """What the site search shows and filters by (render/facets.py)."""
    area = ctx.catalog.get("area", record.data["area"]) if record.data.get("area") else None
    return facets_block(ctx.display_title(record), ambito=ctx.ambito_name(record),
                        tipo=kind_label(record.kind), area=area_label(area), periodo=record.period or "")


def form_section(ctx: PageContext, value: dict | None, caption: str) -> str:
    """A 'testo + elenco + indicatori' block of the regional form."""
    if not value:
        return MISSING
    out = ctx.text.block(value.get("testo", "")) + text_list(ctx, value.get("elenco") or [])
    by_type: dict[str, list] = {}
    for item in value.get("indicatori") or []:
        by_type.setdefault(item["tipo"], []).append(item)
    for kind, items in by_type.items():
        out += indicators(ctx, items, schemas.plural_labels("tipo_indicatore")[kind])
    return out or MISSING


# --- obiettivo ----------------------------------------------------------------------
def areas_fact(ctx: PageContext, d: dict) -> str:
    """The objective's area, the other areas its title or group names, and the editors' reason
    when they chose the area; the plan's group when it has no area."""
    if not d.get("area"):
        return escape(d.get("gruppo_piano", ""))
    out = ctx.ref_link("area", d["area"])
    others = [x for x in d.get("altre_aree") or [] if x != d["area"]]
    if others:
        out += "; anche " + ", ".join(ctx.ref_link("area", x) for x in others) + \
            (", nominata" if len(others) == 1 else ", nominate") + " dal titolo o dal gruppo nel piano"
    if d.get("area_dedotta"):
        out += f' (<em class="pdz-inferred">area assegnata dalla redazione</em>: {ctx.text.inline(d["area_dedotta"])})'
    return out


def objective_body(ctx: PageContext, r: Record) -> str:
    d = r.data
    out = record_heading(ctx, r, f"Obiettivo {r.period}")
    out += brief(ctx, [
        ("Ambito", ctx.ref_link("ambito", r.ambito)),
        ("Periodo", ctx.link(f"{r.piano}/", escape(f"Piano di Zona {r.period}"))),
        ("Area di policy", areas_fact(ctx, d)),
        ("Destinatari", short_text(ctx, d["target"], "target") if d.get("target") else ""),
        ("Risorse economiche preventivate", _brief_budget(r)),
        ("Stato di attuazione", state_text(ctx, r)),
    ])
    more = facts(ctx, [
        ("Raggruppamento nel piano", escape(d["gruppo_piano"]) if d.get("area") and d.get("gruppo_piano") else ""),
        ("Co-progettato", answer(ctx, {"risposta": d["coprogettazione"]["risposta"]}) if d.get("coprogettazione") else ""),
        ("In continuità con il piano precedente", answer(ctx, {"risposta": d["continuita"]["risposta"]}) if d.get("continuita") else ""),
        ("Altre numerazioni nel piano", escape(", ".join(d.get("codici_alternativi") or []))),
        ("Altri titoli nel piano", escape("; ".join(d.get("titoli_alternativi") or []))),
    ])
    out += html_block(more) if more else ""   # no empty block (it would also keep the page from prerender)
    if d.get("epigrafe"):
        author = f"<footer>{ctx.text.plain(d['epigrafe']['autore'])}</footer>" if d["epigrafe"].get("autore") else ""
        out += html_block(f'<blockquote class="pdz-epigraph"><p>{ctx.text.plain(d["epigrafe"]["testo"])}</p>{author}</blockquote>')
    if d.get("titolo_sintetico"):
        out += html_block(f'<p class="pdz-headline">{ctx.text.plain(d["titolo_sintetico"])}</p>')
    if not any(key in d for key in FORM_FIELDS):   # known only through its evaluation in a later plan
        if d.get("descrizione"):
            out += heading(ctx, 2, "Descrizione", "descrizione") + html_block(ctx.text.block(d["descrizione"]))
        return out + over_time(ctx, r) + backlinks_block(ctx, r) + _cite(ctx, r) + provenance(ctx, r)

    out += heading(ctx, 2, "Descrizione", "descrizione")
    desc = ctx.text.block(d.get("descrizione", ""))
    if d.get("obiettivi_trasformativi"):
        desc = "<p>Concorre agli obiettivi trasformativi:</p>" + text_list(ctx, d["obiettivi_trasformativi"]) + desc
    out += html_block(desc or MISSING)
    out += heading(ctx, 2, "Destinatari (target)", "target")
    out += html_block(ctx.text.block(d.get("target", "")) or MISSING)
    out += heading(ctx, 2, "Risorse economiche preventivate", "risorse-economiche")
    out += html_block(_budget(ctx, d.get("risorse_economiche")))
    out += heading(ctx, 2, "Risorse di personale dedicate", "risorse-personale")
    staff = d.get("risorse_personale") or {}
    staff_html = ctx.text.block(staff.get("testo", "")) + text_list(ctx, staff.get("voci") or [])
    if "mesi_lavoro" in staff:
        staff_html += f"<p>Mesi di lavoro nel triennio: <strong>{number(staff['mesi_lavoro'])}</strong></p>"
    out += html_block(staff_html or MISSING)

    out += heading(ctx, 2, "Integrazione con altre aree di policy", "trasversale")
    out += html_block(_yes_no(ctx, d.get("trasversale"), "area", (d.get("trasversale") or {}).get("aree")))
    out += heading(ctx, 2, "Integrazione sociosanitaria", "integrazione-sociosanitaria")
    out += html_block(_yes_no(ctx, d.get("integrazione_sociosanitaria"), "progetto",
                                        (d.get("integrazione_sociosanitaria") or {}).get("progetti")))
    out += heading(ctx, 2, "Continuità con la programmazione precedente", "continuita")
    out += html_block(_continuity(ctx, r))
    out += heading(ctx, 2, "Co-progettazione con la rete", "coprogettazione")
    out += html_block(_yes_no(ctx, d.get("coprogettazione"), "partner",
                                        (d.get("coprogettazione") or {}).get("partner")))

    out += heading(ctx, 2, "Bisogni a cui risponde", "bisogni")
    out += html_block(form_section(ctx, d.get("bisogni"), ""))
    out += heading(ctx, 2, "Come sarà realizzato", "modalita")
    out += html_block(form_section(ctx, d.get("modalita"), "") if d.get("modalita") or not d.get("azioni") else "")
    if d.get("azioni"):
        out += heading(ctx, 3, "Azioni", "azioni") + html_block(_actions(ctx, r))
    out += heading(ctx, 2, "Risultati attesi", "risultati")
    out += html_block(form_section(ctx, d.get("risultati"), ""))
    out += heading(ctx, 2, "Impatto atteso", "impatto")
    out += html_block(form_section(ctx, d.get("impatto"), ""))
    out += over_time(ctx, r)
    out += extra_fields(ctx, r)
    out += backlinks_block(ctx, r)
    return out + _cite(ctx, r) + provenance(ctx, r)


def _brief_budget(r: Record) -> str:
    """The objective's budget with its label: the kind of the plan's figure, or the site's sum
    said to be one."""
    found = headline(r)
    if found is None:
        return ""
    if found.computed:
        return objective_amount(r)
    stated = (r.data.get("risorse_economiche") or {}).get("importo_indicato") is not None
    label = ", ".join([kind_name(k) for k in found.kinds] + (["importo indicato nel piano"] if stated else []))
    return euro(found.amount) + (f" <small>({escape(label)})</small>" if label else "")


def _cite(ctx: PageContext, r: Record) -> str:
    return cite_block(ctx, r, ctx.site_url) if ctx.site_url else ""


def over_time(ctx: PageContext, r: Record) -> str:
    """State of implementation, measurements over time and the objective's story."""
    out = heading(ctx, 2, "Stato di attuazione", "stato") + html_block(state_block(ctx, r))
    measurements = measurements_block(ctx, r)
    if measurements:
        out += heading(ctx, 2, "Misurazioni nel tempo", "misurazioni") + html_block(measurements)
    chain = chain_block(ctx, r)
    if chain:
        out += heading(ctx, 2, "Storia dell'obiettivo", "storia") + html_block(
            "<p>L'obiettivo nei piani dell'Ambito: da dove viene, come è stato valutato, come prosegue.</p>" + chain)
    return out


def _budget(ctx: PageContext, money: dict | None) -> str:
    if not money:
        return MISSING
    out = f'<p class="pdz-verbatim">{ctx.text.plain(money["testo"])}</p>'
    parts = money.get("componenti") or []
    if parts:
        rows = [[ctx.text.plain(p["voce"]) if p.get("voce") else "–", escape(item_kinds()[p["tipo"]]), euro(p["importo"])]
                for p in parts]
        if "importo_indicato" in money:
            rows.append(["<strong>Importo indicato nel piano</strong>", "", f"<strong>{euro(money['importo_indicato'])}</strong>"])
        if len(parts) > 1:
            kinds = sorted({p["tipo"] for p in parts}, key=list(item_kinds()).index)
            note = "voci di tipo diverso: " + kinds_phrase(kinds) if len(kinds) > 1 else ""
            rows.append(["Somma delle voci", "", computed(round(sum(p["importo"] for p in parts), 2), note)])
        out += table(ctx, "Voci di spesa", ["Voce", "Tipo di risorsa", "Importo"], rows, numeric={2})
    if money.get("nota"):
        out += ctx.text.block(money["nota"])
    return out


def _continuity(ctx: PageContext, r: Record) -> str:
    """The scheda's answer on continuity, and each earlier objective this one continues with
    what justifies the link (the plan's lines or the editors' reason)."""
    value = r.data.get("continuita")
    items = []
    for earlier, basis in links_up_in(ctx, r, ctx.monitoring.continues(r)):
        via = [link.evaluation for link in ctx.monitoring.links_up(r) if link.earlier == earlier.id and link.evaluation]
        where = f" ({ctx.record_link(via[0], 'valutazione nel Piano ' + via[0].period)})" if via else ""
        items.append(f"<li>{ctx.record_link(earlier)}, Piano {escape(earlier.period)}{where}: {basis}</li>")
    said = f"<p>{answer(ctx, value)}</p>" if value else ""
    return (said + (f"<ul>{''.join(items)}</ul>" if items else "")) or MISSING


def _yes_no(ctx: PageContext, value: dict | None, kind: str, ids: list | None) -> str:
    if not value:
        return MISSING
    return f"<p>{answer(ctx, value)}</p>" + ref_list(ctx, kind, ids or [])


def _actions(ctx: PageContext, r: Record) -> str:
    items = []
    for action in r.data["azioni"]:
        code = action.get("codice")
        ident = f' id="azione-{anchor(code)}"' if code else ""
        label = " ".join(filter(None, [f"Azione {escape(code)}" if code else "",
                                       ctx.text.plain(action["titolo"]) if action.get("titolo") else ""]))
        head = f"<strong>{label}</strong> " if label else ""
        links = ""
        if action.get("integra_con"):
            links = "<p class=\"pdz-muted\">Si integra con: " + "; ".join(
                _integration(ctx, r, target) for target in action["integra_con"]) + "</p>"
        incoming = _incoming_integrations(ctx, r, code)
        items.append(f"<li{ident}>{head}{ctx.text.block(action['testo'])}{links}{incoming}</li>")
    return '<ul class="pdz-actions">' + "".join(items) + "</ul>"


def _integration(ctx: PageContext, r: Record, target: dict) -> str:
    label = ctx.text.plain(target["testo"])
    other = ctx.catalog.get("obiettivo", target.get("obiettivo", r.id)) if ("obiettivo" in target or "azione" in target) else None
    if other is None:
        return label
    url = page_url("obiettivo", other.id) + (f"#azione-{anchor(target['azione'])}" if target.get("azione") else "")
    return ctx.link(url, label)


def _incoming_integrations(ctx: PageContext, r: Record, code: str | None) -> str:
    """Backlinks of 'si integra con' that point at this action."""
    if not code:
        return ""
    found = []
    for other, action in ctx.catalog.derived(_integrations_in, r.ambito).get((r.id, code), ()):
        if not (other is r and action.get("codice") == code):
            url = page_url("obiettivo", other.id) + (f"#azione-{anchor(action['codice'])}" if action.get("codice") else "")
            found.append(ctx.link(url, f"{ctx.text.plain(ctx.display_title(other))}"
                                        f"{', azione ' + escape(action['codice']) if action.get('codice') else ''}"))
    return f"<p class=\"pdz-muted\">Richiamata da: {'; '.join(found)}</p>" if found else ""


def _integrations_in(catalog, ambito: str | None) -> dict[tuple, list[tuple[Record, dict]]]:
    """The actions of an Ambito's objectives by the action they integrate with: (objective id,
    action code) -> [(objective, action)], in catalog order, one item per mention. Made once per
    Ambito: walking every action of the Ambito for each action was quadratic in its plans (an
    Ambito with three plans of its own walked three times the actions, three times as often)."""
    index: dict[tuple, list] = {}
    for other in catalog.of_ambito(ambito, "obiettivo"):
        for action in other.data.get("azioni") or []:
            for target in action.get("integra_con") or []:
                index.setdefault((target.get("obiettivo", other.id), target.get("azione")), []).append((other, action))
    return index


# --- progetto -----------------------------------------------------------------------
def project_body(ctx: PageContext, r: Record) -> str:
    d = r.data
    out = record_heading(ctx, r, "Progetto di integrazione sociosanitaria")
    out += html_block(facts(ctx, [
        ("Ambito", ctx.ref_link("ambito", r.ambito)),
        ("Costo totale", euro(d["costo_totale"]) if "costo_totale" in d else ""),
    ], "pdz-facts pdz-summary"))
    if d.get("descrizione"):
        out += heading(ctx, 2, "Descrizione", "descrizione") + html_block(ctx.text.block(d["descrizione"]))
    if d.get("obiettivi_progetto"):
        out += heading(ctx, 2, "Obiettivi del progetto", "obiettivi-progetto") + html_block(text_list(ctx, d["obiettivi_progetto"]))
    if d.get("risultati_attesi"):
        items = "".join((f'<li id="{anchor(x["codice"])}">' if x.get("codice") else "<li>") +
                        f'{"<strong>" + escape(x["codice"]) + "</strong> " if x.get("codice") else ""}{ctx.text.inline(x["testo"])}</li>'
                        for x in d["risultati_attesi"])
        out += heading(ctx, 2, "Risultati attesi", "risultati-attesi") + html_block(f"<ul>{items}</ul>")
    if d.get("obiettivi"):
        out += heading(ctx, 2, "Obiettivi collegati", "obiettivi") + html_block(ref_list(ctx, "obiettivo", d["obiettivi"]))
    if d.get("partner"):
        out += heading(ctx, 2, "Partner", "partner") + html_block(ref_list(ctx, "partner", d["partner"]))
    for table_id in d.get("tabelle") or []:
        table = ctx.catalog.get("tabella", table_id)
        if table:
            out += html_block(data_table(ctx, table) + f"<p>{ctx.record_link(table, 'Scheda della tabella')}</p>")
    out += extra_fields(ctx, r) + backlinks_block(ctx, r)
    return out + provenance(ctx, r)


# --- organo, monitoraggio, sezione, tabella -------------------------------------------
def governance_body(ctx: PageContext, r: Record) -> str:
    d = r.data
    out = record_heading(ctx, r, "Governance")
    out += html_block(facts(ctx, [
        ("Livello", ctx.text.plain(d.get("livello", "")) if d.get("livello") else ""),
        ("Altri nomi", escape("; ".join(d.get("nomi_alternativi") or []))),
    ], "pdz-facts pdz-summary"))
    for key, label in (("descrizione", "Descrizione"), ("composizione", "Composizione"), ("funzioni", "Funzioni")):
        if d.get(key):
            out += heading(ctx, 2, label, key) + html_block(ctx.text.block(d[key]))
    out += extra_fields(ctx, r) + backlinks_block(ctx, r)
    return out + provenance(ctx, r)


def monitoring_body(ctx: PageContext, r: Record) -> str:
    d = r.data
    out = record_heading(ctx, r, "Sistema di monitoraggio e valutazione")
    if d.get("descrizione"):
        out += heading(ctx, 2, "Risultato atteso", "risultato") + html_block(ctx.text.block(d["descrizione"]))
    if d.get("indicatori"):
        out += heading(ctx, 2, "Indicatori", "indicatori") + html_block(indicators(ctx, d["indicatori"], "Indicatori"))
    if d.get("obiettivi"):
        out += heading(ctx, 2, "Obiettivi collegati", "obiettivi") + html_block(ref_list(ctx, "obiettivo", d["obiettivi"]))
    out += extra_fields(ctx, r)
    return out + provenance(ctx, r)


def section_body(ctx: PageContext, r: Record) -> str:
    d = r.data
    out = record_heading(ctx, r, d.get("capitolo", "Sezione del piano"))
    out += html_block(ctx.text.block(r.body, top_level=2) or MISSING, "pdz-block pdz-prose")
    if d.get("obiettivi"):
        out += heading(ctx, 2, "Obiettivi collegati", "obiettivi") + html_block(ref_list(ctx, "obiettivo", d["obiettivi"]))
    return out + provenance(ctx, r)


def table_body(ctx: PageContext, r: Record) -> str:
    d = r.data
    out = record_heading(ctx, r, d.get("numero", "Tabella"))
    if d.get("descrizione"):
        out += html_block(ctx.text.block(d["descrizione"]))
    out += html_block(data_table(ctx, r))
    if d.get("note"):
        out += heading(ctx, 2, "Note", "note") + html_block(ctx.text.block(d["note"]))
    out += backlinks_block(ctx, r)
    return out + provenance(ctx, r)


def data_table(ctx: PageContext, r: Record) -> str:
    columns = r.data["colonne"]
    numeric = {i for i, c in enumerate(columns) if c["tipo"] != "testo"}

    def cell(value, column):
        if value is None:
            return '<span class="pdz-muted" role="img" aria-label="vuoto">–</span>'
        if column["tipo"] == "euro" and isinstance(value, (int, float)):
            return euro(value)
        if column["tipo"] == "percentuale" and isinstance(value, (int, float)):
            return percent(value)
        if isinstance(value, (int, float)):
            return number(value)
        return ctx.text.inline(str(value))

    headers = [c["nome"] + (f" ({c['unita']})" if c.get("unita") else "") for c in columns]
    rows = [[cell(v, c) for v, c in zip(row, columns)] for row in r.data["righe"]]
    caption = " ".join(filter(None, [r.data.get("numero"), r.data["titolo"]]))
    return table(ctx, caption, headers, rows, numeric=numeric, wide=_longest_text_column(r.data["righe"], numeric))


# The body of each kind of record page (its facets are added by record_page).
RECORD_BODIES = {"obiettivo": objective_body, "valutazione": evaluation_body, "progetto": project_body,
                 "organo": governance_body, "monitoraggio": monitoring_body, "sezione": section_body,
                 "tabella": table_body}


def _longest_text_column(rows: list[list], numeric: set[int]) -> set[int]:
    """The text column with the most text per row gets the room of a title column (a code such
    as "Ob." in the first column must not take it)."""
    totals: dict[int, int] = {}
    for row in rows:
        for i, value in enumerate(row):
            if i not in numeric and value is not None:
                totals[i] = totals.get(i, 0) + len(str(value))
    return {max(totals, key=lambda i: (totals[i], -i))} if totals else set()
