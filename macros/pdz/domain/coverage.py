"""``make coverage``: records in content/ against the counts of the source inventories.

Each source document (content/fonti/*.yaml) lists in ``inventario`` how many records of each
kind the inventory of that seed found. A record counts for a document when one of its
``fonti`` names that document. Exit status 1 when any count differs.
"""
from __future__ import annotations

from dataclasses import dataclass

from pdz.content.catalog import Catalog


@dataclass
class Line:
    document: str
    voce: str
    expected: int
    found: int
    reference: str

    @property
    def ok(self) -> bool:
        return self.expected == self.found


def _from_document(record, doc_id: str, catalog: Catalog | None = None) -> bool:
    """The record cites the document and, when it belongs to a plan, that plan is the document's:
    the 2018-2020 objectives cite the 2021-2023 plan that evaluates them, but are not its objectives."""
    if not any(s.get("documento") == doc_id for s in record.data.get("fonti") or []):
        return False
    plan = catalog.get("piano", record.piano) if catalog is not None and record.piano else None
    return plan is None or doc_id in (plan.data.get("documenti") or [])


def _matches(data: dict, wanted: dict) -> bool:
    return all(data.get(key) == value for key, value in wanted.items())


def count(catalog: Catalog, doc_id: str, what: str, wanted: dict) -> int:
    if what == "righe":
        table = catalog.get("tabella", wanted.get("tabella", ""))
        return len(table.data["righe"]) if table else 0
    if what == "riferimenti":   # length of a list of references in one record
        record = next((r for r in catalog.records if r.id == wanted.get("record")), None)
        value = record.data if record else {}
        for key in wanted.get("campo", "").split("."):
            value = value.get(key, {}) if isinstance(value, dict) else {}
        return len(value) if isinstance(value, list) else 0
    if what == "comune":
        ambito = catalog.get("ambito", wanted.get("ambito", ""))
        return len(ambito.data.get("comuni") or []) if ambito else 0
    if what == "azione":
        return sum(len(o.data.get("azioni") or []) for o in catalog.all("obiettivo") if _from_document(o, doc_id, catalog))
    if what == "indicatore":
        total = 0
        for record in catalog.records:
            if not _from_document(record, doc_id, catalog):
                continue
            groups = [record.data.get("indicatori") or []] + \
                [(record.data.get(k) or {}).get("indicatori") or [] for k in ("bisogni", "modalita", "risultati", "impatto")
                 if isinstance(record.data.get(k), dict)]
            total += sum(1 for group in groups for item in group if _matches(item, wanted))
        return total
    return sum(1 for r in catalog.all(what) if _from_document(r, doc_id, catalog) and _matches(r.data, wanted))


def coverage(catalog: Catalog) -> list[Line]:
    lines = []
    for doc in sorted(catalog.all("documento"), key=lambda d: d.id):
        for entry in doc.data.get("inventario") or []:
            found = count(catalog, doc.id, entry["conta"], entry.get("filtro") or {})
            lines.append(Line(doc.id, entry["voce"], entry["attesi"], found, entry["riferimento"]))
    return lines
