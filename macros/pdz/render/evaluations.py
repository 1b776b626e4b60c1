"""The page of an evaluation: what a plan says of an objective of the plan before it."""
from __future__ import annotations

from pdz.content import schemas
from pdz.content.model import Record
from pdz.html.text import escape
from pdz.render.blocks import MISSING
from pdz.render.base import percent
from pdz.render.blocks import answer, backlinks_block, brief, extra_fields, facts, heading, html_block, indicators, provenance, record_heading, ref_list, text_list
from pdz.render.context import PageContext
from pdz.render.history import evaluated_basis, grade_to_state, link_basis


def evaluation_body(ctx: PageContext, r: Record) -> str:
    d = r.data
    out = record_heading(ctx, r, f"Valutazione nel piano {r.period}")
    grade = d.get("grado_raggiungimento") or {}
    match = d.get("coincidenza_risorse") or {}
    evaluated = ctx.catalog.get("obiettivo", d["obiettivo_valutato"]) if d.get("obiettivo_valutato") else None
    out += brief(ctx, [
        ("Ambito", ctx.ref_link("ambito", r.ambito)),
        ("Periodo", ctx.link(f"{r.piano}/", escape(f"Piano di Zona {r.period}"))
         + (escape(f", sull'obiettivo del piano {evaluated.period}") if evaluated and evaluated.period != r.period else "")),
        ("Area", ctx.ref_link("area", d["area"]) if d.get("area") else escape(d.get("area_piano", ""))),
        ("Grado di raggiungimento", _percent_cell(ctx, grade)),
        ("Coincidenza tra risorse stanziate e impegnate", _percent_cell(ctx, match)),
        ("Stato di attuazione", _evaluation_state(ctx, d)),
    ])
    more = facts(ctx, [
        ("Obiettivo valutato", ctx.ref_link("obiettivo", d["obiettivo_valutato"]) + evaluated_basis(ctx, r)
         if d.get("obiettivo_valutato") else ""),
        ("Gruppo", escape(d.get("gruppo", ""))),
        ("Obiettivo strategico", ctx.text.plain(d.get("obiettivo_strategico", "")) if d.get("obiettivo_strategico") else ""),
        (f"Riproposto nel {r.period}", answer(ctx, {"risposta": d["riproposto"]["risposta"]}) if d.get("riproposto") else ""),
    ])
    out += html_block(more) if more else ""   # no empty block (it would also keep the page from prerender)
    if d.get("descrizione"):
        out += heading(ctx, 2, "Descrizione", "descrizione") + html_block(ctx.text.block(d["descrizione"]))
    if d.get("valutazione_qualitativa"):
        out += heading(ctx, 2, "Valutazione qualitativa", "valutazione-qualitativa") + \
            html_block(ctx.text.block(d["valutazione_qualitativa"]))
    if d.get("azioni_previste"):
        out += heading(ctx, 2, "Azioni previste", "azioni-previste") + html_block(text_list(ctx, d["azioni_previste"]))
    if d.get("azioni_realizzate"):
        out += heading(ctx, 2, "Azioni realizzate", "azioni-realizzate") + html_block(ctx.text.block(d["azioni_realizzate"]))
    if d.get("formato") == "tabella-2" or any(k in d for k in ("grado_raggiungimento", "bisogno_risposto", "riproposto")):
        out += heading(ctx, 2, "Esiti (schema regionale)", "esiti") + html_block(_grid(ctx, d))
    else:
        for key, label, anchor_id in (("criticita", "Criticità rilevate", "criticita"),
                                      ("bisogno_risposto", "Ha risposto al bisogno?", "bisogno")):
            if d.get(key):
                value = answer(ctx, d[key]) if isinstance(d[key], dict) else ctx.text.block(d[key])
                out += heading(ctx, 2, label, anchor_id) + html_block(value)
    if d.get("categoria_criticita"):
        out += heading(ctx, 2, "Categoria di criticità", "categoria-criticita") + \
            html_block(f"<p>{ctx.text.plain(d['categoria_criticita'])}</p>")
    if d.get("validazione_regionale"):
        out += heading(ctx, 2, "Validazione regionale", "validazione-regionale") + \
            html_block(f"<p>{answer(ctx, d['validazione_regionale'])}</p>")
    if d.get("enti_coinvolti"):
        out += heading(ctx, 2, "Enti coinvolti", "enti-coinvolti") + html_block(ref_list(ctx, "partner", d["enti_coinvolti"]))
    if d.get("indicatori"):
        out += heading(ctx, 2, "Dati e indicatori", "indicatori") + html_block(indicators(ctx, d["indicatori"], "Indicatori"))
    proposed = ctx.monitoring.held_by(r)
    if proposed:
        items = "".join(f"<li>{ctx.ref_link('obiettivo', link.later)}: {link_basis(ctx, link)}</li>" for link in proposed)
        out += heading(ctx, 2, f"Riproposto come obiettivo {r.period}", "riproposto") + html_block(f"<ul>{items}</ul>")
    out += extra_fields(ctx, r)
    out += backlinks_block(ctx, r)
    return out + provenance(ctx, r)

