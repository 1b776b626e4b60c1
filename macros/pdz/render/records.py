"""One page per record of an Ambito: objectives, evaluations, projects, bodies, tables, sections."""
from __future__ import annotations

from pdz.domain.budget import item_kinds
from pdz.content import schemas
from pdz.content.model import KINDS, Record
from pdz.html.text import escape
from pdz.content.urls import anchor, page_url
from pdz.content.values import measured_values
from pdz.render.base import MISSING, Page, euro, measured, number, percent
from pdz.render.evaluations import EvaluationPages
from pdz.render.embed import cite_block
from pdz.render.facets import area_label, facets_block, kind_label
from pdz.render.money import computed, kinds_phrase, objective_amount

# Fields of the regional objective form: an objective without any of them is known only from the
# evaluation written in a later plan (the 2018-2020 objectives), and gets a shorter page.
FORM_FIELDS = ("target", "risorse_economiche", "risorse_personale", "bisogni", "modalita", "azioni",
               "risultati", "impatto", "continuita", "coprogettazione")


class RecordPages(EvaluationPages):
    def page(self, record: Record) -> Page:
        self.here = page_url(record.kind, record.id)
        body = getattr(self, f"_{record.kind}")(record) + self.record_facets(record)
        return Page(self.here, f"{self.display_title(record)} – {self.ambito_name(record)}",
                    body, source=record.path, is_record=True)

    def record_facets(self, record: Record) -> str:
        """What the site search shows and filters by (render/facets.py)."""
        area = self.catalog.get("area", record.data["area"]) if record.data.get("area") else None
        return facets_block(self.display_title(record), ambito=self.ambito_name(record),
                            tipo=kind_label(record.kind), area=area_label(area), periodo=record.period or "")

    def _crumbs(self, record: Record) -> str:
        kind = KINDS[record.kind]
        return self.breadcrumb([(f"{record.ambito}/", self.ambito_name(record)),
                                (f"{record.piano}/", f"Piano {record.period}"),
                                (f"{record.piano}/{kind.folder}/", kind.label_plural)])

    def _open(self, record: Record, kicker: str) -> str:
        return self._crumbs(record) + self.h1(self.display_title(record), kicker)

    # --- indicators ---------------------------------------------------------------------
    def indicators(self, items: list[dict], caption: str) -> str:
        if not items:
            return ""
        rows = []
        for item in items:
            target = ""
            if "valore_obiettivo" in item:
                target = " ".join(filter(None, [schemas.vocabulary("confronto").get(item.get("confronto"), ""),
                                                number(item["valore_obiettivo"]), escape(item.get("unita", ""))]))
            measured_html = ""
            if "valore_rilevato" in item:
                figures = "; ".join(measured(v, item.get("unita", "")) for v in measured_values(item["valore_rilevato"]))
                measured_html = " ".join(filter(None, [figures, f"({escape(item['anno'])})" if item.get("anno") else ""]))
            details = " · ".join(escape(item[k]) for k in ("fonte_dato", "frequenza", "ambito_applicazione")
                                 if item.get(k))
            rows.append([self.text.inline(item["descrizione"]), measured_html or target, details])
        has_measure = any(r[1] for r in rows)
        has_details = any(r[2] for r in rows)
        headers = ["Indicatore"] + (["Valore"] if has_measure else []) + (["Fonte e frequenza"] if has_details else [])
        rows = [[r[0]] + ([r[1]] if has_measure else []) + ([r[2]] if has_details else []) for r in rows]
        return self.table(caption, headers, rows)

    def form_section(self, value: dict | None, caption: str) -> str:
        """A 'testo + elenco + indicatori' block of the regional form."""
        if not value:
            return MISSING
        out = self.text.block(value.get("testo", "")) + self.text_list(value.get("elenco") or [])
        by_type: dict[str, list] = {}
        for item in value.get("indicatori") or []:
            by_type.setdefault(item["tipo"], []).append(item)
        for kind, items in by_type.items():
            out += self.indicators(items, schemas.plural_labels("tipo_indicatore")[kind])
        return out or MISSING

    # --- obiettivo ----------------------------------------------------------------------
    def _obiettivo(self, r: Record) -> str:
        d = r.data
        out = self._open(r, f"Obiettivo {r.period}")
        area = self.ref_link("area", d["area"]) if d.get("area") else escape(d.get("gruppo_piano", ""))
        out += self.html_block(self.facts([
            ("Ambito", self.ref_link("ambito", r.ambito)),
            ("Area di policy", area),
            ("Raggruppamento nel piano", escape(d["gruppo_piano"]) if d.get("area") and d.get("gruppo_piano") else ""),
            ("Stato di attuazione", self.state_text(r)),
            ("Risorse economiche preventivate", objective_amount(r)),
            ("Co-progettato", self.answer({"risposta": d["coprogettazione"]["risposta"]}) if d.get("coprogettazione") else ""),
            ("In continuità con il piano precedente", self.answer({"risposta": d["continuita"]["risposta"]}) if d.get("continuita") else ""),
            ("Altre numerazioni nel piano", escape(", ".join(d.get("codici_alternativi") or []))),
            ("Altri titoli nel piano", escape("; ".join(d.get("titoli_alternativi") or []))),
        ], "pdz-facts pdz-summary"), "pdz-block")
        if d.get("epigrafe"):
            author = f"<footer>{self.text.plain(d['epigrafe']['autore'])}</footer>" if d["epigrafe"].get("autore") else ""
            out += self.html_block(f'<blockquote class="pdz-epigraph"><p>{self.text.plain(d["epigrafe"]["testo"])}</p>{author}</blockquote>')
        if d.get("titolo_sintetico"):
            out += self.html_block(f'<p class="pdz-headline">{self.text.plain(d["titolo_sintetico"])}</p>')
        if not any(key in d for key in FORM_FIELDS):   # known only through its evaluation in a later plan
            if d.get("descrizione"):
                out += self.heading(2, "Descrizione", "descrizione") + self.html_block(self.text.block(d["descrizione"]))
            return out + self.over_time(r) + self.backlinks_block(r) + self._cite(r) + self.provenance(r)

        out += self.heading(2, "Descrizione", "descrizione")
        desc = self.text.block(d.get("descrizione", ""))
        if d.get("obiettivi_trasformativi"):
            desc = "<p>Concorre agli obiettivi trasformativi:</p>" + self.text_list(d["obiettivi_trasformativi"]) + desc
        out += self.html_block(desc or MISSING)
        out += self.heading(2, "Destinatari (target)", "target")
        out += self.html_block(self.text.block(d.get("target", "")) or MISSING)
        out += self.heading(2, "Risorse economiche preventivate", "risorse-economiche")
        out += self.html_block(self._budget(d.get("risorse_economiche")))
        out += self.heading(2, "Risorse di personale dedicate", "risorse-personale")
        staff = d.get("risorse_personale") or {}
        staff_html = self.text.block(staff.get("testo", "")) + self.text_list(staff.get("voci") or [])
        if "mesi_lavoro" in staff:
            staff_html += f"<p>Mesi di lavoro nel triennio: <strong>{number(staff['mesi_lavoro'])}</strong></p>"
        out += self.html_block(staff_html or MISSING)

        out += self.heading(2, "Integrazione con altre aree di policy", "trasversale")
        out += self.html_block(self._yes_no(d.get("trasversale"), "area", (d.get("trasversale") or {}).get("aree")))
        out += self.heading(2, "Integrazione sociosanitaria", "integrazione-sociosanitaria")
        out += self.html_block(self._yes_no(d.get("integrazione_sociosanitaria"), "progetto",
                                            (d.get("integrazione_sociosanitaria") or {}).get("progetti")))
        out += self.heading(2, "Continuità con la programmazione precedente", "continuita")
        out += self.html_block(self._continuity(r))
        out += self.heading(2, "Co-progettazione con la rete", "coprogettazione")
        out += self.html_block(self._yes_no(d.get("coprogettazione"), "partner",
                                            (d.get("coprogettazione") or {}).get("partner")))

        out += self.heading(2, "Bisogni a cui risponde", "bisogni")
        out += self.html_block(self.form_section(d.get("bisogni"), ""))
        out += self.heading(2, "Come sarà realizzato", "modalita")
        out += self.html_block(self.form_section(d.get("modalita"), "") if d.get("modalita") or not d.get("azioni") else "")
        if d.get("azioni"):
            out += self.heading(3, "Azioni", "azioni") + self.html_block(self._actions(r))
        out += self.heading(2, "Risultati attesi", "risultati")
        out += self.html_block(self.form_section(d.get("risultati"), ""))
        out += self.heading(2, "Impatto atteso", "impatto")
        out += self.html_block(self.form_section(d.get("impatto"), ""))
        out += self.over_time(r)
        out += self.extra_fields(r)
        out += self.backlinks_block(r)
        return out + self._cite(r) + self.provenance(r)

    def _cite(self, r: Record) -> str:
        return cite_block(self, r, self.site_url) if self.site_url else ""

    def over_time(self, r: Record) -> str:
        """State of implementation, measurements over time and the objective's story."""
        out = self.heading(2, "Stato di attuazione", "stato") + self.html_block(self.state_block(r))
        measurements = self.measurements_block(r)
        if measurements:
            out += self.heading(2, "Misurazioni nel tempo", "misurazioni") + self.html_block(measurements)
        chain = self.chain_block(r)
        if chain:
            out += self.heading(2, "Storia dell'obiettivo", "storia") + self.html_block(
                "<p>L'obiettivo nei piani dell'Ambito: da dove viene, come è stato valutato, come prosegue.</p>" + chain)
        return out

    def _budget(self, money: dict | None) -> str:
        if not money:
            return MISSING
        out = f'<p class="pdz-verbatim">{self.text.plain(money["testo"])}</p>'
        parts = money.get("componenti") or []
        if parts:
            rows = [[self.text.plain(p["voce"]) if p.get("voce") else "–", escape(item_kinds()[p["tipo"]]), euro(p["importo"])]
                    for p in parts]
            if "importo_indicato" in money:
                rows.append(["<strong>Importo indicato nel piano</strong>", "", f"<strong>{euro(money['importo_indicato'])}</strong>"])
            if len(parts) > 1:
                kinds = sorted({p["tipo"] for p in parts}, key=list(item_kinds()).index)
                note = "voci di tipo diverso: " + kinds_phrase(kinds) if len(kinds) > 1 else ""
                rows.append(["Somma delle voci", "", computed(round(sum(p["importo"] for p in parts), 2), note)])
            out += self.table("Voci di spesa", ["Voce", "Tipo di risorsa", "Importo"], rows, numeric={2})
        if money.get("nota"):
            out += self.text.block(money["nota"])
        return out

    def _continuity(self, r: Record) -> str:
        """The scheda's answer on continuity, and each earlier objective this one continues with
        what justifies the link (the plan's lines or the editors' reason)."""
        value = r.data.get("continuita")
        items = []
        for earlier, basis in self.links_up_in(r, self.monitoring.continues(r)):
            via = [link.evaluation for link in self.monitoring.links_up(r) if link.earlier == earlier.id and link.evaluation]
            where = f" ({self.record_link(via[0], 'valutazione nel Piano ' + via[0].period)})" if via else ""
            items.append(f"<li>{self.record_link(earlier)}, Piano {escape(earlier.period)}{where}: {basis}</li>")
        answer = f"<p>{self.answer(value)}</p>" if value else ""
        return (answer + (f"<ul>{''.join(items)}</ul>" if items else "")) or MISSING

    def _yes_no(self, value: dict | None, kind: str, ids: list | None) -> str:
        if not value:
            return MISSING
        return f"<p>{self.answer(value)}</p>" + self.ref_list(kind, ids or [])

    def _actions(self, r: Record) -> str:
        items = []
        for action in r.data["azioni"]:
            code = action.get("codice")
            ident = f' id="azione-{anchor(code)}"' if code else ""
            label = " ".join(filter(None, [f"Azione {escape(code)}" if code else "",
                                           self.text.plain(action["titolo"]) if action.get("titolo") else ""]))
            head = f"<strong>{label}</strong> " if label else ""
            links = ""
            if action.get("integra_con"):
                links = "<p class=\"pdz-muted\">Si integra con: " + "; ".join(
                    self._integration(r, target) for target in action["integra_con"]) + "</p>"
            incoming = self._incoming_integrations(r, code)
            items.append(f"<li{ident}>{head}{self.text.block(action['testo'])}{links}{incoming}</li>")
        return '<ul class="pdz-actions">' + "".join(items) + "</ul>"

    def _integration(self, r: Record, target: dict) -> str:
        label = self.text.plain(target["testo"])
        other = self.catalog.get("obiettivo", target.get("obiettivo", r.id)) if ("obiettivo" in target or "azione" in target) else None
        if other is None:
            return label
        url = page_url("obiettivo", other.id) + (f"#azione-{anchor(target['azione'])}" if target.get("azione") else "")
        return self.link(url, label)

    def _incoming_integrations(self, r: Record, code: str | None) -> str:
        """Backlinks of 'si integra con' that point at this action."""
        if not code:
            return ""
        found = []
        for other in self.catalog.of_ambito(r.ambito, "obiettivo"):
            for action in other.data.get("azioni") or []:
                for target in action.get("integra_con") or []:
                    if target.get("azione") == code and target.get("obiettivo", other.id) == r.id and \
                            not (other is r and action.get("codice") == code):
                        url = page_url("obiettivo", other.id) + (f"#azione-{anchor(action['codice'])}" if action.get("codice") else "")
                        found.append(self.link(url, f"{self.text.plain(self.display_title(other))}"
                                                    f"{', azione ' + escape(action['codice']) if action.get('codice') else ''}"))
        return f"<p class=\"pdz-muted\">Richiamata da: {'; '.join(found)}</p>" if found else ""

    # --- progetto -----------------------------------------------------------------------
    def _progetto(self, r: Record) -> str:
        d = r.data
        out = self._open(r, "Progetto di integrazione sociosanitaria")
        out += self.html_block(self.facts([
            ("Ambito", self.ref_link("ambito", r.ambito)),
            ("Costo totale", euro(d["costo_totale"]) if "costo_totale" in d else ""),
        ], "pdz-facts pdz-summary"))
        if d.get("descrizione"):
            out += self.heading(2, "Descrizione", "descrizione") + self.html_block(self.text.block(d["descrizione"]))
        if d.get("obiettivi_progetto"):
            out += self.heading(2, "Obiettivi del progetto", "obiettivi-progetto") + self.html_block(self.text_list(d["obiettivi_progetto"]))
        if d.get("risultati_attesi"):
            items = "".join((f'<li id="{anchor(x["codice"])}">' if x.get("codice") else "<li>") +
                            f'{"<strong>" + escape(x["codice"]) + "</strong> " if x.get("codice") else ""}{self.text.inline(x["testo"])}</li>'
                            for x in d["risultati_attesi"])
            out += self.heading(2, "Risultati attesi", "risultati-attesi") + self.html_block(f"<ul>{items}</ul>")
        if d.get("obiettivi"):
            out += self.heading(2, "Obiettivi collegati", "obiettivi") + self.html_block(self.ref_list("obiettivo", d["obiettivi"]))
        if d.get("partner"):
            out += self.heading(2, "Partner", "partner") + self.html_block(self.ref_list("partner", d["partner"]))
        for table_id in d.get("tabelle") or []:
            table = self.catalog.get("tabella", table_id)
            if table:
                out += self.html_block(self.data_table(table) + f"<p>{self.record_link(table, 'Scheda della tabella')}</p>")
        out += self.extra_fields(r) + self.backlinks_block(r)
        return out + self.provenance(r)

    # --- organo, monitoraggio, sezione, tabella -------------------------------------------
    def _organo(self, r: Record) -> str:
        d = r.data
        out = self._open(r, "Governance")
        out += self.html_block(self.facts([
            ("Livello", self.text.plain(d.get("livello", "")) if d.get("livello") else ""),
            ("Altri nomi", escape("; ".join(d.get("nomi_alternativi") or []))),
        ], "pdz-facts pdz-summary"))
        for key, label in (("descrizione", "Descrizione"), ("composizione", "Composizione"), ("funzioni", "Funzioni")):
            if d.get(key):
                out += self.heading(2, label, key) + self.html_block(self.text.block(d[key]))
        out += self.extra_fields(r) + self.backlinks_block(r)
        return out + self.provenance(r)

    def _monitoraggio(self, r: Record) -> str:
        d = r.data
        out = self._open(r, "Sistema di monitoraggio e valutazione")
        if d.get("descrizione"):
            out += self.heading(2, "Risultato atteso", "risultato") + self.html_block(self.text.block(d["descrizione"]))
        if d.get("indicatori"):
            out += self.heading(2, "Indicatori", "indicatori") + self.html_block(self.indicators(d["indicatori"], "Indicatori"))
        if d.get("obiettivi"):
            out += self.heading(2, "Obiettivi collegati", "obiettivi") + self.html_block(self.ref_list("obiettivo", d["obiettivi"]))
        out += self.extra_fields(r)
        return out + self.provenance(r)

    def _sezione(self, r: Record) -> str:
        d = r.data
        out = self._open(r, d.get("capitolo", "Sezione del piano"))
        out += self.html_block(self.text.block(r.body, top_level=2) or MISSING, "pdz-block pdz-prose")
        if d.get("obiettivi"):
            out += self.heading(2, "Obiettivi collegati", "obiettivi") + self.html_block(self.ref_list("obiettivo", d["obiettivi"]))
        return out + self.provenance(r)

    def _tabella(self, r: Record) -> str:
        d = r.data
        out = self._open(r, d.get("numero", "Tabella"))
        if d.get("descrizione"):
            out += self.html_block(self.text.block(d["descrizione"]))
        out += self.html_block(self.data_table(r))
        if d.get("note"):
            out += self.heading(2, "Note", "note") + self.html_block(self.text.block(d["note"]))
        out += self.backlinks_block(r)
        return out + self.provenance(r)

    def data_table(self, r: Record) -> str:
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
            return self.text.inline(str(value))

        headers = [c["nome"] + (f" ({c['unita']})" if c.get("unita") else "") for c in columns]
        rows = [[cell(v, c) for v, c in zip(row, columns)] for row in r.data["righe"]]
        caption = " ".join(filter(None, [r.data.get("numero"), r.data["titolo"]]))
        return self.table(caption, headers, rows, numeric=numeric, wide=_longest_text_column(r.data["righe"], numeric))


def _longest_text_column(rows: list[list], numeric: set[int]) -> set[int]:
    """The text column with the most text per row gets the room of a title column (a code such
    as "Ob." in the first column must not take it)."""
    totals: dict[int, int] = {}
    for row in rows:
        for i, value in enumerate(row):
            if i not in numeric and value is not None:
                totals[i] = totals.get(i, 0) + len(str(value))
    return {max(totals, key=lambda i: (totals[i], -i))} if totals else set()
