"""Which records a policy area (A-J) gathers, and on what basis.

An objective is in an area when the plan says so: its ``area`` (the main one) and its
``altre_aree`` (further areas its title or its plan group names), unless ``area_dedotta`` says the
editors chose them; and, as a "transversal" objective, when the plan's answer on transversality
names the area (``trasversale.aree``). An evaluation of an earlier plan is in an area through its
own ``area``, or through its group: the plan that writes the evaluations says, in
``aree_dei_gruppi``, which areas the title of each group names (with the editors' reason when
the title does not use the regional name, as for a 2018-2020 plan). Records with no area and no
such group are in no area: the site does not place them by their content.

Plain Python over the catalog; the pages (render/indices.py) and the derived check read it here.
"""
from __future__ import annotations

from dataclasses import dataclass

from pdz.content.catalog import Catalog
from pdz.content.model import Record

MAIN, ALSO, TRANSVERSAL = "principale", "anche", "trasversale"   # an objective's relation to an area


@dataclass(frozen=True)
class Placement:
    record: Record
    relation: str               # MAIN, ALSO, TRANSVERSAL (objectives); MAIN (evaluations)
    reason: str = ""            # the editors' reason, when they assigned the area
    group: dict | None = None   # the plan's group entry (aree_dei_gruppi) that places an evaluation
    plan: Record | None = None  # the plan that writes that group


def objective_areas(o: Record) -> list[str]:
    """The areas the objective belongs to (main first), without the transversal ones."""
    main = o.data.get("area")
    return ([main] if main else []) + [x for x in o.data.get("altre_aree") or [] if x != main]


def objectives_in(catalog: Catalog, letter: str) -> list[Placement]:
    """The objectives of area ``letter``: main, then also named, then transversal, each group in
    catalog order."""
    out: dict[str, list[Placement]] = {MAIN: [], ALSO: [], TRANSVERSAL: []}
    for o in catalog.all("obiettivo"):
        areas = objective_areas(o)
        if letter in areas:
            relation = MAIN if areas[0] == letter else ALSO
            out[relation].append(Placement(o, relation, o.data.get("area_dedotta", "")))
        elif letter in ((o.data.get("trasversale") or {}).get("aree") or []):
            out[TRANSVERSAL].append(Placement(o, TRANSVERSAL))
    return out[MAIN] + out[ALSO] + out[TRANSVERSAL]


def group_entries(plan: Record | None) -> dict[str, dict]:
    """The plan's groups of evaluations that name areas: group title -> entry."""
    return {g["gruppo"]: g for g in (plan.data.get("aree_dei_gruppi") or [])} if plan else {}


def evaluations_in(catalog: Catalog, letter: str) -> list[Placement]:
    """The evaluations of area ``letter``: their own area, or the areas of their plan's group."""
    out = []
    groups = {p.id: group_entries(p) for p in catalog.all("piano") if p.data.get("aree_dei_gruppi")}
    for e in catalog.all("valutazione"):
        if e.data.get("area") == letter:
            out.append(Placement(e, MAIN))
            continue
        entry = groups.get(e.piano or "", {}).get(e.data.get("gruppo", ""))
        if entry and letter in entry["aree"]:
            out.append(Placement(e, MAIN, entry.get("dedotto", ""), entry, catalog.get("piano", e.piano)))
    return out
