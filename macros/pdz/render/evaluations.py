"""The page of an evaluation: what a plan says of an objective of the plan before it."""
from __future__ import annotations

from pdz.content import schemas
from pdz.content.model import Record
from pdz.html.text import escape
from pdz.render.base import MISSING, percent
from pdz.render.history import HistoryBlocks


class EvaluationPages(HistoryBlocks):
    # --- valutazione --------------------------------------------------------------------
    def _valutazione(self, r: Record) -> str:
        d = r.data
        out = self._open(r, f"Valutazione nel piano {r.period}")  # type: ignore[attr-defined]  # RecordPages (mixin)
        grade = d.get("grado_raggiungimento") or {}
        match = d.get("coincidenza_risorse") or {}
        out += self.html_block(self.facts([
            ("Ambito", self.ref_link("ambito", r.ambito)),
            ("Obiettivo valutato", self.ref_link("obiettivo", d["obiettivo_valutato"]) + self._evaluated_basis(r)
             if d.get("obiettivo_valutato") else ""),
            ("Gruppo", escape(d.get("gruppo", ""))),
            ("Area", self.ref_link("area", d["area"]) if d.get("area") else escape(d.get("area_piano", ""))),
            ("Obiettivo strategico", self.text.plain(d.get("obiettivo_strategico", "")) if d.get("obiettivo_strategico") else ""),
            ("Grado di raggiungimento", self._percent_cell(grade)),
            ("Coincidenza tra risorse stanziate e impegnate", self._percent_cell(match)),
            ("Stato di attuazione", self._evaluation_state(d)),
            (f"Riproposto nel {r.period}", self.answer({"risposta": d["riproposto"]["risposta"]}) if d.get("riproposto") else ""),
        ], "pdz-facts pdz-summary"))
        if d.get("descrizione"):
            out += self.heading(2, "Descrizione", "descrizione") + self.html_block(self.text.block(d["descrizione"]))
        if d.get("valutazione_qualitativa"):
            out += self.heading(2, "Valutazione qualitativa", "valutazione-qualitativa") + \
                self.html_block(self.text.block(d["valutazione_qualitativa"]))
        if d.get("azioni_previste"):
            out += self.heading(2, "Azioni previste", "azioni-previste") + self.html_block(self.text_list(d["azioni_previste"]))
        if d.get("azioni_realizzate"):
            out += self.heading(2, "Azioni realizzate", "azioni-realizzate") + self.html_block(self.text.block(d["azioni_realizzate"]))
        if d.get("formato") == "tabella-2" or any(k in d for k in ("grado_raggiungimento", "bisogno_risposto", "riproposto")):
            out += self.heading(2, "Esiti (schema regionale)", "esiti") + self.html_block(self._grid(d))
        else:
            for key, label, anchor_id in (("criticita", "Criticità rilevate", "criticita"),
                                          ("bisogno_risposto", "Ha risposto al bisogno?", "bisogno")):
                if d.get(key):
                    value = self.answer(d[key]) if isinstance(d[key], dict) else self.text.block(d[key])
                    out += self.heading(2, label, anchor_id) + self.html_block(value)
        if d.get("categoria_criticita"):
            out += self.heading(2, "Categoria di criticità", "categoria-criticita") + \
                self.html_block(f"<p>{self.text.plain(d['categoria_criticita'])}</p>")
        if d.get("validazione_regionale"):
            out += self.heading(2, "Validazione regionale", "validazione-regionale") + \
                self.html_block(f"<p>{self.answer(d['validazione_regionale'])}</p>")
        if d.get("enti_coinvolti"):
            out += self.heading(2, "Enti coinvolti", "enti-coinvolti") + self.html_block(self.ref_list("partner", d["enti_coinvolti"]))
        if d.get("indicatori"):
            out += self.heading(2, "Dati e indicatori", "indicatori") + self.html_block(self.indicators(d["indicatori"], "Indicatori"))  # type: ignore[attr-defined]
        proposed = [link for link in self.monitoring.links if link.holder is r]
        if proposed:
            items = "".join(f"<li>{self.ref_link('obiettivo', link.later)}: {self.link_basis(link)}</li>" for link in proposed)
            out += self.heading(2, f"Riproposto come obiettivo {r.period}", "riproposto") + self.html_block(f"<ul>{items}</ul>")
        out += self.extra_fields(r)
        out += self.backlinks_block(r)
        return out + self.provenance(r)

    def _evaluation_state(self, d: dict) -> str:
        """The state the evaluation writes; else the one the site derives from its grade."""
        if d.get("stato_attuazione"):
            return escape(schemas.vocabulary("stato_valutazione").get(d["stato_attuazione"], ""))
        grade = d.get("grado_raggiungimento") or {}
        if isinstance(grade.get("percentuale"), (int, float)) and not grade.get("condizionale"):
            return self.grade_to_state(grade["percentuale"])
        return ""

    def _percent_cell(self, value: dict) -> str:
        if "percentuale" in value:
            cond = " (condizionale)" if value.get("condizionale") else ""
            return f'<strong class="pdz-percent">{percent(value["percentuale"])}</strong>{cond}'
        return self.text.inline(value["nota"]) if value.get("nota") else ""

    def _grid(self, d: dict) -> str:
        def pct(key):
            value = d.get(key) or {}
            if not value:
                return MISSING
            out = f'<strong class="pdz-percent">{percent(value["percentuale"])}</strong>' if "percentuale" in value else ""
            if value.get("condizionale"):
                out += " (valore condizionale)"
            return out + (self.text.block(value["nota"]) if value.get("nota") else "")

        def ans(key):
            return self.answer(d[key]) if d.get(key) else MISSING

        rows = [
            ("Grado di raggiungimento dell'obiettivo rispetto a ciò che è stato definito nella programmazione", pct("grado_raggiungimento")),
            ("Valutazione da parte degli utenti (ove pertinente)", self.text.block(d["valutazione_utenti"]) if d.get("valutazione_utenti") else MISSING),
            ("Livello di coincidenza tra risorse stanziate e risorse impegnate/liquidate", pct("coincidenza_risorse")),
            ("Criticità rilevate", self.text.block(d["criticita"]) if d.get("criticita") else MISSING),
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
