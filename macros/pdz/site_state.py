"""The content of the current build, loaded once and shared by the hooks and the macros."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog
from .gitdates import last_changes
from .loader import load_content
from .problems import ERROR
from .sourcetext import load_texts


@dataclass
class SiteState:
    root: Path
    catalog: Catalog
    problems: list
    pages: list = field(default_factory=list)
    exports: dict = field(default_factory=dict)   # open data and printable plans: site path -> bytes
    copies: dict = field(default_factory=dict)    # files copied as they are (web editor): site path -> Path
    updated: dict = field(default_factory=dict)   # content path -> date of the last commit
    dates: dict = field(default_factory=dict)     # generated page URL -> date of last update
    docs_dates: dict = field(default_factory=dict)   # docs/ path -> date of the last commit
    csp: object = None                            # pdz.csp.Policy of the build
    theme_scripts: list = field(default_factory=list)   # patterns of the theme's inline scripts

    @property
    def errors(self):
        return [p for p in self.problems if p.severity == ERROR]


_current: SiteState | None = None


def load(root: Path, ambito_filter: str | None = None) -> SiteState:
    global _current
    catalog, problems = load_content(root, ambito_filter=ambito_filter)
    catalog.texts = load_texts(Path(root), catalog)
    _current = SiteState(Path(root), catalog, problems, updated=last_changes(Path(root)))
    return _current


def current() -> SiteState:
    if _current is None:
        raise RuntimeError("content not loaded: on_config has not run")
    return _current
