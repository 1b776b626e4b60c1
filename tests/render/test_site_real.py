"""The real content, built once in strict mode, asserted on the produced HTML."""
from __future__ import annotations

import json
import re

from pdz_dev.project import html, text_of, real_content

FORM_ANCHORS = ("descrizione", "target", "risorse-economiche", "risorse-personale", "trasversale",
                "integrazione-sociosanitaria", "continuita", "coprogettazione", "bisogni", "modalita",
                "risultati", "impatto")   # + the title: the 13 fields of the regional Tabella 3



def test_real_content_is_valid():
    catalog, problems = real_content()
    assert [p.format() for p in problems if p.severity == "errore"] == []
    assert len(catalog.all("ambito")) == 5


def test_corsico_tutela_minori_shows_budget_and_codesign(real_site):
    text = text_of(html(real_site, "corsico/2021-2023/obiettivi/04-tutela-minori"))
    assert "Ridefinizione del servizio tutela minori" in text
    assert "€ 3.500.000,00 + € 440.000,00 (costo del personale dell'ufficio di piano)" in text
    assert "Somma delle voci € 3.940.000,00 (somma calcolata dal sito delle voci indicate nel piano: " \
           "voci di tipo diverso: risorse economiche preventivate (senza altra indicazione) e costo del personale)" in text
    codesign = text[text.index("Co-progettazione con la rete"):text.index("Bisogni a cui risponde")]
    assert "Sì – da individuare" in codesign


def test_crema_poverty_headline_is_the_plans_figure_and_project_money_is_apart(real_site):
    text = text_of(html(real_site, "crema/2021-2023/obiettivi/01-contrasto-poverta"))
    summary = text[:text.index("Descrizione")]
    assert "Risorse economiche preventivate : € 733.854,13 (risorse d'Ambito, importo indicato nel piano)" in summary
    assert "884.372,45" not in summary
    assert "Risorse di progetti specifici e di terzi € 90.000,00" in text
    assert "Somma delle voci € 884.372,45 (somma calcolata dal sito delle voci indicate nel piano: voci di tipo " \
           "diverso: risorse d'Ambito e risorse di progetti specifici e di terzi)" in text


def test_portale_unico_evaluation_shows_25_percent(real_site):
    page = html(real_site, "corsico/2021-2023/valutazioni/01-portale-unico-di-ambito")
    text = text_of(page)
    assert "Portale unico di Ambito territoriale" in text
    assert re.search(r"Grado di raggiungimento[^%]*?25%", text)
    assert '<strong class="pdz-percent">25%</strong>' in page


def test_every_objective_page_shows_all_regional_fields_with_stable_anchors(real_site):
    catalog, _ = real_content()
    # the objectives of the plans transcribed from their own document (the 2018-2020 objectives are
    # known only through their evaluation, and their pages show what that evaluation says)
    objectives = [o for o in catalog.all("obiettivo") if catalog.get("piano", o.piano).data.get("documenti")]
    assert len(objectives) >= 19
    for objective in objectives:
        page = html(real_site, objective.id)
        for anchor in FORM_ANCHORS:
            assert f'id="{anchor}"' in page, (objective.id, anchor)
        assert '<h1 id="titolo">' in page


def test_corsico_plan_lists_its_objectives_and_evaluations(real_site):
    page = html(real_site, "corsico/2021-2023")
    for n in range(1, 12):
        assert re.search(rf'href="obiettivi/{n:02d}-[a-z0-9-]+/"', page), n
    assert page.count('href="valutazioni/') >= 12
    assert "Ambito di Corsico" in text_of(page)


def test_policy_area_page_compares_ambiti(real_site):
    text = text_of(html(real_site, "aree/b"))
    assert "Allargamento della platea dei soggetti a rischio" in text   # regional key point
    assert "Ambito di Corsico" in text and "Ambito Cremasco" in text
    assert "Agenzia dell'Abitare del Corsichese" in text


def test_partner_page_links_the_objective_it_codesigns(real_site):
    page = html(real_site, "partner/asst-rhodense")
    assert 'href="../../corsico/2021-2023/obiettivi/10-integrazione-sociosanitaria/"' in page


def test_every_page_names_its_source_lines(real_site):
    catalog, _ = real_content()
    for record in catalog.all("obiettivo") + catalog.all("valutazione"):
        text = text_of(html(real_site, record.id))
        assert re.search(r"Fonte: .+?, (riga \d+|righe \d+–\d+)", text), record.id


def test_open_data_holds_every_objective_with_its_permalink(real_site):
    catalog, _ = real_content()
    data = json.loads((real_site / "dati" / "obiettivi.json").read_text(encoding="utf-8"))
    assert data["numero_elementi"] == len(catalog.all("obiettivo"))
    assert "CC BY 4.0" in data["licenza"]
    for item in data["elementi"]:
        assert item["permalink"].endswith("/" + item["id"] + "/")
        assert (real_site / item["id"] / "index.html").exists()
    corsico = json.loads((real_site / "dati" / "corsico" / "obiettivi.json").read_text(encoding="utf-8"))
    assert sum(1 for item in corsico["elementi"] if item["periodo"] == "2021-2023") == 11
