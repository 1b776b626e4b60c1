"""The MkDocs plugin ``pdz`` (registered in pyproject.toml under ``mkdocs.plugins``).

It adapts MkDocs to the site's one assembly (``pdz.site.assembly.assemble``): on ``on_config`` it
assembles everything once, or stops the build with the Italian list of problems; then it hands
MkDocs the generated pages as virtual files that are never Jinja templates, gives each page its
date, feed and edit link, applies the Content-Security-Policy to every HTML file, and indexes the
built site for the search. All state lives on the plugin instance.

The build cache (``pdz.site.cache``, in ``.cache/pdz/``) makes a second build cheap:

- the assembly is reused when nothing it reads changed (``assembly_key``);
- a generated page whose inputs (its text, its date, feed and edit link, and everything that is
  the same for every page: code, theme, configuration, navigation) are those of a page already
  written is not rendered again (``RenderCache``): the theme's template is not run, the
  finished page comes from the cache. Hand-written pages (``docs/``) are always rendered, so
  that MkDocs checks their links every time;
- the search index is reused when no article changed (``pdz.site.search_index``).
Nothing is kept from a build that logged a warning. The search index of ``mkdocs build`` is
written at ``on_shutdown``, after MkDocs has let go of its pages; ``mkdocs serve`` reloads the
browser first and writes it in the background.

``mkdocs serve`` rebuilds into the same folder, which MkDocs empties first: there the plugin
moves the last build's files aside (``on_pre_build``), puts back each page that comes out the
same (same address, same bytes: ``ServedPages``) instead of reading it from the cache and
writing it again, puts back the search index while Pagefind writes the new one, and after the
browser has reloaded writes the printable plans, the feeds and the objectives' cards (the
last build's answer meanwhile: no page reads them; the plans and feeds were a fifth of an
edit's rebuild on the real site, the cards 0.4 s of one at N=100) and the open data (a fifth of an edit's rebuild at N=100: the "Dati aperti" page is given the
sizes of the last build's files, and when what it shows of them changed, serve builds the site
once more: ``stale``), and saves the cache's indices.
"""
from __future__ import annotations

import ctypes
import gc
import importlib
import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import get_toc

from pdz.content import rootguard
from pdz.plugin.config import PdzConfig, settings, template_values
from pdz.plugin.render_cache import RenderCache, anchor_ids, output_stamp
from pdz.plugin.serving import BackgroundIndex, ServedPages, prompt_watcher, settle_garbage, skip_pages_put_back
from pdz.plugin.theme import (admin_styles, list_theme_files_without_hidden_folders, minify_own_assets,
                              remember_theme_files, trimmed_theme_css)

_PACKAGE = Path(__file__).resolve().parents[1]
_SCHEMAS = _PACKAGE.parents[1] / "schemas"
CACHED_TEMPLATE = "pdz-cached.html"   # the template of a page that comes from the cache: nothing
SITEMAP = "sitemap.xml"
_MKDOCS_SITEMAP = os.path.join(os.path.dirname(importlib.import_module("mkdocs").__file__), "templates", SITEMAP)
log = logging.getLogger("mkdocs.plugins.pdz")


def _code_stamp() -> tuple:
    files = [*_PACKAGE.rglob("*.py"), *_SCHEMAS.glob("*.json")]
    return max((f.stat().st_mtime_ns for f in files), default=0), len(files)


