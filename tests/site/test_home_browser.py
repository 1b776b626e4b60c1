"""The home page in Chromium (issue #28): on a 390 x 844 phone the first screen, without scrolling,
has a visible search box with an example of what to type and at least six topics; the keyboard
reaches the search and then each topic in order, always visibly; axe finds nothing; the search
box finds; the header names the site once."""
from __future__ import annotations

import re

from pdz_dev.browser import DESKTOP, assert_focus_visible, assert_no_violations, tab

PHONE_390 = {"width": 390, "height": 844}
IN_VIEW = """e => { const r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth; }"""
SITE_NAME = "Piani di Zona della Lombardia"


def phone(visit):
    return visit(PHONE_390, is_mobile=True, has_touch=True).open("")


def test_first_phone_screen_has_the_search_box_with_an_example_and_six_topics_without_scrolling(visit):
    page = phone(visit)
    assert page.evaluate("window.scrollY") == 0
    search = page.get_by_label("Cerca un servizio, un argomento o un Comune")
    assert search.is_visible() and search.evaluate(IN_VIEW)
    assert search.evaluate("e => e.tagName") == "INPUT"   # a box, not only an icon
    hint = page.locator("#pdz-home-q-esempi")
    assert hint.evaluate(IN_VIEW) and hint.inner_text().startswith("Per esempio:")
    assert search.get_attribute("aria-describedby") == "pdz-home-q-esempi"
    topics = page.locator("ul.pdz-topics > li > a")
    assert topics.count() == 10
    seen = [t.inner_text() for t in topics.all() if t.evaluate(IN_VIEW)]
    assert len(seen) >= 6, seen
    # each topic on screen shows its line, and the Region's title beneath
    for tile in page.locator("ul.pdz-topics > li").all()[:len(seen)]:
        assert tile.locator(".pdz-topic__line").is_visible() and tile.locator(".pdz-topic__region").is_visible()


def test_the_header_shows_the_site_name_once(visit):
    for page in (phone(visit), visit(DESKTOP).open("corsico/")):
        shown = page.evaluate("""name => [...document.querySelectorAll('.pdz-slim, .md-header')]
          .flatMap(root => [...root.querySelectorAll('*')])
          .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.includes(name)))
          .filter(e => e.checkVisibility({opacityProperty: true, visibilityProperty: true})).length""", SITE_NAME)
        assert shown == 1


def test_keyboard_reaches_the_search_then_each_topic_in_order(visit):
    page = phone(visit)
    names = page.locator("ul.pdz-topics > li > a").all_inner_texts()
    stops = []
    for step in range(30):
        focused = tab(page)
        assert_focus_visible(focused, f"Tab {step + 1}")
        stops.append(focused["id"] or focused["text"] or focused["label"])
        if focused["text"] == names[-1]:
            break
    start = stops.index("pdz-home-q")
    assert stops[start + 1] == "Cerca"
    assert stops[start + 2:] == names, stops
    assert len(stops[:start]) <= 5, stops   # skip link and the header's buttons, nothing hidden


def test_home_has_no_accessibility_violations_on_a_phone(visit):
    assert_no_violations(phone(visit), "home 390 px")


def test_the_home_search_box_finds(visit):
    page = phone(visit)
    page.get_by_label("Cerca un servizio, un argomento o un Comune").fill("affido")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"\?cerca=affido$", page.url)
    page.wait_for_function("() => document.getElementById('pdz-search').dataset.state === 'done'")
    assert page.locator(".pdz-search__result").count() > 0
    assert page.locator("#pdz-search-status").inner_text().endswith("per «affido»")


def test_two_taps_from_the_home_to_cremas_home_care_and_corsicos_housing(visit):
    """The topic, then the objective: Crema's DOMICILIARITÀ E ANZIANI from «Assistenza a domicilio»
    (and from «Anziani», which its title also names), Corsico's housing objectives from «Casa e abitare»."""
    visitor = visit(PHONE_390, is_mobile=True, has_touch=True)
    for topic, objective in (("Assistenza a domicilio", "crema/2021-2023/obiettivi/04-domiciliarita-anziani/"),
                             ("Anziani", "crema/2021-2023/obiettivi/04-domiciliarita-anziani/"),
                             ("Casa e abitare", "corsico/2021-2023/obiettivi/01-agenzia-dell-abitare/"),
                             ("Casa e abitare", "corsico/2021-2023/obiettivi/02-emergenza-abitativa/")):
        visitor.reset()   # as a new visitor
        page = visitor.open("")
        with page.expect_navigation():
            page.locator("ul.pdz-topics").get_by_role("link", name=topic, exact=True).tap()
        link = page.locator(f'a[href$="{objective}"]').first
        with page.expect_navigation():
            link.tap()
        assert page.url.endswith(objective)
