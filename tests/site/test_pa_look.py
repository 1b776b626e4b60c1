"""The look of an Italian public administration's site: the owning body in the header, footer
and legal pages (from mkdocs.yml), Titillium Web self-hosted, the PA palette."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from pdz_dev.project import OWNER_ENV, ROOT

FONTS = ROOT / "docs" / "assets" / "fonts"
PACKAGE = ROOT / "node_modules" / "@fontsource" / "titillium-web"


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


@pytest.mark.external   # the font package is in node_modules (npm ci), which make test-fast does not install
def test_fonts_are_the_pinned_package_files_with_their_licence():
    if not PACKAGE.exists():
        pytest.fail(f"{PACKAGE} is missing: run npm ci (make test installs node_modules)")
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
    for url in ("", "corsico/2021-2023/obiettivi/04-tutela-minori", "note-legali", "dati-aperti"):
        html = page(configured_site, url)
        band = html[html.index('<div class="pdz-slim">'):html.index('<header')]
        assert f'<a class="pdz-slim__link" href="https://ente.example.org/">{name}</a>' in band, url
        assert '<a class="pdz-slim__parent" href="https://regione.example.org/">Regione di Prova</a>' in band
        assert "Piani di Zona della Lombardia" not in band   # the bar below names the site, once
        footer = html[html.index('class="md-copyright pdz-footer"'):]
        assert f'<a href="https://ente.example.org/">{name}</a>' in footer, url
        assert "<b>& Co." not in html
    legal = page(configured_site, "note-legali")
    assert 'codice IPA <code>c_prova</code>' in legal
    assert OWNER_ENV["PDZ_ENTE_IPA"] in page(configured_site, "privacy")
    assert 'href="https://ente.example.org/"><strong>' in page(configured_site, "accessibilita")


def test_unconfigured_body_is_said_to_be_missing_not_invented(real_site):
    home = page(real_site, "")
    assert 'class="pdz-slim"' not in home   # no owning body: no band, only the bar with the site name
    assert 'class="md-header__topic"' in home and "Piani di Zona della Lombardia" in home
    for url in ("note-legali", "privacy", "accessibilita"):
        assert "ente titolare del sito da configurare" in page(real_site, url), url


def test_every_page_uses_titillium_and_the_pa_palette(real_site):
    css = (real_site / "assets" / "pdz-pa.css").read_text(encoding="utf-8")
    assert '--md-text-font:"Titillium Web"' in css and "--pdz-pa-blue:#0066cc" in css   # published minified
    for font in FONTS.glob("*.woff2"):
        assert (real_site / "assets" / "fonts" / font.name).is_file()
    for html in (real_site / "index.html", real_site / "corsico" / "index.html"):
        assert 'href="assets/pdz-pa.css"' in html.read_text(encoding="utf-8") or \
            'pdz-pa.css' in html.read_text(encoding="utf-8")


def test_statistics_off_means_no_script_anywhere(real_site):
    assert not (real_site / "assets" / "pdz-matomo.js").exists()
    for path in real_site.rglob("*.html"):
        assert not re.search(r"<script[^>]*matomo", path.read_text(encoding="utf-8"), re.I), path
    assert "non usa strumenti di\nstatistica" in page(real_site, "privacy") or \
        "non usa strumenti di statistica" in page(real_site, "privacy")


def test_statistics_on_every_page_without_inline_code(configured_site):
    assert (configured_site / "assets" / "pdz-matomo.js").is_file()
    tag = re.compile(r'<script src="(\.\./)*assets/pdz-matomo\.js" data-matomo-url="https://statistiche\.example\.org/" '
                     r'data-matomo-site="7"></script>')
    for url in ("", "corsico", "corsico/2021-2023/obiettivi/04-tutela-minori", "dati-aperti"):
        assert len(tag.findall(page(configured_site, url))) == 1, url
    script = (ROOT / "docs" / "assets" / "pdz-matomo.js").read_text(encoding="utf-8")
    assert '["disableCookies"]' in script and '["setDoNotTrack", true]' in script
    assert "Web Analytics Italia" in page(configured_site, "privacy")


def test_bad_statistics_configuration_is_refused_in_italian(tmp_path):
    from pdz_dev.project import build
    result = build(ROOT, tmp_path / "site", {"PDZ_MATOMO_URL": "javascript:alert(1)", "PDZ_MATOMO_SITE_ID": "7"})
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "statistiche" in output and "https://" in output
    assert "Traceback" not in output
