"""Generated pages as finished HTML, without a second pass of Python-Markdown (issue #15).

A generated page body is made of two things only: fixed headings written by ``Renderer.heading``
(``## Label { #anchor }``) and raw HTML blocks already escaped and sanitised by the renderer.
Python-Markdown would parse every raw block again (its HTML parser is most of its cost) only to
give it back unchanged. ``to_html`` produces the same HTML directly, with the table-of-contents
entries the theme needs; it returns None for a body that holds anything else, which then goes
through Python-Markdown as before. tests/html/test_prerender.py checks the output is identical to
Python-Markdown's on every generated page of the real site.
"""
from __future__ import annotations

import html
import re

HEADING = re.compile(r"#{1,6} [^\n<>&{}#]+ \{ #[A-Za-z0-9_-]+ \}")
HEADING_PARTS = re.compile(r"(#{1,6}) (.+) \{ #([A-Za-z0-9_-]+) \}")
# a raw block starts with one of these tags (what the renderer writes) and has no Markdown in it
RAW_START = re.compile(r"<(div|nav|h1|p|ul|ol|dl|table|section|figure|blockquote|details|form)[\s>]")
EMPTY_OPENING = re.compile(r'<div( [a-z-]+(="[^"<>]*")?)*>')   # an element with nothing but a blank line in it


def to_html(body: str, permalink_title: str) -> tuple[str, list[dict]] | None:
    """(HTML, toc tokens as Python-Markdown's toc extension makes them) or None."""
    out: list[str] = []
    toc: list[dict] = []
    stack: list[dict] = []
    # Python-Markdown first turns tabs into spaces (tab_length 4), also inside raw HTML blocks
    parts = re.split(r"(\n[ \t]*\n+)", body.expandtabs(4).strip("\n"))   # blocks, and what parts them
    index = 0
    while index < len(parts):
        block, separator = parts[index].strip("\n"), parts[index + 1] if index + 1 < len(parts) else ""
        index += 2
        if not block:
            continue
        if EMPTY_OPENING.fullmatch(block) and separator == "\n\n" and index < len(parts) and parts[index] == "</div>":
            # an empty block (blocks.html_block of nothing): Python-Markdown keeps the element whole
            out.append(block + separator + parts[index] + "\n")
            index += 2
        elif HEADING.fullmatch(block):
            hashes, label, anchor = HEADING_PARTS.fullmatch(block).groups()
            level = len(hashes)
            label = label.strip()
            out.append(f'<h{level} id="{anchor}">{label}<a class="headerlink" href="#{anchor}" '
                       f'title="{html.escape(permalink_title)}">&para;</a></h{level}>')
            token: dict = {"level": level, "id": anchor, "name": label, "html": label, "data-toc-label": "", "children": []}
            while stack and stack[-1]["level"] >= level:
                stack.pop()
            (stack[-1]["children"] if stack else toc).append(token)
            stack.append(token)
        elif RAW_START.match(block) and "\n#" not in block and "\n\n" not in block:
            out.append(block + "\n")
        else:
            return None
    return "\n".join(out).rstrip("\n"), toc
