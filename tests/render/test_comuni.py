""""Trova il tuo Comune" (issue #17): every Comune the sources name, alphabetical, each linked to its
Ambito, with a filter box (progressive enhancement); the Ambito page lists its Comuni, and where
the plan does not name them it says so with the number the plan states, inventing no names."""
from __future__ import annotations

import re

from pdz_dev.browser import axe_violations
from pdz.content.loader import load_content
from pdz.render.comuni import fold, named_comuni, unnamed
from pdz_dev.project import ROOT
from pdz_dev.table_fit import WIDTHS

LIST_ITEM = re.compile(r'<li data-nome="([^"]*)"><a href="([^"]+)">([^<]+)</a>')


def home(site) -> str:
    return (site / "index.html").read_text(encoding="utf-8")


def test_folding_matches_what_a_reader_types():
    assert fold("Azzano S. Paolo") == "azzano s paolo"
    assert fold("Cantù") == fold("CANTU") == "cantu"


def test_home_lists_exactly_the_comuni_named_in_the_sources_in_order(real_site):
    catalog, _ = load_content(ROOT)
    sources = sorted((c["nome"], a.id) for a in catalog.all("ambito") for c in a.data.get("comuni") or [])
    listed = LIST_ITEM.findall(home(real_site))
    assert sorted((name, href.split("/")[0]) for _, href, name in listed) == sources   # no invented name
    assert [n for n, _, _ in listed] == sorted(n for n, _, _ in listed)   # alphabetical (folded)
    assert all(href.endswith("/#comuni") for _, href, _ in listed)
    assert len(listed) == len(named_comuni(catalog.all("ambito"))) >= 20


def test_comuni_page_lists_the_same_and_a_regional_home_links_to_it(real_site, monkeypatch):
    """comuni/ always holds the whole finder; past HOME_COMUNI names the home keeps a box that
    opens it filtered (?q=), so the home does not grow with the number of Ambiti."""
    import pdz.render.comuni as comuni
    page = (real_site / "comuni" / "index.html").read_text(encoding="utf-8")
    assert LIST_ITEM.findall(page) == [(n, "../" + h, t) for n, h, t in LIST_ITEM.findall(home(real_site))]
    catalog, _ = load_content(ROOT)
    from pdz.render import Build
    ctx = Build(catalog).page("")
    assert LIST_ITEM.findall(comuni.comuni_finder(ctx))   # the five plans: the list is on the home
    monkeypatch.setattr(comuni, "HOME_COMUNI", 3)
    regional = comuni.comuni_finder(ctx)
    assert not LIST_ITEM.findall(regional)
    assert re.search(r'<form [^>]*action="comuni/" method="get"', regional)
    assert 'name="q"' in regional and '<label for="pdz-comuni-home">' in regional
    assert f'href="comuni/">Tutti i {len(named_comuni(catalog.all("ambito")))} Comuni' in regional


def test_plans_that_do_not_name_their_comuni_say_so_with_the_stated_number(real_site):
    catalog, _ = load_content(ROOT)
    expected = {"carate-brianza": "Il piano dichiara 13 Comuni ma non ne riporta i nomi.",
                "treviglio": "Il piano dichiara 18 Comuni ma non ne riporta i nomi.",
                "crema": "Il piano dichiara 48 Comuni ma ne nomina uno solo."}
    for ambito_id, sentence in expected.items():
        assert unnamed(catalog.get("ambito", ambito_id)) == sentence
        page = (real_site / ambito_id / "index.html").read_text(encoding="utf-8")
        assert sentence in page and 'id="comuni"' in page
        assert sentence in home(real_site)
    corsico = (real_site / "corsico" / "index.html").read_text(encoding="utf-8")
    assert unnamed(catalog.get("ambito", "corsico")) == ""
    for name in ("Assago", "Buccinasco", "Cesano Boscone", "Corsico", "Cusago", "Trezzano sul Naviglio"):
        assert f"<li>{name}</li>" in corsico   # in the page text, so the search finds it


