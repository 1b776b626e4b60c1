"""The one assembly of the site: everything it publishes besides the generator's own files,
and every site-wide problem that stops it.

``assemble`` is called by the build (the MkDocs plugin, ``pdz.plugin``) and by ``make check``
(which writes nothing), so a check passes exactly when the build accepts the same tree:
content errors, addresses taken twice, ``redirects.yaml`` pointing nowhere, ``docs/`` pages that
run macros without being allowed to, a policy that cannot be applied, and in a build for
publication a placeholder address or a missing owning body (``pdz.site.publication``).

A build passes a ``BuildCache`` (``pdz.site.cache``): the generated files other than pages are
then written to it as they are made (a printable plan is 0.8 MB: a regional site does not keep
two hundred of them in memory) and the site holds only their place. ``assembly_key`` is the
digest of everything an assembly reads; the plugin reuses the previous build's pages when it
has not changed (``Site.manifest`` / ``restore``).

``mkdocs serve`` assembles with ``later``: the printable plans, the Atom feeds, the objectives'
embeddable cards and the web editor's files made from the records (files that no page reads)
are left as ``LATER`` places and written by ``write_later`` after the pages are shown, so that
an edit shows on its page without waiting for them. So is the open data once a build has made it (``Memo``): the one
page that reads it, "Dati aperti" (``open_data_table``: the sizes of the zip and catalogue), is
given the sizes the last files had, and ``write_later`` says when what it shows changed (the
page must then be built again: ``stale``).
"""
from __future__ import annotations

import datetime
import gc
import hashlib
import json
import os
import signal
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pdz.content.catalog import Catalog
from pdz.content.filedigests import FileDigests
from pdz.content.docs_pages import docs_files, macro_problems, output_path
from pdz.content import mainline
from pdz.content.gitdates import last_changes
from pdz.content.loader import load_content
from pdz.content.problems import ERROR, Problem
from pdz.content.redirects import Redirects, load_redirects, redirect_page, redirect_problems
from pdz.content.sourcetext import load_texts
from pdz.editor.admin import DECAP_DIST, RECORD_FILES, YAML_DIST, admin_files, record_files
from pdz.html import csp
from pdz.opendata.publish import METADATA_PATHS, open_data_metadata
from pdz.opendata.tables import EXPORT_DIR, export_files, export_paths
from pdz.domain.changes import read_history
from pdz.render import Build, build_embed_documents, build_pages, embed_paths, iter_print_documents, navigation, print_paths, \
    text_renderer
from pdz.render.changes import NEWS_URL, departure_pages
from pdz.render.comuni import comuni_data
from pdz.render.context import feed_url
from pdz.render.dates import page_dates
from pdz.render.home import open_data_table
from pdz.render.feeds import FEED_NAME, Feeds, feed_paths
from pdz.render.reuse import Reuse
from pdz.site.addresses import SITE_FOLDERS, address_problems, site_outputs
from pdz.site.cache import Blob, BuildCache, Hasher, IndexKeys, add_tree
from pdz.site.hosting import HEADERS_FILE, headers_file
from pdz.site.publication import publication_problems
from pdz.site.search_index import SCRIPT_SOURCES, vocabulary_file
from pdz.site.settings import Settings

# Files and folders of the project that an assembly reads (besides the installed code).
INPUT_PATHS = ("content", "fonti", "redirects.yaml", "docs")


@dataclass
class Inputs:
    """What an assembly reads from git: the date of the last change of every content and docs/
    file, and the main line the records' history is read from (``main_line``: the checked-out
    commit and the dated main-line commits of content and docs/, which decide that history)."""
    updated: dict
    docs_updated: dict
    main_line: tuple


def read_inputs(settings: Settings) -> Inputs:
    root = settings.root
    line = tuple((c.sha, c.when) for c in mainline.commits(root))
    return Inputs(last_changes(root), last_changes(root, "docs"), (mainline.head(root), line))


