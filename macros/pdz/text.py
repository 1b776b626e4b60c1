"""Contributor text → safe HTML.

Contributor text is data, never code: it is converted with Markdown only (never a template
engine), then cleaned with an allow-list sanitiser, so ``<script>``, event handlers and
``javascript:`` links cannot reach the published page. Acronyms of the glossary become
``<abbr>`` tooltips.
"""
from __future__ import annotations

import html
import re

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "u", "s", "sup", "sub", "blockquote",
    "code", "pre", "a", "abbr", "table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "h5", "h6",
    "hr", "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"colspan", "rowspan", "scope"},
                      "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}

_MD = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
# A line that Markdown would only wrap in <p>: not a leading list marker ("- ", "+ ", "1. "),
# rule ("--") or quote (">"), no leading or trailing blank, line break or tab, no character with
# a meaning in Markdown or HTML (tests/test_validation.py checks the equivalence on all real
# content and on generated text).
_PLAIN_PARAGRAPH = re.compile(r"^(?![ \t]|[-+](?:[ \t-]|$)|>|\d+[.)](?:[ \t]|$))[^\n\t*_`\[\]!#\\<>&|~{}]*(?<![ \t])$")
_SETEXT = re.compile(r"^=", re.MULTILINE)   # "Title\n===" is a heading
_TAG_SPLIT = re.compile(r"(<[^>]*>)")
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


def escape(value) -> str:
    return html.escape(str(value), quote=True)


def clean_html(raw: str) -> str:
    return nh3.clean(raw, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True)


_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def shift_headings(safe_html: str, top_level: int) -> str:
    """Renumber the (attribute-free, sanitised) headings so the highest one is ``top_level``."""
    levels = [int(m.group(2)) for m in _HEADING_TAG.finditer(safe_html)]
    if not levels:
        return safe_html
    delta = top_level - min(levels)
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + delta)}>", safe_html)


class TextRenderer:
    """Renders Markdown fields; knows the glossary to add abbreviation tooltips."""

    def __init__(self, glossary: dict[str, str] | None = None):
        self.glossary = dict(glossary or {})
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
        _MD.reset()
        try:
            converted = _MD.convert(text)
        except RecursionError:   # absurdly nested lists: shown as plain text, never a failed build
            _MD.reset()
            converted = "<p>" + escape(text) + "</p>"
        out = self._abbreviate(clean_html(converted))
        return shift_headings(out, top_level) if top_level else out

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
            if piece.startswith("<"):
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
        return f'<abbr title="{escape(self.glossary[word])}">{word}</abbr>'
