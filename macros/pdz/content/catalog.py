"""The loaded content, indexed once: by kind and id, by Ambito, and every reference both ways."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from pdz.content.model import KINDS, Record, iter_ref_values


@dataclass(frozen=True)
class Link:
    source: Record
    field: tuple      # JSON path of the referring value in the source record
    target_kind: str
    target_id: str


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str):
    """Sort '2' before '10' and '7.2' before '7.10'."""
    return [int(part) if part.isdigit() else part.lower() for part in _DIGITS.split(text or "")]


class Catalog:
    def __init__(self, records: list[Record], invalid: set | None = None):
        self.records = records
        self.texts: dict = {}   # document id -> SourceText, filled when the build loads fonti/
        self._monitoring: object = None   # pdz.domain.monitoring.Monitoring, computed once when first asked
        self.invalid = set(invalid or ())
        self.by_key: dict[tuple, Record] = {}
        self.duplicates: list[tuple[Record, Record]] = []
        for record in records:
            key = (record.kind, record.id)
            if key in self.by_key:
                self.duplicates.append((self.by_key[key], record))
            else:
                self.by_key[key] = record
        self.by_kind: dict[str, list[Record]] = defaultdict(list)
        self.by_ambito: dict[tuple, list[Record]] = defaultdict(list)
        self.by_plan: dict[tuple, list[Record]] = defaultdict(list)
        for record in self.by_key.values():
            self.by_kind[record.kind].append(record)
            if record.ambito and record.kind != "ambito":
                self.by_ambito[(record.ambito, record.kind)].append(record)
            if record.piano and record.kind != "piano":
                self.by_plan[(record.piano, record.kind)].append(record)
        # a record sits in up to three buckets: its key is made once (catalogs of thousands of
        # records are built many times over in the tests and benchmarks)
        keys = {id(record): self.sort_key(record) for record in self.by_key.values()}
        for bucket in list(self.by_kind.values()) + list(self.by_ambito.values()) + list(self.by_plan.values()):
            bucket.sort(key=lambda record: keys[id(record)])
        self.links: list[Link] = []
        self.backlinks: dict[tuple, list[Link]] = defaultdict(list)
        self._targets: dict[tuple, list[str]] | None = None   # (Ambito, kind) -> ids its records refer to
        self._derived: dict[tuple, object] = {}
        refs = {kind: KINDS[kind].refs for kind in self.by_kind}   # read from the schemas once per kind
        for record in self.by_key.values():
            for ref in refs[record.kind]:
                for field, value in iter_ref_values(record.data, ref.path):
                    link = Link(record, field, ref.target, value)
                    self.links.append(link)
                    self.backlinks[(ref.target, value)].append(link)

    @staticmethod
    def sort_key(record: Record):
        data = record.data
        order = data.get("ordine")
        # the plan's own number, else the file name (migrated files carry the document order: 01-, 02-...)
        number = data.get("numero") or data.get("codice") or data.get("lettera") or record.id.rsplit("/", 1)[-1]
        return (order if isinstance(order, int) else 10**6, natural_key(str(number)),
                natural_key(record.title), record.id)

    def get(self, kind: str, record_id: str) -> Record | None:
        return self.by_key.get((kind, record_id))

    def exists(self, kind: str, record_id: str) -> bool:
        """True also for files that exist but failed validation."""
        return (kind, record_id) in self.by_key or (kind, record_id) in self.invalid

    def all(self, kind: str) -> list[Record]:
        return self.by_kind.get(kind, [])

    def of_ambito(self, ambito: str, kind: str) -> list[Record]:
        """Records of every plan of an Ambito (plans themselves with kind 'piano'), oldest first."""
        return self.by_ambito.get((ambito, kind), [])

    def of_plan(self, plan: str, kind: str) -> list[Record]:
        return self.by_plan.get((plan, kind), [])

    def plans(self, ambito: str) -> list[Record]:
        """The plans of an Ambito, oldest period first."""
        return sorted(self.of_ambito(ambito, "piano"), key=lambda p: p.period)

    def current_plan(self, ambito: str) -> Record | None:
        """The plan of the latest period: the one in force, or the last one the site has."""
        plans = self.plans(ambito)
        return plans[-1] if plans else None

    def derived(self, fn, *args):
        """``fn(self, *args)``, computed once per catalog (its answer is not to be changed). A page
        that asks for it here depends on the answer only, not on everything ``fn`` reads
        (``mkdocs serve`` renders it again when the answer changes: pdz.render.reuse)."""
        key = (fn, args)
        if key not in self._derived:
            self._derived[key] = fn(self, *args)
        return self._derived[key]

    def targets_of_ambito(self, ambito: str, kind: str) -> list[str]:
        """The ids of ``kind`` that the records of an Ambito refer to, in the order of ``links``."""
        if self._targets is None:
            self._targets = defaultdict(list)
            for link in self.links:
                if link.source.ambito:
                    self._targets[(link.source.ambito, link.target_kind)].append(link.target_id)
        return self._targets.get((ambito, kind), [])

    def referrers(self, record: Record, source_kind: str | None = None) -> list[Link]:
        """Links pointing at ``record``, optionally only from one kind, each source once."""
        seen, out = set(), []
        for link in self.backlinks.get((record.kind, record.id), []):
            if source_kind and link.source.kind != source_kind:
                continue
            key = (link.source.kind, link.source.id, link.field[:1])
            if key not in seen:
                seen.add(key)
                out.append(link)
        return out
