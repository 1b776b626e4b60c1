"""Navigation for citizens and partners, asserted on the built real site."""
from __future__ import annotations

import csv
import io
import json
import re

from pdz_dev.project import real_content
from pdz_dev.project import html, text_of


def catalog():
    result, _ = real_content()
    return result


def test_home_presents_the_task_first_then_the_five_ambiti_and_other_ways_in(real_site):
    page = html(real_site, "")
    text = text_of(page)
    order = ["Cerca un servizio", "Cerca per argomento", "Il tuo Comune", "Gli Ambiti", "Ultimi aggiornamenti",
             "Il Piano di Zona è il documento", "Altri modi per cercare"]
    assert [text.index(part) for part in order] == sorted(text.index(part) for part in order)
    assert "€ 10.444.000,00" in text               # Corsico: sum of its 11 objective budgets
    for a in catalog().all("ambito"):
        assert f'href="{a.id}/"' in page, a.id
    assert 'href="destinatari/minori/"' in page and 'href="partner/"' in page and 'href="fonti/"' in page
    ambiti = text_of(html(real_site, "ambiti"))
    assert "117.654" in ambiti                     # Corsico's population, the only one stated
    assert ambiti.count("Comuni ") >= 5


def test_target_group_pages_list_objectives_across_ambiti(real_site):
    page = html(real_site, "destinatari/minori")
    assert "corsico/2021-2023/obiettivi/04-tutela-minori" in page
    assert "crema/2021-2023/obiettivi/05-giovani-minori-famiglia" in page


def test_plan_page_has_objectives_evaluations_and_data(real_site):
    page = html(real_site, "crema/2021-2023")
    text = text_of(page)
    for heading in ("Obiettivi 2021-2023", "Esiti della programmazione 2018-2020",
                    "Dati di contesto", "Progetti sociosanitari", "Governance"):
        assert heading in text, heading
    assert text.count("€ ") >= 8
    assert 'href="valutazioni/07-01-' in page


def test_ambito_page_shows_the_current_plan_first_then_the_archive_the_network_and_data(real_site):
    page = html(real_site, "crema")
    text = text_of(page)
    for heading in ("Il piano più recente: Piano di Zona 2021-2023", "Archivio dei piani precedenti",
                    "La rete: attori citati nei piani", "Dati aperti"):
        assert heading in text, heading
    assert text.index("Piano di Zona 2021-2023") < text.index("Archivio dei piani precedenti")
    assert 'href="2021-2023/"' in page and 'href="2018-2020/"' in page
    assert 'href="2021-2023/obiettivi/01-' in page


def test_evaluation_and_objective_link_each_other(real_site):
    objective = html(real_site, "corsico/2021-2023/obiettivi/05-portale-ambito")
    assert 'href="../../valutazioni/01-portale-unico-di-ambito/"' in objective
    evaluation = html(real_site, "corsico/2021-2023/valutazioni/01-portale-unico-di-ambito")
    assert 'href="../../obiettivi/05-portale-ambito/"' in evaluation
    # backlinks: the objective also lists the evaluation among the records that cite it
    assert "Collegamenti" in text_of(objective)


def test_objective_and_sociosanitary_project_link_each_other(real_site):
    project = html(real_site, "crema/2021-2023/progetti/01-isd-supporto-domiciliarita")
    links = set(re.findall(r'href="\.\./\.\./obiettivi/([a-z0-9-]+)/"', project))
    assert links
    objective = html(real_site, f"crema/2021-2023/obiettivi/{sorted(links)[0]}")
    assert 'href="../../progetti/01-isd-supporto-domiciliarita/"' in objective


def test_actions_integrate_with_each_other_both_ways():
    records = catalog()
    pairs = [(o, a, t) for o in records.all("obiettivo") for a in o.data.get("azioni") or []
             for t in a.get("integra_con") or [] if t.get("azione")]
    assert pairs, "some action declares 'si integra con'"


def test_action_integration_backlink_is_rendered(real_site):
    records = catalog()
    for objective in records.all("obiettivo"):
        for action in objective.data.get("azioni") or []:
            for target in action.get("integra_con") or []:
                if "azione" in target:
                    target_id = target.get("obiettivo", objective.id)
                    page = html(real_site, target_id)
                    anchor = "azione-" + re.sub(r"[^a-z0-9]", "-", target["azione"].lower())
                    assert f'id="{anchor}"' in page
                    block = page[page.index(f'id="{anchor}"'):]
                    block = block[:block.index("</li>")]
                    assert "Richiamata da:" in block, (target_id, anchor)
                    return
    raise AssertionError("no action integration found")