def assembly_key(settings: Settings, inputs: Inputs, code: str, digests: FileDigests | None = None) -> str:
    """Digest of everything ``assemble`` reads: the code, the settings, the files of the
    project it reads, their git dates and main line, which web-editor files are installed, and
    the day (the review dates of the records are checked against it). ``digests``: the files'
    digests kept by ``mkdocs serve`` (``Memo.files``)."""
    root = settings.root
    hasher = Hasher("assembly", code, repr(settings), datetime.date.today().isoformat(), repr(sorted(inputs.updated.items())),
                    repr(sorted(inputs.docs_updated.items())), repr(inputs.main_line))
    for name in INPUT_PATHS:
        add_tree(hasher, root / name, root, digests)
    for folder in (DECAP_DIST, YAML_DIST):   # copied as they are: their names and sizes
        path = root / folder
        listing = sorted((p.relative_to(root).as_posix(), p.stat().st_size) for p in path.rglob("*") if p.is_file()) \
            if path.is_dir() else []
        hasher.add(str(folder), repr(listing))
    return hasher.hex()


class Later:
    """The place of a generated file that is written after the build (``write_later``). An
    open-data file's has the size the last one made had (``size``): what a page is shown of it
    meanwhile (``len()``, truth); a file that no page reads has none."""
    __slots__ = ("size",)

    def __init__(self, size: int | None = None):
        self.size = size

    def __len__(self) -> int:
        if self.size is None:
            raise TypeError("a file written after the build has no size before it")
        return self.size

    def __bool__(self) -> bool:
        return self.size is None or self.size > 0

    def __repr__(self) -> str:
        return "LATER" if self.size is None else f"LATER({self.size})"


LATER = Later()


@dataclass
class Site:
    """Everything one build publishes, assembled once and shared by the build's steps."""
    settings: Settings
    catalog: Catalog | None                        # None in a site restored from the cache
    problems: list                                 # content, redirects and site-wide problems
    pages: list = field(default_factory=list)      # generated pages (pdz.render.Page)
    exports: dict = field(default_factory=dict)    # other generated files: site path -> bytes or cache Blob
    copies: dict = field(default_factory=dict)     # files copied as they are (web editor): site path -> Path
    updated: dict = field(default_factory=dict)    # content path -> date of the last commit
    dates: dict = field(default_factory=dict)      # generated page URL -> date of last update
    docs_dates: dict = field(default_factory=dict)  # docs/ path -> date of the last commit
    policy: csp.Policy | None = None                # Content-Security-Policy of every page
    theme_scripts: list = field(default_factory=list)   # patterns of the theme's inline scripts
    nav: list = field(default_factory=list)
    build: Build | None = None                      # what the pages were written with (docs/ macros reuse it)
    feeds: dict = field(default_factory=dict)      # who announces a feed (pdz.site.pages.feed) -> (feed path, title)
    digests: dict = field(default_factory=dict)    # generated page's src_uri -> SHA-256 of its body
    open_data: Any = None                          # mkdocs serve: what makes the open data placed LATER (_OpenData)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    def with_policy(self, html: str) -> str:
        """The page with the site's Content-Security-Policy, hashing the theme's own inline scripts."""
        return self.policy.apply(html, csp.theme_script_hashes(html, self.theme_scripts))

    def finished(self, path: str, data: bytes) -> bytes:
        """A generated file as it is published: HTML documents carry the policy too."""
        return self.with_policy(data.decode("utf-8")).encode("utf-8") if path.endswith(".html") else data

    # --- the cache ----------------------------------------------------------------------------
    def manifest(self) -> dict:
        """What a build needs of this site to write it again without assembling it: plain data
        (the pages without their bodies, the exports as blobs of the cache)."""
        assert all(isinstance(v, Blob) for v in self.exports.values()), "exports not in the cache"
        return {"pages": [{"url": p.url, "title": p.title, "source": p.source, "sources": p.sources,
                           "is_record": p.is_record, "search_exclude": p.search_exclude} for p in self.pages],
                "exports": {k: [v.path.name, v.size] for k, v in self.exports.items()},
                "copies": {k: str(v) for k, v in self.copies.items()},
                "updated": self.updated, "dates": self.dates, "docs_dates": self.docs_dates,
                "nav": self.nav, "feeds": self.feeds, "digests": self.digests,
                "problems": [asdict(p) for p in self.problems]}


