"""Tables that fit any screen: the markup every table of the site gets (docs/assets/pdz-tables.css
is the other half).

- Each data cell carries ``data-label`` with its column header: on a phone a table of three or
  more columns (``data-stack``) is shown as one card per row, each value under its header.
- An explicit ``role="table"``: some browsers drop the table semantics of an element whose CSS
  ``display`` changes, an explicit role keeps them for screen readers. (HTML forbids roles on
  the rows and cells of such a table, and the checker wants none on its row groups: they keep
  their own.)
- The header row is left out of the site search (``data-pagefind-ignore``): Pagefind would
  join its cells into one word ("VoceTipo di risorsaImporto") in a result's excerpt.
- A table with an empty header cell names its rows in its first column (Crema's "Schema 1" with
  an empty corner, Dalmine's two-column Tabella 3 whose second column has no header): the first
  cell of each body row becomes ``<th scope="row">``, so that every value has a header a screen
  reader announces with it (WCAG 1.3.1; axe ``td-has-header``).
- A word with a break opportunity inside (``co-progettazione``, ``2021-2023``, ``e/o``) is kept
  on one line (``pdz-nobr``): no word is split across two lines of a cell.

``label_tables`` applies this to any HTML (our tables, tables in contributor Markdown, tables of
the hand-written pages); it is idempotent and leaves a table that already has a role alone.
"""
from __future__ import annotations

import html
import re

STACK_COLUMNS = 3          # tables with at least this many columns become cards on phones
NOBR_MAX = 48              # longer "words" (addresses) may still break where they can
NOBR_CARD = 30             # longer ones (file paths) may break in a card on a narrow phone
_BREAKERS = "-\u2010\u2013\u2014/"
_TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.S)
_THEAD = re.compile(r"<thead\b[^>]*>(.*?)</thead>", re.S)
_THEAD_OPEN = re.compile(r"<thead>")
_ROW = re.compile(r"<tr\b([^>]*)>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(td|th)\b([^>]*)>(.*?)</\1>", re.S)
_TAG = re.compile(r"(<[^>]*>)")
_TOKEN = re.compile(r"[^\s<>]+")
# A whole token (as _TOKEN) that holds a breaker: only those can need a change, and the other
# words of a cell are not handed to Python one by one (a tenth of the tables' time)
_BREAKABLE = re.compile(r"(?<![^\s<>])[^\s<>]*?[" + re.escape(_BREAKERS) + r"][^\s<>]*")
_SPAN = re.compile(r'\bcolspan="?(\d+)')


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment, one line."""
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def _nobr(match: re.Match) -> str:
    token = match.group(0)
    inner = token[:-1]
    if len(html.unescape(token)) > NOBR_MAX or not any(c in inner for c in _BREAKERS):
        return token
    css = "pdz-nobr pdz-nobr-long" if len(html.unescape(token)) > NOBR_CARD else "pdz-nobr"
    return f'<span class="{css}">{token}</span>'


def keep_words(fragment: str) -> str:
    """Wrap the words that a browser could break inside (after a hyphen, dash or slash)."""
    if not any(c in fragment for c in _BREAKERS):
        return fragment
    parts = _TAG.split(fragment)
    for i in range(0, len(parts), 2):   # even items are text, odd items are tags
        if parts[i]:
            parts[i] = _BREAKABLE.sub(_nobr, parts[i])
    return "".join(parts)


def _span(attrs: str) -> int:
    found = _SPAN.search(attrs)
    return max(1, int(found.group(1))) if found else 1


def _labels(table_html: str) -> list[str]:
    head = _THEAD.search(table_html)
    if not head:
        return []
    labels: list[str] = []
    for _, attrs, inner in _CELL.findall(head.group(1)):
        labels += [plain_text(inner)] * _span(attrs)
    return labels


def _label_table(match: re.Match) -> str:
    attrs, inner = match.group(1), match.group(2)
    if "role=" in attrs or "<table" in inner:   # already done, or nested tables: leave as is
        return match.group(0)
    labels = _labels(inner)
    head_end = inner.find("</thead>")
    row_headers = len(labels) >= 2 and not all(labels)

    def row(row_match: re.Match) -> str:
        in_head = row_match.start() < head_end
        column = 0

        def cell(cell_match: re.Match) -> str:
            nonlocal column
            tag, cell_attrs, content = cell_match.groups()
            extra = ""
            if tag == "td" and not in_head and column == 0 and row_headers and plain_text(content):
                tag, extra = "th", ' scope="row"'
            elif tag == "td" and not in_head:
                label = labels[column] if column < len(labels) else ""
                extra = f' data-label="{html.escape(label)}"' if label else ""
            column += _span(cell_attrs)
            return f"<{tag}{cell_attrs}{extra}>{keep_words(content)}</{tag}>"

        return f'<tr{row_match.group(1)}>{_CELL.sub(cell, row_match.group(2))}</tr>'

    inner = _THEAD_OPEN.sub("<thead data-pagefind-ignore>", _ROW.sub(row, inner), count=1)
    stack = " data-stack" if len(labels) >= STACK_COLUMNS else ""
    return f'<table{attrs} role="table"{stack}>{inner}</table>'


def label_tables(page_html: str) -> str:
    """Every table of ``page_html`` with cell labels, roles and unbreakable words."""
    if "<table" not in page_html:
        return page_html
    return _TABLE.sub(_label_table, page_html)