def test_filter_as_you_type_announces_the_count_and_works_without_javascript(visit):
    page = visit(WIDTHS["telefono"], is_mobile=True, has_touch=True).open("")
    box = page.locator("[data-pdz-comuni]")
    field = page.get_by_label("Filtra per nome del Comune")
    field.fill("osio")
    page.wait_for_function("() => document.querySelector('[data-pdz-comuni]').dataset.shown === '2'")
    assert box.locator("li[data-nome]:visible").all_inner_texts() == \
        ["Osio Sopra (Ambito di Dalmine)", "Osio Sotto (Ambito di Dalmine)"]
    status = page.locator("#pdz-comuni-conteggio")
    assert status.get_attribute("role") == "status"
    page.wait_for_function("() => document.getElementById('pdz-comuni-conteggio').textContent.startsWith('2 Comuni')")
    assert status.inner_text() == "2 Comuni trovati su 24."
    field.fill("zzz")
    page.wait_for_function("() => document.getElementById('pdz-comuni-conteggio').textContent.startsWith('Nessun')")
    assert box.locator("li[data-nome]:visible").count() == 0
    field.fill("cusàgo")   # accents and case do not matter
    page.wait_for_function("() => document.querySelector('[data-pdz-comuni]').dataset.shown === '1'")
    assert axe_violations(page) == []
    with page.expect_navigation():
        box.get_by_role("link", name="Cusago").click()
    assert page.url.endswith("/corsico/#comuni")
    page = visit(WIDTHS["telefono"]).open("comuni/?q=osio")   # what the box of a regional home opens
    page.wait_for_function("() => document.querySelector('[data-pdz-comuni]').dataset.shown === '2'")
    assert page.get_by_label("Filtra per nome del Comune").input_value() == "osio"
    page = visit(WIDTHS["telefono"], java_script_enabled=False).open("")
    assert page.locator("[data-pdz-comuni] li[data-nome]:visible").count() == 24
    assert page.locator(".pdz-comuni-filter").is_hidden()   # no box that does nothing


def test_the_finder_knows_ambiti_and_subambiti_and_reads_only_its_own_address(visit):
    """Issue #25: "Treviglio" or "Carate Brianza" (Ambiti whose plans name no Comune) and
    "Pandino" (a subambito of the Ambito Cremasco) are found; comuni/?q= filters the finder and
    never opens the site search (which has ?cerca=)."""
    page = visit(WIDTHS["telefono"], is_mobile=True, has_touch=True).open("comuni/?q=Treviglio")
    box = page.locator("[data-pdz-comuni]")
    page.wait_for_function("() => document.querySelector('[data-pdz-comuni]').dataset.shown === '1'")
    assert box.locator("li[data-nome]:visible").all_inner_texts() == ["Ambito di Treviglio (Ambito territoriale)"]
    page.wait_for_function("() => document.getElementById('pdz-comuni-conteggio').textContent.startsWith('Nessun Comune')")
    assert page.inner_text("#pdz-comuni-conteggio") == "Nessun Comune dei piani contiene «Treviglio»; trovati: 1 Ambito."
    assert page.is_hidden(".pdz-search__panel") and page.get_attribute("#pdz-search", "data-state") == "idle"
    field = page.get_by_label("Filtra per nome del Comune")
    for typed, expected in (("carate brianza", ["Ambito di Carate Brianza (Ambito territoriale)"]),
                            ("pandino", ["Pandino (subambito, Ambito Cremasco)"]),
                            ("corsichese", ["Ambito di Corsico (Ambito territoriale)"])):
        field.fill(typed)
        page.wait_for_function(f"() => document.querySelector('[data-pdz-comuni]').dataset.shown === '{len(expected)}'")
        assert box.locator("li[data-nome]:visible").all_inner_texts() == expected
    field.fill("crema")   # a Comune, the Ambito Cremasco, two subambiti (Crema, Bagnolo Cremasco)
    page.wait_for_function("() => document.querySelector('[data-pdz-comuni]').dataset.shown === '4'")
    page.wait_for_function("() => document.getElementById('pdz-comuni-conteggio').textContent.includes('anche')")
    assert page.inner_text("#pdz-comuni-conteggio") == "1 Comune trovato su 24; trovati anche: 1 Ambito e 2 subambiti."
    assert axe_violations(page) == []
    with page.expect_navigation():
        box.locator("li[data-luogo=ambito]").get_by_role("link", name="Ambito Cremasco").click()
    assert page.url.endswith("/crema/")
    home = visit(WIDTHS["telefono"]).open("?q=osio")   # the home's finder does not read ?q=: an old search link
    home.wait_for_function("() => document.getElementById('pdz-search').dataset.state === 'done'")
    assert home.locator("[data-pdz-comuni] li[data-nome]:visible").count() == 24


