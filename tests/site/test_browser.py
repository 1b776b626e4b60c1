"""Accessibility gates in a real browser (WCAG 2.1 AA, as AgID and EN 301 549 require).

The real site is built once (``real_site``), served on 127.0.0.1 and opened in Debian's
headless Chromium through Playwright:

- axe-core finds no violation of the WCAG 2.1 A/AA rules on a page of every kind (whose scripts
  run under the Content-Security-Policy), on the search results and on the "page not found" page;
- the keyboard is enough: skip link, a visible focus on every stop, search and menu;
- a phone-sized screen (down to 320 CSS px) never scrolls sideways;
- no page asks anything of a server other than the site's own (fonts and assets are ours);
- every page links, in its footer, the accessibility statement, the feedback channel, the
  privacy notice, the legal notes and the licence.

Chromium missing is a failure, not a skip: .ci/run installs it.
"""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pdz.plugin.plugin import load_settings
from pdz_dev.browser import (DESKTOP, FOCUSED, FOOTER_LINKS, LICENCE, OBJECTIVE, OVERFLOW, PAGE_KINDS, PHONE, REFLOW,
                             assert_focus_visible, assert_no_violations, serving, settle, tab, wait_for_theme_scripts)
from pdz_dev.project import ROOT, mkdocs_config

# --- axe-core ---------------------------------------------------------------------------------

@pytest.mark.parametrize("url", PAGE_KINDS.values(), ids=PAGE_KINDS.keys())
def test_page_has_no_wcag_violations(visit, url):
    """No axe violation; and the page's scripts ran under its Content-Security-Policy, which
    blocked nothing (the ``visit`` fixture): tests/html/test_csp.py checks the other kinds."""
    page = visit().open(url)
    wait_for_theme_scripts(page, url)
    assert_no_violations(page, url)


# Search results (axe, Italian stemming, keyboard): tests/site/test_search.py.


def test_missing_page_is_an_italian_404_without_violations(visit):
    """... and its theme script ran under its Content-Security-Policy (tests/html/test_csp.py)."""
    page = visit().open("pagina-che-non-esiste/", status=404)
    page.wait_for_function("() => typeof __md_scope === 'object'")
    assert page.title().startswith("Pagina non trovata")
    assert page.inner_text("h1") == "Pagina non trovata"
    assert page.locator("a", has_text="pagina iniziale").count() == 1
    assert_no_violations(page, "404")


def test_phone_objective_page_has_no_violations(visit):
    page = visit(PHONE, is_mobile=True, has_touch=True).open(OBJECTIVE)
    assert_no_violations(page, "phone " + OBJECTIVE)


# --- keyboard -----------------------------------------------------------------------------------

def test_skip_link_is_the_first_stop_and_lands_on_the_content(visit):
    page = visit().open(OBJECTIVE)
    focused = tab(page)
    assert focused["text"] == "Vai al contenuto principale" and focused["href"] == "#contenuto"
    page.wait_for_function("() => getComputedStyle(document.activeElement).opacity === '1'")
    assert_focus_visible(page.evaluate(FOCUSED), "skip link")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#contenuto$"))
    page.wait_for_function("() => document.activeElement.id === 'contenuto'")
    assert page.locator("#contenuto h1").count() == 1, "the title must not be skipped"
    assert tab(page)["inContent"], "after the skip link, Tab goes on inside the content"


def test_focus_is_always_visible_with_the_keyboard(visit):
    page = visit().open(OBJECTIVE)
    seen = set()
    for step in range(45):   # header, navigation, table of contents, content
        focused = tab(page)
        assert_focus_visible(focused, f"Tab {step + 1}")
        seen.add("content" if focused["inContent"] else focused["cls"].split()[0] if focused["cls"] else "")
    assert "content" in seen and "md-nav__link" in seen


