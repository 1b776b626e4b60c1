"""Partners embed the card of an objective (issue #29), in Chromium: the code copied from the
objective page ("Copia il codice", by mouse or keyboard, announced) is put on a page of ANOTHER
origin; the site is served with the headers of its own ``_headers`` file; at 320, 390 and 1280 px
the card shows whole in its frame, without scrolling, and its link opens the objective. Every
other page refuses to be framed by that origin. Every card fits its frame from 280 px up."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from pdz_dev.browser import DESKTOP, PHONE, Visit, serving
from pdz_dev.hosting import netlify_headers, parse_headers_file
from pdz_dev.project import DEPLOYED_URL, OWNER_ENV, SUMMARY
from pdz.render.embed import EMBED_HEIGHT

OBJECTIVE = "corsico/2021-2023/obiettivi/04-tutela-minori/"
TITLE = "4. Ridefinizione del servizio tutela minori"
WIDTHS = (320, 390, 1280)
# the card's own layout, measured inside the frame: whole, without scrolling, nothing cut
# (needed: the height its parts take, the source line being pushed to the bottom of the frame)
FIT = """() => {
  const root = document.documentElement, main = document.querySelector('main'), style = getComputedStyle(main);
  const cut = [...main.querySelectorAll('h1, dl > div, dd, p')].filter((e) => e.scrollHeight > e.clientHeight + 1);
  let needed = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom) + parseFloat(style.borderTopWidth);
  for (const e of main.children) {
    const s = getComputedStyle(e);
    needed += e.getBoundingClientRect().height + parseFloat(s.marginBottom)
      + (e.classList.contains('pdz-card__source') ? 0 : parseFloat(s.marginTop));
  }
  return {scrollHeight: root.scrollHeight, height: innerHeight, scrollWidth: root.scrollWidth, width: innerWidth,
          bottom: Math.ceil(main.lastElementChild.getBoundingClientRect().bottom), needed: Math.ceil(needed),
          cut: cut.map((e) => e.tagName + ' ' + e.textContent.slice(0, 40))};
}"""


@pytest.fixture(scope="module")
def hosted(configured_site):
    """The configured site as Netlify would serve it: the rules of the ``_headers`` it built."""
    rules = parse_headers_file((configured_site / "_headers").read_text(encoding="utf-8"))
    with serving(configured_site, headers=lambda path: netlify_headers(rules, path)) as base:
        yield base


def embed_code(site: Path) -> str:
    page = (site / OBJECTIVE / "index.html").read_text(encoding="utf-8")
    return html.unescape(re.search(r'<pre class="pdz-embed-code"[^>]*><code>(.*?)</code></pre>', page, re.S).group(1))


@pytest.fixture(scope="module")
def partner(configured_site, hosted, tmp_path_factory):
    """A partner's page on another origin (another port of 127.0.0.1) with the card's code as
    the objective page gives it, pointed at the local copy of the site, and a frame of an
    ordinary page of the site."""
    folder = tmp_path_factory.mktemp("partner")
    code = embed_code(configured_site).replace(DEPLOYED_URL, hosted)
    (folder / "index.html").write_text(
        '<!doctype html><html lang="it"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Un partner</title></head>'
        '<body style="margin:0 16px;font-family:sans-serif"><h1>Il nostro progetto</h1>'
        f'<p>Il Piano di Zona dice:</p>{code}'
        f'<p>Una pagina qualsiasi del sito:</p><iframe id="pagina" src="{hosted}{OBJECTIVE}" title="Pagina" '
        'width="100%" height="200"></iframe></body></html>', encoding="utf-8")
    with serving(folder) as base:
        yield base


@pytest.mark.parametrize("width", WIDTHS)
def test_a_partner_on_another_origin_shows_the_whole_card_and_its_link_works(browser, hosted, partner, width):
    assert hosted.split(":")[2] != partner.split(":")[2]   # two origins: another port
    visit = Visit(browser, partner, {"width": width, "height": 900})
    try:
        refused = []
        visit.page.on("console", lambda m: refused.append(m.text) if "frame-ancestors 'self'" in m.text else None)
        page = visit.open("")
        card = page.frame_locator("iframe[src$='/scheda/']")
        card.locator("h1").wait_for()
        frame = next(f for f in page.frames if f.url == f"{hosted}{OBJECTIVE}scheda/")
        frame.wait_for_function("() => document.readyState === 'complete' && document.fonts.status === 'loaded'")
        fit = frame.evaluate(FIT)
        box = page.locator("iframe[src$='/scheda/']").bounding_box()
        assert fit["height"] == EMBED_HEIGHT and fit["width"] == round(box["width"]) - 2   # 1 px border each side
        assert round(box["width"]) == min(width - 32, 640)   # the partner's column (16 px margins), at most 40rem
        assert fit["scrollHeight"] <= fit["height"] and fit["scrollWidth"] <= fit["width"], fit   # no inner scrolling
        assert fit["bottom"] <= fit["height"] and fit["cut"] == [], fit   # whole: every line shown
        assert box["x"] >= 0 and box["x"] + box["width"] <= width   # the frame fits the partner's page
        assert card.locator("h1").inner_text() == TITLE
        # an ordinary page of the site refuses the partner's frame (frame-ancestors 'self')
        if not refused:
            page.wait_for_event("console", predicate=lambda m: "frame-ancestors 'self'" in m.text)
        assert not any(f.url == f"{hosted}{OBJECTIVE}" for f in page.frames)
        with visit.context.expect_page() as opened:
            card.get_by_role("link", name="Leggi la scheda completa").click()
        objective = opened.value
        objective.wait_for_load_state("load")
        assert objective.url == f"{hosted}{OBJECTIVE}"
        assert TITLE in objective.locator("h1").inner_text()
        # the card's own policy blocks nothing; the objective page of this build loads the configured statistics
        assert visit.csp == [] and visit.foreign == [OWNER_ENV["PDZ_MATOMO_URL"] + "matomo.js"]
        line = f"{width} px: riquadro {fit['width']}x{fit['height']}, contenuto {fit['needed']} px; "
        SUMMARY["scheda incorporata da un'altra origine (Chromium)"] = \
            SUMMARY.get("scheda incorporata da un'altra origine (Chromium)", "") + line
    finally:
        visit.close()


# A card's file: its head (the same for every card but its title and its address), its <main>,
# and nothing after it. So every card is measured in one window of the frame's size, showing
# the real first card, whose <main> is replaced by each card's in turn: the same document as the
# card's own, for a tenth of the CPU of loading 169 documents (each one a frame Playwright follows).
CARD = re.compile(r"(<!doctype html>.*<body>\n)(<main class=\"pdz-card\">.*?</main>)(\n</body>\n</html>\n)", re.S)
MEASURE_EACH = """async (mains) => {
  const fit = %s, out = [];
  for (const main of mains) {
    document.querySelector('main').outerHTML = main;
    await document.fonts.ready;   // resolves at once unless the new text asked for a font
    out.push(fit());
  }
  return out;
}""" % FIT


def card_head(site: Path, card: str, head: str) -> str:
    """The head of a card's file without what differs from card to card: its title, the address
    of its objective, and the relative way up to the stylesheet (resolved: always the same file)."""
    head = re.sub(r"<title>[^<]*</title>", "<title/>", head)
    head = re.sub(r'(<link rel="canonical" href=")[^"]*"', r'\1"', head)
    sheet = re.search(r'<link rel="stylesheet" href="([^"]*)">', head).group(1)
    assert (site / card / sheet).resolve() == (site / "assets" / "pdz-embed.css").resolve(), (card, sheet)
    return head.replace(sheet, "")


def test_every_card_fits_its_frame_from_280_px(browser, real_site):
    """Every card of the real site, and a card whose every text is far too long, in a frame
    280 px wide and EMBED_HEIGHT high: no scrolling (docs/assets/pdz-embed.css). A frame is a
    window of its own: the same measures as a card opened in a window of that size."""
    cards = sorted(p.parent.relative_to(real_site).as_posix() + "/" for p in real_site.rglob("scheda/index.html"))
    parts = {card: CARD.fullmatch((real_site / card / "index.html").read_text(encoding="utf-8")) for card in cards}
    assert [card for card, part in parts.items() if part is None] == []
    heads = {card_head(real_site, card, part.group(1)) for card, part in parts.items()}
    assert len(heads) == 1 and len({part.group(3) for part in parts.values()}) == 1, heads
    with serving(real_site) as base:
        visit = Visit(browser, base, {"width": 280, "height": EMBED_HEIGHT})
        try:
            page = visit.open(cards[0])
            fits = page.evaluate(MEASURE_EACH, [parts[card].group(2) for card in cards])
            shortened, tallest = [], 0
            for card, fit in zip(cards, fits, strict=True):
                assert fit["width"] == 280 and fit["height"] == EMBED_HEIGHT, (card, fit)
                assert fit["scrollHeight"] <= EMBED_HEIGHT and fit["scrollWidth"] <= 280, (card, fit)
                tallest = max(tallest, fit["needed"])
                shortened += [(card, cut) for cut in fit["cut"]]
            page.evaluate("""() => {
              const long = (text) => (text + ' ').repeat(30);
              for (const e of document.querySelectorAll('.pdz-card__kicker, h1, dd, .pdz-card__source')) e.textContent = long(e.textContent);
            }""")
            fit = page.evaluate(FIT)
            assert fit["scrollHeight"] <= EMBED_HEIGHT and fit["scrollWidth"] <= 280, fit
            assert visit.csp == [] and visit.foreign == []
        finally:
            visit.close()
    assert len(shortened) <= 1, shortened   # only the one title of 170 characters, at this width
    SUMMARY["schede incorporabili a 280 px"] = (f"{len(cards)} schede nel riquadro di {EMBED_HEIGHT} px, nessuna "
                                                f"scorre; la più alta ne occupa {tallest}; testi accorciati: {len(shortened)}")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_copy_button_copies_the_code_by_keyboard_and_says_so(visit, site_url, real_site, viewport):
    visitor = visit(viewport)
    visitor.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = visitor.open(OBJECTIVE)
    assert page.get_by_role("button", name="Copia il codice").is_visible()
    page.get_by_role("link", name="anteprima della scheda").focus()
    for _ in range(3):   # the next stops after the preview link: the code box, the button
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.dataset.pdzCopy !== undefined"):
            break
    assert page.evaluate("() => document.activeElement.textContent") == "Copia il codice"
    page.keyboard.press("Enter")
    status = page.locator(".pdz-copy [role=status]")
    status.filter(has_text="copiato").wait_for()
    assert status.inner_text() == "Codice copiato negli appunti: incollalo nella pagina del tuo sito."
    assert page.evaluate("() => navigator.clipboard.readText()") == embed_code(real_site)
    assert visitor.csp == [] and visitor.foreign == []


def test_without_javascript_there_is_no_dead_button(visit):
    page = visit(PHONE, java_script_enabled=False).open(OBJECTIVE)
    assert page.get_by_role("button", name="Copia il codice").count() == 0
    assert page.locator("pre.pdz-embed-code").is_visible()
