"""An Ambito over time: the territory's page (current plan first, then the archive), one page per
plan (an Ambito in one period) and the plan's lists."""
from __future__ import annotations

from collections import defaultdict

from pdz.content import schemas
from pdz.content.model import KINDS, Record
from pdz.html.text import escape
from pdz.content.urls import page_url
from pdz.render.base import Page, euro, italian_date, number, percent
from pdz.render.charts import bar_chart
from pdz.render.facets import facets_block, kind_label
from pdz.render.indices import IndexPages
from pdz.domain.budget import COMPUTED, item_kinds, by_kind, total as budget_sum
from pdz.render.history import OWN_SCHEDA, kinds_text
from pdz.render.italian import count
from pdz.render.money import computed_plain, totals

PLAN_PARTS = (("progetto", "progetti"), ("monitoraggio", "monitoraggio"), ("organo", "governance"),
              ("tabella", "dati"), ("sezione", "sezioni"))


def print_url(plan_id: str) -> str:
    """The printable plan: one per plan, under the plan's address."""
    return f"{plan_id}/stampa/"


class PlanPages(IndexPages):
    # --- Ambito (the territory) ----------------------------------------------------------------
    def ambito_page(self, a: Record) -> list[Page]:
        self.here = page_url("ambito", a.id)
        facets = facets_block(a.title, ambito=a.title, tipo=kind_label("ambito"))
        pages = [Page(self.here, a.title, self.ambito_body(a) + facets, source=a.path)]
        chains = self.monitoring.chains(self.catalog.of_ambito(a.id, "obiettivo"))
        if chains:
            pages.append(self.history_page(a, chains))
        return pages

    def history_page(self, a: Record, chains: list) -> Page:
        """'Storia degli obiettivi': every chain of the Ambito, one row each, one column per plan."""
        self.here = f"{a.id}/storia/"
        out = self.breadcrumb([(f"{a.id}/", a.title)]) + self.h1("Storia degli obiettivi", a.title)
        out += self.html_block(
            "<p>Ogni riga è la storia di un obiettivo: gli obiettivi dei piani precedenti che prosegue e quelli che "
            "lo proseguono, collegati direttamente. Per ogni collegamento, le righe del piano che lo dichiarano o il "
            "motivo per cui la redazione lo deduce; tra parentesi lo stato di attuazione, quando una scheda o una "
            "valutazione lo indica.</p>"
            + self.chains_table(chains, caption=f"Storia degli obiettivi – {a.title}"))
        sources = sorted({o.path for chain in chains for o in chain})
        return Page(self.here, f"Storia degli obiettivi – {a.title}", out, sources=sources)

    def ambito_body(self, a: Record) -> str:
        d = a.data
        self.here = page_url("ambito", a.id)
        plans = self.catalog.plans(a.id)
        current = plans[-1] if plans else None
        out = self.h1(a.title, "Ambito territoriale")
        comuni = d.get("comuni") or []
        out += self.html_block(self.facts([
            ("Comuni", number(d["numero_comuni"]) if d.get("numero_comuni") else (number(len(comuni)) if comuni else "")),
            ("Popolazione", f"{number(d['popolazione']['abitanti'])} abitanti"
             + (f" ({escape(d['popolazione']['riferimento'])})" if d["popolazione"].get("riferimento") else "")
             if d.get("popolazione") else ""),
            ("Superficie", f"{number(d['superficie_kmq'])} km²" if d.get("superficie_kmq") else ""),
            ("ATS", self.ref_link("partner", d["ats"]) if d.get("ats") else ""),
            ("ASST", ", ".join(self.ref_link("partner", x) for x in d.get("asst") or [])),
            ("Piani di Zona su questo sito", ", ".join(self.record_link(p, p.period) for p in reversed(plans))),
        ], "pdz-facts pdz-summary"))
        if current:
            out += self.heading(2, f"Il piano più recente: {current.title}", "piano-corrente")
            out += self.html_block(self.plan_summary(current))
            objectives = self.catalog.of_plan(current.id, "obiettivo")
            if objectives:
                out += self.html_block(self.rollup(objectives, current) +
                                       self.objectives_table(objectives, caption=f"Obiettivi {current.period}"))
        earlier = plans[:-1]
        if earlier:
            out += self.heading(2, "Archivio dei piani precedenti", "archivio")
            items = "".join(f"<li>{self.record_link(p)}: {self.plan_counts(p)}{self.archive_rollup(p)}</li>"
                            for p in reversed(earlier))
            out += self.html_block(f"<ul>{items}</ul>")
        if self.monitoring.chains(self.catalog.of_ambito(a.id, "obiettivo")):
            out += self.heading(2, "Storia degli obiettivi", "storia") + self.html_block(
                f"<p>{self.link(f'{a.id}/storia/', 'Storia degli obiettivi')}: ogni obiettivo attraverso i piani, "
                "con la valutazione che lo ha originato, il suo stato e come prosegue.</p>")
        out += self.heading(2, "Comuni e subambiti" if d.get("subambiti") else "Comuni", "comuni") + \
            self.html_block(self.ambito_comuni(a))
        as_partner = [p for p in self.catalog.all("partner") if p.data.get("ambito_territoriale") == a.id]
        for partner in as_partner:
            others = sorted({x["ambito"] for x in partner.data.get("ambiti") or []} - {a.id})
            if others:
                names = ", ".join(self.ref_link("ambito", x) for x in others)
                out += self.html_block(f"<p>Questo Ambito è citato come {self.record_link(partner, 'attore della rete')} "
                                       f"nei documenti di: {names}.</p>")
        partners = self.network(a)
        if partners:
            out += self.heading(2, "La rete: attori citati nei piani", "rete") + \
                self.html_block(self.simple_list(partners), searchable=False)
        files = " · ".join(f"{escape(name.capitalize())}: {self.link(f'dati/{a.id}/{name}.json', 'JSON')}, "
                           f"{self.link(f'dati/{a.id}/{name}.csv', 'CSV')}"
                           for name in ("obiettivi", "indicatori", "misurazioni", "valutazioni", "risorse"))
        out += self.heading(2, "Dati aperti", "dati-aperti") + self.html_block(
            f"<p>{files}. Licenza CC BY 4.0 ({self.link('dati-aperti/', 'come usare i dati')}).</p>")
        out += self.extra_fields(a)
        return out + self.provenance(a)

    def plan_counts(self, plan: Record) -> str:
        """'11 obiettivi, 26 valutazioni del piano precedente' – what a plan holds, in words: what its
        objective records are when they are not all objectives, and how many objectives the plan
        says it has, quoted with its line."""
        parts = []
        objectives = self.catalog.of_plan(plan.id, "obiettivo")
        evaluated = [o for o in objectives if self.evaluations_of(o)]
        if objectives:
            (singular, plural), feminine = self.records_noun(objectives)
            text = count(len(objectives), singular, plural)
            kinds = self.records_composition(objectives)
            if len(kinds) > 1 or feminine:
                text += f" ({kinds_text(kinds)})"
            if evaluated:
                text += (f", {count(len(evaluated), 'valutata' if feminine else 'valutato', 'valutate' if feminine else 'valutati')}"
                         " nei piani successivi")
            parts.append(text)
        evaluations = self.catalog.of_plan(plan.id, "valutazione")
        if evaluations:
            parts.append(count(len(evaluations), "valutazione", "valutazioni") + " del piano precedente")
        out = escape("; ".join(parts) or "nessun contenuto")
        stated = plan.data.get("obiettivi_dichiarati")
        if stated:
            out += f". La fonte scrive: «{self.text.inline(stated['testo'])}» ({self.quoted_lines(plan, stated)})"
        return out

    def records_composition(self, objectives: list[Record]) -> dict[str, int]:
        """How many records of each type (valutazione.tipo_oggetto), in a stable order."""
        kinds: dict[str, int] = {}
        for o in objectives:
            kind = self.record_type(o)
            kinds[kind] = kinds.get(kind, 0) + 1
        order = [OWN_SCHEDA, *schemas.vocabulary("tipo_oggetto_valutato")]
        return dict(sorted(kinds.items(), key=lambda item: order.index(item[0])))

    def archive_rollup(self, p: Record) -> str:
        objectives = self.catalog.of_plan(p.id, "obiettivo")
        if not objectives:
            return ""
        return self.rollup(objectives, p) + f"<p>{self.link(f'{p.id}/obiettivi/', 'Elenco delle schede contate')}</p>"

    def plan_counts_short(self, objectives: list[Record]) -> str:
        if not objectives:
            return ""
        kinds = self.records_composition(objectives)
        return number(len(objectives)) + (f" ({escape(kinds_text(kinds))})" if len(kinds) > 1 or self.records_noun(objectives)[1] else "")

    def evaluations_of(self, objective: Record) -> list[Record]:
        return [link.source for link in self.catalog.referrers(objective, "valutazione")
                if link.field == ("obiettivo_valutato",)]

    def plan_summary(self, p: Record) -> str:
        """The key facts of a plan, with a link to its page (Ambito page)."""
        objectives = self.catalog.of_plan(p.id, "obiettivo")
        return self.facts([
            ("Periodo", escape(self.period_label(p))),
            ("Titolo del documento", self.text.plain(p.data["titolo_piano"]) if p.data.get("titolo_piano") else ""),
            ("Contenuto", self.plan_counts(p)),
            ("Risorse preventivate per gli obiettivi", totals(objectives)),
        ], "pdz-facts pdz-summary") + f"<p>{self.record_link(p, 'Vai al piano ' + p.period)}</p>"

    @staticmethod
    def period_label(p: Record) -> str:
        extension = p.data.get("proroga") or {}
        if not extension:
            return p.period
        act = f", {extension['atto']}" if extension.get("atto") else ""
        return f"{p.period}, prorogato fino al {_year_or_date(extension['fino_al'])}{act}"

    # --- Piano (the Ambito in one period) -------------------------------------------------------
    def plan_pages(self, p: Record) -> list[Page]:
        self.here = page_url("piano", p.id)
        facets = facets_block(f"{p.title} – {self.ambito_name(p)}", ambito=self.ambito_name(p), tipo=kind_label("piano"),
                              periodo=p.period or "")
        pages = [Page(self.here, f"{p.title} – {self.ambito_name(p)}", self.plan_body(p) + facets, source=p.path)]
        for kind in KINDS.values():
            records = self.catalog.of_plan(p.id, kind.name)
            if kind.scoped and records:
                pages.append(self.plan_list_page(p, kind.name, records))
        return pages

    def plan_body(self, p: Record, here: str | None = None) -> str:
        """``here``: the page the body is placed on, when not the plan's own (printable plan)."""
        d = p.data
        self.here = here or page_url("piano", p.id)
        out = self.breadcrumb([(f"{p.ambito}/", self.ambito_name(p))]) + self.h1(p.title, self.ambito_name(p))
        out += self.html_block(f'<p class="pdz-print-link">{self.link(print_url(p.id), "Versione stampabile del piano completo")}: '
                               "tutto il piano in una sola pagina, da stampare o salvare in PDF "
                               "(più pesante delle altre pagine).</p>")
        objectives = self.catalog.of_plan(p.id, "obiettivo")
        approval = d.get("approvazione") or {}
        out += self.html_block(self.facts([
            ("Ambito", self.ref_link("ambito", p.ambito)),
            ("Periodo", escape(self.period_label(p))),
            ("Titolo del documento", self.text.plain(d["titolo_piano"]) if d.get("titolo_piano") else ""),
            ("Obiettivi" if not self.records_noun(objectives)[1] else "Voci", self.plan_counts_short(objectives)),
            ("Numero secondo la fonte",
             f"«{self.text.inline(d['obiettivi_dichiarati']['testo'])}» ({self.quoted_lines(p, d['obiettivi_dichiarati'])})"
             if d.get("obiettivi_dichiarati") else ""),
            ("Risorse preventivate per gli obiettivi", totals(objectives)),
            ("Ente capofila", escape(d.get("ente_capofila", ""))),
            ("Ente gestore", self.ref_link("partner", d["ente_gestore"]) if d.get("ente_gestore") else ""),
            ("Approvazione", " ".join(filter(None, [escape(approval.get("organo", "")),
                                                   _italian_date(approval.get("data"))]))),
            ("Documenti di origine", ", ".join(self.ref_link("documento", x) for x in d.get("documenti") or [])),
            ("Altri piani dell'Ambito", ", ".join(self.record_link(x, x.period) for x in self.catalog.plans(p.ambito)
                                                  if x is not p)),
        ], "pdz-facts pdz-summary"))
        if d.get("sintesi"):
            out += self.heading(2, "Il piano in breve", "in-breve") + self.html_block(self.text.block(d["sintesi"]))
        if objectives:
            out += self.heading(2, f"Obiettivi {p.period}", "obiettivi") + \
                self.html_block(self.rollup(objectives, p) + self.objectives_table(objectives, caption=f"Obiettivi {p.period}"),
                                searchable=False)
            out += self.budget_chart(p, objectives)
        evaluations = self.catalog.of_plan(p.id, "valutazione")
        if evaluations:
            out += self.heading(2, "Esiti della programmazione " + self.evaluated_periods(evaluations), "valutazioni") + \
                self.html_block(self.evaluations_table(evaluations), searchable=False)
            out += self.achievement_chart(p, evaluations)
        for kind_name, anchor_id in PLAN_PARTS:
            records = self.catalog.of_plan(p.id, kind_name)
            if records:
                out += self.heading(2, KINDS[kind_name].label_plural, anchor_id) + \
                    self.html_block(self.simple_list(records), searchable=False)
        out += self.extra_fields(p)
        return out + self.provenance(p)

    def evaluated_periods(self, evaluations: list[Record]) -> str:
        """'2018-2020': the periods of the objectives that evaluations look back on."""
        periods = sorted({o.period for o in (self.catalog.get("obiettivo", e.data.get("obiettivo_valutato", ""))
                                             for e in evaluations) if o})
        return " e ".join(periods) if periods else "precedente"

    def budget_chart(self, p: Record, objectives: list[Record]) -> str:
        groups: dict[str, list[Record]] = defaultdict(list)
        for o in objectives:
            if budget_sum([o]) is None:
                continue
            area = self.catalog.get("area", o.data["area"]) if o.data.get("area") else None
            label = f"{area.data['lettera']}. {area.title}" if area else \
                f"{o.data.get('gruppo_piano', 'Senza area')} (nessuna area regionale)"
            groups[label].append(o)
        if not groups:
            return ""
        rows = sorted((label, budget_sum(records), by_kind(records)) for label, records in groups.items())
        kinds = [k for k in item_kinds() if any(k in sums for _, _, sums in rows)]
        slug = p.id.replace("/", "-")
        svg = bar_chart(f"grafico-risorse-{slug}", f"Risorse preventivate per area di policy – {self.ambito_name(p)}, {p.period}",
                        f"Barre orizzontali: per ogni area di policy, {COMPUTED} (tutte le voci delle schede "
                        f"obiettivo {p.period}). Gli stessi valori, divisi per tipo di risorsa, sono nella tabella che segue.",
                        [(label, value, euro(value)) for label, value, _ in rows])
        body = [[escape(label)] + [computed_plain(sums[k]) if k in sums else "–" for k in kinds] + [computed_plain(value)]
                for label, value, sums in rows]
        body.append(["<strong>Tutte le aree</strong>"] + [computed_plain(sum(s.get(k, 0) for _, _, s in rows)) for k in kinds]
                    + [computed_plain(budget_sum(objectives))])
        table = self.table(f"Risorse preventivate per area di policy e tipo di risorsa ({COMPUTED})",
                           ["Area di policy"] + [item_kinds()[k] for k in kinds] + ["Tutte le voci"], body,
                           numeric=set(range(1, len(kinds) + 2)))
        return self.heading(3, "Risorse per area di policy", "grafico-risorse") + \
            self.html_block(f'<figure class="pdz-figure">{svg}<figcaption>Risorse economiche preventivate nelle '
                            f'schede obiettivo, per area: {COMPUTED}.</figcaption></figure>{table}')

    def achievement_chart(self, p: Record, evaluations: list[Record]) -> str:
        rows = [(self.display_title(e), e.data["grado_raggiungimento"]["percentuale"]) for e in evaluations
                if "percentuale" in (e.data.get("grado_raggiungimento") or {})]
        if not rows:
            return ""
        slug = p.id.replace("/", "-")
        periods = self.evaluated_periods(evaluations)
        svg = bar_chart(f"grafico-raggiungimento-{slug}", f"Grado di raggiungimento degli obiettivi {periods} – {self.ambito_name(p)}",
                        "Barre orizzontali da 0 a 100%: grado di raggiungimento dichiarato per ogni obiettivo "
                        "valutato. Gli stessi valori sono nella tabella degli esiti qui sopra.",
                        [(label, value, percent(value)) for label, value in rows], maximum=100)
        average = sum(v for _, v in rows) / len(rows)
        return self.heading(3, f"Raggiungimento degli obiettivi {periods}", "grafico-raggiungimento") + \
            self.html_block(f'<figure class="pdz-figure">{svg}<figcaption>Grado di raggiungimento per obiettivo '
                            f'(media semplice: {percent(round(average, 1))}, calcolata dal sito su '
                            f'{count(len(rows), "valutazione", "valutazioni")} con una percentuale).</figcaption></figure>')

    def network(self, a: Record) -> list[Record]:
        """Partners linked to an Ambito: by declaration or by a reference from its records."""
        found = {}
        for p in self.catalog.all("partner"):
            if any(x.get("ambito") == a.id for x in p.data.get("ambiti") or []):
                found[p.id] = p
        for link in self.catalog.links:
            if link.target_kind == "partner" and link.source.ambito == a.id:
                partner = self.catalog.get("partner", link.target_id)
                if partner:
                    found[partner.id] = partner
        return sorted(found.values(), key=lambda r: r.title.lower())

    def plan_list_page(self, p: Record, kind_name: str, records: list[Record]) -> Page:
        kind = KINDS[kind_name]
        self.here = f"{p.id}/{kind.folder}/"
        out = self.breadcrumb([(f"{p.ambito}/", self.ambito_name(p)), (f"{p.id}/", p.title)]) + \
            self.h1(kind.label_plural, f"{self.ambito_name(p)}, {p.period}")
        if kind_name == "obiettivo":
            listing = self.objectives_table(records, caption=f"Obiettivi {p.period}")
        elif kind_name == "valutazione":
            listing = self.evaluations_table(records)
        else:
            listing = self.simple_list(records)
        out += self.html_block(listing, searchable=False)   # the records are indexed on their own pages
        return Page(self.here, f"{kind.label_plural} {p.period} – {self.ambito_name(p)}", out,
                    sources=[r.path for r in records])


def _italian_date(iso: str | None) -> str:
    return f"il {italian_date(iso)}" if iso else ""


def _year_or_date(value: str) -> str:
    return italian_date(value) if len(value) == 10 else value
