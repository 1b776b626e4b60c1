"""The content model: which record kinds exist, where their files live and how they refer
to each other. The field-level contract of each kind is its JSON Schema in ``schemas/``.

Identifiers come from file paths, never from titles:
- global kinds live in ``content/<folder>/<slug>.yaml`` and their id is ``<slug>``;
- an Ambito (the territory, stable over time) lives in ``content/ambiti/<ambito>/ambito.yaml``
  (or ``.md``): id ``<ambito>``;
- a Piano (the Ambito in one period) lives in ``content/ambiti/<ambito>/<periodo>/piano.yaml``:
  id ``<ambito>/<periodo>``, for example ``corsico/2021-2023``; periods are folder names
  (``AAAA-AAAA``), so a new triennium is a new folder, never a code change;
- records of a plan live in ``content/ambiti/<ambito>/<periodo>/<folder>/<slug>.md`` (or
  ``.yaml``) and their id is ``<ambito>/<periodo>/<folder>/<slug>``, which is also their URL path.

Objectives and evaluations are front-matter Markdown: the structured fields in the YAML front
matter, the main narrative (``Kind.body_field``, their ``descrizione``) as the Markdown body.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pdz.content import schemas

CONTENT_EXTENSIONS = (".md", ".yaml")


@dataclass(frozen=True)
class Ref:
    """A field holding ids of another kind. ``path`` uses '*' for every item of a list."""
    path: tuple
    target: str


@dataclass(frozen=True)
class Kind:
    name: str          # also the schema file name: schemas/<name>.schema.json
    folder: str        # folder under content/ (global) or under content/ambiti/<ambito>/
    scoped: bool       # True when records belong to one plan (an Ambito in one period)
    label: str         # Italian, singular
    label_plural: str  # Italian, plural
    title_field: str
    body_field: str = ""   # the field written as the Markdown body of a .md file ("" = none)

    @property
    def refs(self) -> tuple[Ref, ...]:
        """The fields holding ids of other records, declared in the schema (``x-riferimento``)."""
        return tuple(Ref(path, target) for path, target in schemas.references(self.name))

    @property
    def markdown(self) -> bool:
        """True when new records of this kind are front-matter Markdown files."""
        return bool(self.body_field) or self.name == "sezione"

    @property
    def schema_path(self) -> Path:
        return schemas.SCHEMA_DIR / schemas.kind_file(self.name)


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("documento", "fonti", False, "Documento di origine", "Documenti di origine", "titolo"),
    Kind("area", "aree", False, "Area di policy", "Aree di policy", "nome"),
    Kind("partner", "partner", False, "Attore della rete", "Attori della rete", "nome"),
    Kind("sigla", "glossario", False, "Sigla", "Glossario", "sigla"),
    Kind("voce", "vocabolario", False, "Voce del vocabolario", "Vocabolario dei cittadini", "tema"),
    Kind("ambito", "", False, "Ambito territoriale", "Ambiti territoriali", "nome"),
    Kind("piano", "", False, "Piano di Zona", "Piani di Zona", "titolo_piano"),
    Kind("obiettivo", "obiettivi", True, "Obiettivo", "Obiettivi", "titolo", "descrizione"),
    Kind("valutazione", "valutazioni", True, "Valutazione", "Valutazioni", "titolo", "descrizione"),
    Kind("progetto", "progetti", True, "Progetto sociosanitario", "Progetti sociosanitari", "titolo"),
    Kind("organo", "organi", True, "Organo di governance", "Governance", "nome"),
    Kind("tabella", "dati", True, "Tabella di dati", "Dati di contesto", "titolo"),
    Kind("monitoraggio", "monitoraggio", True, "Risultato atteso e indicatori", "Sistema di monitoraggio", "titolo"),
    Kind("sezione", "sezioni", True, "Sezione del piano", "Sezioni del piano", "titolo"),
)}

GLOBAL_FOLDERS = {k.folder: k for k in KINDS.values() if not k.scoped and k.folder}
SCOPED_FOLDERS = {k.folder: k for k in KINDS.values() if k.scoped}
AMBITI_FOLDER = "ambiti"
AMBITO_FILE_STEM = "ambito"
PLAN_FILE_STEM = "piano"


@dataclass
class Record:
    kind: str
    id: str
    path: str                 # relative to the project root, for messages and edit links
    data: dict
    body: str = ""            # Markdown body of a .md file
    body_line: int = 0        # file line where the body starts
    lines: dict = field(default_factory=dict)   # JSON path tuple -> line
    ambito: str | None = None
    piano: str | None = None  # id of the plan ('corsico/2021-2023') of a plan or of its records

    @property
    def title(self) -> str:
        if self.kind == "piano":   # the document's own title is shown as a fact of the page
            return f"Piano di Zona {self.period}"
        return str(self.data.get(KINDS[self.kind].title_field, self.id))

    @property
    def period(self) -> str | None:
        """The plan's period ('2021-2023'), for a plan and for the records of a plan."""
        return self.piano.rsplit("/", 1)[1] if self.piano else None

    def line(self, path: tuple = ()) -> int:
        """Line of a field, falling back to its nearest parent that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def iter_ref_values(data, path: tuple, prefix: tuple = ()):
    """Yield (json_path, value) for every value found at a Ref path ('*' = each list item)."""
    if not path:
        if isinstance(data, str):
            yield prefix, data
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from iter_ref_values(item, rest, prefix + (i,))
    elif isinstance(data, dict) and head in data:
        yield from iter_ref_values(data[head], rest, prefix + (head,))
