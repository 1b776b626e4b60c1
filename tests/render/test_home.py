"""The home page starts from what a citizen needs (issue #28): a search box, the ten policy areas
as topics in everyday words, the reader's territory (the Comune finder, the Ambiti as cards), what
is new; the topic pages say what each Ambito's current plan does in the area, then the earlier
plan's evaluations, and how each record came to be there. The home stays under 35 kB at every N.
Browser checks (first screen, keyboard, axe): tests/site/test_home_browser.py."""
from __future__ import annotations

import dataclasses
import re

import pytest

from pdz.content.catalog import Catalog
from pdz.content.gitdates import last_changes
from pdz.domain.changes import read_history
from pdz.domain.areas import evaluations_in, objectives_in
from pdz.render import Build
from pdz.render import comuni, home
from pdz.render.indices import topic_name, topics
from pdz_dev.project import ROOT, SUMMARY, html, text_of, real_content

HOME_LIMIT = 35_000   # bytes of HTML (issue #28)


def words_of(page: str) -> str:
    """The article's text as a reader sees it: no space before punctuation that follows a link."""
    return re.sub(r"\( ", "(", re.sub(r" ([:;,.)»])", r"\1", text_of(page)))


@pytest.fixture(scope="module")
def catalog():
    result, problems = real_content()
    assert [p for p in problems if p.severity == "errore"] == []
    return result


# --- topics: data in content/aree ---------------------------------------------------------------

def test_every_area_has_a_short_everyday_name_a_line_and_a_place_on_the_home(catalog):
    areas = catalog.all("area")
    assert len(areas) == 10
    names = [x.data["argomento"] for x in areas]
    assert len(set(names)) == 10
    for x in areas:
        assert len(x.data["argomento"]) <= 32 and len(x.data["spiegazione_breve"]) <= 75, x.id
        assert x.data["spiegazione_breve"][:1].islower(), x.id   # one line after the name: no full stop, no capital
    assert sorted(x.data["posizione"] for x in areas) == list(range(1, 11))
    first_six = [topic_name(x) for x in topics(catalog)][:6]
    for word in ("Casa", "Anziani", "Disabilità", "Lavoro"):   # what the first screen said nothing about
        assert any(word in name for name in first_six), word


def test_home_tiles_name_each_topic_with_its_line_and_the_regions_title_beneath(real_site, catalog):
    page = html(real_site, "")
    tiles = re.findall(r'<li class="pdz-topic"><a href="(aree/[a-j]/)">([^<]+)</a><p class="pdz-topic__line">([^<]+)</p>'
                       r'<p class="pdz-topic__region">Area ([A-J]): ([^<]+)</p></li>', page)
    expected = [(f"aree/{x.id.lower()}/", x.data["argomento"], x.data["spiegazione_breve"], x.id, x.title)
                for x in topics(catalog)]
    assert [tuple(t.replace("&#x27;", "'").replace("&#39;", "'") for t in tile) for tile in tiles] == expected


# --- topic pages -------------------------------------------------------------------------------

def test_a_topic_page_shows_each_ambitos_current_plan_then_the_earlier_plans_evaluations(real_site):
    page = html(real_site, "aree/b")
    text = words_of(page)
    assert "Casa e abitare" in text and "Area B di Regione Lombardia: Politiche abitative" in text
    assert "«Casa e abitare» è il nome che la redazione dà a quest'area" in text
    corsico = text[text.index("Ambito di Corsico"):]
    assert "Piano di Zona 2021-2023: 2 obiettivi di quest'area." in corsico
    assert "Piano di Zona 2021-2023: 1 obiettivo di quest'area e 4 obiettivi di altre aree che il piano integra con questa." \
        in text[text.index("Ambito Cremasco"):]
    assert "2 Ambiti hanno obiettivi o valutazioni in quest'area nel piano più recente. Gli altri 3 Ambiti no: " in text
    assert "Agenzia dell'Abitare del Corsichese" in corsico
    assert "Risorse: € 602.000,00 (somma calcolata dal sito delle voci indicate nel piano)" in corsico
    assert "Stato di attuazione non indicato" in corsico
    assert page.index('href="../../corsico/2021-2023/obiettivi/01-agenzia-dell-abitare/"') < \
        page.index('href="../../crema/2021-2023/obiettivi/02-politiche-abitative/"')
    assert "Crema" in text[text.index("Che cosa fanno i piani"):]
    # transversal objectives say so, with their main area in a citizen's words
    assert "Trasversale: il piano lo integra con quest'area; area principale A. Povertà e difficoltà economiche" in text


