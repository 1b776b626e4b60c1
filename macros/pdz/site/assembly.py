"""The one assembly of the site: everything it publishes besides the generator's own files,
and every site-wide problem that stops it.

``assemble`` is called by the build (the MkDocs plugin, ``pdz.plugin``) and by ``make check``
(which writes nothing), so a check passes exactly when the build accepts the same tree:
content errors, addresses taken twice, ``redirects.yaml`` pointing nowhere, ``docs/`` pages that
run macros without being allowed to, a policy that cannot be applied, and in a build for
publication a placeholder address or a missing owning body (``pdz.site.publication``).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from pdz.content.catalog import Catalog
from pdz.content.docs_pages import docs_files, macro_problems, output_path
from pdz.content.gitdates import last_changes
from pdz.content.loader import load_content
from pdz.content.problems import ERROR, Problem
from pdz.content.redirects import Redirects, load_redirects, redirect_page, redirect_problems
from pdz.content.sourcetext import load_texts
from pdz.editor.admin import admin_files
from pdz.html import csp
from pdz.opendata.publish import open_data_metadata
from pdz.opendata.tables import EXPORT_DIR, export_files
from pdz.domain.changes import read_history
from pdz.render import Build, build_embed_documents, build_pages, build_print_documents, navigation, text_renderer
from pdz.render.changes import departure_pages
from pdz.render.dates import page_dates
from pdz.render.feeds import FEED_NAME, Feeds
from pdz.site.addresses import SITE_FOLDERS, address_problems, site_outputs
from pdz.site.hosting import HEADERS_FILE, headers_file
from pdz.site.publication import publication_problems
from pdz.site.search_index import SCRIPT_SOURCES, vocabulary_file
from pdz.site.settings import Settings


@dataclass
class Site:
    """Everything one build publishes, assembled once and shared by the build's steps."""
    settings: Settings
    catalog: Catalog
    problems: list                                 # content, redirects and site-wide problems
    pages: list = field(default_factory=list)      # generated pages (pdz.render.Page)
    exports: dict = field(default_factory=dict)    # other generated files: site path -> bytes
    copies: dict = field(default_factory=dict)     # files copied as they are (web editor): site path -> Path
    updated: dict = field(default_factory=dict)    # content path -> date of the last commit
    dates: dict = field(default_factory=dict)      # generated page URL -> date of last update
    docs_dates: dict = field(default_factory=dict)  # docs/ path -> date of the last commit
    policy: csp.Policy | None = None                # Content-Security-Policy of every page
    theme_scripts: list = field(default_factory=list)   # patterns of the theme's inline scripts
    nav: list = field(default_factory=list)
    build: Build | None = None                      # what the pages were written with (docs/ macros reuse it)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


def assemble(settings: Settings) -> Site:
    """Load and validate the content once, then build every generated page and file and check
    the whole site. A site with ``errors`` must not be published; when the content itself has
    errors, nothing else is built (the site-wide checks need valid records)."""
    root, preview = settings.root, settings.preview
    catalog, problems = load_content(root, ambito_filter=preview)
    redirects, redirect_issues = load_redirects(root)
    site = Site(settings, catalog, publication_problems(settings) + problems + redirect_issues,
                updated=last_changes(root))
    if site.errors:
        return site
    catalog.texts = load_texts(root, catalog)
    history = read_history(root, preview).attach(catalog)
    site.build = Build(catalog, site.updated, text_renderer(catalog), preview, settings.site_url, history)
    site.pages, site.exports = generate(site.build, settings.site_url or "/")
    departed = departure_pages(site.build.page(""), _taken(root, site.pages, redirects, catalog, preview))
    site.pages += departed
    site.dates = page_dates(site.pages, site.updated)
    site.dates.update(_departure_dates(departed, history))
    site.docs_dates = last_changes(root, "docs")
    site.exports.update(open_data_metadata(catalog, site.exports, settings.site_url or "/", asdict(settings.owner),
                                           site.updated, settings.contact_email, _newest_changes(history)))
    cards = build_embed_documents(site.build) if settings.site_url else {}
    site.exports.update(cards)
    if settings.site_url:
        owner = settings.owner.nome or settings.site_name
        site.exports.update(Feeds(site.build, owner).all())
    editor = settings.editor
    auth = {k: v for k, v in (("base_url", editor.base_url), ("auth_endpoint", editor.auth_endpoint),
                              ("api_root", editor.api_root)) if v}
    for path, data in admin_files(root, catalog, repo=editor.repo, site_name=settings.site_name,
                                  styles=list(settings.admin_styles), proxy=editor.proxy or None, auth=auth,
                                  site_url=settings.site_url or "/").items():
        (site.copies if isinstance(data, Path) else site.exports)[path] = data
    site.problems += site_problems(root, catalog, site.pages, site.exports, redirects, preview)
    site.exports.update(redirect_files(redirects, catalog, preview))
    # the hosting's headers (Netlify, Cloudflare Pages): every HTML file is a card or a page
    html = [o.path for o in site_outputs(root, site.pages, site.exports, catalog) if o.path.endswith(".html")]
    site.exports[HEADERS_FILE], header_problems = headers_file(html, set(cards))
    site.problems += header_problems
    site.policy, policy_problem = _policy(settings)
    if policy_problem:
        site.problems.append(policy_problem)
    site.theme_scripts = csp.template_scripts(settings.template_dirs)
    site.nav = navigation(catalog, settings.static_nav)
    return site