def _evaluation_state(ctx: PageContext, d: dict) -> str:
    """The state the evaluation writes; else the one the site derives from its grade."""
    if d.get("stato_attuazione"):
        return escape(schemas.vocabulary("stato_valutazione").get(d["stato_attuazione"], ""))
    grade = d.get("grado_raggiungimento") or {}
    if isinstance(grade.get("percentuale"), (int, float)) and not grade.get("condizionale"):
        return grade_to_state(grade["percentuale"])
    return ""

def _percent_cell(ctx: PageContext, value: dict) -> str:
    if "percentuale" in value:
        cond = " (condizionale)" if value.get("condizionale") else ""
        return f'<strong class="pdz-percent">{percent(value["percentuale"])}</strong>{cond}'
    return ctx.text.inline(value["nota"]) if value.get("nota") else ""

def _grid(ctx: PageContext, d: dict) -> str:
    def pct(key):
        value = d.get(key) or {}
        if not value:
            return MISSING
        out = f'<strong class="pdz-percent">{percent(value["percentuale"])}</strong>' if "percentuale" in value else ""
        if value.get("condizionale"):
            out += " (valore condizionale)"
        return out + (ctx.text.block(value["nota"]) if value.get("nota") else "")

    def ans(key):
        return answer(ctx, d[key]) if d.get(key) else MISSING

    rows = [
        ("Grado di raggiungimento dell'obiettivo rispetto a ciò che è stato definito nella programmazione", pct("grado_raggiungimento")),
        ("Valutazione da parte degli utenti (ove pertinente)", ctx.text.block(d["valutazione_utenti"]) if d.get("valutazione_utenti") else MISSING),
        ("Livello di coincidenza tra risorse stanziate e risorse impegnate/liquidate", pct("coincidenza_risorse")),
        ("Criticità rilevate", ctx.text.block(d["criticita"]) if d.get("criticita") else MISSING),
        ("L'obiettivo ha adeguatamente risposto a un bisogno producendo un cambiamento positivo?", ans("bisogno_risposto")),
        ("L'obiettivo era in continuità con la programmazione precedente (2015-2017)?", ans("continuita_precedente")),
        ("L'obiettivo verrà riproposto nella programmazione 2021-2023?", ans("riproposto")),
    ]
    # the questions are the same on every evaluation: the search reads the answers
    body = "".join(f'<tr><th scope="row" data-pagefind-ignore>{escape(label)}</th><td>{value}</td></tr>'
                   for label, value in rows)
    return ('<div class="pdz-table-wrap" tabindex="0" role="region" aria-label="Esiti secondo lo schema regionale">'
            '<table class="pdz-table pdz-grid"><caption>Dimensioni di valutazione (Tabella 2 regionale)</caption>'
            '<thead><tr><th scope="col">Dimensione</th><th scope="col">Esito</th></tr></thead>'
            f"<tbody>{body}</tbody></table></div>")
