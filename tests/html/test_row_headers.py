"""Every value in a table has a header a screen reader can announce with it (WCAG 1.3.1, axe
``td-has-header``).

A table with an empty header cell (Crema's "Schema 1" with an empty corner, Dalmine's Tabella 3
whose second column has no header: Markdown tables of the plans) names its rows in its first
column: ``label_tables`` makes those cells row headers. The check on
the built site is the rule itself, on every table of every page: a non-empty data cell has a
non-empty column header or a row header.
"""
from __future__ import annotations

import re

import pytest

from pdz.html.tables import label_tables, plain_text

_TABLE = re.compile(r"<table\b[^>]*>(.*?)</table>", re.S)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(td|th)\b([^>]*)>(.*?)</\1>", re.S)
_SPAN = re.compile(r'\bcolspan="?(\d+)')

TWO_WAY = ("<table><thead><tr><th></th><th>MONITORAGGIO</th><th>VALUTAZIONE</th></tr></thead><tbody>"
           "<tr><td>PROCESSO</td><td>Informazione</td><td>Giudizio</td></tr>"
           "<tr><td></td><td>x</td><td>y</td></tr></tbody></table>")


def headerless_values(page_html: str) -> list[str]:
    """The non-empty data cells of ``page_html`` that have neither a column nor a row header."""
    found = []
    for table in _TABLE.findall(page_html):
        if "<table" in table or "<thead" not in table:
            continue   # nested, or a layout table without headers: not a data table
        head, _, body = table.partition("</thead>")
        labels: list[str] = []
        for _, attrs, inner in _CELL.findall(head):
            span = _SPAN.search(attrs)
            labels += [plain_text(inner)] * (int(span.group(1)) if span else 1)
        for row in _ROW.findall(body):
            cells = _CELL.findall(row)
            has_row_header = any(tag == "th" and plain_text(inner) for tag, _, inner in cells)
            column = 0
            for tag, attrs, inner in cells:
                if tag == "td" and plain_text(inner) and not has_row_header \
                        and not (column < len(labels) and labels[column]):
                    found.append(plain_text(inner)[:60])
                span = _SPAN.search(attrs)
                column += int(span.group(1)) if span else 1
    return found


def test_an_empty_corner_makes_the_first_column_row_headers():
    out = label_tables(TWO_WAY)
    assert '<th scope="row">PROCESSO</th><td data-label="MONITORAGGIO">Informazione</td>' in out
    assert "<tr><td></td>" in out   # an empty first cell names nothing: it stays a cell
    assert headerless_values(out) == []
    assert label_tables(out) == out   # idempotent
    # with a header in the corner the first column is data, under its own header
    named = label_tables(TWO_WAY.replace("<th></th>", "<th>Voce</th>", 1))
    assert '<td data-label="Voce">PROCESSO</td>' in named and 'scope="row"' not in named
    # an unnamed value column (Dalmine's Tabella 3): the first column names the rows
    key_value = label_tables("<table><thead><tr><th>TITOLO OBIETTIVO</th><th></th></tr></thead><tbody>"
                             "<tr><td>TARGET</td><td>Destinatari</td></tr></tbody></table>")
    assert '<th scope="row">TARGET</th><td>Destinatari</td>' in key_value
    assert headerless_values(key_value) == []


def test_the_check_finds_a_value_without_a_header():
    # the markup before the fix: "PROCESSO" under an empty header, in a row without a row header
    assert headerless_values(TWO_WAY) == ["PROCESSO"]


@pytest.mark.build
def test_every_value_of_every_table_on_the_site_has_a_header(real_site):
    pages = sorted(real_site.rglob("*.html"))
    assert len(pages) > 1000
    missing = {}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if "<table" in text and (found := headerless_values(text)):
            missing[page.relative_to(real_site).as_posix()] = found[:3]
    assert not missing, missing
