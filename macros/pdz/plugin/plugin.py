"""The MkDocs plugin ``pdz`` (registered in pyproject.toml under ``mkdocs.plugins``).

It adapts MkDocs to the site's one assembly (``pdz.site.assembly.assemble``): on ``on_config`` it
assembles everything once, or stops the build with the Italian list of problems; then it hands
MkDocs the generated pages as virtual files that are never Jinja templates, gives each page its
date, feed and edit link, applies the Content-Security-Policy to every HTML file, and indexes the
built site for the search. All state lives on the plugin instance.
"""
from __future__ import annotations

import importlib
import logging
import os
import re
import sys
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import get_toc

from pdz.content import rootguard
from pdz.plugin.config import PdzConfig, settings

ANCHOR = re.compile(r'\b(?:id|name)="([^"]+)"')
_PACKAGE = Path(__file__).resolve().parents[1]
_SCHEMAS = _PACKAGE.parents[1] / "schemas"


def _code_stamp() -> tuple:
    files = [*_PACKAGE.rglob("*.py"), *_SCHEMAS.glob("*.json")]
    return max((f.stat().st_mtime_ns for f in files), default=0), len(files)


class PdzPlugin(BasePlugin[PdzConfig]):
    def __init__(self):
        self.site = None          # pdz.site.assembly.Site of the current build
        self.command = "build"
        self._stamp = None

    def on_startup(self, *, command, dirty):
        """Kept across the rebuilds of one ``mkdocs serve`` (MkDocs calls this once)."""
        self.command = command

    # --- the code of the site, fresh after an edit during `mkdocs serve` ---------------------
    def _fresh_code(self) -> None:
        """``mkdocs serve`` rebuilds in the same process, where Python keeps modules imported:
        when the package's code or the schemas changed since the last build, drop them (all but
        this plugin), so that this build imports the edited code."""
        stamp = _code_stamp()
        if self._stamp is not None and stamp != self._stamp:
            for name in [n for n in sys.modules if n.startswith("pdz.") and not n.startswith("pdz.plugin")]:
                del sys.modules[name]
        self._stamp = stamp

    @property
    def assembly(self):
        return importlib.import_module("pdz.site.assembly")

    @property
    def pages(self):
        return importlib.import_module("pdz.site.pages")

    # --- events -----------------------------------------------------------------------------
    @event_priority(100)   # first: mkdocs-macros, after it, would import a stray main.py
    def on_config(self, config):
        self._fresh_code()
        stray = rootguard.message(Path(config.config_file_path).absolute().parent)
        if stray:
            raise Abort("Il sito non può essere costruito:\n" + stray)
        problems = config_problems(config)
        if problems:
            raise Abort("\n".join(problems))
        # Reproducible builds: MkDocs dates the sitemap from SOURCE_DATE_EPOCH; default it to the
        # last commit, not today.
        if not os.environ.get("SOURCE_DATE_EPOCH"):
            gitdates = importlib.import_module("pdz.content.gitdates")
            epoch = gitdates.last_commit_epoch(Path(config.config_file_path).absolute().parent)
            if epoch:
                os.environ["SOURCE_DATE_EPOCH"] = epoch
        self.site = self.assembly.assemble(settings(config, self.config, admin_styles=_admin_styles(config),
                                                    template_dirs=config.theme.dirs))
        if self.site.errors:
            raise Abort(failure_message(self.site))
        config.nav = self.site.nav
        return config

    def on_env(self, env, config, files):
        """Templates (overrides/) read the site's settings as ``pdz``."""
        env.globals["pdz"] = template_values(self.site.settings)
        return env

    def on_files(self, files, config):
        """Add the generated files. The assembly already refuses an address taken twice; this is
        the last guard: MkDocs would silently replace a file with the same source path, and write
        two files with the same destination one over the other."""
        site = self.site
        if not site.settings.statistics.on:   # statistics off: not even the script file
            script = files.get_file_from_path("assets/pdz-matomo.js")
            if script is not None:
                files.remove(script)
        generated = [File.generated(config, page.src_uri, content=page.markdown(), inclusion=InclusionLevel.NOT_IN_NAV)
                     for page in site.pages]
        generated += [File.generated(config, path, content=self.pages.finished_html(site, path, data))
                      for path, data in site.exports.items()]
        clashes = [f.src_uri for f in generated if files.get_file_from_path(f.src_uri) is not None]
        generated += [File.generated(config, path, abs_src_path=str(source))   # the web editor's pinned build
                      for path, source in site.copies.items()]
        for file in generated:
            files.append(file)
        seen: dict[str, str] = {}
        for file in files:
            if file.dest_uri in seen:
                clashes.append(f"{file.dest_uri} ({seen[file.dest_uri]}, {file.src_uri})")
            seen.setdefault(file.dest_uri, file.src_uri)
        if clashes:
            raise Abort("Due file del sito hanno lo stesso indirizzo: " + ", ".join(sorted(set(clashes))) +
                        ". Rinomina il contenuto o la pagina che ha preso l'indirizzo di un'altra.")
        return files

    def on_serve(self, server, config, builder):
        """``mkdocs serve`` rebuilds when the content, the source texts, the redirects, the
        schemas or the site's code change (the code is imported afresh: ``_fresh_code``)."""
        root = Path(config.config_file_path).absolute().parent
        for path in (root / "content", root / "fonti", root / "redirects.yaml", _SCHEMAS, _PACKAGE):
            if path.exists():
                server.watch(str(path))
        return server

    @event_priority(100)   # before mkdocs-macros renders the page
    def on_page_markdown(self, markdown, page, config, files):
        """Only the pages of the allow-list may be templates (``make check`` says the same).

        Generated pages (never templates) are headings and finished HTML blocks: MkDocs receives
        their HTML directly (pdz.html.prerender, identical to what Python-Markdown would make),
        instead of Python-Markdown parsing every block again."""
        docs_pages = importlib.import_module("pdz.content.docs_pages")
        if docs_pages.asks_for_macros(page.meta) and not docs_pages.may_render_macros(page.file.src_uri):
            raise Abort(f"{page.file.src_uri}: render_macros non ammesso: solo le pagine elencate in "
                        "MACRO_PAGES (macros/pdz/content/docs_pages.py) possono eseguire le macro.")
        toc = (config.mdx_configs or {}).get("toc") or {}
        if page.file.generated_by is None or toc.get("permalink") is not True:
            return markdown
        done = self.pages.to_html(markdown, toc.get("permalink_title", "Permanent link"))
        if done is not None:
            content, tokens = done

            def render(config, files):
                page.content = content
                page.toc = get_toc(tokens)
                page.present_anchor_ids = set(ANCHOR.findall(content))
                page.links_to_anchors = {}

            page.render = render
        return markdown

    def on_page_content(self, html, page, config, files):
        """Tables that fit a phone: every table (also those in Markdown) gets cell labels and roles."""
        return self.pages.label_tables(html)

    def on_page_context(self, context, page, config, nav):
        """The editors' pages (render.is_editors_page) are marked for the templates and keep their
        edit link, which on a generated page points at its content file; the citizens' pages have
        none. The editors' pages stay out of the site search, which answers citizens: the guide
        ranked first for "sono rimasto senza casa, dove posso dormire stanotte". A page that hides its table of contents has none in its HTML either. Every page gets
        its date of last update (AgID) and the feed of its Ambito or partner (overrides/main.html)."""
        site, steps = self.site, self.pages
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
        return self.pages.with_policy(self.site, output)

    @event_priority(-100)
    def on_post_template(self, output_content, template_name, config):
        """Pages rendered from a template alone (404.html); sitemap.xml is not HTML."""
        return self.pages.with_policy(self.site, output_content) if template_name.endswith(".html") else output_content

    def on_post_build(self, config):
        """The site search index (Pagefind) over the pages just written (off with ``ricerca: false``,
        as in ``make serve AMBITO=...``)."""
        if not self.site.settings.search:
            return
        search = importlib.import_module("pdz.site.search_index")
        try:
            search.index_site(Path(config.site_dir))
        except search.SearchIndexError as error:
            raise Abort(str(error)) from None


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


def template_values(s) -> dict:
    """What the theme's templates and the pages of docs/ read of the settings (as ``pdz``)."""
    def body(b):
        return {"nome": b.nome, "sito": b.sito, "codice_ipa": b.codice_ipa}
    return {"ente": body(s.owner), "ente_superiore": body(s.parent_body), "email_contatto": s.contact_email,
            "statistiche": {"url": s.statistics.url, "id_sito": s.statistics.id_sito} if s.statistics.on else {},
            "collegamenti_piede": [dict(link) for link in s.footer_links]}


def _admin_styles(config) -> list[str]:
    """The web editor's previews use the site's own styles: Material's and ours."""
    import material
    css = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    styles = ["../assets/stylesheets/" + p.name for p in sorted(css.glob("main.*.min.css"))]
    return styles + ["../" + str(path) for path in config.extra_css]


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
    return settings(config, plugin.config, admin_styles=_admin_styles(config), template_dirs=config.theme.dirs), []
