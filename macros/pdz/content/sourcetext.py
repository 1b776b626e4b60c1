"""The extracted text of each source document, split into pages of lines.

The texts live in ``fonti/`` at the project root (named by the ``file`` field of each document
in ``content/fonti/``). Every line keeps its number; pages are cut by size, so that no page of a
long document grows beyond the budget, and the cut is a pure function of the text (stable
addresses and anchors). Plain Python, no MkDocs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pdz.html.text import escape

TEXT_FOLDER = "fonti"
PAGE_BYTES = 32_000   # text and line markup per page: with the theme and the list of citing records, under 100 KB
PAGE_LINES = 250


@dataclass
class SourceText:
    document: str                 # id of the documento record
    lines: list[str]              # line n is lines[n - 1]
    pages: list[tuple[int, int]] = field(default_factory=list)   # (first, last) line of each page

    def page_of(self, line: int) -> int:
        """Index (0-based) of the page holding ``line`` (clamped to the text)."""
        for i, (_first, last) in enumerate(self.pages):
            if line <= last:
                return i
        return len(self.pages) - 1

    def url(self, page: int) -> str:
        return text_url(self.document, *self.pages[page])

    @staticmethod
    def lines_suffix(start: int, end: int) -> str:
        """What follows the page address to show lines start..end: the fragment alone scrolls to
        the first line and marks it (CSS :target); the query asks pdz-source.js to mark them all."""
        return (f"?righe={start}-{end}" if end != start else "") + f"#r{start}"


def text_url(document: str, first: int, last: int) -> str:
    return f"fonti/{document}/testo/righe-{first}-{last}/"


def split_pages(lines: list[str]) -> list[tuple[int, int]]:
    pages, first, size = [], 1, 0
    for number, line in enumerate(lines, start=1):
        cost = len(escape(line).encode("utf-8")) + 110   # the markup of a line
        if number > first and (size + cost > PAGE_BYTES or number - first >= PAGE_LINES):
            pages.append((first, number - 1))
            first, size = number, 0
        size += cost
    if lines:
        pages.append((first, len(lines)))
    return pages


def load_texts(root: Path, catalog) -> dict[str, SourceText]:
    """The text of every document whose file is in ``fonti/``: document id → SourceText."""
    texts = {}
    for doc in catalog.all("documento"):
        name = doc.data.get("file")
        path = Path(root) / TEXT_FOLDER / name if name else None
        if path is None or not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")   # as righe_totali counts
        texts[doc.id] = SourceText(doc.id, lines, split_pages(lines))
    return texts


# The words of a source text, as the checks compare them: case, punctuation, tags, line breaks
# and hyphenation ignored.
HYPHEN = re.compile(r"(\w)[-\u00ad]\s*(\w)")
TAGS = re.compile(r"<[^>]{0,200}>")
WORD = re.compile(r"\w+")


def source_words(lines: list[str], start: int, end: int) -> tuple[list[str], list[int]]:
    """Words of lines start..end and the line of each word."""
    out, at = [], []
    text = "\n".join(lines[start - 1:end])
    text = HYPHEN.sub(r"\1\2", HYPHEN.sub(r"\1\2", TAGS.sub(" ", text).replace("’", "'")))
    line = start
    for piece in re.split(r"(\n)", text):
        if piece == "\n":
            line += 1
            continue
        for w in WORD.findall(piece.replace("_", " ")):
            out.append(w.lower())
            at.append(line)
    return out, at


def contains_quote(lines: list[str], start: int, end: int, quote: str) -> bool:
    """True when ``quote`` (Markdown emphasis and quotation marks aside) is a run of the words of
    lines start..end."""
    wanted = source_words([quote.replace("*", "")], 1, 1)[0]
    found, _ = source_words(lines, start, end)
    size = len(wanted)
    return bool(wanted) and any(found[i:i + size] == wanted for i in range(len(found) - size + 1))
