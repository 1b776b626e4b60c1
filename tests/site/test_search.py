"""Site search (Pagefind, issues #15 and #25) on the real site, in Debian's Chromium.

- the citizen query sets (benchmarks/search/queries.yaml): the keyword queries do at least as
  well as the lunr baseline and as Pagefind before issue #25, the everyday sentences at least as
  well as recorded after it (benchmarks/search/results.json);
- everyday words reach the plans' words through the citizen vocabulary, and the panel says so;
  stop words change nothing; pages holding several of the words come first;
- the search has its own address parameter (?cerca=); an old ?q= still opens a search, but not
  on the Comune finder, which reads it;
- results read well on a phone: excerpts keep labels and values apart, the filters fold behind
  one button, the first result is on the first screen (390 x 844);
- the page-weight budgets (pdz_dev.bench.weight: every file the browser and the search worker
  ask for): a first visit at phone size with nothing cached, every page kind, <= 450 KB; one
  search, a sentence's too, <= 400 KB; the summary gives the brotli figures beside the issue #27
  targets (110 kB with brotli, 350 kB), which make bench checks;
- results show title, kind of record, Ambito and an excerpt with the match marked; filters
  narrow them; the address (?q= and filters) reproduces them; axe finds nothing with results
  and filters shown; the keyboard alone is enough;
- what is indexed: only the article of each page (no navigation, no footer), no page that asks
  to stay out (source texts), no page 2, 3... of a paginated list.
"""
from __future__ import annotations

import json
import re


import pytest

from pdz_dev.project import SUMMARY, search_fragments
from pdz_dev.browser import FOCUSED, PAGE_KINDS, assert_focus_visible, assert_no_violations, serve, tab

from pdz_dev.bench import search_quality as quality
from pdz_dev.bench import weight

DONE = weight.SEARCH_DONE


def results(page) -> list[dict]:
    return page.eval_on_selector_all(".pdz-search__result", """items => items.map(li => ({
        title: li.querySelector('a').textContent, href: li.querySelector('a').getAttribute('href'),
        meta: (li.querySelector('.pdz-search__meta') || {}).textContent || '',
        excerpt: (li.querySelector('.pdz-search__excerpt') || {}).textContent || '',
        marks: li.querySelectorAll('.pdz-search__excerpt mark').length}))""")


def search_for(page, query: str):
    page.fill("#pdz-search-input", query)
    page.wait_for_function(DONE, arg=[query])


# --- quality --------------------------------------------------------------------------------

def scored(visit, name: str) -> tuple[dict, list]:
    rows = quality.run(visit(), "pagefind", quality.load_queries(name))
    return quality.scores(rows), [r["query"] for r in rows if not r["rank"]]


def test_keyword_queries_do_at_least_as_well_as_before(visit):
    recorded = json.loads(quality.RESULTS.read_text(encoding="utf-8"))
    lunr, before = recorded["lunr"], recorded["prima-25-parole_chiave"]
    now, missed = scored(visit, "parole_chiave")
    SUMMARY["ricerca: parole chiave (prima pagina attesa / tra le prime 5)"] = \
        (f"{now['top1']}/{now['queries']} e {now['hits']}/{now['queries']} (prima del #25: {before['top1']} e "
         f"{before['hits']}; lunr: {lunr['hits']} tra le prime 5)")
    assert now["queries"] == before["queries"] == lunr["queries"] >= 25
    assert now["hits"] >= max(lunr["hits"], before["hits"]) and now["top1"] >= before["top1"], missed


def test_everyday_sentences_find_the_pages_that_answer_them(visit):
    recorded = json.loads(quality.RESULTS.read_text(encoding="utf-8"))
    before, after = recorded["prima-25-frasi"], recorded["dopo-25-frasi"]
    now, missed = scored(visit, "frasi")
    SUMMARY["ricerca: frasi di tutti i giorni (prima pagina attesa / tra le prime 5)"] = \
        (f"{now['top1']}/{now['queries']} e {now['hits']}/{now['queries']} "
         f"(prima del #25: {before['top1']} e {before['hits']})")
    assert now["queries"] == before["queries"] >= 40
    assert now["hits"] >= after["hits"] and now["top1"] >= after["top1"], missed