def _policy(settings: Settings) -> tuple[csp.Policy | None, Problem | None]:
    """The page policy: the configured sources, the statistics host when statistics are on, and
    what the search engine needs when the search is on."""
    try:
        policy = csp.Policy(settings.csp_sources)
        if settings.statistics.on:
            for directive in ("script-src", "connect-src", "img-src"):
                policy.allow(directive, settings.statistics.host)
        if settings.search:   # Pagefind compiles its WebAssembly engine
            for source in SCRIPT_SOURCES:
                policy.allow("script-src", source)
    except csp.PolicyError as exc:
        return None, Problem("mkdocs.yml", 0, "csp", str(exc), "correggi le sorgenti aggiuntive del plugin pdz (csp)")
    return policy, None


def generate(build: Build, site_url: str):
    """(pages, exports): the generated pages, and the other files (open data, printable plans)
    by site path; ``site_url``: the address open data name ("/" when none is set)."""
    pages = build_pages(build)
    exports = export_files(build.catalog, site_url, build.history)
    exports.update(build_print_documents(build))
    exports.update(vocabulary_file(build.catalog))
    return pages, exports


def site_problems(root: Path, catalog: Catalog, pages, exports: dict, redirects: Redirects,
                  preview: str | None = None) -> list:
    outputs = site_outputs(root, pages, exports, catalog)
    suffix = "index.html"
    page_addresses = {o.path[:-len(suffix)] for o in outputs if o.path == suffix or o.path.endswith("/" + suffix)}
    reserved: dict[str, str] = {}
    for output in outputs:
        if output.path == suffix or output.path.endswith("/" + suffix):
            continue
        top, slash, _ = output.path.partition("/")
        # a folder of files (assets/, dati/, pagefind/) is reserved whole; inside an Ambito's
        # folder, and a feed beside the page it belongs to (novita.xml), only the file itself
        alone = slash and (catalog.exists("ambito", top) or output.path.endswith("/" + FEED_NAME))
        reserved.setdefault(output.path if alone else top + slash, output.owner)

    return sorted(set(address_problems(outputs, catalog)
                      + redirect_problems(redirects, page_addresses, reserved,
                                          lambda address: _elsewhere(address, catalog, preview))
                      + macro_problems(root)))


def _taken(root: Path, pages: list, redirects: Redirects, catalog: Catalog, preview: str | None):
    """Whether an address a record left is used by something else, so that no page is left there:
    a page of the site, a hand-written redirect, a file or folder the site or its tools write, or
    (in a single-Ambito preview) an address of an Ambito it does not load."""
    addresses = {p.url for p in pages} | set(redirects)
    folders = [path for path in SITE_FOLDERS if path.endswith("/")] + [EXPORT_DIR + "/"]
    docs = {output_path(src).removesuffix("index.html") for src in docs_files(root)}

    def taken(address: str) -> bool:
        return address in addresses or address in docs or any(address.startswith(f) for f in folders) \
            or _elsewhere(address, catalog, preview)
    return taken


def _departure_dates(pages: list, history) -> dict[str, str]:
    """A page left at an old address is dated by the record's last event (its removal or move)."""
    by_path = {lineage.path: lineage for lineage in history.lineages}
    out = {}
    for page in pages:
        lineage = by_path.get(page.sources[0]) if page.sources else None
        if lineage and lineage.events:
            out[page.url] = max(e.day for e in lineage.events)
    return out


def _newest_changes(history) -> dict:
    """The day of the newest change of each Ambito's records (None: of all records)."""
    newest: dict = {}
    for event in history.events:   # newest first
        newest.setdefault(None, event.day)
        if event.ambito:
            newest.setdefault(event.ambito, event.day)
    return newest


def _elsewhere(address: str, catalog: Catalog, preview: str | None) -> bool:
    """True for an address inside an Ambito that a single-Ambito preview does not load."""
    ambito = address.split("/")[0]
    return bool(preview) and ambito != preview and catalog.exists("ambito", ambito) \
        and catalog.get("ambito", ambito) is None


def redirect_files(redirects: Redirects, catalog: Catalog, preview: str | None = None) -> dict[str, bytes]:
    """The redirect pages; a preview leaves out those of the Ambiti it does not load."""
    return {old + "index.html": redirect_page(old, new) for old, new in redirects.items()
            if not (_elsewhere(old, catalog, preview) or _elsewhere(new, catalog, preview))}
