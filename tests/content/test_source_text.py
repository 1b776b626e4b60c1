"""Source documents published line by line: every line an anchor, every 'Fonte: … righe X–Y'
a link to those lines, every page small, listing the records that cite it, escaped and out of
the search index."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from pdz_dev.project import FIXTURES, ROOT, SEEDS, make_project, search_fragments, real_content
from pdz.content.loader import load_content
from pdz.render import Build
from pdz.render.listings import PAGE_SIZE
from pdz.render.sourcetext import CITED_SHOWN, citations_url, source_text_pages
from pdz_dev.project import assembled
from pdz.content.sourcetext import TEXT_FOLDER, load_texts, split_pages

MAX_PAGE_BYTES = 100_000


@pytest.fixture(scope="module")
def state():
    return assembled()


def text_pages(site: Path) -> list[Path]:
    return sorted(site.glob("fonti/*/testo/*/index.html"))


@pytest.mark.external   # ../shared/seeds
def test_published_texts_are_the_seeds():
    """fonti/ holds exactly the texts the content was transcribed from (../shared/seeds/)."""
    catalog, _ = real_content()
    for doc in catalog.all("documento"):
        published = (ROOT / TEXT_FOLDER / doc.data["file"]).read_bytes()
        assert published == (SEEDS / doc.data["file"]).read_bytes(), doc.id
        assert len(published.decode("utf-8").split("\n")) == doc.data["righe_totali"], doc.id


def test_pages_are_cut_by_size_and_cover_every_line_once():
    lines = ["x" * 3000] * 40 + ["breve"] * 600
    pages = split_pages(lines)
    assert pages[0][0] == 1 and pages[-1][1] == len(lines)
    assert all(b + 1 == c for (_, b), (c, _) in zip(pages, pages[1:]))
    assert max(b - a + 1 for a, b in pages) <= 250
    assert split_pages([]) == []


def test_every_text_page_is_small_has_every_line_and_stays_out_of_search(state, real_site):
    pages = text_pages(real_site)
    assert len(pages) >= len(state.catalog.texts) >= 5
    sizes = {p.relative_to(real_site).as_posix(): p.stat().st_size for p in pages}
    assert max(sizes.values()) < MAX_PAGE_BYTES, sorted(sizes.items(), key=lambda x: -x[1])[:3]
    for doc_id, text in state.catalog.texts.items():
        anchors = []
        for page in sorted(real_site.glob(f"fonti/{doc_id}/testo/*/index.html")):
            html = page.read_text(encoding="utf-8")
            anchors += [int(n) for n in re.findall(r'<div class="pdz-line" id="r(\d+)">', html)]
            assert 'data-pagefind-ignore="all"' in html
        assert sorted(anchors) == list(range(1, len(text.lines) + 1)), doc_id
    indexed = [f["url"] for f in search_fragments(real_site)]
    assert len(indexed) > 100 and not [url for url in indexed if "/testo/" in url]
    assert all(yaml.safe_load(p.markdown().split("---\n")[1])["search"] == {"exclude": True}
               for p in source_text_pages(Build(state.catalog).page("")))


def test_every_cited_range_links_to_its_lines_and_is_listed_there(state, real_site):
    checked = 0
    for record in state.catalog.by_key.values():
        ranges = [(s["documento"], *s["righe"]) for s in record.data.get("fonti") or [] if s.get("righe")]
        if not ranges or record.kind in ("documento", "sigla", "area", "partner", "ambito", "voce"):   # no page (a voce's lines are evidence for make check)
            continue
        page = (real_site / record.id / "index.html").read_text(encoding="utf-8")
        provenance = page[page.index('class="pdz-source"'):]
        for doc_id, start, end in ranges:
            text = state.catalog.texts[doc_id]
            url = text.url(text.page_of(start))
            suffix = (f"?righe={start}-{end}" if end != start else "") + f"#r{start}"
            assert re.search(r'href="(\.\./)+' + re.escape(url + suffix) + '"', provenance), (record.id, start, end)
            target = (real_site / url / "index.html").read_text(encoding="utf-8")
            cited = target[target.index('id="citato-da"'):target.index('id="testo"')]
            # a long list goes on on the text page's citazioni/ pages
            listing = real_site / citations_url(doc_id, *text.pages[text.page_of(start)])
            cited += "".join(p.read_text(encoding="utf-8") for p in listing.glob("**/index.html"))
            assert f'{record.id}/"' in cited or f'{record.id.rsplit("/", 1)[-1]}/"' in cited, (record.id, url)
            checked += 1
    assert checked >= 300, checked


def test_a_text_page_lists_a_bounded_number_of_citations_and_its_citazioni_pages_hold_them_all(state):
    """A text page lists at most CITED_SHOWN of the records citing its lines (the list grows with
    every Ambito, or later plan, that cites the same lines); then it links to its citazioni/
    pages, PAGE_SIZE a page, which together list every citation once, in line order."""
    pages = {p.url: p for p in source_text_pages(Build(state.catalog).page(""))}
    def resolved(url: str, items: list[str]) -> list[list[str]]:
        return [[urljoin("https://x/" + url, href) for href in re.findall(r'href="([^"]*)"', li)] for li in items]

    def items(html: str) -> list[str]:
        return [li for ul in re.findall(r'<ul class="pdz-cited">(.*?)</ul>', html) for li in re.findall(r"<li>.*?</li>", ul)]
    long_lists = 0
    for doc in state.catalog.all("documento"):
        text = state.catalog.texts.get(doc.id)
        if text is None:
            continue
        owner = doc.data.get("ambito")
        for index, (first, last) in enumerate(text.pages):
            expected = sorted((s["righe"][0], s["righe"][1]) for r in state.catalog.by_key.values()
                              if not (owner and r.ambito and r.ambito != owner)
                              for s in r.data.get("fonti") or []
                              if s["documento"] == doc.id and s.get("righe")
                              and s["righe"][0] <= last and s["righe"][1] >= first)
            page = pages[text.url(index)].body
            shown = items(page)
            assert len(shown) == min(len(expected), CITED_SHOWN), text.url(index)
            base = citations_url(doc.id, first, last)
            listing = sorted(((url, p.body) for url, p in pages.items() if url.startswith(base)),
                             key=lambda page: int(re.sub(r"\D", "", page[0].removeprefix(base)) or 1))
            if len(expected) <= CITED_SHOWN:
                assert listing == [] and "/citazioni/" not in page
                continue
            long_lists += 1
            assert f'<a href="../../citazioni/righe-{first}-{last}/">tutti i {len(expected)} contenuti' in page
            listed = [items(body) for _, body in listing]
            assert all(len(chunk) <= PAGE_SIZE for chunk in listed)
            everything = [li for chunk in listed for li in chunk]
            # each item ends with the link to its lines: riga N or righe N–M
            lines = [tuple(map(int, re.search(r">(?:riga|righe) (\d+)(?:–(\d+))?</a></li>$", li).groups(default="0")))
                     for li in everything]
            assert [(a, b or a) for a, b in lines] == expected, text.url(index)
            # the text page shows the first of them, linked to the same records and lines
            assert resolved(listing[0][0], listed[0][:CITED_SHOWN]) == resolved(text.url(index), shown)
            assert all(pages[url].search_exclude for url, _ in listing)
    assert long_lists >= 1


def test_source_text_is_escaped(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    (project / TEXT_FOLDER).mkdir()
    hostile = ['<script>alert("x")</script>', "a & b <b>grassetto</b> *non corsivo*", "{{ macro }}", ""] * 30
    (project / TEXT_FOLDER / "prova.txt").write_text("\n".join(hostile[:100]), encoding="utf-8")
    with (project / "content" / "fonti" / "doc-prova.yaml").open("a", encoding="utf-8") as record:
        record.write("file: prova.txt\n")
    catalog, problems = load_content(project)
    assert problems == []
    catalog.texts = load_texts(project, catalog)
    pages = source_text_pages(Build(catalog).page(""))
    assert pages
    body = "".join(p.body for p in pages)
    assert "<script>" not in body and "<b>" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body and "a &amp; b &lt;b&gt;" in body