def restore(settings: Settings, manifest: dict, cache: BuildCache) -> Site | None:
    """The site of ``manifest`` (``Site.manifest``), or None when a blob it names is missing or
    damaged (an export is copied as it is: its bytes are checked against their SHA-256 here).
    It has no catalog and its pages no body: every page must come from the cache."""
    from pdz.render import Page
    exports = {}
    for path, (sha, size) in manifest["exports"].items():
        if not cache.intact(sha):
            return None
        exports[path] = Blob(cache.blob_path(sha), size)
        cache.used.add(sha)
    site = Site(settings, None, [Problem(**p) for p in manifest["problems"]],
                pages=[Page(p["url"], p["title"], None, p["source"], p["sources"], p["is_record"], p["search_exclude"])
                       for p in manifest["pages"]],
                exports=exports, copies={k: Path(v) for k, v in manifest["copies"].items()},
                updated=manifest["updated"], dates=manifest["dates"], docs_dates=manifest["docs_dates"],
                nav=manifest["nav"], feeds={k: tuple(v) for k, v in manifest["feeds"].items()},
                digests=manifest["digests"])
    site.policy, _ = _policy(settings)
    site.theme_scripts = csp.template_scripts(settings.template_dirs)
    return site


class _Generations(dict):
    """A memo of the files of this build that also finds those of the last build (and takes
    them over when asked): what a build no longer reads is forgotten by the next."""

    def __init__(self, last: dict):
        super().__init__()
        self.last = last

    def __contains__(self, key) -> bool:
        return dict.__contains__(self, key) or key in self.last

    def __getitem__(self, key):
        if not dict.__contains__(self, key):
            self[key] = self.last[key]
        return dict.__getitem__(self, key)


class Memo:
    """What ``mkdocs serve`` keeps from one build to the next, in memory: the digest of every file
    an assembly reads (``FileDigests``: by its status), every content file read (by its place
    and digest), the converter of contributor text (by the glossary it knows),
    the generated pages (by what each unit of them read: ``pdz.render.reuse``), the digest of
    each page's body and the addresses it links to (by the body itself: the same string when
    the page was given again) and the open-data catalogue's serialisation (by its statements).
    Each entry is keyed by all it depends on, so a build that uses it assembles the same site.
    Also the size of each open-data file last made (``sizes``): not a key, a guess, which
    ``write_later`` checks."""

    def __init__(self):
        self.records: dict = {}
        self.files = FileDigests()   # the digest of every file an assembly reads, by its status
        self.text = None   # (glossary, TextRenderer)
        self.catalogue: dict = {}   # the open-data catalogue's last serialisation (opendata.dcat)
        self.pages = Reuse()
        self.bodies: dict = {}   # page src_uri -> (its body, the body's SHA-256), of the last build
        self.links: dict = {}    # page URL -> (its body, the addresses it links to): page_dates
        self.sizes: dict = {}   # open-data site path -> size of the last file made there
        self.index_keys = IndexKeys()   # the sites the cache's assembly index holds (not read again for a key it has not)

    def keep_sizes(self, exports: dict) -> None:
        """The sizes of the open-data files of ``exports`` that are made (not ``LATER``)."""
        self.sizes.update({path: len(data) for path, data in exports.items()
                           if path.startswith(EXPORT_DIR + "/") and not isinstance(data, Later)})

    def text_renderer(self, catalog: Catalog):
        fresh = text_renderer(catalog)
        if self.text is not None and self.text[0] == fresh.glossary:
            return self.text[1]
        self.text = (fresh.glossary, fresh)
        return fresh