class PdzPlugin(BasePlugin[PdzConfig]):
    def __init__(self):
        self.site = None          # pdz.site.assembly.Site of the current build
        self.command = "build"
        self._stamp = None
        self._started = False     # on_startup was called: on_shutdown will be too
        self.cache = None         # pdz.site.cache.BuildCache of the project, None when unusable
        self._inputs = self._settings = None
        self._assembly_key = None
        self._restored = False    # self.site came from the cache (no catalog, no page bodies)
        self._render = None       # RenderCache of the current build
        self._generated = {}      # src_uri -> generated page (pdz.render.Page)
        self._keys = {}           # src_uri -> render-cache key of a generated page
        self._cached = set()      # src_uri of the pages that come from the render cache
        self._prerendered = set()  # src_uri of the pages rendered without Python-Markdown
        self._from_macros = set()  # src_uri of the docs/ pages whose macro output is from the cache
        self._macro_markdown = {}  # src_uri -> Markdown of a docs/ page after its macros
        self._saved_macros = {}
        self._bodies = {}         # src_uri -> blob of a generated page that Python-Markdown renders
        self._saved_bodies = {}
        self._articles = None     # pdz.site.search_index.Articles of the current build
        self._pending_index = None
        self._indexer = None      # background search index (mkdocs serve)
        self._warnings = None
        self._env = None
        self._context = None
        self._mkdocs_config = None
        self._memo = None         # pdz.site.assembly.Memo of mkdocs serve (files read, text converter)
        self._bytecode = None     # mkdocs serve: the theme's templates compiled once, not at every build
        self._chrome = None       # pdz.site.pages.Chrome of the current build (theme parts rendered once)
        self._served = None       # mkdocs serve: ServedPages, the pages of the last build kept across the next
        self._saving = None       # mkdocs serve: the thread writing the printable plans and feeds, then saving the cache
        self._stop_later = threading.Event()   # mkdocs serve: a new build began, that thread stops writing
        self._superseded = threading.Event()   # mkdocs serve: ... and saves nothing the new build would wait for
        self._render_index: dict | None = None   # mkdocs serve: the render cache's index as the last clean build left it
        self._css: dict | None = None   # mkdocs serve: the trimmed theme stylesheet, by what it is made of
        self._theme_files: dict | None = None   # mkdocs serve: the theme's files as Jinja lists them (remember_theme_files)
        self._render_keys: dict = {}   # mkdocs serve: the render-cache keys of the last build (RenderCache.key)
        self._put_early: dict = {}   # mkdocs serve: src_uri -> generated page put back in on_files (MkDocs skips it)
        self._put_files: dict = {}   # mkdocs serve: src_uri -> MkDocs File of each of those pages
        self._nav_pages: set = set()   # src_uri of the pages of this build's navigation
        self._kept_files: dict = {}   # mkdocs serve: the last build's files of pages it skipped, with their Page (_page_file)
        self._page_stamp = None   # mkdocs serve: what MkDocs made those File and Page objects of (page_stamp)
        self._server = None       # mkdocs serve: its LiveReloadServer (on_serve)
        self.stale = False        # mkdocs serve: a page of the last build showed open-data sizes that changed
        self._sitemap = None      # mkdocs serve: (what the last sitemap was made of: _sitemap_of, its text)
        self._sitemap_made_of = None   # mkdocs serve: what this build's sitemap is made of, between two events
        self._frozen = False      # mkdocs build: the assembly is out of the collector's sight (_freeze)

    def on_startup(self, *, command, dirty):
        """Kept across the rebuilds of one ``mkdocs serve`` (MkDocs calls this once)."""
        self.command = command
        if command == "serve":
            self._css, self._theme_files = {}, {}
            skip_pages_put_back()
        self._started = True

    # --- the code of the site, fresh after an edit during `mkdocs serve` ---------------------
    def _fresh_code(self) -> None:
        """``mkdocs serve`` rebuilds in the same process, where Python keeps modules imported:
        when the package's code or the schemas changed since the last build, drop them (all but
        this plugin), so that this build imports the edited code."""
        stamp = _code_stamp()
        if self._stamp is not None and stamp != self._stamp:
            for name in [n for n in sys.modules if n.startswith("pdz.") and not n.startswith("pdz.plugin")]:
                del sys.modules[name]
            self._memo = self._bytecode = None   # made by the old code
            self._css = {} if self._css is not None else None
        self._stamp = stamp

    @property
    def assembly(self):
        return importlib.import_module("pdz.site.assembly")

    @property
    def pages(self):
        return importlib.import_module("pdz.site.pages")

    @property
    def search(self):
        return importlib.import_module("pdz.site.search_index")

    @property
    def theme_css(self):
        return importlib.import_module("pdz.site.theme_css")

    # --- events -----------------------------------------------------------------------------
    @event_priority(100)   # first: mkdocs-macros, after it, would import a stray main.py
    def on_config(self, config):
        self._wait_saved(superseded=True)   # stops the last build's work after it too
        self._thaw()
        self.stale = False
        self._fresh_code()
        stray = rootguard.message(Path(config.config_file_path).absolute().parent)
        if stray:
            raise Abort("Il sito non può essere costruito:\n" + stray)
        self._reset()
        problems = config_problems(config)
        if problems:
            raise Abort("\n".join(problems))
        # Reproducible builds: MkDocs dates the sitemap from SOURCE_DATE_EPOCH; default it to the
        # last commit, not today.
        root = Path(config.config_file_path).absolute().parent
        if not os.environ.get("SOURCE_DATE_EPOCH"):
            gitdates = importlib.import_module("pdz.content.gitdates")
            epoch = gitdates.last_commit_epoch(root)
            if epoch:
                os.environ["SOURCE_DATE_EPOCH"] = epoch
        self._warnings = _Counter()
        logging.getLogger("mkdocs").addHandler(self._warnings)
        self._mkdocs_config = config
        cache_module = importlib.import_module("pdz.site.cache")
        cache = cache_module.BuildCache(root)
        self.cache = cache if cache.usable() else None
        assembly = self.assembly
        self._settings = settings(config, self.config, admin_styles=admin_styles(config),
                                  template_dirs=config.theme.dirs)
        self._inputs = assembly.read_inputs(self._settings)
        if self.command == "serve" and self._memo is None:
            self._memo = assembly.Memo()
        site = None
        if self.cache is not None:
            self._assembly_key = assembly.assembly_key(self._settings, self._inputs, cache_module.code_digest(),
                                                       self._memo.files if self._memo is not None else None)
            keys = self._memo.index_keys if self._memo is not None else None
            saved: dict = {}
            if keys is None or keys.may_hold(self.cache, "assembly", self._assembly_key):
                status = keys.status(self.cache, "assembly") if keys is not None else None   # before reading it
                saved = self.cache.load("assembly").get("sites") or {}
                if keys is not None:
                    keys.saw("assembly", status, saved if isinstance(saved, dict) else ())
            entry = saved.get(self._assembly_key) if isinstance(saved, dict) else None
            if isinstance(entry, dict) and isinstance(entry.get("site"), dict):
                site = assembly.restore(self._settings, entry["site"], self.cache)
                self._saved_macros = entry.get("macros") or {}
                self._saved_bodies = entry.get("bodies") or {}
        self._restored = site is not None
        # mkdocs serve writes the printable plans and feeds after the build (the pages are shown first)
        self.site = site or self._assemble(later=self.command == "serve")
        if self.site.errors:
            raise Abort(failure_message(self.site))
        if self.command == "serve":   # the sizes of the open data made (the next build's guess)
            if self._memo is None:
                self._memo = self.assembly.Memo()
            self._memo.keep_sizes(self.site.exports)
        config.nav = self.site.nav
        list_theme_files_without_hidden_folders(config.theme)
        if self._theme_files is not None:
            remember_theme_files(config.theme, self._theme_files)
        if self.command == "build":
            self._freeze()
        return config

    def _freeze(self) -> None:
        """``mkdocs build``: what the assembly made lives until the build ends, and the
        collector's full passes while the pages are rendered walked all of it again each time
        (the larger the site, the longer each pass). Frozen, it is left out of them; it is still
        freed by reference counts, and ``_thaw`` gives it back to the collector when the build
        ends. (``mkdocs serve`` does the same after each build: ``settle_garbage``.)"""
        gc.freeze()
        self._frozen = True

    def _thaw(self) -> None:
        if self._frozen:
            gc.unfreeze()
            self._frozen = False

    def _reset(self) -> None:
        if self._warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self._warnings)
        self._warnings = None
        self._render = None
        self._generated, self._macro_markdown, self._saved_macros = {}, {}, {}
        self._bodies, self._saved_bodies = {}, {}
        self._keys, self._cached, self._prerendered, self._from_macros = {}, set(), set(), set()
        self._put_early, self._put_files, self._nav_pages = {}, {}, set()
        self._restored = False
        self._cleanup_articles()

    def _assemble(self, later: bool = False):
        if self.command == "serve" and self._memo is None:
            self._memo = self.assembly.Memo()
        return self.assembly.assemble(self._settings, self._inputs, self.cache, self._memo, later=later)

    def _full_site(self):
        """The site with its catalog and page bodies: assembled now if it came from the cache
        (a page missing from the render cache, a docs/ page whose macros were not kept)."""
        if self._restored:
            self.site = self._assemble()
            self._restored = False
            self._generated = {p.src_uri: p for p in self.site.pages}
        return self.site

    def on_pre_build(self, config):
        """``mkdocs serve``: the last build's files are moved aside before MkDocs empties the
        folder (``ServedPages``), so that what did not change is put back, not written again."""
        if self.command == "serve":
            if self._served is None:
                self._served = ServedPages(Path(config.site_dir), self.search.FOLDER)
            self._served.set_aside(self._indexer)

    def on_env(self, env, config, files):
        """Templates (overrides/) read the site's settings as ``pdz``. A page that comes from
        the cache is given an empty template (its finished text replaces the output)."""
        from jinja2 import ChoiceLoader, DictLoader
        env.globals["pdz"] = template_values(self.site.settings)
        env.globals["pdz_page_scripts"] = self._page_scripts
        env.globals["pdz_memo"] = self._chrome_part
        if not (isinstance(env.loader, ChoiceLoader) and env.loader.loaders
                and isinstance(env.loader.loaders[0], DictLoader) and CACHED_TEMPLATE in env.loader.loaders[0].mapping):
            env.loader = ChoiceLoader([DictLoader({CACHED_TEMPLATE: ""}), env.loader])
        if self.command == "serve":   # Jinja checks each template's source against its bytecode
            if self._bytecode is None:
                from jinja2 import BytecodeCache

                class InMemory(BytecodeCache):
                    def __init__(self):
                        self.store = {}

                    def load_bytecode(self, bucket):
                        if bucket.key in self.store:
                            bucket.bytecode_from_string(self.store[bucket.key])

                    def dump_bytecode(self, bucket):
                        self.store[bucket.key] = bucket.bytecode_to_string()

                self._bytecode = InMemory()
            env.bytecode_cache = self._bytecode
        self._env = env
        return env

    def _page_scripts(self, scripts, content) -> str:
        """For the templates (overrides/main.html): the scripts a page needs (pdz.site.pages.page_scripts)."""
        from markupsafe import Markup
        return Markup(self.pages.page_scripts(str(scripts), content))

    def _chrome_part(self, part: str, page, caller):
        """For the templates: ``{% call pdz_memo(part, page) %}`` renders its body once for all
        the generated pages that share its output (pdz.site.pages.Chrome)."""
        if self._chrome is None or page is None or page.file.src_uri not in self._generated:
            return caller()
        return self._chrome.get(part, page.url, bool(page.meta.get("pdz_redazione")), caller)

    def on_nav(self, nav, config, files):
        self._chrome = self.pages.Chrome(nav)
        self._nav_pages = {page.file.src_uri for page in nav.pages}
        return nav

    def on_files(self, files, config):
        """Add the generated files. The assembly already refuses an address taken twice; this is
        the last guard: MkDocs would silently replace a file with the same source path, and write
        two files with the same destination one over the other."""
        site = self.site
        if not site.settings.statistics.on:   # statistics off: not even the script file
            script = files.get_file_from_path("assets/pdz-matomo.js")
            if script is not None:
                files.remove(script)
        minify_own_assets(files, config)
        self._generated = {page.src_uri: page for page in site.pages}
        if self.cache is not None:
            self._render = RenderCache(self.cache, output_stamp(config, site, self.cache),
                                       self._render_keys if self.command == "serve" else None,
                                       self._render_index if self.command == "serve" else None)
            if self.command == "serve":
                self._render_keys = self._render.keys   # the next build's
        self._render_index = None   # given to this build only (the next one is given this one's, when clean)
        # a page's text is given by on_page_read_source (from memory, or not at all when the
        # finished page is in the cache)
        stamp = page_stamp(config) if self.command == "serve" else None
        early = self._served is not None and self._render is not None   # _put_back_early runs
        kept = self._kept_files if early and stamp is not None and stamp == self._page_stamp else {}
        self._kept_files, self._page_stamp = {}, stamp
        generated = [self._page_file(config, page.src_uri, kept) for page in site.pages]
        later = [path for path, data in site.exports.items() if isinstance(data, self.assembly.Later)]
        exports = [_export_file(config, site, path, data) for path, data in site.exports.items()
                   if not isinstance(data, self.assembly.Later)]
        if self._served is not None:
            for path in later:   # the last build's until this one's is written (_write_later)
                self._served.keep_until_written(path)
            self._served.keep_parts_until_written(set(later), self.assembly.contents_of)
            for file in exports:
                blob = getattr(site.exports[file.src_uri], "path", None)
                if blob is not None:
                    self._served.put_back_copy(file, blob.name)
        generated += exports
        generated.append(File.generated(config, self.theme_css.FILE, content=trimmed_theme_css(config, self._css)))
        present = files.src_uris   # a generated file's src_uri is a POSIX path already
        clashes = [f.src_uri for f in generated if f.src_uri in present]
        generated += [File.generated(config, path, abs_src_path=str(source))   # the web editor's pinned build
                      for path, source in site.copies.items()]
        for file in generated:
            files.append(file)
        seen: dict[str, str] = {}
        for file in files:
            if file.dest_uri in seen:
                clashes.append(f"{file.dest_uri} ({seen[file.dest_uri]}, {file.src_uri})")
            seen.setdefault(file.dest_uri, file.src_uri)
        clashes += [f"{path} ({seen[path]}, {path})" for path in later if path in seen]
        if clashes:
            raise Abort("Due file del sito hanno lo stesso indirizzo: " + ", ".join(sorted(set(clashes))) +
                        ". Rinomina il contenuto o la pagina che ha preso l'indirizzo di un'altra.")
        if site.settings.search:
            self._articles = self.search.Articles(self.cache)
        if early:
            self._put_back_early(generated[:len(site.pages)])
        if self._served is not None:   # before MkDocs writes anything
            self._served.bring_back()
        return files

    @staticmethod
    def _page_file(config, src_uri: str, kept: dict) -> File:
        """The MkDocs File of a generated page: ``mkdocs serve`` gives again the last build's
        File of a page that build skipped (``kept``), with its Page as MkDocs and ``skips``
        left it, which is what they would make again for the same configuration
        (``page_stamp``): at N=100, making eleven thousand File and Page objects was about a
        second of an edit's rebuild. ``_put_back_early`` keeps that Page only when the page is
        put back again (same render key: same title, metadata and anchors)."""
        file = kept.get(src_uri)
        if file is None:
            file = File.generated(config, src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV)
        return file

    def _put_back_early(self, files) -> None:
        """``mkdocs serve``: every generated page whose finished text is the one the last build
        served at the same address is put back now, and MkDocs skips it (``skip_pages_put_back``):
        at N=100 reading, rendering and writing eleven thousand unchanged pages through MkDocs'
        steps took several seconds of an edit's rebuild. Its blob in the cache is not looked
        for (two file system calls a page): the page put back is the file the last build wrote."""
        pages, render = self.pages, importlib.import_module("pdz.render")
        for file in files:
            src = file.src_uri
            entry = self._generated[src]
            key = self._keys[src] = self._render.key(entry, self.site.digests[src], self._page_values(entry, pages, render))
            if self._render.known(key) and self._served.put_back(src, file.dest_uri, self._render.entries[key][0],
                                                                 self._articles):
                self._cached.add(src)
                self._render.used[key] = self._render.entries[key]
                self._put_early[src] = entry
                self._put_files[src] = file
            else:   # a File of the last build (_page_file) without its Page: as a new one
                file.page = None

    def skips(self, page) -> bool:
        """The page was put back in ``on_files``: MkDocs leaves it as a page of the cache would be
        after its build (its title and anchors for the other pages, no text)."""
        entry = self._put_early.get(page.file.src_uri)
        if entry is None:
            return False
        if page.markdown is None:   # MkDocs' reading step
            page.markdown, page.meta, page.content, page.toc = "", entry.meta(), None, get_toc([])
            page.present_anchor_ids, page.links_to_anchors = self._render.anchors(self._keys[page.file.src_uri]), {}
        return True

    def on_serve(self, server, config, builder):
        """``mkdocs serve`` rebuilds when the content, the source texts, the redirects, the
        schemas or the site's code change (the code is imported afresh: ``_fresh_code``)."""
        root = Path(config.config_file_path).absolute().parent
        for path in (root / "content", root / "fonti", root / "redirects.yaml", _SCHEMAS, _PACKAGE):
            if path.exists():
                server.watch(str(path))
        prompt_watcher(server)
        self._server = server
        return server

    def on_page_read_source(self, page, config):
        """The text of a generated page: nothing when its finished page is in the cache."""
        src = page.file.src_uri
        entry = self._generated.get(src)
        if entry is None:
            return None
        if self._render is not None:
            self._keys[src] = key = self._render.key(entry, self.site.digests[src], self._page_values(entry))
            if self._render.has(key):
                self._cached.add(src)
                return ""
        if entry.body is None and src in self._saved_bodies:   # a page the cache cannot finish
            data = self.cache.get(self._saved_bodies[src])
            entry.body = data.decode("utf-8") if data is not None else None
        if entry.body is None:   # the site came from the cache: assemble it for this page
            self._full_site()
            entry = self._generated[src]
        body, entry.body = entry.body, None   # MkDocs keeps the text from now on
        return (body.rstrip() + "\n").lstrip("\n")   # as MkDocs reads it after a front matter

    def _page_values(self, entry, pages=None, render=None) -> dict:
        """What a generated page shows besides its text: its date, feed and edit link.
        (``pages``, ``render``: the modules, when the caller has them: looked up once for
        eleven thousand pages, not for each.)"""
        url = entry.url
        pages = pages or self.pages
        editors = (render or importlib.import_module("pdz.render")).is_editors_page(entry.src_uri)
        return {"date": pages.page_date(self.site, url, None, False),
                "feed": pages.feed(self.site, url),
                "edit": pages.edit_url(self.site, entry.source) if entry.source and editors else None,
                "editors": editors}

    @event_priority(100)   # before mkdocs-macros renders the page
    def _on_page_markdown_first(self, markdown, page, config, files):
        """Only the pages of the allow-list may be templates (``make check`` says the same).

        Generated pages (never templates) are headings and finished HTML blocks: MkDocs receives
        their HTML directly (pdz.html.prerender, identical to what Python-Markdown would make),
        instead of Python-Markdown parsing every block again."""
        docs_pages = importlib.import_module("pdz.content.docs_pages")
        entry = self._generated.get(page.file.src_uri)
        if entry is not None:
            page.meta = entry.meta()
        if docs_pages.asks_for_macros(page.meta) and not docs_pages.may_render_macros(page.file.src_uri):
            raise Abort(f"{page.file.src_uri}: render_macros non ammesso: solo le pagine elencate in "
                        "MACRO_PAGES (macros/pdz/content/docs_pages.py) possono eseguire le macro.")
        if docs_pages.asks_for_macros(page.meta) and self._restored:
            if page.file.src_uri in self._saved_macros:
                page.meta["render_macros"] = False   # its text after the macros is in the cache
                self._from_macros.add(page.file.src_uri)
            else:
                self._full_site()
        if page.file.src_uri in self._cached:
            anchors = self._render.anchors(self._keys[page.file.src_uri])

            def cached(config, files):
                page.content = ""
                page.toc = get_toc([])
                page.present_anchor_ids = anchors
                page.links_to_anchors = {}

            page.render = cached
            page.meta["template"] = CACHED_TEMPLATE
            return markdown
        if entry is None:
            return markdown
        toc = (config.mdx_configs or {}).get("toc") or {}
        done = self.pages.to_html(markdown, toc.get("permalink_title", "Permanent link")) \
            if toc.get("permalink") is True else None
        if done is None:   # Python-Markdown renders it, every time: keep its text for that
            if self.cache is not None:
                self._bodies[page.file.src_uri] = self.cache.put(markdown.encode("utf-8")).path.name
        else:
            content, tokens = done

            def render(config, files):
                page.content = content
                page.toc = get_toc(tokens)
                page.present_anchor_ids = anchor_ids(content)
                page.links_to_anchors = {}

            page.render = render
            self._prerendered.add(page.file.src_uri)   # MkDocs checks none of its links: it may be kept
        return markdown

    @event_priority(-100)   # after mkdocs-macros
    def _on_page_markdown_last(self, markdown, page, config, files):
        """The text of a docs/ page after its macros: kept with the assembly, given back when
        the assembly comes from the cache (without a catalog, the macros could not run)."""
        if page.file.src_uri in self._from_macros:
            page.meta["render_macros"] = True
            markdown = self._saved_macros[page.file.src_uri]
        if page.meta.get("render_macros") and page.file.src_uri not in self._generated:
            self._macro_markdown[page.file.src_uri] = markdown
        return markdown

    on_page_markdown = CombinedEvent(_on_page_markdown_first, _on_page_markdown_last)

    def on_page_content(self, html, page, config, files):
        """Tables that fit a phone: every table (also those in Markdown) gets cell labels and roles."""
        if page.file.src_uri in self._cached:
            return html
        return self.pages.label_tables(html)

    def on_page_context(self, context, page, config, nav):
        """The editors' pages (render.is_editors_page) are marked for the templates and keep their
        edit link, which on a generated page points at its content file; the citizens' pages have
        none. The editors' pages stay out of the site search, which answers citizens: the guide
        ranked first for "sono rimasto senza casa, dove posso dormire stanotte". A page that hides its table of contents has none in its HTML either. Every page gets
        its date of last update (AgID) and the feed of its Ambito or partner (overrides/main.html)."""
        site, steps = self.site, self.pages
        self._context = context
        if page.file.src_uri in self._cached:
            return context
        if importlib.import_module("pdz.render").is_editors_page(page.file.src_uri):
            page.meta["pdz_redazione"] = True
            page.meta["search"] = {"exclude": True}
            source = page.meta.get("pdz_source")
            if source:
                page.edit_url = steps.edit_url(site, source)
        else:
            page.edit_url = None
        if "toc" in (page.meta.get("hide") or []):
            page.toc = get_toc([])
        docs_source = None if page.file.generated_by else page.file.src_uri
        date = steps.page_date(site, page.url, docs_source, bool(page.meta.get("render_macros")))
        if date:
            page.meta["pdz_updated"], page.meta["pdz_updated_label"] = date
        feed = steps.feed(site, page.url)
        if feed:
            page.meta["pdz_feed"], page.meta["pdz_feed_title"] = feed
        return context

    @event_priority(-100)   # last: the policy hashes the page as it is written
    def on_post_page(self, output, page, config):
        src, dest = page.file.src_uri, page.file.dest_uri
        served = self._served
        sha = None
        if src in self._cached:
            key = self._keys[src]
            sha = self._render.entries[key][0]
            if served is not None and served.put_back(src, dest, sha, self._articles):
                self._render.used[key] = self._render.entries[key]
                page.content, page.markdown, page.toc = None, "", get_toc([])
                return ""   # MkDocs writes nothing (ServedPages silences its note)
            output = self._render.output(key)
            if output is None:   # removed from the cache meanwhile (another build): render it
                output, sha = self._render_now(page, config), None
        else:
            output = self.pages.with_policy(self.site, output)
            if src in self._prerendered and src in self._keys:
                sha = self._render.record(self._keys[src], dest, output, page.present_anchor_ids)
        if self._articles is not None:
            self._articles.add(dest, output)
        if served is not None and sha is not None:
            served.wrote(dest, sha, self._articles)
        # MkDocs keeps every page until the end of the build: keep its title, let go of its text
        page.content, page.markdown, page.toc = None, "", get_toc([])
        return output

    def _render_now(self, page, config):
        """The page rendered as a build without cache would (its finished text vanished from
        the cache after this build chose to reuse it)."""
        self._cached.discard(page.file.src_uri)
        self._full_site()
        entry = self._generated[page.file.src_uri]
        page.meta = entry.meta()
        toc = (config.mdx_configs or {}).get("toc") or {}
        content, tokens = self.pages.to_html((entry.body.rstrip() + "\n").lstrip("\n"),
                                             toc.get("permalink_title", "Permanent link"))
        page.content, page.toc = self.pages.label_tables(content), get_toc(tokens)
        context = self.on_page_context(self._context, page, config, self._context["nav"])
        return self.pages.with_policy(self.site, self._env.get_template("main.html").render(context))

    @event_priority(-100)   # last: what the template is given is what it shows
    def on_template_context(self, context, template_name, config):
        """``mkdocs serve``: the sitemap lists every page (at N=100, fifteen thousand: 0.4 s of an
        edit's rebuild under cProfile) by what it reads of each (``_sitemap_of``); when that is
        what the last build's sitemap was made of, the template is given no page and
        ``on_post_template`` gives the last build's sitemap."""
        self._sitemap_made_of = None
        if self.command == "serve" and template_name == SITEMAP and self._env is not None \
                and self._env.get_template(SITEMAP).filename == _MKDOCS_SITEMAP:   # not one of a theme's
            self._sitemap_made_of = made_of = _sitemap_of(context["pages"])
            if self._sitemap is not None and self._sitemap[0] == made_of:
                context["pages"] = []
        return context

    @event_priority(-100)
    def on_post_template(self, output_content, template_name, config):
        """Pages rendered from a template alone (404.html); sitemap.xml is not HTML."""
        made_of, self._sitemap_made_of = self._sitemap_made_of, None
        if template_name == SITEMAP and made_of is not None:
            if self._sitemap is not None and self._sitemap[0] == made_of:
                return self._sitemap[1]
            self._sitemap = (made_of, output_content)
        return self.pages.with_policy(self.site, output_content) if template_name.endswith(".html") else output_content

    def on_post_build(self, config):
        """Keep what this build made for the next one (when it logged no warning), and index
        the site for the search (Pagefind; off with ``ricerca: false``, as in ``make serve
        AMBITO=...``)."""
        site_dir = Path(config.site_dir)
        clean = self._warnings is not None and not self._warnings.count
        if self._render is not None:
            log.info(f"Pagine generate: {len(self._cached)} riprese dalla cache, "
                     f"{len(self._generated) - len(self._cached)} costruite.")
        saved = (site_dir, self._render, self.site, self._restored, self._assembly_key, self._macro_markdown,
                 self._bodies) if self.cache is not None and clean else None
        if self.command == "serve" and saved is not None and self._render is not None:
            self._render_index = self._render.index()   # the next build's, saved to the cache or not
        if self.command == "serve":   # after the browser has reloaded
            self._saving = threading.Thread(target=self._after_build, args=(site_dir, self.site, saved),
                                            name="pdz-dopo", daemon=True)
            self._saving.start()
        elif saved is not None:
            self._save(*saved)
        if self.command == "serve":
            if self._articles is not None:
                if self._indexer is None:
                    self._indexer = BackgroundIndex(self.search)
                self._indexer.start(self._articles, site_dir, self.cache, self._served)
                self._articles = None
            if self._served is not None:
                self._served.finish(clean)
            # the next build gives again the File and Page of each page skipped here, but those
            # of the navigation (MkDocs makes their Page with its links to the others)
            self._kept_files = {src: file for src, file in self._put_files.items()
                                if src not in self._nav_pages and file.page is not None} if clean else {}
            return
        if self._articles is None:
            return
        elif self._started and self.command == "build":
            self._pending_index = (self._articles, site_dir)   # after MkDocs let go (on_shutdown)
            self._articles = None
        else:
            self._index(self._articles, site_dir)

    def _after_build(self, site_dir: Path, site, saved: tuple[Path, Any, Any, bool, str, dict, dict] | None) -> None:
        """``mkdocs serve``, once the browser has reloaded: write the files the assembly left for
        later, then keep what the build made (``saved``, when it logged no warning); the
        assembly only when all its files were written. When a new build began meanwhile
        (``_superseded``: an edit) nothing more is saved: that build waits for this thread, and
        it has what it needs (the render cache's index in memory: ``_render_index``; its own
        assembly, since what it reads changed); the cache's files stay the last ones saved whole."""
        try:
            complete, written = self._write_later(site, site_dir)
            if self._served is not None and not self._stop_later.is_set():   # its last write done
                self._served.remove_unwritten(written)
                self._served.list_served()
            if saved is not None and not self._superseded.is_set():
                self._save(*saved, assembly=complete)
        except OSError as error:   # the served folder removed meanwhile (serve stopping)
            log.error(f"File del sito non scritti dopo la costruzione: {error}")
        if not self._stop_later.is_set():
            settle_garbage()


    def _write_later(self, site, site_dir: Path) -> tuple[bool, set]:
        """The printable plans and feeds of ``mkdocs serve``, written into the served folder one by one
        (each replaces the last build's at once, never half-written); False when a new build
        began first (it writes them); and the paths written."""
        written = set()
        for path, data in self.assembly.write_later(site, self.cache, self._stop_later.is_set, self._build_again):
            written.add(path)
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".{target.name}.{os.getpid()}.pdz")
            temp.write_bytes(data)
            os.replace(temp, target)
        if self._memo is not None:
            self._memo.keep_sizes(site.exports)
        return not self.stale and not any(isinstance(data, self.assembly.Later) for data in site.exports.values()), written

    def _build_again(self) -> None:
        """A page of this build shows sizes of the open data that changed: serve builds the site
        once more (as after an edit), which gives the pages the sizes just made."""
        self.stale = True
        log.info("Le dimensioni dei dati aperti sono cambiate: il sito viene ricostruito.")
        condition = getattr(self._server, "_rebuild_cond", None)   # MkDocs 1.6's LiveReloadServer
        if condition is not None:
            with condition:
                self._server._want_rebuild = True
                condition.notify_all()

    def _save(self, site_dir: Path, render, site, restored: bool, assembly_key: str, macros: dict,
              bodies: dict, assembly: bool = True) -> None:
        """Keep the pages this build wrote and (when it assembled the site) its assembly (not
        when a new build began meanwhile: ``_after_build``)."""
        render.save(site_dir)
        if not restored and assembly and not self._superseded.is_set():   # kept with the last one (serve and build alternating)
            sites = self.cache.load("assembly").get("sites") or {}
            last = {k: v for k, v in sites.items() if isinstance(v, dict) and v.get("last")}
            for entry in last.values():
                entry["last"] = False
            last[assembly_key] = {"last": True, "site": site.manifest(),
                                  "macros": macros, "bodies": bodies}
            self.cache.save("assembly", {"sites": last})
            memo = self._memo
            if memo is not None:   # mkdocs serve: the next build reads it only for one of these keys
                memo.index_keys.saw("assembly", memo.index_keys.status(self.cache, "assembly"), last)

    def _wait_saved(self, stop: bool = False, superseded: bool = False) -> None:
        """Until the work after the last build is done (``stop``: the files it has still to
        write are left to the next build; ``superseded``: a new build begins, what is left to
        save of the last one is not saved)."""
        if self._saving is not None:
            if superseded:
                self._superseded.set()
            if stop or superseded:
                self._stop_later.set()
            self._saving.join()
            self._saving = None
        self._stop_later.clear()
        self._superseded.clear()

    def on_build_error(self, error):
        self._thaw()
        self._kept_files = {}
        if self._served is not None:
            self._served.finish(False)
        self._pending_index = None
        self._cleanup_articles()

    @event_priority(-100)   # last: nothing runs after it
    def on_shutdown(self):
        """``mkdocs build`` is over and MkDocs has let go of its pages: write the search index.
        Pagefind needs more memory than the whole MkDocs build, so the process replaces itself
        with Pagefind under a small shell, then with the step that keeps its index
        (``search_index.exec_pagefind``, ``finish``): the build's memory is gone before Pagefind
        starts. (In-process when that cannot be done: under a profiler, or without ``exec``.)"""
        self._thaw()
        self._wait_saved(stop=True)
        if self._indexer is not None:
            self._indexer.stop()
        if self._served is not None:
            self._served.wait()
        pending, self._pending_index = self._pending_index, None
        if pending is None:
            return
        articles, site_dir = pending
        try:
            job = self.search.prepare(articles, site_dir, self.cache)
            if job is None:
                log.info("Indice di ricerca: ripreso dalla cache (nessun articolo è cambiato).")
            else:
                if os.name == "posix" and sys.getprofile() is None and sys.gettrace() is None:
                    for handler in logging.getLogger().handlers + logging.getLogger("mkdocs").handlers:
                        handler.flush()
                    sys.stdout.flush()
                    sys.stderr.flush()
                    self.search.exec_pagefind(job)   # returns only without a shell
                self.site = self._render = self._generated = self._env = self._context = None
                _release_references(self._mkdocs_config)
                gc.collect()
                _trim_memory()
                self.search.run_job(job)
                log.info("Indice di ricerca: scritto da Pagefind.")
        except self.search.SearchIndexError as error:
            raise Abort(str(error)) from None
        if self.cache is not None:
            self.cache.prune_unreferenced()

    def _index(self, articles, site_dir: Path) -> None:
        try:
            ran = self.search.index_articles(articles, site_dir, self.cache)
            log.info("Indice di ricerca: " + ("scritto da Pagefind." if ran else "ripreso dalla cache (nessun articolo è cambiato)."))
        except self.search.SearchIndexError as error:
            raise Abort(str(error)) from None
        finally:
            self._cleanup_articles()

    def _cleanup_articles(self) -> None:
        if self._articles is not None:
            self._articles.discard()
            self._articles = None


