"""Everything the site publishes besides MkDocs' own files, and the checks that need all of it.

The build (``macros/mkdocs_hooks.py``) and ``make check`` both call ``generate`` and
``site_problems``, so a check passes exactly when the build would accept the same tree:
addresses taken twice, ``redirects.yaml`` pointing nowhere, ``docs/`` pages that run macros
without being allowed to.
"""
from __future__ import annotations

from pathlib import Path

from .addresses import address_problems, site_outputs
from .catalog import Catalog
from .docs_pages import macro_problems
from .export import export_files
from .redirects import Redirects, redirect_page, redirect_problems
from .render import build_pages, build_print_documents, print_paths


def generate(catalog: Catalog, updated: dict, text, site_url: str, preview: str | None = None,
             documents: bool = True, page_site_url: str = ""):
    """(pages, exports): the generated pages, and the other files (open data, printable plans)
    by site path. ``documents=False`` lists the printable plans without writing them (checks)."""
    pages = build_pages(catalog, updated, text, preview=preview, site_url=page_site_url)
    exports = export_files(catalog, site_url)
    if documents:
        exports.update(build_print_documents(catalog, updated, text))
    else:
        exports.update(dict.fromkeys(print_paths(catalog), b""))
    return pages, exports


def site_problems(root: Path, catalog: Catalog, pages, exports: dict, redirects: Redirects,
                  preview: str | None = None) -> list:
    outputs = site_outputs(root, pages, exports, catalog)
    suffix = "index.html"
    page_addresses = {o.path[:-len(suffix)] for o in outputs if o.path == suffix or o.path.endswith("/" + suffix)}
    reserved = {}
    for output in outputs:
        if output.path == suffix or output.path.endswith("/" + suffix):
            continue
        top, slash, _ = output.path.partition("/")
        # a folder of files (assets/, dati/, pagefind/) is reserved whole; inside an Ambito's
        # folder (its feed, novita.xml) only the file itself
        inside_ambito = slash and catalog.exists("ambito", top)
        reserved.setdefault(output.path if inside_ambito else top + slash, output.owner)

    return sorted(set(address_problems(outputs, catalog)
                      + redirect_problems(redirects, page_addresses, reserved,
                                          lambda address: _elsewhere(address, catalog, preview))
                      + macro_problems(root)))


def _elsewhere(address: str, catalog: Catalog, preview: str | None) -> bool:
    """True for an address inside an Ambito that a single-Ambito preview does not load."""
    ambito = address.split("/")[0]
    return bool(preview) and ambito != preview and catalog.exists("ambito", ambito) \
        and catalog.get("ambito", ambito) is None


def redirect_files(redirects: Redirects, catalog: Catalog, preview: str | None = None) -> dict[str, bytes]:
    """The redirect pages; a preview leaves out those of the Ambiti it does not load."""
    return {old + "index.html": redirect_page(old, new) for old, new in redirects.items()
            if not (_elsewhere(old, catalog, preview) or _elsewhere(new, catalog, preview))}
