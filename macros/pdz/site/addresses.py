"""Who publishes which address: a record may only take an address that nobody else uses.

The published files are collected from what actually produces them: the hand-written pages and
assets under ``docs/``, every generated page (records and indices), the open data and printable
plans, and the few folders that the theme and the plugins write themselves (``SITE_FOLDERS``;
``tests/site/test_addresses.py`` checks that this list covers every top-level entry of a real build).
Then:

- two producers of the same file is an error (an Ambito called ``privacy`` would replace the
  hand-written page, one called ``partner`` the list of partners);
- an Ambito's address is a folder holding its own pages: nothing else may live in it (an Ambito
  called ``assets``, ``dati`` or ``pagefind``);
- ``pagina-<n>`` is where long lists continue, so no record may be named like that.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pdz.content.catalog import Catalog
from pdz.content.docs_pages import DOCS_FOLDER, docs_files, output_path
from pdz.opendata.tables import EXPORT_DIR
from pdz.content.model import AMBITI_FOLDER
from pdz.content.problems import Problem
from pdz.render import print_folders
from pdz.render.listings import PAGE_SEGMENT
from pdz.content.urls import page_url

# Written by the theme and the plugins, not by us: Material's scripts, styles and images, the
# search index (Pagefind, after the build), the sitemap and the "page not found" page (overrides/404.html); and the
# web editor (editor/admin.py), reserved even when Decap is not installed.
SITE_FOLDERS = {"assets/": "i file del tema (stili, script e immagini)", "pagefind/": "l'indice della ricerca",
                "admin/": "l'editor web (Decap CMS)",
                "sitemap.xml": "la mappa del sito", "sitemap.xml.gz": "la mappa del sito",
                "404.html": "la pagina «Pagina non trovata»"}
_PAGINATED = re.compile(re.escape(PAGE_SEGMENT) + r"[0-9]+$")
RENAME = "rinomina il file o la cartella: il nome diventa l'indirizzo della pagina"


@dataclass(frozen=True)
class Output:
    path: str                  # published file ("corsico/index.html") or folder ("assets/")
    owner: str                 # who publishes it, in Italian, for messages
    sources: tuple = ()        # content files behind it (generated pages)
    record: str | None = None  # the content file whose own page this is
    file: str | None = None    # the file to correct when it collides (a record's, a docs/ file)


def site_outputs(root: Path, pages, exports: dict, catalog: Catalog) -> list[Output]:
    out = [Output(path, owner) for path, owner in SITE_FOLDERS.items()]
    for src in docs_files(root):
        if not any(part.startswith(".") for part in src.split("/")):
            kind = "la pagina scritta a mano" if src.endswith(".md") else "il file"
            out.append(Output(output_path(src), f"{kind} {DOCS_FOLDER}/{src}", file=f"{DOCS_FOLDER}/{src}"))
    for page in pages:
        owner = f"la pagina del file {page.source}" if page.source else f"la pagina generata «{page.title}»"
        out.append(Output(page.url + "index.html", owner, tuple(filter(None, [page.source, *page.sources])),
                          record=page.source, file=page.source))
    prints = print_folders(catalog)
    for path in exports:
        plan = prints.get("/".join(path.split("/")[:3]) + "/")   # <plan id>/stampa/: its contents and its parts
        if plan is not None:
            out.append(Output(path, f"la versione stampabile del piano {plan.id}", (plan.path,)))
        elif not path.startswith(EXPORT_DIR + "/") and catalog.get("ambito", path.split("/")[0]) is not None:
            # made from that Ambito's records (its feed, the embeddable cards of its objectives)
            out.append(Output(path, f"il file generato {path}", (catalog.get("ambito", path.split("/")[0]).path,)))
        else:
            out.append(Output(path, f"il file di dati aperti {path}" if path.startswith(EXPORT_DIR + "/")
                              else f"il file generato {path}"))
    return out


def address_problems(outputs: list[Output], catalog: Catalog) -> list[Problem]:
    problems = _same_file(outputs) + _inside_ambito(outputs, catalog)
    for record in catalog.records:
        if _PAGINATED.match(record.id.rsplit("/", 1)[-1]):
            problems.append(Problem(record.path, 0, "", f"il nome '{record.id.rsplit('/', 1)[-1]}' è riservato: "
                                    f"gli elenchi lunghi continuano agli indirizzi {PAGE_SEGMENT}2/, {PAGE_SEGMENT}3/...",
                                    RENAME))
    return problems


def _same_file(outputs: list[Output]) -> list[Problem]:
    by_path: dict[str, list[Output]] = {}
    for output in outputs:
        by_path.setdefault(output.path, []).append(output)
    problems = []
    for path, owners in by_path.items():
        if len(owners) < 2:
            continue
        # blame a record's file when there is one: the hand-written and generated pages were there first
        blamed = next((o for o in owners if o.record), owners[-1])
        others = " e ".join(o.owner for o in owners if o is not blamed)
        address = path[:-len("index.html")] if path.endswith("index.html") else path
        where = blamed.file or next((o.file for o in owners if o.file), "mkdocs.yml")
        problems.append(Problem(where, 0, "", f"l'indirizzo '{address or '/'}' è già usato da {others}",
                                RENAME if blamed.record else "due parti del sito pubblicano lo stesso file"))
    return problems


def _inside_ambito(outputs: list[Output], catalog: Catalog) -> list[Problem]:
    """An Ambito's folder holds only pages made from its own files. (The outputs are grouped by
    their top folder once: looking through all of them for each Ambito took a second at N=100.)"""
    problems = []
    below: dict[str, list[Output]] = {}
    for output in outputs:
        top, slash, _ = output.path.partition("/")
        if slash:
            below.setdefault(top + slash, []).append(output)
    for ambito in catalog.all("ambito"):
        folder = page_url("ambito", ambito.id)
        own = f"content/{AMBITI_FOLDER}/{ambito.id}/"
        for output in below.get(folder, []) if folder.count("/") == 1 else outputs:
            if not output.path.startswith(folder) or output.path == folder + "index.html":
                continue
            if output.sources and all(s.startswith(own) for s in output.sources):
                continue
            problems.append(Problem(ambito.path, 0, "", f"l'Ambito '{ambito.id}' avrebbe l'indirizzo '{folder}', "
                                    f"che contiene già {output.owner}", RENAME))
            break
    return problems
