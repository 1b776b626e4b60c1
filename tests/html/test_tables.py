"""Tables that fit any screen (issue #17).

- The markup: every table gets cell labels, ARIA roles and unbreakable words
  (``pdz.html.tables.label_tables``), also tables written in Markdown.
- In Chromium, at 390 px (a phone) and 1280 px (a laptop), on the pages of every kind found in
  the built site (tests/table_fit.py sorts them by address), the hardest pages of each kind: no
  table scrolls sideways and no word is split across two lines of a cell; on the laptop every
  table is a real table, not cards. The failure names the page, the table and the word.
  ``benchmarks/tables_bench.py`` measures every page, from 320 to 1920 px.
- On a phone the cards keep the table semantics (accessibility tree) and axe finds nothing.
"""
from __future__ import annotations

import pytest

from pdz_dev.table_fit import WIDTHS
from pdz_dev.browser import axe_violations
from pdz.html.tables import keep_words, label_tables
from pdz_dev.table_fit import TABLE_FIT, discover, hardest
REQUIRED_KINDS = ("home", "ambito", "piano", "obiettivo", "valutazione", "area", "partner", "destinatari",
                  "documento", "tabella", "stampa")



def test_cells_get_labels_roles_and_whole_words():
    html = ('<table><thead><tr><th>Voce</th><th colspan="2">Importi</th><th>Note</th></tr></thead>'
            '<tbody><tr><td>Co-progettazione</td><td>1</td><td>2</td><td>e/o <a href="x">socio-sanitaria</a> – fine</td></tr>'
            '<tr><th scope="row">Totale</th><td colspan="2">3</td><td></td></tr></tbody></table>')
    out = label_tables(html)
    assert out.startswith('<table role="table" data-stack>')
    # the header row stays out of the site search, which would glue its cells into one word
    assert '<thead data-pagefind-ignore><tr><th>Voce</th>' in out and "<tbody><tr>" in out
    assert '<td data-label="Voce"><span class="pdz-nobr">Co-progettazione</span></td>' in out
    assert '<td data-label="Importi">1</td><td data-label="Importi">2</td>' in out
    assert ('<td data-label="Note"><span class="pdz-nobr">e/o</span> '
            '<a href="x"><span class="pdz-nobr">socio-sanitaria</span></a> – fine</td>') in out
    assert '<th scope="row">Totale</th><td colspan="2" data-label="Importi">3</td><td data-label="Note"></td>' in out
    assert label_tables(out) == out   # idempotent: the hook sees tables the renderer already did


def test_labels_are_escaped_and_small_or_nested_tables_are_left_as_tables():
    two = label_tables('<table><thead><tr><th>A &amp; "B"</th><th>C</th></tr></thead><tbody><tr><td>x</td><td>y</td></tr></tbody></table>')
    assert "data-stack" not in two and 'data-label="A &amp; &quot;B&quot;"' in two
    nested = '<table><tr><td><table><tr><td>x</td></tr></table></td></tr></table>'
    assert label_tables(nested) == nested
    assert label_tables("<p>co-progettazione</p>") == "<p>co-progettazione</p>"   # outside tables: untouched


def test_only_words_with_a_break_inside_are_kept_whole():
    assert keep_words("2021-2023 – fine") == '<span class="pdz-nobr">2021-2023</span> – fine'
    assert keep_words('<abbr title="x-y">ASST</abbr>-Comuni') == \
        '<abbr title="x-y">ASST</abbr><span class="pdz-nobr">-Comuni</span>'   # attributes untouched
    long_path = "content/ambiti/corsico/obiettivi/04-tutela.yaml"
    assert keep_words(long_path) == f'<span class="pdz-nobr pdz-nobr-long">{long_path}</span>'
    address = "https://example.org/" + "a" * 60
    assert keep_words(address) == address   # longer than any screen: may break


# --- in the browser ------------------------------------------------------------------------

def test_every_page_kind_is_found_in_the_built_site(real_site):
    kinds = discover(real_site)
    assert [k for k in REQUIRED_KINDS if not kinds.get(k)] == []
    assert kinds["home"] == [""]