class _Counter(logging.Handler):
    """Counts the warnings of a build: nothing of a build that logged one is kept in the cache."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


def _export_file(config, site, path: str, data) -> File:
    """A generated file other than a page: copied from the cache, or given from memory."""
    blob = getattr(data, "path", None)
    if blob is not None:
        return File.generated(config, path, abs_src_path=str(blob))
    return File.generated(config, path, content=site.finished(path, data))


def _sitemap_of(files) -> tuple:
    """What MkDocs' sitemap.xml reads of each page (1.6: whether it is a link, its addresses and
    its date), in its order."""
    return tuple((page.is_link, page.abs_url, page.canonical_url, page.update_date)
                 for page in (file.page for file in files))


def page_stamp(config) -> tuple:
    """What MkDocs makes a generated page's File and Page of besides its path (File.generated,
    Page.__init__): the site folder, the form of the addresses, the build date, the site's
    address and the edit links' settings."""
    from mkdocs.utils import get_build_date
    return (config.site_dir, config.use_directory_urls, get_build_date(), config.site_url, config.repo_url,
            config.edit_uri, config.edit_uri_template, config.plugins._current_plugin)


def _release_references(config) -> None:
    """mkdocs-macros keeps the last page, the files and the navigation in its variables after
    the build: let go of them (at shutdown), so that their memory can be freed."""
    macros = getattr(config, "plugins", {}).get("macros") if config is not None else None
    variables = getattr(macros, "variables", None)
    if isinstance(variables, dict):
        for name in ("page", "files", "navigation"):
            variables.pop(name, None)