def test_topic_page_evaluations_placed_by_a_heading_say_the_editors_placed_them(real_site):
    text = words_of(html(real_site, "aree/e"))
    dalmine = text[text.index("Ambito di Dalmine"):]
    assert "Valutazioni degli obiettivi del piano precedente" in dalmine
    assert ("Area assegnata dalla redazione: il piano le elenca sotto «Progetti area anziani-non autosufficienza e "
            "disabili» (riga 292). Il piano 2018-2020 precede le aree regionali A-J") in dalmine
    assert "Voucher per l'accesso ai Centri Diurni Integrati" in dalmine
    crema = text[text.index("Ambito Cremasco"):text.index("Ambito di Dalmine")]
    assert "Domiciliarità e anziani" in crema   # the plan's capitals in sentence case (#25)
    assert "Il titolo o il gruppo nel piano nomina anche quest'area; area principale D. Assistenza a domicilio" in crema


def test_earlier_plan_records_without_an_area_are_placed_nowhere(catalog, real_site):
    placed = {p.record.id for x in catalog.all("area") for p in evaluations_in(catalog, x.id)}
    grouped = {e.id for e in catalog.all("valutazione")
               if e.data.get("gruppo") in ("Progetti area Minori e famiglia", "Progetti area anziani-non autosufficienza e disabili")}
    assert placed == grouped and len(placed) == 24
    for x in catalog.all("area"):
        page = html(real_site, f"aree/{x.id.lower()}")
        for ambito in ("crema", "corsico", "carate-brianza", "treviglio"):
            assert f"{ambito}/2021-2023/valutazioni/" not in page, (x.id, ambito)
    # the objectives are in an area only as their plan says: field, title or group
    for x in catalog.all("area"):
        for p in objectives_in(catalog, x.id):
            assert p.reason == "", p.record.id   # no area of the real content is the editors' choice


# --- your territory, what is new -------------------------------------------------------------

def test_home_cards_give_each_ambitos_current_plan_period_objectives_and_budget(real_site, catalog):
    page = html(real_site, "")
    cards = re.findall(r'<li class="pdz-card"><h3><a href="([^"]+)">[^<]+</a></h3><p>(.*?)</p></li>', page)
    assert [href for href, _ in cards] == [f"{a.id}/" for a in catalog.all("ambito")]
    corsico = dict(cards)["corsico/"]
    # no plan states a total of its own (seed notes: "None of these totals is stated in the seed"):
    # the site's sum, said to be computed and of which kinds of item, as the objectives list them
    assert corsico == ('<a href="corsico/2021-2023/">Piano di Zona 2021-2023</a> · 11 obiettivi · risorse: '
                       '<span class="pdz-computed">€ 10.444.000,00 <small>(somma calcolata dal sito delle voci indicate '
                       'nel piano: voci di tipo diverso: risorse economiche preventivate (senza altra indicazione) e '
                       'costo del personale)</small></span>')
    assert "€ 14.114.189,44 <small>(somma calcolata dal sito delle voci indicate nel piano: voci di tipo diverso: " \
           "risorse d&#x27;Ambito, altri fondi pubblici e risorse di progetti specifici e di terzi)" in dict(cards)["crema/"]
    assert "nessun obiettivo nella fonte" in dict(cards)["dalmine/"]
    assert 'id="pdz-comuni-filtro"' in page   # the finder, in the box "Il tuo Comune"
    assert page.index('id="comune"') < page.index("data-pdz-comuni") < page.index('id="ambiti"')


def test_what_is_new_lists_the_last_three_records_changed_newest_first(real_site, catalog):
    """Without a change history (a copy outside git) the home lists the last records changed."""
    updated = last_changes(ROOT)
    ctx = Build(catalog, updated).page("")
    recent = home.recent_records(ctx)
    assert len(recent) == 3
    by_path = {r.path: r for r in catalog.by_key.values()}
    expected = [p for p in updated if p in by_path][:3]
    assert [r.path for _, r in recent] == expected
    assert [d for d, _ in recent] == sorted((d for d, _ in recent), reverse=True)
    news = home.whats_new(ctx)
    for date, record in recent:
        assert f'<time datetime="{date}">' in news and f'href="{record.id}/"' in news
    assert "Piano di Zona <a" not in news   # a plan's title says what it is: no kind before it


def test_what_is_new_on_the_real_home_is_the_newest_of_the_change_history(real_site, catalog):
    """With the history (issue #26) the home lists its three newest entries, as novita/ does."""
    news = html(real_site, "")
    news = news[news.index('id="novita"'):news.index('id="piano-di-zona"')]
    ctx = Build(catalog, last_changes(ROOT), history=read_history(ROOT)).page("")
    assert home.whats_new(ctx).strip() in news
    assert news.count("<li>") == 3 and 'href="novita/"' in news


# --- header: one name, editors' links only for editors -------------------------------------------