def fit_problems(site, reader, phone: bool, scripts: bool = True) -> tuple[int, list[str]]:
    """(tables measured, problems) over the hardest pages of every kind, in Italian."""
    problems, measured = [], 0
    for _kind, urls in sorted(discover(site).items()):
        for url in hardest(site, urls):
            result = reader.open(url).evaluate(TABLE_FIT, {"scripts": scripts})
            measured += result["tables"]
            problems += [f"{url or '/'}: la tabella «{s['table']}» scorre di lato di {s['by']} px"
                         for s in result["scrolling"]]
            problems += [f"{url or '/'}: nella tabella «{b['table']}» la parola «{b['word']}» "
                         f"è spezzata su {b['lines']} righe (cella: {b['cell']})" for b in result["broken"]]
            if not phone:   # desktops keep real tables
                problems += [f"{url or '/'}: la tabella «{c['table']}» ({c['columns']} colonne) è mostrata a schede"
                             for c in result["cards"]]
    return measured, problems


@pytest.mark.parametrize("device", WIDTHS, ids=WIDTHS.keys())
def test_no_table_scrolls_sideways_and_no_word_is_split(real_site, visit, device):
    phone = WIDTHS[device]["width"] < 768
    measured, problems = fit_problems(real_site, visit(WIDTHS[device], is_mobile=phone, has_touch=phone), phone)
    assert measured > 20   # the probe saw tables
    assert problems == []


def test_phones_without_javascript_get_the_cards_too(real_site, visit):
    """The phone cards are pure CSS: a reader whose scripts are off (or still loading) sees no
    table scroll sideways either."""
    reader = visit(WIDTHS["telefono"], is_mobile=True, has_touch=True, java_script_enabled=False)
    measured, problems = fit_problems(real_site, reader, phone=True, scripts=False)
    assert measured > 20
    assert problems == []


def test_phone_cards_keep_the_table_semantics_and_pass_axe(real_site, visit):
    reader = visit(WIDTHS["telefono"], is_mobile=True, has_touch=True)
    page = reader.open("destinatari/minori/")   # objectives of several Ambiti (topic pages list them, issue #28)
    page.wait_for_selector("html[data-pdz-tables=ok]", state="attached")   # pdz-tables.js has laid out the tables
    table = page.locator("table[data-stack]").first
    assert table.evaluate("t => getComputedStyle(t).display") == "block"   # shown as cards
    assert table.evaluate("t => getComputedStyle(t.querySelector('td'), '::before').content").startswith('"Ambito"')
    tree = table.aria_snapshot()
    assert 'table "Obiettivi per: Minori"' in tree.splitlines()[0]   # quoted by the snapshot: the caption has a colon
    for role in ('columnheader "Ambito"', 'columnheader "Risorse"', "row ", "cell "):
        assert role in tree, role
    assert axe_violations(page) == []
    for kind in ("ambito", "piano"):   # the pages with the most tables of their kind
        assert axe_violations(reader.open(hardest(real_site, discover(real_site)[kind], 1)[0])) == []


def test_a_wide_table_gets_room_not_cards_on_a_laptop(visit):
    """The 13 columns of a timetable: the page drops its table of contents, the table stays a
    table (with a denser type if needed) and axe finds nothing."""
    page = visit(WIDTHS["portatile"]).open("crema/2021-2023/progetti/02-ingressi-rsa/")
    page.wait_for_selector("html[data-pdz-tables=ok]", state="attached")
    assert page.locator("html[data-pdz-roomy]").count() == 1
    assert page.locator(".md-sidebar--secondary").evaluate("e => getComputedStyle(e).display") == "none"
    tables = page.locator("table[role=table]")
    assert tables.count() >= 2 and page.locator("table[data-cards]").count() == 0
    assert {tables.nth(i).evaluate("t => getComputedStyle(t).display") for i in range(tables.count())} == {"table"}
    assert axe_violations(page) == []