def test_transversal_objectives_are_marked_on_area_pages(real_site):
    records = catalog()
    transversal = [(o, letter) for o in records.all("obiettivo")
                   for letter in (o.data.get("trasversale") or {}).get("aree") or [] if letter != o.data.get("area")]
    assert transversal
    objective, letter = transversal[0]
    page = html(real_site, f"aree/{letter.lower()}")
    row = page[page.index(objective.id):]
    row = row[:row.index("</li>")]
    assert "Trasversale: il piano lo integra con quest&#x27;area" in row or "Trasversale: il piano lo integra con quest'area" in row


def test_glossary_page_and_abbreviation_tooltips(real_site):
    glossary = html(real_site, "glossario")
    assert 'id="asst"' in glossary or 'id="ats"' in glossary
    assert "<abbr title=" in glossary
    objective = html(real_site, "corsico/2021-2023/obiettivi/10-integrazione-sociosanitaria")
    # each acronym carries its glossary entry (the disclosure of pdz-abbr.js, issue #25)
    assert re.search(r'<abbr title="[^"]+" data-glossario="(asst|ats)">(ASST|ATS)</abbr>', objective)


def test_open_data_page_csv_schemas_and_licence(real_site):
    page = text_of(html(real_site, "dati-aperti"))
    assert "CC BY 4.0" in page and "schema JSON" in page
    rows = list(csv.DictReader(io.StringIO((real_site / "dati/valutazioni.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(catalog().all("valutazione"))
    portale = next(r for r in rows if r["id"] == "corsico/2021-2023/valutazioni/01-portale-unico-di-ambito")
    assert portale["raggiungimento_percentuale"] == "25"
    indicators = json.loads((real_site / "dati/crema/indicatori.json").read_text(encoding="utf-8"))
    assert indicators["numero_elementi"] >= 75
    schema = json.loads((real_site / "dati/schemi/obiettivo.schema.json").read_text(encoding="utf-8"))
    assert schema["$id"] == "obiettivo.schema.json"
    footer = html(real_site, "corsico/2021-2023/obiettivi/04-tutela-minori")
    assert "creativecommons.org/licenses/by/4.0" in footer


def test_charts_are_accessible_svg_with_the_numbers_as_a_table(real_site):
    page = html(real_site, "corsico/2021-2023")
    svg = re.search(r'<svg class="pdz-chart" role="img" aria-labelledby="([^"]+)"', page)
    assert svg
    for ident in svg.group(1).split():
        assert f'id="{ident}"' in page
    assert "<title id=" in page and "<desc id=" in page
    assert "Risorse preventivate per area di policy" in page
    assert "Grado di raggiungimento degli obiettivi 2018-2020" in page
    assert "cdn" not in page.lower()


def test_growing_lists_are_paginated(tmp_path):
    """A list longer than a page is split, and every page links the others."""
    from pdz.render import Build
    from pdz.render.listings import PAGE_SIZE, paginated
    ctx = Build(catalog()).page("")
    items = list(range(PAGE_SIZE * 2 + 3))
    pages = paginated(ctx, "prova/", "Prova", [], lambda ctx: "<h1>Prova</h1>", items,
                      lambda ctx, chunk: "<ul>" + "".join(f"<li>{i}</li>" for i in chunk) + "</ul>")
    assert [p.url for p in pages] == ["prova/", "prova/pagina-2/", "prova/pagina-3/"]
    assert pages[2].body.count("<li>") == 3 + 3            # 3 items + 3 pager links
    assert 'href="../pagina-2/"' in pages[2].body and 'aria-current="page"' in pages[2].body
    many = paginated(ctx, "prova/", "Prova", [], lambda ctx: "", list(range(PAGE_SIZE * 60)), lambda ctx, chunk: "")
    assert len(many) == 60 and many[30].body.count("<li") <= 9   # first, last, current ±2 and gaps


def test_navigation_stays_small_on_record_pages(real_site):
    """Record pages are not in the navigation: the nav does not grow with the number of records."""
    small = html(real_site, "corsico/2021-2023/obiettivi/04-tutela-minori")
    nav = small[small.index('<nav class="md-nav md-nav--primary"'):small.index("</nav>", small.index('md-nav--primary'))]
    assert "04-tutela-minori" not in nav
    assert len(small.encode("utf-8")) < 100_000