def test_the_site_is_named_once_and_the_repository_and_edit_links_are_on_editors_pages_only(real_site):
    for url in ("", "corsico/2021-2023/obiettivi/01-agenzia-dell-abitare", "aree/b", "accessibilita"):
        page = html(real_site, url)
        assert 'class="pdz-slim"' not in page, url   # no owning body configured: no band at all
        assert page.count('<span class="md-ellipsis">\n            Piani di Zona della Lombardia') <= 1, url
        assert 'class="md-source"' not in page and 'rel="edit"' not in page, url
    for url in ("guida", "redazione/revisioni"):
        page = html(real_site, url)
        assert 'class="md-source"' in page, url
    assert 'rel="edit"' in html(real_site, "guida")


# --- weight: under 35 kB at every N ----------------------------------------------------------------

MACROS = {"home_search": home.home_search, "topics": home.topic_tiles, "comuni_finder": comuni.comuni_finder,
          "ambiti_overview": home.ambiti_overview, "whats_new": home.whats_new, "entry_points": home.entry_points}


def macros_of(ctx) -> dict[str, str]:
    return {name: f(ctx) for name, f in MACROS.items()}


def with_ambiti(catalog: Catalog, n: int, named_comuni: bool = True) -> Catalog:
    """The catalog with N Ambiti, as the benchmark's synthetic trees (pdz_dev/bench/synth.py): the
    real ones, then copies '<ambito>-<k>' cycling over them, named '(copia k)', with their plans,
    objectives and evaluations. ``named_comuni=False``: no plan names its Comuni (each Ambito then
    adds a line to the finder)."""
    real = catalog.all("ambito")
    records = [r for r in catalog.by_key.values() if not r.ambito]
    for i in range(n):
        records += _copy(catalog, real[i % len(real)], i // len(real), named_comuni)
    return Catalog(records)


# The records of the k-th copy of an Ambito are the same in every catalog with more Ambiti than
# that: each copy is made once (the same values each time; no catalog or page changes a record)
_COPIES: dict = {}


def _copy(catalog: Catalog, original, k: int, named_comuni: bool) -> list:
    key = (id(catalog), original.id, k, named_comuni)
    if key in _COPIES:
        return _COPIES[key][1]
    new = original.id if k == 0 else f"{original.id}-{k}"
    prefix = len(original.id)
    records = []
    for r in [original] + [r for kind in ("piano", "obiettivo", "valutazione") for r in catalog.of_ambito(original.id, kind)]:
        data = dict(r.data)
        if r.kind == "ambito":
            data["nome"] = data["nome"] + (f" (copia {k})" if k else "")
            if not named_comuni:
                data.pop("comuni", None)
                data["numero_comuni"] = 20
        records.append(dataclasses.replace(
            r, id=new + r.id[prefix:], data=data, ambito=new, piano=new + r.piano[prefix:] if r.piano else None,
            path=r.path.replace(f"/{original.id}/", f"/{new}/")))
    _COPIES[key] = (catalog, records)   # the catalog kept, so that its id stays its own
    return records


def test_home_stays_under_35_kB_at_every_number_of_ambiti(real_site, catalog):
    """The built home (the theme and the page's own text), with the blocks of the macros rendered
    for N Ambiti instead of the real five: every block that grows with the site is bounded (the
    cards by HOME_AMBITI, the finder by HOME_COMUNI and HOME_AMBITI, what is new by HOME_NEWS)."""
    built = (real_site / "index.html").read_text(encoding="utf-8")
    updated = last_changes(ROOT)
    history = read_history(ROOT)   # the home's last changes, as the build reads them
    real = macros_of(Build(catalog, updated, history=history).page(""))
    for name, block in real.items():   # the model: the macros' HTML is in the built page as is
        assert block.strip() in built, name
    frame = len(built.encode()) - sum(len(b.encode()) for b in real.values())
    sizes = {}
    for n in [*range(1, 31), 40, 50, 75, 100, 150, 200]:
        for named in (True, False):
            blocks = macros_of(Build(with_ambiti(catalog, n, named), updated, history=history).page(""))
            sizes[(n, named)] = frame + sum(len(b.encode()) for b in blocks.values())
    worst = max(sizes, key=sizes.get)
    SUMMARY["pagina iniziale (HTML)"] = (f"{len(built.encode()):,} B con 5 Ambiti; al più {sizes[worst]:,} B "
                                         f"(N={worst[0]}{'' if worst[1] else ', nessun Comune nominato'}); "
                                         f"{sizes[(100, True)]:,} B con 100 Ambiti").replace(",", ".")
    assert sizes[worst] < HOME_LIMIT, sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
    assert sizes[(5, True)] == len(built.encode())
