"""Macros for the hand-written pages in docs/ (a mkdocs-macros "pluglet": ``modules:`` in
mkdocs.yml names this installed module, so no file of the working tree is imported).

Only pages that declare ``render_macros: true`` are templates, and only those of
``MACRO_PAGES`` may (pdz.content.docs_pages). Each macro returns HTML built from the assembled
site by ``pdz.render``; the returned text is inserted as-is and never evaluated again as a
template. The pages also read the site's settings as ``pdz`` (the owning body, the contact
e-mail, the statistics), as the theme's templates do.
"""
from __future__ import annotations

import dataclasses

from pdz.html.text import escape
from pdz.plugin.config import template_values
from pdz.render import comuni, home
from pdz.render.context import PageContext


def define_env(env):
    def site():
        return env.conf.plugins["pdz"].site

    env.variables["pdz"] = template_values(site().settings)

    def page() -> PageContext:
        """The hand-written page being rendered (its links are relative to it); the blocks show
        the whole site, whatever the preview, with the build's text converter."""
        url = getattr(env.variables.get("page"), "url", "") or ""
        return dataclasses.replace(site().build, preview=None, site_url="").page(url)

    @env.macro
    def home_search() -> str:
        """The search box of the home page, with examples of what to type."""
        return home.home_search(page())

    @env.macro
    def topics() -> str:
        """The ten policy areas as topics in everyday words (home page)."""
        return home.topic_tiles(page())

    @env.macro
    def ambiti_overview() -> str:
        """Cards of the Ambiti: current plan, period, objectives, budget (home page)."""
        return home.ambiti_overview(page())

    @env.macro
    def whats_new() -> str:
        """The last records changed (home page)."""
        return home.whats_new(page())

    @env.macro
    def entry_points() -> str:
        """Other ways in: by target group, partner and source document (home page)."""
        return home.entry_points(page())

    @env.macro
    def comuni_finder() -> str:
        """"Trova il tuo Comune": every Comune named in the plans, with a filter (home page)."""
        return comuni.comuni_finder(page())

    @env.macro
    def ambito_plan(ambito_id: str) -> str:
        """The plan page of one Ambito."""
        return home.ambito_fragment(page(), ambito_id)

    @env.macro
    def objectives_of(ambito_id: str) -> str:
        return home.objectives_fragment(page(), ambito_id)

    @env.macro
    def evaluations_of(ambito_id: str) -> str:
        return home.evaluations_fragment(page(), ambito_id)

    @env.macro
    def area_objectives(letter: str) -> str:
        return home.area_fragment(page(), letter)

    @env.macro
    def open_data_files() -> str:
        """The table of downloadable open-data files (Dati aperti page)."""
        return home.open_data_table(page(), site().exports)

    @env.macro
    def owning_body() -> str:
        """The body that owns the site (plugin pdz, option ente), for the legal pages."""
        body = site().settings.owner
        if not body.nome:
            return ('<span class="pdz-missing">ente titolare del sito da configurare '
                    '(opzione <code>ente</code> del plugin <code>pdz</code> in <code>mkdocs.yml</code>)</span>')
        name = f"<strong>{escape(body.nome)}</strong>"
        if body.sito:
            name = f'<a href="{escape(body.sito)}">{name}</a>'
        code = f" (codice IPA <code>{escape(body.codice_ipa)}</code>)" if body.codice_ipa else ""
        return name + code
