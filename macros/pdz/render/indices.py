"""Pages that gather records: an Ambito's plan, its lists, policy areas, partners, glossary, sources."""
from __future__ import annotations

from collections import defaultdict

from pdz.content.model import KINDS, Record
from pdz.html.text import escape
from pdz.content.urls import page_url
from pdz.content import schemas
from pdz.render.base import Page, number, percent
from pdz.render.comuni import ComuniBlocks
from pdz.render.facets import area_label, facets_block, kind_label
from pdz.render.money import objective_amount
from pdz.render.records import RecordPages

PAGE_SIZE = 20   # rows per page of lists that grow with the number of Ambiti: a full page weighs at most ~5% more than a short one
PAGE_SEGMENT = "pagina-"   # page n > 1 of a list at base/ lives at base/pagina-<n>/ (no record may use it)


class IndexPages(RecordPages, ComuniBlocks):
    # --- pagination ----------------------------------------------------------------------
    def paginated(self, base_url: str, title: str, crumbs: list, first_page, items: list, render,
                  source: str | None = None, sources: list | None = None) -> list[Page]:
        """Split a growing list over pages of PAGE_SIZE rows, so no page grows with the number
        of Ambiti. ``first_page()`` writes the top of page 1; ``render(chunk)`` writes a chunk.
        Only page 1 is in the site search: the next ones repeat its title and list pages that
        are themselves searchable."""
        chunks = [items[i:i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [[]]
        pages = []
        for number_, chunk in enumerate(chunks, start=1):
            url = base_url if number_ == 1 else f"{base_url}{PAGE_SEGMENT}{number_}/"
            self.here = url
            if number_ == 1:
                top = first_page()
            else:
                top = self.breadcrumb(crumbs + [(base_url, title)]) + self.h1(f"{title}", f"Pagina {number_} di {len(chunks)}")
            # the rows are records with pages of their own: the search finds those
            body = top + self.html_block((render(chunk) if chunk else "") + self.pager(base_url, number_, len(chunks)),
                                         searchable=False)
            pages.append(Page(url, title if number_ == 1 else f"{title} (pagina {number_})", body,
                              source=source if number_ == 1 else None,
                              sources=(sources or []) + ([source] if source and number_ > 1 else []),
                              search_exclude=number_ > 1))
        return pages

    def pager(self, base_url: str, current: int, total: int) -> str:
        """Links to the first, previous, nearby, next and last pages: bounded, whatever the total."""
        if total <= 1:
            return ""
        shown = sorted({1, total, *range(max(1, current - 2), min(total, current + 2) + 1)})
        items, previous = [], 0
        for n in shown:
            if n > previous + 1:
                items.append('<li aria-hidden="true">…</li>')
            url = base_url if n == 1 else f"{base_url}{PAGE_SEGMENT}{n}/"
            label = f'<span class="md-visually-hidden">Pagina </span>{n}'
            items.append(f'<li><a href="{self.href(url)}" aria-current="page">{label}</a></li>' if n == current
                         else f"<li>{self.link(url, label)}</li>")
            previous = n
        return f'<nav class="pdz-pager" aria-label="Pagine dell\'elenco"><ul>{"".join(items)}</ul></nav>'

    # --- shared tables ---------------------------------------------------------------------
    def objectives_table(self, objectives: list[Record], with_ambito: bool = False, caption: str = "") -> str:
        rows = []
        for o in objectives:
            d = o.data
            area = self.ref_link("area", d["area"]) if d.get("area") else escape(d.get("gruppo_piano", ""))
            groups = ", ".join(schemas.vocabulary("categoria_target")[g] for g in d.get("categorie_target") or [])
            row = [self.record_link(o), area, escape(groups) or "–",
                   objective_amount(o, short=True) or "–",
                   schemas.vocabulary("risposta_valore").get((d.get("coprogettazione") or {}).get("risposta"), "–"),
                   schemas.vocabulary("risposta_valore").get((d.get("continuita") or {}).get("risposta"), "–"),
                   self.state_text(o, with_date=False) or "–"]
            if with_ambito:
                row.insert(0, self.ref_link("ambito", o.ambito))
            rows.append(row)
        headers = ["Obiettivo", "Area", "Destinatari", "Risorse", "Co-progettato", "In continuità", "Stato"]
        if with_ambito:
            headers.insert(0, "Ambito")
        return self.table(caption or "Obiettivi", headers, rows,
                          numeric={headers.index("Risorse")})

    def evaluations_table(self, evaluations: list[Record], caption: str = "") -> str:
        rows = []
        for e in evaluations:
            d = e.data
            grade = (d.get("grado_raggiungimento") or {}).get("percentuale")
            match = (d.get("coincidenza_risorse") or {}).get("percentuale")
            rows.append([self.record_link(e), escape(d.get("gruppo") or d.get("area_piano") or ""),
                         percent(grade) if grade is not None else "–",
                         percent(match) if match is not None else "–",
                         schemas.vocabulary("risposta_valore").get((d.get("riproposto") or {}).get("risposta"), "–")])
        return self.table(caption or "Valutazioni degli obiettivi del piano precedente",
                          ["Obiettivo valutato", "Gruppo", "Raggiungimento", "Risorse impegnate", "Riproposto"],
                          rows, numeric={2, 3})

    def simple_list(self, records: list[Record]) -> str:
        return "<ul>" + "".join(f"<li>{self.record_link(r)}</li>" for r in records) + "</ul>"

    # --- policy areas -------------------------------------------------------------------------
    def area_pages(self) -> list[Page]:
        areas = self.catalog.all("area")
        self.here = "aree/"
        rows = [[self.record_link(x, f"{x.data['lettera']}. {x.title}"),
                 number(len(self._area_objectives(x)[0])), number(len(self._area_objectives(x)[1]))] for x in areas]
        body = self.h1("Aree di policy") + self.html_block(
            "<p>Le dieci macro-aree strategiche indicate da Regione Lombardia per la programmazione 2021-2023. "
            "Per ogni area, gli obiettivi di tutti gli Ambiti messi a confronto.</p>"
            + self.table("Aree di policy", ["Area", "Obiettivi principali", "Obiettivi trasversali"], rows, numeric={1, 2}))
        pages = [Page("aree/", "Aree di policy", body, sources=[x.path for x in areas])]
        for area in areas:
            pages += self.area_page(area)
            pages += self.area_history(area)
        return pages

    def _area_objectives(self, area: Record):
        main, transversal = [], []
        for o in self.catalog.all("obiettivo"):
            if o.data.get("area") == area.id:
                main.append(o)
            elif area.id in ((o.data.get("trasversale") or {}).get("aree") or []):
                transversal.append(o)
        return main, transversal

    def area_page(self, area: Record) -> list[Page]:
        base = page_url("area", area.id)
        main, transversal = self._area_objectives(area)
        rows = [(o, "principale") for o in sorted(main, key=lambda x: (x.ambito, self.catalog.sort_key(x)))] + \
            [(o, "trasversale") for o in sorted(transversal, key=lambda x: (x.ambito, self.catalog.sort_key(x)))]
        title = f"Area {area.data['lettera']}: {area.title}"

        def first_page():
            out = self.breadcrumb([("aree/", "Aree di policy")]) + self.h1(area.title, f"Area {area.data['lettera']}")
            out += self.heading(2, "Punti chiave regionali", "punti-chiave") + \
                self.html_block(self.text_list(area.data["punti_chiave"]))
            out += self.heading(2, "Gli obiettivi degli Ambiti a confronto", "obiettivi")
            summary = (f"<p>{number(len(main))} obiettivi hanno quest'area come area principale; "
                       f"{number(len(transversal))} hanno un'altra area principale ma dichiarano di integrarsi "
                       "con questa (<strong>trasversale</strong>).</p>")
            summary += self.rollup(main)
            if self._area_chains(area):
                summary += (f"<p>{self.link(f'{base}storia/', 'Storia degli obiettivi di quest area')}: gli obiettivi "
                            "di tutti gli Ambiti attraverso i piani, con le loro valutazioni.</p>").replace("quest area", "quest'area")
            evaluations = [e for e in self.catalog.all("valutazione") if e.data.get("area") == area.id]
            if evaluations:
                summary += "<p>Valutazioni in quest'area:</p>" + self.simple_list(evaluations)
            return out + self.html_block(summary) + self.provenance(area) + \
                facets_block(title, tipo=kind_label("area"), area=area_label(area))

        return self.paginated(base, title, [("aree/", "Aree di policy")], first_page, rows,
                              self.area_comparison, source=area.path)

    def _area_chains(self, area: Record) -> list:
        return self.monitoring.chains(self._area_objectives(area)[0])

    def area_history(self, area: Record) -> list[Page]:
        """The chains of the area's objectives across Ambiti, paginated like the comparison."""
        chains = sorted(self._area_chains(area), key=lambda c: (c[0].ambito, self.catalog.sort_key(c[0])))
        if not chains:
            return []
        base = page_url("area", area.id) + "storia/"
        title = f"Storia degli obiettivi – Area {area.data['lettera']}"
        crumbs = [("aree/", "Aree di policy"), (page_url("area", area.id), area.title)]

        def first_page():
            return self.breadcrumb(crumbs) + self.h1("Storia degli obiettivi", f"Area {area.data['lettera']}: {area.title}") + \
                self.html_block("<p>Gli obiettivi di quest'area in tutti gli Ambiti, attraverso i piani: ogni riga è la storia "
                                "di un obiettivo, con gli obiettivi che prosegue e quelli che lo proseguono, collegati "
                                "direttamente, e per ogni collegamento le righe del piano o il motivo della redazione.</p>")

        return self.paginated(base, title, crumbs, first_page, chains,
                              lambda chunk: self.chains_table(chunk, with_ambito=True, caption=title), source=area.path)

    def area_comparison(self, rows: list[tuple[Record, str]]) -> str:
        """Objectives of several Ambiti side by side; rows are (objective, 'principale'|'trasversale').
        Short values are columns; the long texts (recipients, indicators) open under the title."""
        out = []
        for o, relation in rows:
            d = o.data
            indicators = []
            for key in ("risultati", "impatto"):
                indicators += [i["descrizione"] for i in (d.get(key) or {}).get("indicatori") or []]
            more = ""
            if d.get("target") or indicators:
                more = (f'<details class="pdz-more"><summary>Destinatari e indicatori'
                        f'<span class="pdz-sr-only">: {self.text.plain(self.display_title(o))}</span></summary>'
                        + (f"<p><strong>Destinatari:</strong> {self.text.inline(d['target'])}</p>" if d.get("target") else "")
                        + (f"<p><strong>Indicatori principali:</strong></p>{self.text_list(indicators[:3])}" if indicators else "")
                        + "</details>")
            mark = '<strong class="pdz-transversal">trasversale</strong>' if relation == "trasversale" else "principale"
            out.append([self.ref_link("ambito", o.ambito), escape(o.period or ""), self.record_link(o) + more, mark,
                        objective_amount(o, short=True) or "–"])
        return self.table("Obiettivi per Ambito", ["Ambito", "Piano", "Obiettivo", "Area", "Risorse"], out,
                          numeric={4}, wide={2})

    # --- partners ------------------------------------------------------------------------------
    def partner_pages(self) -> list[Page]:
        partners = self.catalog.all("partner")
        self.here = "partner/"
        groups = defaultdict(list)
        for p in partners:
            groups[p.data["tipo"]].append(p)
        out = self.h1("Attori della rete") + self.html_block(
            "<p>Enti pubblici, enti del Terzo Settore e altri attori citati nei Piani di Zona, "
            "con gli obiettivi a cui partecipano.</p>")
        for tipo, label in schemas.plural_labels("tipo_partner").items():
            if groups.get(tipo):
                out += self.heading(2, label, f"tipo-{tipo}") + self.html_block(
                    self.simple_list(sorted(groups[tipo], key=lambda r: r.title.lower())), searchable=False)
        pages = [Page("partner/", "Attori della rete", out, sources=[p.path for p in partners])]
        if self.preview:   # only the partners the previewed Ambito's pages link to
            linked = {p.id for p in self.network(self.catalog.get("ambito", self.preview))}  # type: ignore[attr-defined]  # PlanPages (mixin)
            partners = [p for p in partners if p.id in linked]
        for p in partners:
            pages += self.partner_page(p)
        return pages

    def partner_page(self, p: Record) -> list[Page]:
        d = p.data
        citing = []
        for link in self.catalog.referrers(p):
            if link.source not in citing:
                citing.append(link.source)
        citing.sort(key=lambda r: (r.kind != "obiettivo", r.ambito or "", self.catalog.sort_key(r)))

        def first_page():
            out = self.breadcrumb([("partner/", "Attori della rete")]) + self.h1(p.title, schemas.plural_labels("tipo_partner").get(d["tipo"], ""))
            out += self.html_block(self.facts([
                ("Sigla", escape(d.get("sigla", ""))),
                ("Altri nomi", escape("; ".join(d.get("nomi_alternativi") or []))),
                ("Piano di Zona su questo sito",
                 self.ref_link("ambito", d["ambito_territoriale"]) if d.get("ambito_territoriale") else ""),
                ("Obiettivi che co-progetta", number(sum(1 for r in citing if r.kind == "obiettivo"))),
            ], "pdz-facts pdz-summary"))
            if d.get("descrizione"):
                out += self.heading(2, "Descrizione", "descrizione") + self.html_block(self.text.block(d["descrizione"]))
            if d.get("ambiti"):
                items = "".join(f"<li>{self.ref_link('ambito', x['ambito'])}"
                                f"{': ' + self.text.inline(x['ruolo']) if x.get('ruolo') else ''}</li>" for x in d["ambiti"])
                out += self.heading(2, "Negli Ambiti", "ambiti") + self.html_block(
                    f"<ul>{items}</ul><p class=\"pdz-muted\">Il ruolo è descritto dalla redazione sulla base delle righe "
                    "della fonte indicate in fondo alla pagina.</p>")
            out += self.provenance(p) + facets_block(p.title, tipo=kind_label("partner"))
            return out + (self.heading(2, "Obiettivi e contenuti collegati", "obiettivi") if citing else "")

        def render(chunk):
            rows = [[self.ref_link("ambito", r.ambito) if r.ambito else "–", self.record_link(r),
                     escape(KINDS[r.kind].label + (f" {r.period}" if r.period and r.kind != "piano" else ""))]
                    for r in chunk]
            return self.table("Contenuti che citano questo attore", ["Ambito", "Contenuto", "Tipo"], rows)

        return self.paginated(page_url("partner", p.id), p.title, [("partner/", "Attori della rete")],
                              first_page, citing, render, source=p.path)

    # --- glossary and sources --------------------------------------------------------------------
    def glossary_page(self) -> Page:
        self.here = "glossario/"
        items = "".join(
            f'<div id="{escape(s.id)}"><dt><abbr title="{escape(s.data["esteso"])}">{escape(s.data["sigla"])}</abbr></dt>'
            f'<dd>{escape(s.data["esteso"])}{self.text.block(s.data.get("spiegazione", ""))}'
            f'<span class="pdz-muted"> Fonte: {"; ".join(self.source_parts(s))}</span></dd></div>'
            for s in sorted(self.catalog.all("sigla"), key=lambda r: r.data["sigla"].lower()))
        body = self.h1("Glossario") + self.html_block(
            "<p>Le sigle usate nei Piani di Zona, come le sciolgono i documenti stessi.</p>"
            f'<dl class="pdz-facts pdz-glossary">{items}</dl>')
        return Page("glossario/", "Glossario", body, sources=[s.path for s in self.catalog.all("sigla")])

    def source_pages(self) -> list[Page]:
        docs = self.catalog.all("documento")
        by_doc = defaultdict(list)
        for r in self.catalog.by_key.values():
            for source in r.data.get("fonti") or []:
                by_doc[source["documento"]].append(((source.get("righe") or [0])[0], r))
        self.here = "fonti/"
        body = self.h1("Documenti di origine") + self.html_block(
            "<p>Il contenuto del sito è trascritto da questi documenti. Ogni pagina indica le righe da cui è tratta.</p>"
            + self.simple_list(docs))
        pages = [Page("fonti/", "Documenti di origine", body, sources=[d.path for d in docs])]
        for doc in docs:
            if self.preview and doc.data.get("ambito") not in (None, self.preview):
                continue
            pages += self.source_page(doc, [x for x in sorted(by_doc.get(doc.id, []), key=lambda x: (x[0], x[1].id))
                                            if x[1].kind != "documento"])
        return pages

    def source_page(self, doc: Record, entries: list) -> list[Page]:
        def first_page():
            out = self.breadcrumb([("fonti/", "Documenti di origine")]) + self.h1(doc.title, "Documento di origine")
            out += self.html_block(self.facts([
                ("File", f"<code>{escape(doc.data['file'])}</code>" if doc.data.get("file") else ""),
                ("Righe", number(doc.data["righe_totali"]) if doc.data.get("righe_totali") else ""),
                ("Indirizzo", self.link(doc.data["url"], escape(doc.data["url"])) if doc.data.get("url") else ""),
                ("Ambito", self.ref_link("ambito", doc.data["ambito"]) if doc.data.get("ambito") else ""),
                ("Data", escape(doc.data.get("data", ""))),
            ], "pdz-facts pdz-summary") + self.text.block(doc.data.get("descrizione", "")))
            return out + self.heading(2, "Contenuti tratti da questo documento", "contenuti")

        def render(chunk):
            rows = [[f"{start}", self.record_link(r), escape(KINDS[r.kind].label)] for start, r in chunk]
            # titles of other pages: not words of this one for the site search
            return '<div data-pagefind-ignore="all">' + \
                self.table("Contenuti in ordine di riga", ["Riga", "Contenuto", "Tipo"], rows, numeric={0}) + "</div>"

        return self.paginated(page_url("documento", doc.id), doc.title, [("fonti/", "Documenti di origine")],
                              first_page, entries, render, source=doc.path)
