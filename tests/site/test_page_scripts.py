"""Scripts of some pages only (pdz.site.pages.PAGE_SCRIPTS): every page that holds what such a
script acts on loads it, and no other page does (issue #27: lighter first visits)."""
from __future__ import annotations

import re

from pdz.site.pages import PAGE_SCRIPTS


def article(html: str) -> str | None:
    """The page's article as the theme writes it, up to the theme's footer, the last one (None: not a
    page of the theme)."""
    start = html.find('class="md-content__inner')
    return html[start:html.rindex("<footer")] if start >= 0 else None


def test_a_page_loads_the_scripts_of_what_it_holds_and_no_other(real_site):
    pages = [p for p in real_site.rglob("*.html") if p.relative_to(real_site).parts[0] != "admin"]
    seen = {path: [0, 0] for path in PAGE_SCRIPTS}   # pages with the script, pages without it
    wrong = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        content = article(html)
        if content is None:   # not a page of the theme (a redirect, a card, a printable plan)
            continue
        for path, mark in PAGE_SCRIPTS.items():
            loads = re.search(r'<script src="[^"]*' + re.escape(path) + '"', html) is not None
            seen[path][0 if loads else 1] += 1
            if loads != (mark in content):
                wrong.append((page.relative_to(real_site).as_posix(), path, loads))
    assert wrong == []
    # each script is on some pages and off others (the Comune finder: the home and comuni/)
    assert all(with_ and without for with_, without in seen.values()), seen
    home = (real_site / "index.html").read_text(encoding="utf-8")
    assert "assets/pdz-comuni.js" in home and "assets/pdz-search.js" in home
    objective = (real_site / "crema/2021-2023/obiettivi/04-domiciliarita-anziani/index.html").read_text(encoding="utf-8")
    assert "assets/pdz-comuni.js" not in objective and "assets/pdz-source.js" not in objective