def test_phone_menu_works_with_the_keyboard_and_hidden_links_take_no_focus(visit):
    page = visit(PHONE, is_mobile=True, has_touch=True).open(OBJECTIVE)
    button = tab(page, 2)   # the skip link, the menu button
    assert button["label"] == "Apri il menu di navigazione"
    assert_focus_visible(button, "menu button")
    # Closed drawer: Tab goes from the header to the content, never to invisible links.
    for step in range(12):
        assert_focus_visible(tab(page), f"phone, Tab {step + 4}")
    menu = page.locator(".md-header .pdz-menu-button")
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    # the drawer has slid in and the focus has moved into it (the menu script does it)
    page.wait_for_function("() => document.activeElement && document.activeElement.closest('#pdz-menu') !== null")
    settle(page)
    for step in range(8):
        focused = page.evaluate(FOCUSED) if step == 0 else tab(page)
        assert_focus_visible(focused, f"open menu, stop {step + 1}")
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    settle(page)
    assert page.evaluate(FOCUSED)["label"] == "Apri il menu di navigazione"


# --- phone --------------------------------------------------------------------------------------

def test_phone_screen_never_scrolls_sideways(visit):
    """Objective pages above all, and the pages with the widest tables and card grids, on the
    narrowest screen WCAG asks for (320 CSS px)."""
    phone = visit(REFLOW, is_mobile=True, has_touch=True)
    problems = {}
    for url in (OBJECTIVE, "corsico/2021-2023/obiettivi/02-emergenza-abitativa/", PAGE_KINDS["valutazione"],
                "corsico/", "corsico/2021-2023/dati/", ""):
        overflow = phone.open(url).evaluate(OVERFLOW)
        if max(overflow["scrollWidth"], overflow["bodyScrollWidth"]) > overflow["viewport"] or overflow["outside"]:
            problems[url] = overflow
    assert problems == {}


# --- footer, statement, third parties (on the built files: every page) ------------------------

def built_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def site_path(site: Path, page: Path, href: str) -> str:
    """Where a link of a built page points, as a site path ("privacy/"); "" for the home."""
    if "://" in href or href.startswith(("mailto:", "#")):
        return href
    href = href.split("#")[0]
    if href.startswith("/"):
        target = href.lstrip("/")
    else:
        here = page.parent.relative_to(site).as_posix()
        target = posixpath.normpath(posixpath.join(here, href))
    target = "" if target in (".", "") else target.rstrip("/") + "/"
    return target



def test_every_page_links_statement_feedback_privacy_legal_notes_and_licence(real_site):
    themed = 0
    for path in built_pages(real_site):
        html = path.read_text(encoding="utf-8")
        if 'class="md-footer-meta' not in html:   # standalone documents (printable versions)
            continue
        themed += 1
        footer = html[html.index('<div class="md-footer-meta'):]
        links = {site_path(real_site, path, href) for href in re.findall(r'href="([^"]+)"', footer)}
        missing = [target for target in (LICENCE, *FOOTER_LINKS) if target not in links]
        assert missing == [], f"{path.relative_to(real_site)}: footer lacks {missing}"
    assert themed > 100
    for target in FOOTER_LINKS:
        assert (real_site / target / "index.html").exists(), target


def test_accessibility_statement_follows_the_agid_model(real_site):
    config = mkdocs_config()
    statement = (real_site / "accessibilita" / "index.html").read_text(encoding="utf-8")
    for section in ("Stato di conformità", "Contenuti non accessibili", "Meccanismo di feedback",
                    "Procedura di attuazione", "WCAG 2.1", "EN 301549", "form.agid.gov.it"):
        assert section in statement, section
    issues = config["repo_url"].rstrip("/") + "/issues/new"
    feedback = (real_site / "segnalazioni" / "index.html").read_text(encoding="utf-8")
    for page in (statement, feedback):
        assert issues in page
        email = load_settings(ROOT / "mkdocs.yml")[0].contact_email
        assert (f"mailto:{email}" in page) if email else ("da configurare" in page)