def _trim_memory() -> None:
    """Give the memory Python freed back to the system (glibc keeps it otherwise)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def failure_message(site) -> str:
    publication = importlib.import_module("pdz.site.publication")
    refusal = publication.refusal(site.errors)
    errors = [p for p in site.errors if not publication.is_publication_problem(p)]
    if not errors:
        return "\n".join(refusal)
    content = any(p.path.startswith("content/") for p in errors)
    head = "Contenuti non validi: correggi questi problemi e riprova." if content else \
        "Il sito non può essere costruito: correggi questi problemi e riprova."
    return "\n".join([*refusal, head, *(p.format() for p in errors)])


def config_problems(config) -> list[str]:
    """Problems of mkdocs.yml itself that MkDocs does not see."""
    yamlsafe = importlib.import_module("pdz.content.yamlsafe")
    problems = []
    repeated = yamlsafe.duplicate_keys(Path(config.config_file_path).read_text(encoding="utf-8"))
    if repeated:
        problems.append("mkdocs.yml: chiavi ripetute (YAML terrebbe solo l'ultima e ignorerebbe le altre senza avvisare): " +
                        ", ".join(f"'{key}' alla riga {line}" for line, key in repeated) + ". Unisci i valori in una sola chiave.")
    macros = config.plugins.get("macros")
    if macros is not None and (macros.config.get("render_by_default") or str(macros.config.get("force_render_paths") or "").strip()):
        problems.append("mkdocs.yml: il plugin macros deve avere render_by_default: false e nessun force_render_paths "
                        "(solo le pagine di MACRO_PAGES in macros/pdz/content/docs_pages.py possono eseguire le macro).")
    if not isinstance(config.plugins.get("pdz"), PdzPlugin):
        problems.append("mkdocs.yml: manca il plugin pdz (plugins: - pdz), che costruisce il sito dai contenuti.")
    return problems



def load_settings(config_file: Path):
    """(Settings, []) read from mkdocs.yml exactly as the build reads them, or (None, problems).
    For ``make check``, which assembles the site without building it: MkDocs' own complaints
    about the configuration (it logs them) become the problems."""
    said: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            said.append(record.getMessage())

    logger = logging.getLogger("mkdocs")
    handler, level, propagate = Collect(logging.WARNING), logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False   # MkDocs' messages become our problems, not lines of their own
    try:
        config = load_config(str(config_file))
    except (ConfigurationError, Abort) as exc:
        return None, [f"configurazione non valida: {m}" for m in said] or [f"configurazione non valida: {exc}"]
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
    problems = config_problems(config)
    if problems:
        return None, problems
    plugin = config.plugins["pdz"]
    return settings(config, plugin.config, admin_styles=admin_styles(config), template_dirs=config.theme.dirs), []
