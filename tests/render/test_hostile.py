"""Contributor text is data, never code: hostile pull requests must not reach the HTML as code."""
from __future__ import annotations

import re

import pytest

from pdz_dev.project import FIXTURES, build, make_project, write

HOSTILE_OBJECTIVE = """---
titolo: "Casa {{ 7*191 }} <script>alert('titolo')</script>"
numero: "2"
target: "<b>ok</b> <svg onload=alert(1)>"
fonti:
  - documento: doc-prova
    righe: [1, 2]
---
Testo {{ 7*191 }} e {% for x in range(3) %}X{% endfor %} e {{ config.site_name }}.

<script>alert('xss')</script>
<img src="x.png" onerror="alert('img')">
<a href="javascript:alert('link')">clicca</a>
[altro link](javascript:alert('md'))
<p onclick="alert('p')" style="color:red">paragrafo</p>
<iframe src="https://example.org"></iframe>
{{ lipsum.__globals__['os'].popen('touch /tmp/pdz-pwned').read() }}

Corpo {{ 7*191 }}
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    project = make_project(tmp, FIXTURES / "valid")
    write(project, "ambiti/prova/2021-2023/obiettivi/02-ostile.md", HOSTILE_OBJECTIVE)
    write(project, "ambiti/prova/2021-2023/sezioni/02-ostile.md",
          "---\ntitolo: \"Sezione {{ 7*191 }}\"\nfonti:\n  - documento: doc-prova\n    righe: [1, 2]\n---\n"
          "Testo {{ 7*191 }} {% raw %}<script>alert(1)</script>\n")
    site = tmp / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def page(site, path):
    return (site / path / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def test_template_syntax_is_shown_literally(hostile_site):
    html = page(hostile_site, "prova/2021-2023/obiettivi/02-ostile")
    assert "{{ 7*191 }}" in html
    assert "1337" not in html
    assert "{% for x in range(3) %}X{% endfor %}" in html
    assert "XXX" not in html
    section = page(hostile_site, "prova/2021-2023/sezioni/02-ostile")
    assert "{{ 7*191 }}" in section and "1337" not in section


def test_template_code_cannot_run_commands(hostile_site, tmp_path):
    import os
    assert not os.path.exists("/tmp/pdz-pwned")


def test_scripts_handlers_and_javascript_links_never_reach_the_page(hostile_site):
    for path in ("prova/2021-2023/obiettivi/02-ostile", "prova/2021-2023/sezioni/02-ostile", "prova/2021-2023/obiettivi", "prova"):
        body = article(page(hostile_site, path))
        assert "<script" not in body.lower()
        assert not re.search(r"\son\w+\s*=", body), re.search(r"\son\w+\s*=", body)
        # as an address (CommonMark leaves "[x](javascript:...)" as inert text)
        assert not re.search(r"""(href|src)\s*=\s*["']?\s*javascript:""", body, re.I)
        assert "<iframe" not in body and "<img" not in body and "<svg onload" not in body
        assert "style=\"color:red\"" not in body


def test_title_is_inert_in_head_and_navigation(hostile_site):
    html = page(hostile_site, "prova/2021-2023/obiettivi/02-ostile")
    head = html[:html.index("<body")]
    assert "<script>alert" not in head
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title and "‹script›" in title
    # the visible heading shows the text escaped
    assert "&lt;script&gt;alert(&#x27;titolo&#x27;)&lt;/script&gt;" in article(html)


def test_allowed_markup_survives(hostile_site):
    body = article(page(hostile_site, "prova/2021-2023/obiettivi/02-ostile"))
    assert "<b>ok</b>" in body
    assert "<p>paragrafo</p>" in body
    assert '<a rel="noopener noreferrer nofollow">clicca</a>' in body