def assemble(settings: Settings, inputs: Inputs | None = None, cache: BuildCache | None = None,
             memo: Memo | None = None, later: bool = False) -> Site:
    """Load and validate the content once, then build every generated page and file and check
    the whole site. A site with ``errors`` must not be published; when the content itself has
    errors, nothing else is built (the site-wide checks need valid records). With a ``cache``,
    the files other than pages are finished (policy) and kept there instead of in memory.
    ``later``: the printable plans, the feeds, the cards and the editor's record files are only placed
    (``LATER``), for ``write_later``; the open data too when ``memo`` knows the size of each
    of its files."""
    root, preview = settings.root, settings.preview
    inputs = inputs or read_inputs(settings)
    records = _Generations(memo.records) if memo is not None else None
    catalog, problems = load_content(root, ambito_filter=preview, memo=records,
                                     digests=memo.files if memo is not None else None)
    if memo is not None:
        memo.records = dict(records)
    redirects, redirect_issues = load_redirects(root)
    site = Site(settings, catalog, publication_problems(settings) + problems + redirect_issues,
                updated=inputs.updated)
    if site.errors:
        return site
    site.policy, policy_problem = _policy(settings)
    site.theme_scripts = csp.template_scripts(settings.template_dirs)
    catalog.texts = load_texts(root, catalog)
    history = read_history(root, preview).attach(catalog)
    text = memo.text_renderer(catalog) if memo is not None else text_renderer(catalog)
    site.build = Build(catalog, site.updated, text, preview, settings.site_url, history)
    open_data = _OpenData(site, history, cache if memo is None and not later else None,   # beside the pages
                          memo.catalogue if memo is not None else None)
    open_data_paths = [*export_paths(catalog), *METADATA_PATHS] if later and memo is not None else []
    if open_data_paths and all(path in memo.sizes for path in open_data_paths):
        site.open_data = open_data
    try:
        site.pages = build_pages(site.build, memo.pages if memo is not None else None)
        departed = departure_pages(site.build.page(""), _taken(root, site.pages, redirects, catalog, preview))
        site.pages += departed
        site.digests = _digests(site.pages, memo)
        site.exports = {}
        site.exports.update(comuni_data(catalog.all("ambito")))
        site.exports.update(vocabulary_file(catalog))
        if later:
            site.exports.update(dict.fromkeys(print_paths(catalog), LATER))
        else:
            for path, document in iter_print_documents(site.build):   # each kept (in the cache) as soon as written
                site.exports[path] = _keep(site, cache, path, document)
        site.dates = page_dates(site.pages, site.updated, memo.links if memo is not None else None)
        site.dates.update(_departure_dates(departed, history))
        site.docs_dates = inputs.docs_updated
        if site.open_data is not None:   # made by write_later
            places = {path: Later(memo.sizes[path]) for path in open_data_paths}
            tables = {path: places[path] for path in open_data_paths if path not in METADATA_PATHS}
            metadata = {path: places[path] for path in METADATA_PATHS}
        else:
            tables, metadata = open_data.result()
    finally:
        open_data.abandon()   # an error above: the copy is not left behind
    site.exports = {**tables, **site.exports, **metadata}   # in the order of the site's files as before
    cards: dict = {} if not settings.site_url else dict.fromkeys(embed_paths(catalog), LATER) if later \
        else build_embed_documents(site.build)
    site.exports.update(cards)
    if settings.site_url:
        feeds: dict = dict.fromkeys(feed_paths(catalog), LATER) if later else _feeds_of(site).all()
        site.exports.update(feeds)
    for path, data in admin_files(root, catalog, site_name=settings.site_name, styles=list(settings.admin_styles),
                                  later=LATER if later else None, **_editor_options(settings)).items():
        (site.copies if isinstance(data, Path) else site.exports)[path] = data
    outputs = site_outputs(root, site.pages, site.exports, catalog)
    site.problems += site_problems(root, catalog, site.pages, site.exports, redirects, preview, outputs)
    redirecting = redirect_files(redirects, catalog, preview)
    added = [path for path in redirecting if path not in site.exports]   # one there already keeps its place
    site.exports.update(redirecting)
    # the hosting's headers (Netlify, Cloudflare Pages): every HTML file is a card or a page,
    # in the order of the site's outputs (those of the checks, then the redirect pages added)
    html = [path for path in [*(o.path for o in outputs), *added] if path.endswith(".html")]
    site.exports[HEADERS_FILE], header_problems = headers_file(html, set(cards))
    site.problems += header_problems
    if policy_problem:
        site.problems.append(policy_problem)
    site.nav = navigation(catalog, settings.static_nav)
    site.feeds = _feeds(catalog, site.exports)
    if cache is not None and not site.errors:
        site.exports = {path: _keep(site, cache, path, data) for path, data in site.exports.items()}
    return site


