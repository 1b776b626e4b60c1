"""Hostile text in EVERY free-text field of EVERY record kind leaves nothing active in site/.

The content comes from ``hostile_content.py`` (generated from the schemas, so new fields are
covered). Two sites are built from the same records: one with hostile texts, one with harmless
texts. Every HTML file is parsed (``html.parser``, as a browser tokenises it) and its *active*
elements are listed: event-handler attributes, ``javascript:``/``vbscript:``/``data:`` URLs,
``script``, ``iframe``, ``object``, ``embed``, ``form``, ``style``, ``base``, ``meta refresh``...
The theme's own (its scripts, its search form) are the ones of the harmless site, page by page,
element by element, attributes and inline script text included: the hostile site must have
exactly the same, and no other. The site search, whose excerpts are HTML, returns the hostile
text as text: its results are made of the search box's own elements only.
"""
from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pdz_dev.project import SUMMARY, build, make_project, search_fragments
from pdz_dev.hostile import Generator

ACTIVE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "style", "base",
               "link", "meta", "svg", "math", "img", "video", "audio", "source", "input", "button", "textarea",
               "select", "details", "template", "noscript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcset",
                  "content", "style"}


BEHAVIOUR = URL_ATTRIBUTES - {"content"} | {"rel", "type", "http-equiv", "charset", "name", "property", "id",
                                             "class", "async", "defer", "integrity", "crossorigin", "method"}


def dangerous_url(value: str) -> bool:
    squeezed = re.sub(r"[\x00-\x20]", "", value).lower()   # browsers ignore these inside a scheme
    return bool(re.search(r"(^|url\(|;url=|,)(javascript|vbscript|data):", squeezed))


class ActiveElements(HTMLParser):
    """Signatures of everything a browser could run or that could change where the page goes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple] = []
        self._script: list | None = None

    def handle_starttag(self, tag, attrs):
        handlers = [(a, v) for a, v in attrs if a.startswith("on")]
        urls = [(a, v) for a, v in attrs if a in URL_ATTRIBUTES and v and dangerous_url(v)]
        refresh = tag == "meta" and any(a == "http-equiv" and (v or "").lower() == "refresh" for a, v in attrs)
        if tag in ACTIVE_TAGS or handlers or urls or refresh:
            # what decides behaviour is compared exactly; plain text values (a title, a
            # description) may differ between the two sites, and a break-out of them would show
            # as other elements or attributes
            self.found.append((tag, tuple((name, value if name in BEHAVIOUR or name.startswith("on")
                                           or (refresh and name == "content") else "…")
                                          for name, value in attrs)))
        if tag == "script":
            self._script = []

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.found.append(("script-text", "".join(self._script)))
            self._script = None


def active(html: str) -> Counter:
    parser = ActiveElements()
    parser.feed(html)
    parser.close()
    return Counter(parser.found)


def markers_of(text: str) -> set[str]:
    return set(re.findall(r"M\d{3}M", text))


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    out = {}
    for name, benign in (("hostile", False), ("benign", True)):
        tmp = tmp_path_factory.mktemp(name)
        project = make_project(tmp)
        generator = Generator(benign)
        generator.write(project / "content")
        site = tmp / "site"
        result = build(project, site)
        assert result.returncode == 0, result.stderr[-3000:]
        out[name] = (site, generator)
    return out


def html_files(site: Path) -> list[Path]:
    return sorted(p.relative_to(site) for p in site.rglob("*.html"))


def test_both_sites_have_the_same_pages(sites):
    (hostile, _), (benign, _) = sites["hostile"], sites["benign"]
    assert html_files(hostile) == html_files(benign)
    assert len(html_files(hostile)) > 20


def test_nothing_active_comes_from_content(sites):
    (hostile, generator), (benign, _) = sites["hostile"], sites["benign"]
    extra = {}
    for rel in html_files(hostile):
        mine = active((hostile / rel).read_text(encoding="utf-8"))
        theirs = active((benign / rel).read_text(encoding="utf-8"))
        if mine != theirs:
            extra[str(rel)] = sorted((mine - theirs).elements(), key=repr)[:5]
    assert extra == {}
    reached = set()
    for path in hostile.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml", ".svg"):
            reached |= markers_of(path.read_text(encoding="utf-8", errors="replace"))
    SUMMARY["testo ostile in ogni campo"] = (
        f"{len(generator.markers)} campi di testo in {len({v.split(':')[0] for v in generator.markers.values()})} "
        f"tipi di contenuto, {len(reached & set(generator.markers))} arrivano nel sito; "
        f"{len(html_files(hostile))} pagine HTML confrontate")


def test_the_hostile_text_really_reaches_the_pages(sites):
    """The test is only worth something if the hostile texts are on the pages (escaped)."""
    hostile, generator = sites["hostile"]
    reached = set()
    for rel in html_files(hostile):
        reached |= markers_of((hostile / rel).read_text(encoding="utf-8"))
    assert len(reached) >= 0.8 * len(generator.markers), sorted(set(generator.markers.values()) - {
        generator.markers[m] for m in reached})


def strings_of(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from strings_of(key)
            yield from strings_of(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings_of(value)


SEARCH_DONE = "([q]) => { const b = document.getElementById('pdz-search'); " \
              "return b && b.dataset.state === 'done' && b.dataset.query === q; }"
RESULT_MARKUP = """() => [...document.querySelectorAll('.pdz-search__results *')].map(e =>
    [e.tagName.toLowerCase(), [...e.attributes].map(a => a.name + '=' + a.value).sort().join(' ')])"""


def test_the_search_returns_the_hostile_text_as_text(sites, browser):
    """Pagefind stores the text of each page (its fragments) and returns excerpts as HTML (its
    <mark> around the matches) with the titles and filter values the results show: searched on
    the hostile site, every result is made of the search box's own elements only, and the
    hostile markup is on screen as text."""
    from pdz_dev.browser import Visit, serve
    hostile, generator = sites["hostile"]
    stored = " ".join(s for fragment in search_fragments(hostile) for s in strings_of(fragment))
    assert len(markers_of(stored)) >= 0.5 * len(generator.markers) and "<script>" in stored
    server, base = serve(hostile)
    visitor = Visit(browser, base)
    try:
        page = visitor.open("?q=alert")   # every hostile text calls alert()
        page.wait_for_function(SEARCH_DONE, arg=["alert"])
        while page.is_visible(".pdz-search__more"):
            shown = page.locator(".pdz-search__result").count()
            page.click(".pdz-search__more")
            page.wait_for_function("(n) => document.querySelectorAll('.pdz-search__result').length > n", arg=shown)
        shown = page.inner_text(".pdz-search__results")
        assert page.locator(".pdz-search__result").count() >= 10
        assert "<script>alert(2)</script>" in shown and markers_of(shown)
        own = {("li", "class=pdz-search__result"), ("p", "class=pdz-search__title"), ("p", "class=pdz-search__meta"),
               ("p", "class=pdz-search__excerpt"), ("mark", "")}
        markup = {(tag, attrs) for tag, attrs in page.evaluate(RESULT_MARKUP) if tag != "a"}
        links = [attrs for tag, attrs in page.evaluate(RESULT_MARKUP) if tag == "a"]
        assert markup <= own, markup - own
        assert all(re.fullmatch(r"class=pdz-search__link href=/[\w/.-]*", attrs) for attrs in links), links
        assert visitor.csp == [] and visitor.foreign == []
    finally:
        visitor.close()
        server.shutdown()
        server.server_close()
