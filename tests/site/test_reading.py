"""Reading the real site on a phone and with the keyboard (issue #25), in Debian's Chromium.

- acronyms of the glossary open their expansion on a tap and on keyboard focus, with a link
  to the glossary (a disclosure: a button with aria-expanded), under the site's strict
  Content-Security-Policy (the ``visit`` fixture fails on any violation); axe finds nothing;
- charts are as wide as the text column and their words at least 12 px, at every width;
- an objective's page shows "In breve" on the first screen of a phone.
"""
from __future__ import annotations

from pdz_dev.browser import DESKTOP, FOCUSED, REFLOW, assert_no_violations, settle, tab
from pdz_dev.project import SUMMARY

PHONE = {"width": 390, "height": 844}
OBJECTIVE = "crema/2021-2023/obiettivi/04-domiciliarita-anziani/"   # a title in capitals, acronyms (ISD, RSA...)
OPEN_TIP = ".pdz-abbr__button[aria-expanded=true] + .pdz-abbr__tip"


def test_an_acronym_opens_on_a_tap_with_a_link_to_the_glossary(visit):
    page = visit(PHONE, is_mobile=True, has_touch=True).open(OBJECTIVE)
    button = page.locator("#contenuto .pdz-abbr__button").first
    acronym = button.inner_text()
    assert button.get_attribute("aria-expanded") == "false" and page.locator(".pdz-abbr__tip").first.is_hidden()
    button.tap()
    tip = page.locator(OPEN_TIP)
    assert tip.count() == 1 and tip.is_visible()
    expansion = button.locator("abbr").get_attribute("title")
    assert tip.inner_text().startswith(expansion) and expansion
    link = tip.get_by_role("link", name="nel glossario")
    glossary_id = button.locator("abbr").get_attribute("data-glossario")
    assert link.get_attribute("href").endswith(f"/glossario/#{glossary_id}")
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], "the expansion stays on the screen"
    assert_no_violations(page, "acronym open on a phone")
    page.locator("h1").tap()   # a tap elsewhere closes it
    assert page.locator(OPEN_TIP).count() == 0
    button.tap()
    with page.expect_navigation():
        page.locator(OPEN_TIP).get_by_role("link").tap()
    assert page.url.endswith(f"/glossario/#{glossary_id}") and acronym in page.inner_text(f"[id='{glossary_id}']")


def test_an_acronym_opens_on_keyboard_focus_and_escape_closes_it(visit):
    page = visit(DESKTOP).open(OBJECTIVE)
    # on the way only the focused element's class is read: the page is let settle once, on the
    # acronym (settling after each of the 40-odd stops was 6 s of Material's transitions)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('pdz-abbr__button')"):
            break
    settle(page)
    focused = page.evaluate(FOCUSED)
    assert focused and "pdz-abbr__button" in focused["cls"], "Tab reaches the acronyms"
    tip = page.locator(OPEN_TIP)
    assert tip.count() == 1 and tip.is_visible()
    focused = tab(page)   # into the expansion: its link to the glossary
    assert focused["tag"] == "A" and page.locator(OPEN_TIP).count() == 1
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Escape")
    assert page.locator(OPEN_TIP).count() == 0
    assert "pdz-abbr__button" in page.evaluate("document.activeElement.className")
    assert_no_violations(page, "acronym after the keyboard")


def test_charts_are_as_wide_as_the_text_and_their_words_at_least_12_px(visit, real_site):
    drawn = {str(f.parent.relative_to(real_site)) + "/": f.read_text(encoding="utf-8").count('<svg class="pdz-chart"')
             for f in real_site.rglob("index.html") if "stampa" not in f.parts}
    drawn = {url: n for url, n in drawn.items() if n}
    assert "crema/2021-2023/" in drawn, drawn   # every plan page that draws a chart, at every width
    visitor = visit(DESKTOP)
    for viewport in (REFLOW, PHONE, DESKTOP):
        visitor.reset()   # as a new visitor ...
        visitor.page.set_viewport_size(viewport)   # ... of this screen size
        for url, expected in sorted(drawn.items()):
            page = visitor.open(url)
            charts = page.evaluate("""() => [...document.querySelectorAll('svg.pdz-chart')].map(svg => {
                const box = svg.getBoundingClientRect(), column = svg.closest('.md-content__inner').getBoundingClientRect();
                const style = getComputedStyle(svg.closest('.md-content__inner'));
                const inner = column.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                const texts = [...svg.querySelectorAll('text')];
                const named = (svg.getAttribute('aria-labelledby') || '').split(' ').map(id => document.getElementById(id));
                return {width: box.width, column: inner, role: svg.getAttribute('role'),
                        alternative: named.map(e => e && svg.contains(e) ? e.textContent.trim() : ''),
                        smallest: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize))),
                        outside: texts.filter(t => { const r = t.getBoundingClientRect();
                                                     return r.left < box.left - 1 || r.right > box.right + 1; }).map(t => t.textContent)};
            })""")
            assert len(charts) == expected, (url, viewport)
            for chart in charts:
                assert chart["width"] >= chart["column"] - 1, (url, viewport, chart)
                assert chart["smallest"] >= 12 and chart["outside"] == [], (url, viewport, chart)
                # the text alternative: a title and a description the svg names (role img)
                assert chart["role"] == "img" and len(chart["alternative"]) == 2 and all(chart["alternative"]), chart
    SUMMARY["grafici larghi quanto il testo, parole di almeno 12 px (320, 360, 1280 px)"] = \
        f"{sum(drawn.values())} grafici su {len(drawn)} pagine, ciascuno con titolo e descrizione (role img)"


def test_an_objective_says_what_it_is_on_the_first_screen_of_a_phone(visit):
    page = visit(PHONE, is_mobile=True, has_touch=True).open(OBJECTIVE)
    brief = page.locator(".pdz-brief")
    assert brief.locator("h2").inner_text() == "In breve"
    top = brief.bounding_box()
    assert top["y"] < PHONE["height"], "the box starts on the first screen"
    assert page.locator("h1").inner_text().endswith("Domiciliarità e anziani")
    assert "DOMICILIARITÀ E ANZIANI" in page.inner_text(".pdz-original-title")
    assert_no_violations(page, "objective page with In breve on a phone")
