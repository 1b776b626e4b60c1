"""Contributor text → safe HTML.

Contributor text is data, never code: it is converted with Markdown only (never a template
engine), then cleaned with an allow-list sanitiser (nh3), so ``<script>``, event handlers and
``javascript:`` links cannot reach the published page. Acronyms of the glossary become
``<abbr>`` elements with their expansion (``title``) and their glossary entry
(``data-glossario``), which docs/assets/pdz-abbr.js turns into a disclosure that opens on a tap
or on keyboard focus and links to the glossary.

The Markdown engine is markdown-it-py (CommonMark): it converts in linear time whatever the
input (Python-Markdown took 38 s on 5000 '[' characters), see tests/html/test_markdown_speed.py.
"""
from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt

# Contributor headings start at h3 (a field sits under the page's h2 sections), or at the level
# the caller asks for (a section body right under the h1 starts at h2): see shift_headings.
FIELD_TOP_LEVEL = 3
ALLOWED_TAGS = {
    "p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "u", "s", "sup", "sub", "blockquote",
    "code", "pre", "a", "abbr", "table", "thead", "tbody", "tr", "th", "td", "hr", "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"colspan", "rowspan", "scope"},
                      "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}

# CommonMark with tables; raw HTML is passed on to the sanitiser, which keeps its allow-list.
# Past maxNesting levels markdown-it silently drops the rest of a block: deeper texts are shown
# as they are written instead (never lost), see markdown_to_html.
MAX_NESTING = 20   # markdown-it's default: the cost of some inputs grows with it
_MD = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable("table")


class _TooDeep(Exception):
    pass


def _block_tokenize(state, start_line, end_line, _tokenize=_MD.block.tokenize):
    if state.level >= MAX_NESTING:
        raise _TooDeep
    return _tokenize(state, start_line, end_line)


_MD.block.tokenize = _block_tokenize  # type: ignore[method-assign]  # a depth limit, see _TooDeep
# A line that Markdown would only wrap in <p>: not a leading list marker ("- ", "+ ", "1. "),
# rule ("--") or quote (">"), no leading or trailing blank, line break or tab, no character with
# a meaning in Markdown or HTML (tests/content/test_validation.py checks the equivalence on all real
# content and on generated text).
_PLAIN_PARAGRAPH = re.compile(r"^(?![ \t]|[-+](?:[ \t-]|$)|>|\d+[.)](?:[ \t]|$))[^\n\t*_`\[\]!#\\<>&|~{}]*(?<![ \t])$")
_SETEXT = re.compile(r"^=", re.MULTILINE)   # "Title\n===" is a heading
# tags and character references (&quot; &#39; &#x27;): the glossary never rewrites inside them
_TAG_SPLIT = re.compile(r"(<[^>]*>|&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);)")
# Every line break that some reader honours: Markdown texts keep them as "\n" (so no raw "\r"
# reaches a page, where the site's Markdown would read it as a new line); plain texts write them
# as a character reference, so that they never start a line of the page's Markdown source.
_LINE_BREAKS = re.compile("\r\n?|[\x85\u2028\u2029]")
_ANY_LINE_BREAK = re.compile("\r\n?|[\n\x85\u2028\u2029]")


def _plain_paragraphs(text: str) -> list[str] | None:
    """The paragraphs of a text that Markdown would only wrap in <p> (paragraphs apart by one
    blank line, each line plain), or None."""
    if "\n" not in text:
        return [text] if text and _PLAIN_PARAGRAPH.match(text) else None
    text = text.strip("\n")   # Markdown ignores leading and trailing newlines (YAML "|" adds one)
    paragraphs = text.split("\n\n")
    if _SETEXT.search(text) or not all(line and _PLAIN_PARAGRAPH.match(line)
                                       for p in paragraphs for line in p.split("\n")):
        return None
    return paragraphs


def markdown_to_html(text: str) -> str:
    """Contributor Markdown to (unsanitised) HTML, in linear time. A text nested deeper than
    any real one (quotes in quotes in lists...) is shown as written, never dropped."""
    try:
        return _MD.render(text).rstrip("\n")   # as the fast path: no final line break
    except (_TooDeep, RecursionError):
        return "<p>" + escape(text).replace("\n", "<br>") + "</p>"


def escape(value) -> str:
    return html.escape(str(value), quote=True)


def clean_html(raw: str, top_level: int = FIELD_TOP_LEVEL) -> str:
    """The allow-list sanitiser; headings are kept from ``top_level`` down."""
    tags = ALLOWED_TAGS | {f"h{level}" for level in range(top_level, 7)}
    return nh3.clean(raw, tags=tags, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True)


_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s/>])", re.IGNORECASE)


