"""The look of an Italian public administration's site: the owning body in the header, footer
and legal pages (from mkdocs.yml), Titillium Web self-hosted, the PA palette."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import OWNER_ENV, ROOT

FONTS = ROOT / "docs" / "assets" / "fonts"
PACKAGE = ROOT / "node_modules" / "@fontsource" / "titillium-web"


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_fonts_are_the_pinned_package_files_with_their_licence():
    vendored = sorted(FONTS.glob("*.woff2"))
    assert [f.name for f in vendored] == [f"titillium-web-latin-{w}-normal.woff2" for w in (400, 600, 700)]
    for font in vendored:
        assert font.read_bytes() == (PACKAGE / "files" / font.name).read_bytes(), font.name
    assert (FONTS / "OFL.txt").read_bytes() == (PACKAGE / "LICENSE").read_bytes()
    css = (ROOT / "docs" / "assets" / "pdz-pa.css").read_text(encoding="utf-8")
    assert sorted(re.findall(r"url\(fonts/([^)]+)\)", css)) == [f.name for f in vendored]
    assert "@import" not in css and "http" not in css.split("*/", 1)[1]


def test_header_footer_and_legal_pages_name_the_configured_body(configured_site):
    name = 'Ufficio di Piano &#34;Prova&#34; &lt;b&gt;&amp; Co.&lt;/b&gt;'
    for url in ("", "corsico/obiettivi/04-tutela-minori", "note-legali", "dati-aperti"):
        html = page(configured_site, url)
        brand = html[html.index('<div class="pdz-brand">'):html.index('<header')]
        assert f'<span class="pdz-brand__owner">{name}</span>' in brand, url
        assert '<a class="pdz-slim__link" href="https://regione.example.org/">Regione di Prova</a>' in html
        footer = html[html.index('class="md-copyright pdz-footer"'):]
        assert f'<a href="https://ente.example.org/">{name}</a>' in footer, url
        assert "<b>& Co." not in html
    legal = page(configured_site, "note-legali")
    assert 'codice IPA <code>c_prova</code>' in legal
    assert OWNER_ENV["PDZ_ENTE_IPA"] in page(configured_site, "privacy")
    assert 'href="https://ente.example.org/"><strong>' in page(configured_site, "accessibilita")


def test_unconfigured_body_is_said_to_be_missing_not_invented(real_site):
    home = page(real_site, "")
    assert 'class="pdz-slim"' not in home and "pdz-brand__owner" not in home
    assert '<span class="pdz-brand__site">Piani di Zona della Lombardia</span>' in home
    for url in ("note-legali", "privacy", "accessibilita"):
        assert "ente titolare del sito da configurare" in page(real_site, url), url


def test_every_page_uses_titillium_and_the_pa_palette(real_site):
    css = (real_site / "assets" / "pdz-pa.css").read_text(encoding="utf-8")
    assert '--md-text-font: "Titillium Web"' in css and "--pdz-pa-blue: #0066cc" in css
    for font in FONTS.glob("*.woff2"):
        assert (real_site / "assets" / "fonts" / font.name).is_file()
    for html in (real_site / "index.html", real_site / "corsico" / "index.html"):
        assert 'href="assets/pdz-pa.css"' in html.read_text(encoding="utf-8") or \
            'pdz-pa.css' in html.read_text(encoding="utf-8")
