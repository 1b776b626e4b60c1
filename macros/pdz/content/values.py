"""Measured values as the sources write them: a number, a qualified number ("circa 300",
"oltre 4mila"), a range ("tra 10 e 15") or several numbers of one sentence.

The structure is defined once in schemas/_defs.schema.json (``valore_qualificato``,
``valore_misurato``); this module turns any accepted form into a list of plain dicts, so that
pages and open data read one shape.
"""
from __future__ import annotations

from pdz.content import schemas


def measured_values(raw) -> list[dict]:
    """Every figure of a ``valore_misurato``: dicts with valore or minimo/massimo, and optionally
    qualificatore, unita, voce. A bare number becomes ``{"valore": n}``; None gives []."""
    if raw is None:
        return []
    if isinstance(raw, bool):   # never valid; guard against YAML booleans reaching here
        return []
    if isinstance(raw, (int, float)):
        return [{"valore": raw}]
    if isinstance(raw, dict):
        return [raw]
    return [v for v in raw if isinstance(v, dict)]


def qualifier_label(value: dict) -> str:
    """The qualifier in Italian words ('più di'), or ''."""
    return schemas.vocabulary("qualificatore").get(value.get("qualificatore", ""), "")