class _OpenData:
    """The open data (every table, the catalogue, the zip: about a tenth of a build at N=100)
    made by a forked copy of this process while this one renders the pages, on the machine's
    other core; each file kept in the ``cache`` as soon as it is made, and only its place
    (``Blob``) sent back. Made here instead without a cache, in ``mkdocs serve`` (``memo``),
    where the process may hold threads, without ``os.fork``, or when the copy failed (the same
    files then, or the same error)."""

    def __init__(self, site: Site, history, cache: BuildCache | None, catalogue: dict | None = None):
        self.site, self.history, self.cache = site, history, cache
        self.catalogue = catalogue   # mkdocs serve: the catalogue's last serialisation (Memo.catalogue)
        self.child: tuple[int, int] | None = None
        if cache is None or not hasattr(os, "fork") or threading.active_count() > 1:
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:   # the copy: make, keep, say where, and leave without running anything else
            status = 1
            try:
                os.close(read)
                gc.freeze()   # what it inherited is never collected here: not scanned either
                places = [[[path, *self._kept(path, data)] for path, data in group.items()] for group in self.make()]
                with os.fdopen(write, "wb") as out:
                    out.write(json.dumps(places).encode("utf-8"))
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        self.child = (pid, read)

    def make(self) -> tuple[dict, dict]:
        """(the tables' files, the metadata's files): site path -> bytes."""
        site, settings, history = self.site, self.site.settings, self.history
        catalog = site.catalog
        tables = export_files(catalog, settings.site_url or "/", history)
        metadata = open_data_metadata(catalog, tables, settings.site_url or "/", asdict(settings.owner),
                                      site.updated, settings.contact_email, _newest_changes(history), self.catalogue)
        return tables, metadata

    def _kept(self, path: str, data: bytes) -> tuple[str, int]:
        blob = _keep(self.site, self.cache, path, data)
        return blob.path.name, blob.size

    def abandon(self) -> None:
        if self.child is not None:
            pid, read = self.child
            self.child = None
            os.kill(pid, signal.SIGKILL)
            os.close(read)
            os.waitpid(pid, 0)

    def result(self) -> tuple[dict, dict]:
        if self.child is not None:
            pid, read = self.child
            self.child = None
            with os.fdopen(read, "rb") as handle:
                payload = handle.read()
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) == 0:
                groups = json.loads(payload)
                self.cache.used.update(sha for group in groups for _, sha, _ in group)
                tables, metadata = ({path: Blob(self.cache.blob_path(sha), size) for path, sha, size in group}
                                    for group in groups)
                return tables, metadata
        return self.make()


def _editor_options(settings: Settings) -> dict:
    """How the web editor's files are made (``admin_files``, ``record_files``)."""
    editor = settings.editor
    auth = {k: v for k, v in (("base_url", editor.base_url), ("auth_endpoint", editor.auth_endpoint),
                              ("api_root", editor.api_root)) if v}
    return {"repo": editor.repo, "proxy": editor.proxy or None, "auth": auth, "site_url": settings.site_url or "/"}


def _feeds_of(site: Site) -> Feeds:
    settings = site.settings
    return Feeds(site.build, settings.owner.nome or settings.site_name)


