"""Macros for the hand-written pages in docs/ (mkdocs-macros, opt-in per page).

Only pages that declare ``render_macros: true`` are templates, and those are written by the
developers. Each macro returns HTML built from the loaded content by ``pdz.render``; the
returned text is inserted as-is and never evaluated again as a template.
"""
from __future__ import annotations

import sys
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from pdz import site_state  # noqa: E402
from pdz.render.home import HomeBlocks  # noqa: E402
from pdz.text import escape  # noqa: E402


def define_env(env):
    def blocks(page_url: str) -> HomeBlocks:
        renderer = HomeBlocks(site_state.current().catalog)
        renderer.here = page_url
        return renderer

    def current_url() -> str:
        page = env.variables.get("page")
        return getattr(page, "url", "") or ""

    @env.macro
    def ambiti_overview() -> str:
        """Cards of the Ambiti with key figures (home page)."""
        return blocks(current_url()).ambiti_overview()

    @env.macro
    def entry_points() -> str:
        """Entry points by policy area, Ambito, target group and partner (home page)."""
        return blocks(current_url()).entry_points()

    @env.macro
    def comuni_finder() -> str:
        """"Trova il tuo Comune": every Comune named in the plans, with a filter (home page)."""
        return blocks(current_url()).comuni_finder()

    @env.macro
    def ambito_plan(ambito_id: str) -> str:
        """The plan page of one Ambito."""
        return blocks(current_url()).ambito_fragment(ambito_id)

    @env.macro
    def objectives_of(ambito_id: str) -> str:
        return blocks(current_url()).objectives_fragment(ambito_id)

    @env.macro
    def evaluations_of(ambito_id: str) -> str:
        return blocks(current_url()).evaluations_fragment(ambito_id)

    @env.macro
    def area_objectives(letter: str) -> str:
        return blocks(current_url()).area_fragment(letter)

    @env.macro
    def open_data_files() -> str:
        """The table of downloadable open-data files (Dati aperti page)."""
        return blocks(current_url()).open_data_table(site_state.current().exports)

    @env.macro
    def owning_body() -> str:
        """The body that owns the site (extra.pdz_ente in mkdocs.yml), for the legal pages."""
        body = env.conf.extra.get("pdz_ente") or {}
        if not body.get("nome"):
            return ('<span class="pdz-missing">ente titolare del sito da configurare '
                    '(<code>extra.pdz_ente</code> in <code>mkdocs.yml</code>)</span>')
        name = f"<strong>{escape(body['nome'])}</strong>"
        if body.get("sito"):
            name = f'<a href="{escape(body["sito"])}">{name}</a>'
        code = f" (codice IPA <code>{escape(body['codice_ipa'])}</code>)" if body.get("codice_ipa") else ""
        return name + code