def test_no_page_loads_anything_from_another_host(real_site):
    """Static twin of the request check: scripts, styles, fonts and images are all local, and
    Material's repository widget (which calls api.github.com) is not mounted."""
    resource = re.compile(r'<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc="(https?:)?//'
                          r'|<link\b(?![^>]*rel="(?:canonical|alternate)")[^>]*href="(https?:)?//', re.I)
    for path in built_pages(real_site):
        html = path.read_text(encoding="utf-8")
        assert not resource.search(html), f"{path}: {resource.search(html).group(0)}"
        assert 'data-md-component="source"' not in html, path
    for css in (real_site / "assets").rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text), css


# --- the PA header of a configured site ---------------------------------------------------------

@pytest.fixture(scope="module")
def configured_url(configured_site):
    with serving(configured_site) as base:
        yield base


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_pa_header_in_titillium_without_violations(browser, configured_url, viewport):
    """Slim band (parent body and owning body), the bar with the site name and the footer, at
    desktop and phone width: no axe violation, Titillium Web actually used, nothing from another
    host but the configured statistics."""
    from pdz_dev.browser import Visit
    visit = Visit(browser, configured_url, viewport)
    try:
        page = visit.open(OBJECTIVE)
        page.wait_for_function("() => document.fonts.status === 'loaded'")
        assert page.inner_text(".pdz-slim") == 'Regione di Prova › Ufficio di Piano "Prova" <b>& Co.</b>'
        assert page.evaluate("document.fonts.check('16px \"Titillium Web\"')")
        loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.weight)")
        assert "400" in loaded and "700" in loaded
        assert page.evaluate("getComputedStyle(document.querySelector('.pdz-slim')).backgroundColor") \
            == "rgb(0, 51, 102)"
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") \
            == "rgb(0, 77, 153)"
        assert page.evaluate(OVERFLOW)["scrollWidth"] <= viewport["width"]
        assert_no_violations(page, f"intestazione PA {viewport['width']} px")
        # Web Analytics Italia is configured on this build: its script is the only request
        # leaving the site (blocked here), and it sets no cookie
        page.wait_for_function("() => window._paq !== undefined")
        assert ["disableCookies"] in page.evaluate("window._paq") and page.evaluate("document.cookie") == ""
        assert visit.foreign == ["https://statistiche.example.org/matomo.js"]
        # ... which the page's Content-Security-Policy allows (its host is added only when configured)
        assert visit.csp == []
        policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
        for directive in ("script-src", "connect-src", "img-src"):
            assert re.search(rf"{directive} 'self'[^;]* https://statistiche\.example\.org(;|$| )", policy), directive
    finally:
        visit.close()


# --- source texts -------------------------------------------------------------------------------

def test_source_lines_link_highlights_exactly_the_cited_lines_without_violations(visit):
    page = visit().open(OBJECTIVE)
    link = page.locator(".pdz-source a.pdz-lines-link").first
    start, end = map(int, re.search(r"righe (\d+)–(\d+)", link.inner_text()).groups())
    with page.expect_navigation():
        link.click()
    page.wait_for_function("n => document.querySelectorAll('.pdz-line.pdz-hl').length === n", arg=end - start + 1)
    marked = page.eval_on_selector_all(".pdz-line.pdz-hl", "lines => lines.map(l => l.id)")
    assert marked == [f"r{n}" for n in range(start, end + 1)]
    assert page.evaluate("location.hash") == f"#r{start}"
    # the first cited line is on screen, with some lines of context above it
    top = page.evaluate(f"document.getElementById('r{start}').getBoundingClientRect().top")
    assert 0 < top < page.viewport_size["height"]
    assert page.evaluate(f"document.getElementById('r{start - 1}').getBoundingClientRect().bottom") > 0
    assert page.locator("#citato-da").count() == 1
    assert_no_violations(page, "testo di un documento di origine")
