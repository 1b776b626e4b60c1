"""What the site search knows about a page besides its text (issue #15).

One hidden, empty element per page holds Pagefind attributes: the result title
(``data-pagefind-meta="title"``) and the facets a visitor can filter by and that the results
show: Ambito, kind of record, policy area, plan period. Values live in attributes (escaped
here), never in text, so they are not indexed as words and commas in them are harmless.
"""
from __future__ import annotations

import re

from pdz.content.model import KINDS
from pdz.html.text import escape

# Pagefind name -> (used as a filter, shown in results)
FACETS = {"ambito": (True, True), "tipo": (True, True), "area": (True, False), "periodo": (True, False)}


def facets_block(title: str, **values: str) -> str:
    """A raw HTML block for the end of a page body. ``values``: ambito, tipo, area, periodo."""
    spans = []
    for name, (as_filter, as_meta) in FACETS.items():
        value = values.get(name)
        if not value:
            continue
        attrs = (f' data-pagefind-filter="{name}[data-value]"' if as_filter else "") + \
            (f' data-pagefind-meta="{name}[data-value]"' if as_meta else "")
        spans.append(f'<span{attrs} data-value="{escape(value)}"></span>')
    return (f'\n<div class="pdz-facets" hidden data-pagefind-meta="title[data-title]" '
            f'data-title="{escape(title)}">{"".join(spans)}</div>\n')


def area_label(area) -> str:
    """"B. Politiche abitative": the policy area as the filter shows it."""
    return f"{area.data['lettera']}. {area.title}" if area is not None else ""


def kind_label(kind: str) -> str:
    """"Obiettivo", "Valutazione": the kind of record without its plan period (a filter of its own)."""
    return re.sub(r"\s+\d{4}-\d{4}$", "", KINDS[kind].label)