# --- budgets ----------------------------------------------------------------------------------

# The site's standing page-weight budgets (raw bytes, as before issue #27).
FIRST_VISIT_RAW = 450 * 1024
SEARCH_RAW = 400 * 1024


@pytest.fixture(scope="module")
def logged(real_site):
    """The real site served with a log of every request (a worker's included)."""
    requests: list = []
    server, base = serve(real_site, log=requests)
    yield base, requests
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def first_visitor(browser, logged):
    """One phone visitor that caches nothing, reset for every first visit (weight.first_visit)."""
    visitor = weight.phone_visitor(browser, logged[0])
    yield visitor
    visitor.close()


def test_first_visit_of_every_page_kind_fits_the_phone_budget(browser, real_site, logged, first_visitor):
    base, requests = logged
    visits = {kind: weight.first_visit(browser, base, url, requests, real_site, first_visitor)
              for kind, url in PAGE_KINDS.items()}
    # nothing asked for in vain (Material fetched a sitemap.xml beside every rel=alternate link)
    assert {kind: v.failed for kind, v in visits.items() if v.failed} == {}
    worst = max(visits, key=lambda kind: visits[kind].brotli)
    SUMMARY["peso della prima visita (telefono, nulla in cache)"] = \
        f"massimo {visits[worst].brotli / 1000:.1f} kB con brotli ({worst}; {visits[worst].raw / 1000:.0f} kB " \
        f"senza compressione), obiettivo del #27 {weight.FIRST_VISIT_BUDGET / 1000:.0f} kB con brotli"
    # The test holds the site's standing budget (raw bytes); the issue #27 target in brotli
    # (weight.FIRST_VISIT_BUDGET) is reported by make bench, which says PASS or FAIL (the
    # objective page, the heaviest, 104.5 kB with brotli since our scripts and styles are
    # published minified).
    assert {k: v.raw for k, v in visits.items() if v.raw > FIRST_VISIT_RAW} == {}


def test_one_search_fits_its_budget_and_nothing_loads_before_it(browser, real_site, logged, first_visitor):
    base, requests = logged
    first = weight.first_visit(browser, base, "", requests, real_site, first_visitor)
    assert not [f for f, *_ in first.files if f.startswith("pagefind/")], "the search engine must load on first use only"
    search = weight.first_search(browser, base, "assistenti familiari", requests, real_site, visitor=first_visitor)
    asked = [f for f, *_ in search.files]
    assert {"pagefind/pagefind.js", "pagefind/wasm.it.pagefind"} <= set(asked)
    # the engine runs on the page's thread: not downloaded a second time as a worker's script;
    # the filter menus, folded on a phone, are read when opened (their files grow with the site)
    assert "pagefind/pagefind-worker.js" not in asked and not [f for f in asked if f.startswith("pagefind/filter/")]
    assert any(f.startswith("pagefind/fragment/") for f in asked) and any(f.startswith("pagefind/index/") for f in asked)
    assert "vocabolario/parole.json" in asked
    # a sentence is searched concept by concept, through the plans' terms: more of the index
    sentence = weight.first_search(browser, base, "badante per mia madre anziana", requests, real_site,
                                   visitor=first_visitor)
    SUMMARY["peso di una ricerca (ogni file, motore compreso)"] = \
        f"{search.raw / 1000:.0f} kB senza compressione ({search.brotli / 1000:.0f} kB con brotli), " \
        f"una frase {sentence.raw / 1000:.0f} kB, obiettivo del #27 {weight.SEARCH_BUDGET / 1000:.0f} kB"
    # the standing budget, now with every file counted; the #27 target (weight.SEARCH_BUDGET) is
    # reported by make bench (a sentence: 319 kB on the real site, 273 kB at N=100)
    assert search.raw <= SEARCH_RAW and sentence.raw <= SEARCH_RAW


# --- results, filters, address ----------------------------------------------------------------

def test_results_show_title_kind_ambito_and_marked_excerpt(visit):
    page = visit().open("")
    search_for(page, "emergenza abitativa")
    found = results(page)
    assert found, "no results"
    first = next(r for r in found if "Contenimento dell'emergenza abitativa" in r["title"])
    assert "Obiettivo" in first["meta"] and "Ambito di Corsico" in first["meta"]
    assert first["marks"] >= 1 and "abitativ" in first["excerpt"].lower()
    assert page.inner_text(".pdz-search__status").startswith(f"{len(found)}") or "risultati" in page.inner_text(".pdz-search__status")


