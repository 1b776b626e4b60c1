"""Every amount, percentage and count shown on a record page can be traced: it appears in the
lines of the source document that the record cites (in any Italian way of writing it: 4.000,
4mila, 2 milioni, 90.000€, 175,5%), or the page labels it as computed by the site
(inside ``.pdz-computed``, with the words "somma calcolata dal sito ...").

The editors' notes on the source (``note_fonte``) compare the cited lines with other places of
the document: their figures must be in the document, unless the note says that the editors
computed them ("calcolati dalla redazione"). Not checked: the site's own labels (headings, field names, the breadcrumb, the kicker), the
titles of other records in links and the story of an objective through the plans (``.pdz-chain``:
figures of other records, each checked on its own page), the provenance block, the page's date and
the "Cita o incorpora" block (the site's citation and embed code).
Every violation is printed.
"""
from __future__ import annotations

import re
import time
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from pdz_dev.project import SUMMARY
from pdz_dev.project import assembled

CHECKED_KINDS = ("obiettivo", "valutazione", "progetto", "organo", "tabella", "monitoraggio", "sezione")
# Site labels and links: their numbers are not the record's figures.
SKIPPED_TAGS = {"h2", "h3", "dt", "a", "nav", "script", "style", "svg", "title"}
SKIPPED_CLASSES = {"pdz-kicker", "pdz-breadcrumb", "pdz-provenance", "headerlink", "pdz-grid-label",
                   "md-content__button", "pdz-lines-link",
                   "pdz-chain",    # the story of an objective: other records' figures, checked on their pages
                   "pdz-cite", "pdz-updated",   # the site's citation, embed code and last-update date
                   "pdz-history"}   # its history: earlier values and the reasons (tests/domain/test_changes.py)
NOTE_BREAK = "\x00"   # between two notes in the text of the notes
# A note that does its own arithmetic says so: "calcolati dalla redazione", "calcolo della redazione".
EDITORS_COMPUTED = re.compile(r"calcol\w* (?:dalla|della) redazione", re.I)
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col"}
NUMBER = re.compile(r"(?<![\w])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?:\s*(mila|milion[ei]))?", re.I)


# Numbers that are not amounts, percentages or counts: dates, years, codes of other parts of
# the plan (7.13, 5.3.6), references to lines, tables, columns, actions and objectives.
NOT_FIGURES = re.compile(
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"                                   # dates
    r"|(?<![\d.,€])\b(?:19[5-9]\d|20[0-4]\d)\b(?![.,]\d|\s*%)"           # years
    r"|\b\d+(?:\.\d{1,2}(?!\d))+(?:\.\d+)*\b(?!,)"                        # codes: 1.2, 7.13, 5.3.6
    r"|\b(?:riga|righe|colonna|colonne|tabella|tabelle|azione|azioni|obiettivo|obiettivi|allegato|"
    r"punto|punti|scheda|schede|dgr|d\.g\.r\.|dm|l\.|legge|articolo|art\.)\s*n?\.?\s*\d+(?:\.\d+)*"
    r"(?:\s*(?:[-–/,]|e)\s*\d+(?:\.\d+)*)*",
    re.I)


def figures(text: str) -> list[tuple[str, set]]:
    """The amounts, percentages and counts of a page's text (see NOT_FIGURES)."""
    return values(NOT_FIGURES.sub(" ", text))


def values(text: str, source: bool = False) -> list[tuple[str, set]]:
    """(as written, possible values) of every number in ``text``; in the source, English
    decimals (0.5) and multipliers (4mila, 2 milioni) count as well."""
    out = []
    for match in NUMBER.finditer(text):
        written, multiplier = match.group(1), (match.group(2) or "").lower()
        plain = written.replace(".", "").replace(",", ".")
        found = {Decimal(plain)}
        if source and re.fullmatch(r"\d+\.\d{3}", written):
            found.add(Decimal(written))          # 1.500 could be an English decimal
        if multiplier:
            found.add(Decimal(plain) * (1000 if multiplier == "mila" else 1_000_000))
        out.append((written + (f" {multiplier}" if multiplier else ""), {v.normalize() for v in found}))
    for match in re.finditer(r"(?<![\d.,])(\d+)\.(\d{1,2})(?![\d])", text) if source else ():
        out.append((match.group(0), {Decimal(match.group(0)).normalize()}))
    return out


