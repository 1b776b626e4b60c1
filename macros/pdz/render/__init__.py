"""Rendering: turns the loaded catalog into pages (Markdown with safe HTML blocks) and files.

Composition, not inheritance: a ``Build`` (catalog, dates, the text converter, preview, site
address) is shared by every page; each page is written by one function of its family, given a
``PageContext`` (the page's address: links are relative to it):

    blocks      headings, facts, tables, answers, sources and notes, backlinks (every family)
    listings    objective and evaluation tables, lists split over pages
    history     an objective over time: state, roll-up, measurements, story across plans
    records     the page of each record (evaluations.py: an evaluation's body)
    plans       an Ambito (territory) and its plans, with their lists
    indices     policy areas, partners, glossary, the citizen vocabulary, source documents
    comuni      the Comune finder;  home: blocks of the hand-written pages, targets, reviews
    sourcetext  source documents line by line;  printable: one document per plan
    changes     each record's history of changes, a plan's last changes, novita/, pages of addresses left
    embed       partners' cards and citations;  feeds: Atom;  charts: SVG;  facets: search filters

Generator-neutral: the site generator only receives the finished page texts (pdz.plugin).
"""
from __future__ import annotations

import dataclasses

from pdz.content.catalog import Catalog
from pdz.render.base import Page, meta_title
from pdz.render.context import Build, PageContext, text_renderer

__all__ = ["Build", "Page", "PageContext", "build_pages", "build_print_documents", "iter_print_documents",
           "build_embed_documents", "embed_paths", "page_units", "print_folders", "print_paths", "navigation", "text_renderer", "EDITORS_PAGES", "is_editors_page"]


def build_pages(build: Build, reuse=None) -> list[Page]:
    """Every generated page of the site, each built once from the already-loaded catalog.
    ``build.preview`` (an Ambito id) limits shared pages to what that Ambito's pages link to;
    ``build.site_url`` (the public address) adds "Cita o incorpora" to objective pages.
    ``reuse`` (``pdz.render.reuse.Reuse``, kept by ``mkdocs serve``): the units whose inputs did
    not change since the last build are not rendered again."""
    units = page_units(build.catalog)
    if reuse is not None:
        return reuse.pages(build, units)
    ctx = build.page("")
    pages: list[Page] = []
    for fn, *args in units:
        made = fn(ctx, *args)
        pages += made if isinstance(made, list) else [made]
    return pages


def page_units(catalog: Catalog) -> list[tuple]:
    """The site's pages as units of rendering, in the site's order: (function, *records), each
    called with the build's page context and giving a page or a list of pages."""
    from pdz.render import changes, comuni, home, indices, plans, records, sourcetext
    units: list[tuple] = [(plans.ambito_page, ambito) for ambito in catalog.all("ambito")]
    units += [(plans.plan_pages, plan) for plan in catalog.all("piano")]
    for kind in ("obiettivo", "valutazione", "progetto", "organo", "tabella", "monitoraggio", "sezione"):
        units += [(records.record_page, record) for record in catalog.all(kind)]
    units.append((indices.area_index,))
    units += [(indices.area_and_history, area) for area in indices.topics(catalog)]
    units += [(indices.partner_pages,), (indices.glossary_page,), (indices.vocabulary_page,), (indices.sources_index,)]
    units += [(indices.document_pages, doc) for doc in catalog.all("documento")]
    units += [(sourcetext.source_text_pages,), (home.target_pages,), (home.ambiti_index,),
              (comuni.comuni_pages,), (home.review_page,),
              (changes.news_pages,)]   # in a preview, the changes of its Ambito and the shared records
    return units


def build_print_documents(build: Build) -> dict[str, bytes]:
    """The printable document of every plan: site path -> HTML bytes (the build's text converter
    is reused, so fields already converted for the pages are not converted again)."""
    return dict(iter_print_documents(build))


def iter_print_documents(build: Build):
    """(site path, HTML bytes) of every plan's printable version (a contents page and its parts),
    one at a time (a regional site has two hundred plans: the build keeps each file on disk as
    soon as it is written)."""
    from pdz.render.printable import printable_documents
    ctx = dataclasses.replace(build, site_url="").page("")   # a document carries no citation box
    for plan in print_folders(build.catalog).values():
        for path, html in printable_documents(ctx, plan):
            yield path, html.encode("utf-8")


def print_paths(catalog: Catalog) -> dict:
    """The contents page of each plan's printable version: site path -> the plan's record (its
    parts, below it, are known once it is made)."""
    return {folder + "index.html": plan for folder, plan in print_folders(catalog).items()}


def print_folders(catalog: Catalog) -> dict:
    """Where the printable version of each plan is published: site folder -> the plan's record."""
    from pdz.render.plans import print_url
    return {print_url(plan.id): plan for plan in catalog.all("piano")}


def build_embed_documents(build: Build) -> dict[str, bytes]:
    """The card of every objective for other sites' <iframe>: site path -> HTML bytes."""
    from pdz.render.embed import embed_documents
    return embed_documents(dataclasses.replace(build, preview=None, site_url="").page(""), build.site_url)


def embed_paths(catalog: Catalog) -> list[str]:
    """The site path of every objective's card (``build_embed_documents``), in the same order."""
    from pdz.render.embed import embed_paths as paths
    return paths(catalog)


def navigation(catalog: Catalog, static: list) -> list:
    """The site navigation: small on purpose (record pages are reached through the indices).
    The theme prints navigation titles unescaped (sidebar, previous/next footer), so contributor
    names are made inert like page titles."""
    from pdz.render.indices import topic_name, topics
    areas = [{"Tutti gli argomenti": "aree/index.md"}] + \
        [{meta_title(topic_name(x)): f"aree/{x.id.lower()}/index.md"} for x in topics(catalog)]
    nav = [{"Home": "index.md"}, {"Ambiti territoriali": "ambiti/index.md"}, {"Argomenti": areas},
           {"Attori della rete": "partner/index.md"}, {"Glossario": "glossario/index.md"}]
    editors = [{title: src} for title, src in EDITORS_PAGES]
    return nav + static + [{"Documenti di origine": "fonti/index.md"}, {"Per chi redige": editors}]


# The pages of "Per chi redige": the only ones with the link to the repository and the edit button
# (the pdz plugin marks them; overrides/partials/header.html and nav.html read the mark).
EDITORS_PAGES = [("Guida per chi redige", "guida.md"), ("Guida per chi gestisce il sito", "gestione.md"), ("Revisioni dei contenuti", "redazione/revisioni/index.md")]


def is_editors_page(src_uri: str) -> bool:
    """A page for the editors: "Per chi redige" and everything under redazione/."""
    return src_uri in {src for _, src in EDITORS_PAGES} or src_uri.startswith("redazione/")