def test_filters_narrow_the_results_and_the_address_reproduces_them(visit):
    visitor = visit()
    page = visitor.open("")
    search_for(page, "minori")
    everything = len(results(page))
    page.select_option("select[name=ambito]", "Ambito di Corsico")
    page.wait_for_function("() => location.search.includes('ambito=')")
    page.wait_for_function(DONE, arg=["minori"])
    page.select_option("select[name=tipo]", "Obiettivo")
    page.wait_for_function("() => location.search.includes('tipo=')")
    page.wait_for_function(DONE, arg=["minori"])
    narrowed = results(page)
    assert 0 < len(narrowed) < everything
    assert all("Ambito di Corsico" in r["meta"] and r["meta"].startswith("Obiettivo") for r in narrowed)
    assert_no_violations(page, "search results with filters")
    shared = page.url
    again = visitor.page
    again.goto(shared)
    again.wait_for_function(DONE, arg=["minori"])
    assert [r["href"] for r in results(again)] == [r["href"] for r in narrowed]
    assert again.input_value("select[name=ambito]") == "Ambito di Corsico"
    assert again.input_value("#pdz-search-input") == "minori"


def test_filters_by_policy_area_and_plan_period_exist(visit):
    page = visit().open("?cerca=servizi")
    page.wait_for_function(DONE, arg=["servizi"])
    areas = page.eval_on_selector_all("select[name=area] option", "o => o.map(x => x.value).filter(Boolean)")
    periods = page.eval_on_selector_all("select[name=periodo] option", "o => o.map(x => x.value).filter(Boolean)")
    assert any(a.startswith("B. ") for a in areas) and "2021-2023" in periods and "2018-2020" in periods


def test_on_a_desktop_the_search_box_shows_with_one_button(visit):
    """At 1280 px the box is open in the header: its opener (a second magnifier beside the
    box's own button, shown by Material's .md-header__button rule) stays hidden."""
    page = visit().open("")
    assert page.is_visible(".pdz-search__input") and page.is_visible(".pdz-search__submit")
    assert page.is_hidden(".pdz-search__open")
    phone = visit(weight.PHONE, is_mobile=True, has_touch=True).open("")
    assert phone.is_visible(".pdz-search__open") and phone.is_hidden(".pdz-search__input")


def test_search_results_have_no_violations_at_phone_size(visit):
    page = visit(weight.PHONE, is_mobile=True, has_touch=True).open("")
    page.click(".pdz-search__open")
    page.keyboard.type("abitativa")
    page.wait_for_function(DONE, arg=["abitativa"])
    text = page.inner_text(".pdz-search__results").lower()
    assert "abitative" in text, "Italian stemming: 'abitativa' also finds 'abitative'"
    assert_no_violations(page, "phone search results")


# --- keyboard ---------------------------------------------------------------------------------

def test_keyboard_only_search_with_a_filter(visit):
    page = visit().open("")
    for _ in range(6):
        focused = tab(page)
        if focused and focused["id"] == "pdz-search-input":
            break
    assert focused["id"] == "pdz-search-input", "the search box is among the first Tab stops"
    assert_focus_visible(focused, "search box")
    page.keyboard.type("tutela minori")
    page.wait_for_function(DONE, arg=["tutela minori"])
    # Tab reaches the filters; the arrow keys choose an Ambito
    while True:
        focused = tab(page)
        assert_focus_visible(focused, "search panel")
        if focused["tag"] == "SELECT":
            break
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => location.search.includes('ambito=')")
    page.wait_for_function(DONE, arg=["tutela minori"])
    page.focus("#pdz-search-input")
    page.keyboard.press("ArrowDown")
    first = page.evaluate(FOCUSED)
    assert "pdz-search__link" in first["cls"]
    assert_focus_visible(first, "first result")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "tutela" in page.inner_text("#contenuto").lower()


