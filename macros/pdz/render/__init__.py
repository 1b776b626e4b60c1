"""Rendering: turns the loaded Catalog into pages (Markdown with safe HTML blocks).

Generator-neutral: MkDocs only receives the finished page texts (see ``macros/mkdocs_hooks.py``).
"""
from __future__ import annotations

from pdz.content.catalog import Catalog
from pdz.html.text import TextRenderer
from pdz.render.base import Page, meta_title, text_renderer
from pdz.render.home import HomeBlocks
from pdz.render.indices import IndexPages
from pdz.render.sourcetext import SourceTextPages

__all__ = ["Page", "build_pages", "build_print_documents", "build_embed_documents", "print_paths", "navigation",
           "text_renderer", "IndexPages"]


def build_pages(catalog: Catalog, updated: dict | None = None, text: TextRenderer | None = None,
                preview: str | None = None, site_url: str = "") -> list[Page]:
    """Every generated page of the site, each built once from the already-loaded catalog.
    ``updated`` maps content paths to the date of their last change (shown on record pages).
    ``preview`` (an Ambito id) limits shared pages to what that Ambito's pages link to.
    ``site_url`` (the public address) adds "Cita o incorpora" to objective pages."""
    renderer = HomeBlocks(catalog, updated, preview=preview, text=text)
    renderer.site_url = site_url
    pages: list[Page] = []
    for ambito in catalog.all("ambito"):
        pages += renderer.ambito_page(ambito)
    for plan in catalog.all("piano"):
        pages += renderer.plan_pages(plan)
    for kind in ("obiettivo", "valutazione", "progetto", "organo", "tabella", "monitoraggio", "sezione"):
        pages += [renderer.page(record) for record in catalog.all(kind)]
    pages += renderer.area_pages()
    pages += renderer.partner_pages()
    pages.append(renderer.glossary_page())
    pages += renderer.source_pages()
    pages += SourceTextPages(catalog, updated, preview=preview, text=renderer.text).pages()
    pages += renderer.target_pages()
    pages += renderer.ambiti_index()
    pages.append(renderer.comuni_page())
    pages.append(renderer.review_page())
    return pages


def build_print_documents(catalog: Catalog, updated: dict | None = None,
                          text: TextRenderer | None = None) -> dict[str, bytes]:
    """The printable document of every plan: site path -> HTML bytes. Passing the TextRenderer
    used for the pages reuses the fields it has already converted."""
    from pdz.render.printable import PrintablePlan
    renderer = PrintablePlan(catalog, updated, text=text)
    return {path: renderer.document(plan).encode("utf-8") for path, plan in print_paths(catalog).items()}


def print_paths(catalog: Catalog) -> dict:
    """Where the printable document of each plan is published: site path -> the plan's record."""
    from pdz.render.printable import print_url
    return {print_url(plan.id) + "index.html": plan for plan in catalog.all("piano")}


def build_embed_documents(catalog: Catalog, site_url: str, updated: dict | None = None,
                          text: TextRenderer | None = None) -> dict[str, bytes]:
    """The card of every objective for other sites' <iframe>: site path -> HTML bytes."""
    from pdz.render.embed import embed_documents
    return embed_documents(HomeBlocks(catalog, updated, text=text), site_url)


def navigation(catalog: Catalog, static: list) -> list:
    """The site navigation: small on purpose (record pages are reached through the indices).
    The theme prints navigation titles unescaped (sidebar, previous/next footer), so contributor
    names are made inert like page titles."""
    areas = [{"Tutte le aree": "aree/index.md"}] + \
        [{meta_title(f"{x.data['lettera']}. {x.title}"): f"aree/{x.id.lower()}/index.md"} for x in catalog.all("area")]
    nav = [{"Home": "index.md"}, {"Ambiti territoriali": "ambiti/index.md"}, {"Aree di policy": areas},
           {"Attori della rete": "partner/index.md"}, {"Glossario": "glossario/index.md"}]
    editors = [{"Guida per chi redige": "guida.md"}, {"Revisioni dei contenuti": "redazione/revisioni/index.md"}]
    return nav + static + [{"Documenti di origine": "fonti/index.md"}, {"Per chi redige": editors}]
