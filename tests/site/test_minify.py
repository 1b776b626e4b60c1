"""The site's own scripts and stylesheets are published minified (pdz.site.minify, issue #27):
each published file is its source in docs/assets without comments and spacing, and nothing else
is changed (what they do is checked by the browser tests, which run the published files)."""
from __future__ import annotations

from pdz.site.minify import is_own_asset, minified
from pdz_dev.project import ROOT


def test_only_comments_and_spacing_go():
    script = ('/* dropped */\nvar re = /\\/\\*[^*]*\\*\\//g;  // a regex that looks like a comment\n'
              'var s = "/* not a comment */ // nor this";\nif (a) {\n  b();\n}\n')
    out = minified("assets/pdz-x.js", script)
    assert "dropped" not in out and "a regex" not in out
    assert 'var re=/\\/\\*[^*]*\\*\\//g;' in out and '"/* not a comment */ // nor this"' in out
    style = "/* why */\n.md-typeset .a > b {\n  color: #545454;\n  content: \"/* kept */\";\n}\n@media print { .b { display: none } }\n"
    assert minified("assets/pdz-x.css", style) == '.md-typeset .a>b{color:#545454;content:"/* kept */"}@media print{.b{display:none}}\n'


def test_every_own_asset_is_published_minified(real_site):
    sources = sorted(p for p in (ROOT / "docs" / "assets").glob("pdz*") if p.suffix in (".js", ".css"))
    assert len(sources) >= 10
    published = 0
    for source in sources:
        uri = f"assets/{source.name}"
        assert is_own_asset(uri)
        target = real_site / uri
        if not target.exists():   # pdz-matomo.js: only with statistics on
            continue
        text = source.read_text(encoding="utf-8")
        assert target.read_text(encoding="utf-8") == minified(uri, text), uri
        assert target.stat().st_size < len(text.encode()), uri
        published += 1
    assert published >= len(sources) - 1
    # Material's files and the web editor's pinned build are left as they are
    assert not is_own_asset("assets/javascripts/bundle.js") and not is_own_asset("admin/pdz-editor.js")