def test_escape_closes_the_search_and_gives_the_focus_back(visit):
    page = visit().open("?cerca=povert%C3%A0")
    page.wait_for_function(DONE, arg=["povertà"])
    page.focus("#pdz-search-input")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    assert page.is_hidden(".pdz-search__panel")
    assert page.evaluate("document.activeElement.id") == "pdz-search-input"
    assert "cerca=" not in page.url


# --- everyday words (issue #25) ---------------------------------------------------------------

def hrefs(page) -> list[str]:
    return [r["href"] for r in results(page)]


def test_everyday_words_reach_the_plans_words_and_the_panel_says_so(visit):
    page = visit().open("")
    search_for(page, "badante per mia madre anziana")
    first = results(page)[0]["href"]
    assert "assistenti-famigliari" in first or "sportello-assistenti" in first, first
    note = page.inner_text(".pdz-search__vocab")
    assert note.startswith("Nei piani si dice") and "«assistenti familiari» per «badante»" in note
    assert page.get_attribute(".pdz-search__vocab a", "href").endswith("/vocabolario/#badante")
    assert_no_violations(page, "search results with the vocabulary's note")
    # accents, capitals and word endings do not matter; stop words change nothing
    with_stop_words = hrefs(page)
    search_for(page, "BADANTI madre ANZIANE")
    assert "«assistenti familiari» per «BADANTI»" in page.inner_text(".pdz-search__vocab")
    assert hrefs(page) == with_stop_words
    # a query in the plans' own words has nothing to rewrite
    search_for(page, "emergenza abitativa")
    assert page.is_hidden(".pdz-search__vocab")


def test_pages_holding_several_words_come_before_pages_holding_one(visit, real_site):
    """Each meaningful word is searched on its own and weighs by its rarity: pages holding both
    words come before pages holding only the common one; "per" and "gli" (prefixes of hundreds
    of words: persone, percorsi) are stop words and find nothing."""
    text = {p["url"]: p["content"].lower() for p in search_fragments(real_site)}
    page = visit().open("")
    search_for(page, "cartella per gli operatori")
    for shown in (20, 30):   # three pages of results
        page.click(".pdz-search__more")
        page.wait_for_function(f"() => document.querySelectorAll('.pdz-search__result').length >= {shown}")
    # each word as Pagefind's Italian stemmer reads it: "operatori", "operare" and "operativo"
    # share the stem "oper"
    held = [("cartell" in text[h.split("#")[0]], "oper" in text[h.split("#")[0]]) for h in hrefs(page)]
    assert held[0] == (True, True) and all(a or b for a, b in held), "a page found through a stop word"
    both = [i for i, h in enumerate(held) if all(h)]
    only_common = [i for i, (rare, common) in enumerate(held) if common and not rare]
    assert only_common and max(both) < min(only_common), held
    assert re.match(r"\d+ risultati per «cartella per gli operatori»; seguono \d+ risultati con solo alcune delle parole",
                    page.inner_text(".pdz-search__status"))


def test_the_search_has_its_own_address_parameter(visit):
    visitor = visit()
    page = visitor.open("?q=sfratti")   # an address shared before issue #25 still opens the search
    page.wait_for_function(DONE, arg=["sfratti"])
    assert "cerca=sfratti" in page.url and "q=" not in page.url.replace("cerca=", "")
    page = visitor.open("comuni/?q=Cesano")   # the Comune finder reads ?q=: no search there
    page.wait_for_function("() => document.querySelector('[data-pdz-comuni]').dataset.shown === '2'")
    assert page.is_hidden(".pdz-search__panel") and page.get_attribute("#pdz-search", "data-state") == "idle"
    assert page.input_value("#pdz-search-input") == ""


