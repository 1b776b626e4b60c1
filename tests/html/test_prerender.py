"""Generated pages reach MkDocs as finished HTML (pdz.html.prerender): the HTML and
the table of contents must be exactly what Python-Markdown, configured as in mkdocs.yml, makes
of the same body, on every generated page of the real content."""
from __future__ import annotations

import pytest

import markdown

from pdz.render import build_pages
from pdz.html.prerender import to_html
from pdz_dev.project import assembled, mkdocs_config

pytestmark = pytest.mark.slow   # every generated page of the real content


def python_markdown() -> markdown.Markdown:
    config = mkdocs_config()
    extensions, configs = [], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        extensions.append(name)
        configs[name] = options or {}
    return markdown.Markdown(extensions=extensions, extension_configs=configs)


def test_prerendered_pages_are_what_python_markdown_makes():
    site = assembled()
    pages = build_pages(site.build)
    md = python_markdown()
    title = next(item["toc"] for item in mkdocs_config()["markdown_extensions"]
                 if isinstance(item, dict) and "toc" in item)["permalink_title"]
    done = 0
    for page in pages:
        result = to_html(page.body, title)
        if result is None:
            continue
        expected = md.reset().convert(page.body)
        assert result[0] == expected, page.url
        assert result[1] == md.toc_tokens, page.url
        done += 1
    assert done >= 0.9 * len(pages)


def test_anything_but_headings_and_html_blocks_goes_to_python_markdown():
    assert to_html("## Titolo { #titolo }\n\nUn paragrafo in *Markdown*.", "x") is None
    assert to_html("<div>\n\n\n</div>", "x") is None
    assert to_html("<div>\n\n</div>\n<p>x</p>", "x") is None
    assert to_html("# Titolo <b>x</b> { #t }", "x") is None


def test_an_empty_block_is_what_python_markdown_makes():
    """``blocks.html_block`` of nothing is an element with a blank line in it (a governance
    record with no facts: at N=100, eighty pages): it is prerendered too, so that ``mkdocs
    serve`` keeps its page from one build to the next instead of rendering it through
    Python-Markdown at every edit."""
    md = python_markdown()
    for body in ['<h1 id="titolo">T</h1>\n\n<div class="pdz-block">\n\n</div>\n\n## Descrizione { #descrizione }\n\n<p>x</p>',
                 '<p>a</p>\n\n<div class="pdz-block pdz-warn" data-pagefind-ignore>\n\n</div>']:
        result = to_html(body, "Collegamento a questa sezione")   # mkdocs.yml's permalink_title
        assert result is not None
        assert result[0] == md.reset().convert(body)
        assert result[1] == md.toc_tokens
