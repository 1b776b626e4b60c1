"""Budgets of the objectives: the items the plan lists, each with its kind in the plan's words,
the figure the plan states, and the sums the site computes (always said to be computed).

Plain Python over the loaded records; the renderers and the open data read it from here.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pdz.content import schemas

# Kinds of budget item (schema: risorse_economiche.componenti[].tipo), in the plans' words.
def item_kinds() -> dict[str, str]:
    """The kinds of budget item, in the plans' words (schemas: _defs tipo_voce_risorse)."""
    return schemas.vocabulary("tipo_voce_risorse")

COMPUTED = "somma calcolata dal sito delle voci indicate nel piano"


@dataclass
class Headline:
    amount: float
    computed: bool          # True: a sum made by the site, not a figure of the plan
    kinds: list[str]        # kinds of the items behind the amount


def items(record) -> list[dict]:
    return (record.data.get("risorse_economiche") or {}).get("componenti") or []


def headline(record) -> Headline | None:
    """The objective's budget as the page headline shows it: the figure the plan states
    (``importo_indicato``, or its only item), else the site's sum of the items."""
    money = record.data.get("risorse_economiche") or {}
    parts = items(record)
    if "importo_indicato" in money:
        stated = [p["tipo"] for p in parts if p["importo"] == money["importo_indicato"]]
        return Headline(money["importo_indicato"], False, stated[:1])
    if len(parts) == 1:
        return Headline(parts[0]["importo"], False, [parts[0]["tipo"]])
    if parts:
        return Headline(round(sum(p["importo"] for p in parts), 2), True, sorted({p["tipo"] for p in parts}))
    return None


def by_kind(records) -> dict[str, float]:
    """Sum of the items of ``records`` for each kind, in the schema's order."""
    sums: dict[str, float] = defaultdict(float)
    for record in records:
        for part in items(record):
            sums[part["tipo"]] += part["importo"]
    return {k: round(sums[k], 2) for k in item_kinds() if k in sums}


def total(records) -> float | None:
    """Sum of every item of ``records`` (several kinds: say so when showing it)."""
    sums = by_kind(records)
    return round(sum(sums.values()), 2) if sums else None