class _Figures(HTMLParser):
    """Text of the page's article, split into figures of the record and computed figures."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, str]] = []   # (tag, skipped, bucket)
        self.inside = False
        self.record_text: list[str] = []
        self.computed_text: list[str] = []
        self.note_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.inside = True
        if not self.inside or tag in VOID:
            return
        classes = set((attrs.get("class") or "").split())
        parent_skip, parent_bucket = (self.stack[-1][1], self.stack[-1][2]) if self.stack else (False, "record")
        skipped = parent_skip or tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES) or \
            (tag == "th" and attrs.get("scope") == "row" and "pdz-grid" in self.table_classes())
        bucket = "computed" if "pdz-computed" in classes else "note" if "pdz-notes" in classes else parent_bucket
        if "pdz-note" in classes:
            self.note_text.append(NOTE_BREAK)
        self.stack.append((tag, skipped, bucket))

    def table_classes(self) -> str:
        return getattr(self, "_table", "")

    def handle_endtag(self, tag):
        if tag == "article":
            self.inside = False
        if not self.inside or tag in VOID:
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self.inside or not self.stack:
            return
        _, skipped, bucket = self.stack[-1]
        if not skipped:
            {"record": self.record_text, "computed": self.computed_text, "note": self.note_text}[bucket].append(data)


def page_figures(html: str) -> tuple[str, str, str]:
    """(record's text, computed figures, editorial notes) of a page's article."""
    html = re.sub(r'<table class="pdz-table pdz-grid">.*?<tbody>', "<tbody>", html, flags=re.S)   # fixed form labels
    html = re.sub(r'<th scope="row">[^<]*</th>', "", html)
    parser = _Figures()
    parser.feed(html)
    return " ".join(parser.record_text), " ".join(parser.computed_text), " ".join(parser.note_text)


@pytest.fixture(scope="module")
def state():
    return assembled()


def cited_values(state, record, whole: bool = False) -> set:
    """Values of the numbers in the record's cited lines (``whole``: in its whole documents)."""
    found = set()
    for source in record.data.get("fonti") or []:
        text = state.catalog.texts.get(source["documento"])
        if text and source.get("righe"):
            start, end = (1, len(text.lines)) if whole else source["righe"]
            found |= _values_of_lines(text, start, end)
    return found


# the numbers of lines start..end of a document, read once: many records cite the same lines,
# and the notes of every record that has some are compared with their whole documents
_LINE_VALUES: dict = {}


def _values_of_lines(text, start: int, end: int) -> frozenset:
    key = (id(text), start, end)
    if key not in _LINE_VALUES:
        _LINE_VALUES[key] = (text, frozenset(v for _, vals in values("\n".join(text.lines[start - 1:end]), source=True)
                                             for v in vals))
    return _LINE_VALUES[key][1]


def test_every_figure_on_a_record_page_is_in_its_cited_lines_or_labelled_computed(state, real_site):
    started = time.perf_counter()
    violations, checked, computed, pages = [], 0, 0, 0
    for kind in CHECKED_KINDS:
        for record in state.catalog.all(kind):
            if not any(s.get("righe") for s in record.data.get("fonti") or []):
                continue
            page = (real_site / record.id / "index.html").read_text(encoding="utf-8")
            record_text, computed_text, note_text = page_figures(page)
            allowed = cited_values(state, record)
            pages += 1
            computed += len(figures(computed_text))
            for written, vals in figures(record_text):
                checked += 1
                if not vals & allowed:
                    violations.append(f"{record.id}: {written}")
            # the editors' notes compare the cited lines with other places of the document
            in_document = cited_values(state, record, whole=True) if note_text.strip() else set()
            for note in note_text.split(NOTE_BREAK):
                found = figures(note)
                if EDITORS_COMPUTED.search(note):
                    computed += len(found)
                    continue
                for written, vals in found:
                    checked += 1
                    if not vals & in_document:
                        violations.append(f"{record.id}: {written} (nelle note sulla fonte)")
    SUMMARY["numeri delle pagine dei record rintracciati nelle righe citate"] = (
        f"{checked} numeri in {pages} pagine, {computed} numeri indicati come calcolati dal sito, "
        f"{len(violations)} non rintracciabili ({time.perf_counter() - started:.1f} s)")
    assert pages >= 200 and checked >= 1000, (pages, checked)
    assert violations == [], f"{len(violations)} numeri non rintracciabili:\n" + "\n".join(violations)


def test_the_checker_finds_an_untraceable_figure_and_reads_italian_formats():
    record_text, computed_text, _ = page_figures(
        '<article><h2>Valutazione 2018-2020</h2><p>oltre 4.000 persone, € 884.372,45</p>'
        '<p><span class="pdz-computed">€ 12,00 <small>(somma calcolata dal sito)</small></span></p>'
        '<a href="x/">7.9 Altro</a><div class="pdz-provenance">righe 12–14</div></article>')
    assert [w for w, _ in figures(record_text)] == ["4.000", "884.372,45"]
    assert [w for w, _ in figures(computed_text)] == ["12,00"]
    assert figures("DGR del 28/12/2017, obiettivo 7.13, riga 212, righe 116-184, Tabella 06: 30% e 23 persone") == \
        [("30", {Decimal(30)}), ("23", {Decimal(23)})]
    source = {v for _, vals in values("con punte di oltre 4mila; 733.854,13 e 150.518,32", source=True) for v in vals}
    assert Decimal(4000) in source and Decimal("884372.45") not in source
