"""What one build of the site is asked to do: plain values, independent of the site generator.

The MkDocs plugin (``pdz.plugin``) reads and validates them from ``mkdocs.yml``; ``make check``
reads the same file through it, so both assemble the site with the same settings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Body:
    """A public body named by the site: the one that owns it, or its parent body."""
    nome: str = ""
    sito: str = ""
    codice_ipa: str = ""


@dataclass(frozen=True)
class Statistics:
    """Web Analytics Italia (Matomo): off when ``url`` is empty."""
    url: str = ""
    id_sito: str = ""

    @property
    def on(self) -> bool:
        return bool(self.url and self.id_sito)

    @property
    def host(self) -> str:
        return "/".join(self.url.split("/")[:3])


@dataclass(frozen=True)
class EditorBackend:
    """Where the web editor (/admin/) saves: a GitHub repository, and the sign-in service."""
    repo: str = ""
    base_url: str = ""
    auth_endpoint: str = ""
    proxy: str = ""   # `make redazione`: the local decap-server instead of GitHub
    api_root: str = ""   # GitHub's API when not api.github.com (GitHub Enterprise Server, the tests' double)


@dataclass(frozen=True)
class Settings:
    root: Path
    site_name: str = ""
    site_url: str = ""           # the public address; "" in a build without one
    repo_url: str = ""
    edit_path: str = "edit/main/"
    owner: Body = field(default_factory=Body)
    parent_body: Body = field(default_factory=Body)
    contact_email: str = ""
    statistics: Statistics = field(default_factory=Statistics)
    csp_sources: dict = field(default_factory=dict)
    editor: EditorBackend = field(default_factory=EditorBackend)
    static_nav: list = field(default_factory=list)
    footer_links: tuple = ()      # AgID footer links: ({'label', 'url'}, ...)
    preview: str | None = None   # one Ambito only (make serve AMBITO=...)
    search: bool = True
    publication: bool = False    # a build for publication: placeholders are refused (pdz.site.publication)
    # from the theme: the editor's page uses the site's styles; the policy hashes the theme's
    # own inline scripts
    admin_styles: tuple = ()
    template_dirs: tuple = ()