def shift_headings(raw_html: str, top_level: int, only_down: bool = False) -> str:
    """Renumber the headings so the highest one is ``top_level`` (``only_down``: never move a
    heading up). Runs BEFORE the sanitiser, which keeps headings from ``top_level`` only: a
    contributor's '#' or '##' becomes the top heading of the field instead of vanishing."""
    levels = [int(m.group(2)) for m in _HEADING_TAG.finditer(raw_html)]
    if not levels:
        return raw_html
    delta = top_level - min(levels)
    if only_down:
        delta = max(0, delta)
    if not delta:
        return raw_html
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + delta)}", raw_html)


class TextRenderer:
    """Renders Markdown fields; knows the glossary to mark its acronyms: ``glossary`` maps an
    acronym to its expansion, ``entries`` (optional) to the id of its glossary entry."""

    def __init__(self, glossary: dict[str, str] | None = None, entries: dict[str, str] | None = None):
        self.glossary = dict(glossary or {})
        self.entries = dict(entries or {})
        names = sorted(self.glossary, key=len, reverse=True)
        self._acronyms = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])") \
            if names else None
        # The same field is rendered for its page, the lists that show it and the printable
        # plan: convert each distinct text once per build.
        self._cache: dict[tuple, str] = {}
        self._plain_cache: dict[str, str] = {}

    def block(self, text: str, top_level: int | None = None) -> str:
        """A Markdown field as sanitised HTML (paragraphs, lists...). ``top_level`` moves the
        contributor's headings so that the highest one has that level (a block right under the
        page's h1 passes 2: no skipped heading level)."""
        if not text:
            return ""
        key = (text, top_level)
        if key not in self._cache:
            self._cache[key] = self._convert(_LINE_BREAKS.sub("\n", str(text)), top_level)
        return self._cache[key]

    def _convert(self, text: str, top_level: int | None) -> str:
        plain = _plain_paragraphs(text)
        if plain is not None:   # most fields are plain sentences: no Markdown needed
            return self._abbreviate("\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in plain))
        converted = markdown_to_html(text)
        if top_level:
            converted = shift_headings(converted, top_level)
        else:
            converted = shift_headings(converted, FIELD_TOP_LEVEL, only_down=True)
        return self._abbreviate(clean_html(converted, top_level or FIELD_TOP_LEVEL))

    def inline(self, text: str) -> str:
        """A short Markdown field rendered without the surrounding paragraph."""
        out = self.block(text)
        if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
            out = out[3:-4]
        return out

    def plain(self, text) -> str:
        """Plain text (titles, names): escaped, with abbreviations."""
        key = str(text)
        if key not in self._plain_cache:   # titles are repeated in every list that links them
            self._plain_cache[key] = self._abbreviate(_ANY_LINE_BREAK.sub("&#10;", escape(key)))
        return self._plain_cache[key]

    def _abbreviate(self, safe_html: str) -> str:
        if not self._acronyms:
            return safe_html
        parts, depth = [], 0
        for piece in _TAG_SPLIT.split(safe_html):
            if piece.startswith("&"):
                parts.append(piece)
            elif piece.startswith("<"):
                lower = piece.lower()
                if lower.startswith(("<a ", "<a>", "<abbr", "<code", "<pre")):
                    depth += 1
                elif lower.startswith(("</a>", "</abbr", "</code", "</pre")):
                    depth = max(0, depth - 1)
                parts.append(piece)
            elif depth or not piece:
                parts.append(piece)
            else:
                parts.append(self._acronyms.sub(self._abbr, piece))
        return "".join(parts)

    def _abbr(self, match) -> str:
        word = match.group(1)
        entry = self.entries.get(word)
        where = f' data-glossario="{escape(entry)}"' if entry else ""
        return f'<abbr title="{escape(self.glossary[word])}"{where}>{word}</abbr>'