def regional(monkeypatch):
    """The finder of the real Ambiti as a regional site shows it: one page per letter (at most
    four names each here), the names for the filter box in comuni/comuni.json."""
    import pdz.render.comuni as comuni
    from pdz.render import Build
    monkeypatch.setattr(comuni, "FINDER_MAX", 5)
    monkeypatch.setattr(comuni, "LETTER_PAGE_MAX", 4)
    catalog, _ = load_content(ROOT)
    return catalog, comuni.comuni_pages(Build(catalog).page("")), comuni.comuni_data(catalog.all("ambito"))


def test_a_regional_finder_has_a_page_per_initial_and_no_page_grows_with_the_region(monkeypatch):
    import json
    catalog, pages, data = regional(monkeypatch)
    index, letters = pages[0], pages[1:]
    assert index.url == "comuni/" and not LIST_ITEM.findall(index.body)
    assert 'data-pdz-comuni-dati="comuni.json"' in index.body
    listed = [item for page in letters for item in LIST_ITEM.findall(page.body)]
    named = named_comuni(catalog.all("ambito"))
    assert [name for _, _, name in listed] == [name for name, _ in named]   # each once, alphabetical
    assert all(len(LIST_ITEM.findall(page.body)) <= 4 for page in letters)
    assert {p.url for p in letters} >= {"comuni/o/", "comuni/c/", "comuni/c/pagina-2/"}
    for page in letters:   # its names start with its letter, and every letter is linked from comuni/
        letter = page.url.split("/")[1]
        assert all(fold(name).startswith(letter) for _, _, name in LIST_ITEM.findall(page.body))
        assert f'href="{letter}/"' in index.body
    rows = json.loads(data["comuni/comuni.json"])["comuni"]
    assert [(r[1], r[2]) for r in rows] == [(name, f"../{a.id}/#comuni") for name, a in named]


def test_the_regional_filter_box_loads_every_name_on_the_first_keystroke(browser, tmp_path, monkeypatch):
    """comuni/ of a regional site in Chromium: typing lists the matches of every letter (from
    comuni.json); without JavaScript the letters lead to the names."""
    from pdz.html.prerender import to_html
    from pdz_dev.browser import Visit, serving
    _, pages, data = regional(monkeypatch)
    site = tmp_path / "site"
    for page in pages:
        folder = site / page.url
        folder.mkdir(parents=True, exist_ok=True)
        depth = "../" * page.url.count("/")
        html, _ = to_html(page.body, "")
        (folder / "index.html").write_text(f'<!doctype html><html lang="it"><head><meta charset="utf-8"><title>{page.title}</title>'
                                           f'</head><body>{html}<script src="{depth}pdz-comuni.js"></script></body></html>',
                                           encoding="utf-8")
    (site / "comuni" / "comuni.json").write_bytes(data["comuni/comuni.json"])
    (site / "pdz-comuni.js").write_bytes((ROOT / "docs" / "assets" / "pdz-comuni.js").read_bytes())
    (site / "404.html").write_text("<!doctype html><title>404</title>", encoding="utf-8")
    with serving(site) as base:
        visit = Visit(browser, base, WIDTHS["telefono"])
        page = visit.open("comuni/?q=osio")   # what the box of a regional home opens
        page.wait_for_function("() => document.querySelector('[data-pdz-comuni]').dataset.shown === '2'")
        box = page.locator("[data-pdz-comuni]")
        assert box.locator("li[data-nome]").all_inner_texts() == \
            ["Osio Sopra (Ambito di Dalmine)", "Osio Sotto (Ambito di Dalmine)"]
        page.get_by_label("Filtra per nome del Comune").fill("cusàgo")
        page.wait_for_function("() => document.querySelector('[data-pdz-comuni]').dataset.shown === '1'")
        page.wait_for_function("() => document.getElementById('pdz-comuni-conteggio').textContent.startsWith('1 Comune')")
        with page.expect_navigation():
            box.get_by_role("link", name="Cusago").click()
        assert page.url.endswith("/corsico/#comuni")
        visit.close()
        quiet = Visit(browser, base, WIDTHS["telefono"], java_script_enabled=False)
        page = quiet.open("comuni/")
        assert page.locator(".pdz-comuni-filter").is_hidden()
        page.get_by_role("link", name="O", exact=True).click()
        assert page.locator("li[data-nome]").all_inner_texts() == \
            ["Osio Sopra (Ambito di Dalmine)", "Osio Sotto (Ambito di Dalmine)"]
        quiet.close()
