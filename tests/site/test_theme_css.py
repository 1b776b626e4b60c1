"""The theme's stylesheet is trimmed safely (macros/pdz/site/theme_css.py): what is left out is
never used by a page, and every element looks the same as with Material's whole stylesheet."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from pdz.site import theme_css
from pdz_dev.browser import PHONE, settle

SITE_FEATURES = theme_css.SiteFeatures(features=["navigation.indexes", "toc.follow"], plugins=["pdz", "macros"],
                                       extensions=["attr_list", "tables", "toc"])


def material_css(name: str = "main") -> str:
    import material
    folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    return next(folder.glob(f"{name}.*.min.css")).read_text(encoding="utf-8")


def test_trimming_only_removes_selectors_of_components_that_are_off():
    css = material_css()
    trimmed = theme_css.trim(css, theme_css.unused_prefixes(SITE_FEATURES))
    assert len(trimmed) < 0.6 * len(css)
    # every rule left is Material's: its declarations appear in the original, in the same order
    position = 0
    for selectors, body in re.findall(r"([^{}]+)(\{[^{}]*\})", trimmed):
        found = css.find(body, position)
        assert found >= 0, (selectors[:80], body[:80])
        position = found
    assert ".md-search" not in trimmed and ".admonition" not in trimmed and "[dir=rtl]" not in trimmed
    assert ".md-nav__link" in trimmed and ".md-typeset table" in trimmed and ".md-top" in trimmed
    # a component switched on keeps its rules, without anyone editing the list
    with_search = theme_css.SiteFeatures(features=[], plugins=["search"], extensions=["admonition"])
    kept = theme_css.trim(css, theme_css.unused_prefixes(with_search))
    assert ".md-search__input" in kept and ".admonition-title" in kept
    # :not(.x) does not need .x: such selectors stay
    assert theme_css.trim(".a:not(.md-search){color:red}.md-search .a{color:blue}", ("md-search",)) \
        == ".a:not(.md-search){color:red}"


def test_no_page_uses_a_class_whose_rules_were_left_out(real_site):
    import yaml
    from mkdocs.utils.yaml import get_yaml_loader
    from pdz_dev.project import ROOT
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=get_yaml_loader())
    features = theme_css.SiteFeatures(
        features=config["theme"].get("features") or [],
        plugins=[p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]],
        extensions=[e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]],
        extra=config.get("extra") or {})
    prefixes = theme_css.unused_prefixes(features)
    assert "md-search" in prefixes
    used, seen = {}, set()
    for page in real_site.rglob("*.html"):
        if page.relative_to(real_site).parts[0] == "admin":   # the web editor loads Material's own stylesheet
            continue
        for attribute in re.findall(r'class="([^"]*)"', page.read_text(encoding="utf-8")):
            # each class once, on the first page that uses it: checking every use of a class
            # (173,000 in the real site, a few hundred classes) was 6 s of CPU
            for name in set(attribute.split()) - seen:
                seen.add(name)
                if theme_css._unused(name, prefixes):
                    used[name] = page.relative_to(real_site).as_posix()
    assert used == {}
    published = (real_site / theme_css.FILE).read_text(encoding="utf-8")
    assert published == theme_css.trim(material_css(), prefixes)


# Every element and its ::before/::after: the computed value of every property that Material's
# stylesheet declares (removing one of its rules can change nothing else: any effect, inherited or
# derived, shows first in a declared property of some element). A ::before or ::after whose
# content is none is not drawn, so its other properties show nowhere: only its content is kept
# (a lost rule that drew one, or stopped drawing one, still shows there; most elements have
# neither, and reading every property of both was two thirds of the test's time). Kept in the
# page (as JSON a page's styles are megabytes), under a number that stays the element's own
# (scripts may add elements between two snapshots); the second call returns what changed since
# the first.
SNAPSHOT = """(props) => {
  const ids = window.pdzIds || (window.pdzIds = new WeakMap());
  const now = new Map();
  for (const el of document.querySelectorAll('body *')) {
    if (!ids.has(el)) ids.set(el, window.pdzNext = (window.pdzNext || 0) + 1);
    for (const pseudo of [null, '::before', '::after']) {
      const cs = getComputedStyle(el, pseudo);
      const drawn = !pseudo || !['none', 'normal'].includes(cs.content);
      now.set(ids.get(el) + (pseudo || ''), [el.tagName + '.' + el.className + (pseudo || ''),
                                              drawn ? props.map((p) => cs.getPropertyValue(p)) : null, cs.content]);
    }
  }
  const then = window.pdzStyles;
  window.pdzStyles = now;
  if (!then) return null;
  const changed = [];
  let common = 0;
  for (const [key, [name, values, content]] of now) {
    if (!then.has(key)) continue;
    common++;
    const [, old, oldContent] = then.get(key);
    if (!old && !values) continue;   // a pseudo-element drawn in neither
    if (!old || !values) {           // ... or in one of the two only
      changed.push(name.slice(0, 60) + ': content: ' + oldContent + ' -> ' + content);
      continue;
    }
    const diff = props.filter((p, i) => old[i] !== values[i]).map((p) => p + ': ' + old[props.indexOf(p)] + ' -> ' + values[props.indexOf(p)]);
    if (diff.length) changed.push(name.slice(0, 60) + ': ' + diff.slice(0, 6).join(', '));
  }
  return {common: common, before: then.size, changed: changed.slice(0, 5)};
}"""


def declared_properties(css: str) -> list[str]:
    """Every property a stylesheet declares (custom properties included), prefixes resolved."""
    names = set(re.findall(r"[{;]\s*(-{0,2}[a-z][a-z0-9-]*)\s*:", css))
    return sorted(names)
# Material's own two stylesheets instead of the trimmed one (resolves once both are loaded);
# TRIMMED puts the trimmed one back, for the next state of the same page.
ORIGINAL = """async ([main, palette]) => {
  const trimmed = document.querySelector('link[href$="pdz-material.css"]');
  const load = (href) => new Promise((done, fail) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet'; link.href = href; link.onload = done; link.onerror = fail;
    link.dataset.pdzOriginal = '';
    trimmed.before(link);
  });
  await load(trimmed.href.replace('pdz-material.css', main));
  await load(trimmed.href.replace('pdz-material.css', palette));
  window.pdzTrimmed = trimmed.href;
  trimmed.remove();
}"""
TRIMMED = """async () => {
  const originals = [...document.querySelectorAll('link[data-pdz-original]')];
  await new Promise((done, fail) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet'; link.href = window.pdzTrimmed; link.onload = done; link.onerror = fail;
    originals[0].before(link);
  });
  for (const link of originals) link.remove();
}"""
# the home, the longest objective, the longest hand-written page, a source text; and every page
# kind in tests/test_browser.py passes axe with this stylesheet
PAGES = ["", "crema/2021-2023/obiettivi/04-domiciliarita-anziani/", "guida/", "fonti/001-corsico/testo/righe-1-165/"]


# At desktop size every sidebar's scrolling part has the height Material's script sets (at phone
# size the sidebars are drawers and the script leaves it unset).
SIDEBARS_SIZED = "() => [...document.querySelectorAll('.md-sidebar__scrollwrap')].every((w) => w.style.height !== '')"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_element_looks_the_same_as_with_materials_whole_stylesheet(visit, real_site, viewport):
    main = next((real_site / "assets" / "stylesheets").glob("main.*.min.css")).name
    palette = next((real_site / "assets" / "stylesheets").glob("palette.*.min.css")).name
    props = sorted(set(declared_properties(material_css())) | set(declared_properties(material_css("palette"))))
    visitor = visit(PHONE, is_mobile=True, has_touch=True) if viewport == "phone" else visit()
    # the states of a page, one after the other on one load (a load cost as much as a snapshot);
    # each state but the last is left for the next (the menu closed with Escape, as a reader does)
    if viewport == "phone":
        states = {"as opened": None, "menu open": lambda page: page.click(".md-header .pdz-menu-button"),
                  "search open": lambda page: page.click(".pdz-search__open")}
        leave = {"menu open": close_the_menu}
    else:
        states = {"as opened": None, "keyboard focus": lambda page: page.keyboard.press("Tab")}
        leave = {}
    found = []
    for url in PAGES:
        page = visitor.open(url)
        if viewport == "desktop":
            # Material's script gives each sidebar its height on an animation frame after the
            # load: the first snapshot waits for it (once it was taken before, and the height
            # "changed" from the sidebar's own to the script's: 260.625px -> 674px)
            page.wait_for_function(SIDEBARS_SIZED, polling="raf")
        for state, act in states.items():
            if act:
                act(page)
                # The pointer rests where it clicked, over what just opened: Chromium updates
                # :hover there only at a later, timer-driven check, which could fall between the
                # two snapshots (a sidebar's scrollbar colour once differed). A real move makes
                # the hover state current before either snapshot.
                size = page.viewport_size
                page.mouse.move(size["width"] - 1, size["height"] - 1)
                settle(page)
            page.evaluate(SNAPSHOT, props)
            page.evaluate(ORIGINAL, [main, palette])
            settle(page)
            result = page.evaluate(SNAPSHOT, props)
            assert result["common"] > 0.9 * result["before"], (url, state, result)
            found += [f"/{url} ({state}): {change}" for change in result["changed"]]
            page.evaluate(TRIMMED)
            if state in leave:
                leave[state](page)
    assert found == []


def close_the_menu(page) -> None:
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('__drawer').checked")
    settle(page)