def write_later(site: Site, cache: BuildCache | None, stop=lambda: False, stale=lambda: None):
    """Make the files ``assemble(later=True)`` only placed (the open data, the objectives'
    cards, the printable plans one at a time, then the feeds and the editor's record files), each taking its place in
    ``site.exports`` as ``assemble`` would have left it; yield (site path, the bytes as
    published) of each. ``stop()`` true: stop before the next. ``stale()`` is called, once the
    open data is made, when a page shows of it what the build did not know (a size that
    changed: the pages were given the last files' sizes)."""
    placed = {path for path, data in site.exports.items() if isinstance(data, Later)}
    shown = dict(site.exports)

    def made():
        if site.open_data is not None:
            tables, metadata = site.open_data.make()
            yield from tables.items()
            yield from metadata.items()
            site.open_data = None
            if open_data_table(site.build.page(""), shown) != open_data_table(site.build.page(""), site.exports):
                stale()
        if placed.intersection(embed_paths(site.catalog)):
            yield from build_embed_documents(site.build).items()
        yield from iter_print_documents(site.build)
        if placed.intersection(feed_paths(site.catalog)):
            yield from _feeds_of(site).each()
        if placed.intersection(RECORD_FILES):
            yield from record_files(site.catalog, **_editor_options(site.settings)).items()

    parts: dict[str, list] = {}   # the printable parts of each contents page, which only making them tells
    for path, document in made() if placed else ():
        if path not in placed and contents_of(path) not in placed:
            continue
        if stop():
            return
        finished = site.finished(path, document) if site.policy is not None else document
        site.exports[path] = cache.put(finished) if cache is not None else document   # as _keep
        if path not in placed:
            parts.setdefault(contents_of(path), []).append(path)
        yield path, finished
    if parts:   # each part after its contents page, as assemble places them
        below = {p for paths in parts.values() for p in paths}
        order = [p for path in site.exports if path not in below for p in [path, *parts.get(path, [])]]
        site.exports = {path: site.exports[path] for path in order}


def contents_of(path: str) -> str:
    """The contents page of the printable plan a part belongs to ("<plan>/stampa/obiettivi/index.html")."""
    return path.rsplit("/", 2)[0] + "/index.html" if path.count("/") >= 2 else ""


def _keep(site: Site, cache: BuildCache | None, path: str, data):
    """``data`` as published, in the cache when there is one (else as it is)."""
    if cache is None or isinstance(data, (Blob, Later)):
        return data
    return cache.put(site.finished(path, data) if site.policy is not None else data)


def _digests(pages: list, memo: Memo | None) -> dict:
    """The SHA-256 of each page's body; with ``memo`` (mkdocs serve), that of a body given again
    from the last build (the same string: ``pdz.render.reuse``) is not computed again."""
    known = memo.bodies if memo is not None else {}
    kept, out = {}, {}
    for page in pages:
        entry = known.get(page.src_uri)
        if entry is None or entry[0] is not page.body:
            entry = (page.body, hashlib.sha256(page.body.encode("utf-8", "surrogatepass")).hexdigest())
        kept[page.src_uri] = entry
        out[page.src_uri] = entry[1]
    if memo is not None:
        memo.bodies = kept
    return out


def _feeds(catalog: Catalog, exports: dict) -> dict:
    """(feed path, title) of every Atom feed the site publishes, by the pages that announce it
    (``pdz.site.pages.feed``): 'ambito/<id>', 'partner/<id>', 'aree/<id in lower case>' and
    novita/ for the whole site's."""
    out = {}
    for kind, prefix in (("ambito", "ambito/"), ("partner", "partner/"), ("area", "aree/")):
        for record in catalog.all(kind):
            path = feed_url(kind, record.id)
            if path in exports:
                title = f"Area {record.data['lettera']}: {record.title}" if kind == "area" else record.title
                out[prefix + (record.id.lower() if kind == "area" else record.id)] = (path, f"Novità – {title}")
    if feed_url(None) in exports:
        out[NEWS_URL] = (feed_url(None), "Novità – Piani di Zona della Lombardia")
    return out


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


def site_problems(root: Path, catalog: Catalog, pages, exports: dict, redirects: Redirects,
                  preview: str | None = None, outputs: list | None = None) -> list:
    """``outputs``: ``site_outputs`` of the same pages and exports, when already made."""
    outputs = outputs if outputs is not None else site_outputs(root, pages, exports, catalog)
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
