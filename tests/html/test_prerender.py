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
    assert to_html("<div>\n\n</div>", "x") is None
    assert to_html("# Titolo <b>x</b> { #t }", "x") is None