def test_on_a_phone_the_filters_fold_and_the_first_result_is_on_the_first_screen(visit):
    phone = {"width": 390, "height": 844}
    page = visit(phone, is_mobile=True, has_touch=True).open("?cerca=" + "aiuto per pagare l'affitto")
    page.wait_for_function(DONE, arg=["aiuto per pagare l'affitto"])
    toggle = page.locator(".pdz-search__filters-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert page.is_hidden(".pdz-search__filters")
    # the note quotes the words as typed, apostrophe included
    assert "«emergenza abitativa» per «pagare l'affitto»" in page.inner_text(".pdz-search__vocab")
    first = page.locator(".pdz-search__link").first.bounding_box()
    assert first["y"] + first["height"] <= phone["height"], first
    # folded, the menus are not filled yet (their files are read when they can be used)
    filled = "() => document.querySelectorAll('#pdz-search-filters select[name=tipo] option').length > 1"
    assert not page.evaluate(filled)
    toggle.tap()
    assert page.is_visible(".pdz-search__filters") and toggle.get_attribute("aria-expanded") == "true"
    page.wait_for_function(filled)
    assert_no_violations(page, "phone search results, filters open")
    desktop = visit().open("?cerca=affitto")
    desktop.wait_for_function(DONE, arg=["affitto"])
    assert desktop.is_hidden(".pdz-search__filters-toggle") and desktop.is_visible(".pdz-search__filters")
    assert desktop.evaluate(filled)   # on a wide screen the menus are always shown, and filled with the results


def test_excerpts_keep_labels_and_values_apart(real_site):
    """Pagefind reads a page's text without its styles: a label glued to its value
    ("AmbitoAmbito di Dalmine") or the cells of a header row ("VoceTipo di risorsaImporto")
    would reach the excerpts of the results."""
    labels = ("Ambito", "Area di policy", "Area", "Periodo", "Stato di attuazione", "Destinatari", "Comuni",
              "Gruppo", "Obiettivo valutato", "Risorse economiche preventivate", "Co-progettato", "ATS")
    glued = re.compile(r"\b(" + "|".join(labels) + r")(?=[A-ZÀ-Ý0-9€])")
    found = {p["url"]: m.group(0) for p in search_fragments(real_site) for m in glued.finditer(p["content"])}
    assert found == {}
    assert not [p["url"] for p in search_fragments(real_site) if "VoceTipo di risorsa" in p["content"]]


# --- what is indexed (on the built files) ----------------------------------------------------

def test_index_holds_the_articles_only(real_site):
    pages = search_fragments(real_site)
    urls = {p["url"] for p in pages}
    assert "/corsico/2021-2023/obiettivi/03-politiche-giovanili/" in urls and len(pages) > 300
    assert not [u for u in urls if "/pagina-" in u], "pages 2, 3... of lists stay out"
    records = [p for p in pages if "/obiettivi/" in p["url"] or "/valutazioni/" in p["url"]]
    assert len(records) > 100
    for p in records:   # the site's own pages about accessibility may quote these words
        for chrome in ("Vai al contenuto principale", "Contenuti rilasciati con licenza", "Indice della pagina"):
            assert chrome not in p["content"], (p["url"], chrome)
    indexed = {"/" + path.relative_to(real_site).as_posix().removesuffix("index.html")
               for path in real_site.rglob("*.html") if "data-pagefind-body" in path.read_text(encoding="utf-8")}
    assert urls == indexed and "/404.html" not in urls
    # the search answers citizens: the editors' pages stay out (pdz.render.EDITORS_PAGES)
    assert "/guida/" not in urls and not [u for u in urls if u.startswith("/redazione/")]
    assert "/segnalazioni/" in urls   # a citizens' page beside them stays in


def test_pagefind_reads_only_the_title_and_the_article():
    from pdz.site.search_index import ARTICLE, article_page
    page = ('<html><head><title>T</title><script src="x.js"></script></head><body><nav>Menu</nav>'
            f'{ARTICLE}<h1>Titolo</h1><p>testo</p></article><footer>Piede</footer></body></html>')
    assert article_page(page) == ('<!doctype html><html lang="it"><head><meta charset="utf-8"><title>T</title>'
                                  f'</head><body>{ARTICLE}<h1>Titolo</h1><p>testo</p></article></body></html>')
    # a page left out of the search stays out even if its text names the attribute
    assert article_page('<html><body><article class="md-content__inner md-typeset"><p>data-pagefind-body'
                        '</p></article></body></html>') is None


def test_titles_weigh_more_than_body_text(real_site):
    page = (real_site / "corsico" / "2021-2023" / "obiettivi" / "03-politiche-giovanili" / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-meta="title[data-title]" data-title="3. Sviluppo delle politiche giovanili' in page
    assert '<h1 id="titolo">' in page   # Pagefind weighs h1 text 7x body text
