"""Thin MkDocs glue (registered under ``hooks:`` in mkdocs.yml).

Loads and validates the content once per build, stops the build with the Italian problem list
when content is invalid, and hands MkDocs the generated pages as virtual files that are never
rendered as Jinja templates.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import get_toc

MACROS = Path(__file__).resolve().parent
if str(MACROS) not in sys.path:
    sys.path.insert(0, str(MACROS))


def _forget_changed_code() -> None:
    """``mkdocs serve`` runs this file again before every rebuild, but Python keeps ``pdz``
    imported: when its code or the schemas changed since, drop it, so the next import (here
    and in mkdocs_macros.py, loaded after this file) sees the edit."""
    files = [*(MACROS / "pdz").rglob("*.py"), *(MACROS.parent / "schemas").glob("*.json")]
    stamp = max((f.stat().st_mtime_ns for f in files), default=0), len(files)
    loaded = sys.modules.get("pdz")
    # no stamp: imported by someone else in this process (tests, benchmark), not by a previous build
    if loaded is not None and getattr(loaded, "code_stamp", stamp) != stamp:
        for name in [n for n in sys.modules if n == "pdz" or n.startswith("pdz.")]:
            del sys.modules[name]
    import pdz
    pdz.code_stamp = stamp


_forget_changed_code()

from pdz import csp, site_state  # noqa: E402
from pdz.docs_pages import asks_for_macros, may_render_macros  # noqa: E402
from pdz.gitdates import history, last_changes, last_commit_epoch  # noqa: E402
from pdz.editor.admin import admin_files  # noqa: E402
from pdz.opendata.publish import open_data_metadata  # noqa: E402
from pdz.publish import generate, redirect_files, site_problems  # noqa: E402
from pdz.redirects import load_redirects  # noqa: E402
from pdz.yamlsafe import duplicate_keys  # noqa: E402
from pdz.render import build_embed_documents, navigation, text_renderer  # noqa: E402
from pdz.search_index import SCRIPT_SOURCES, SearchIndexError, index_site  # noqa: E402
from pdz.render.prerender import to_html  # noqa: E402
from pdz.render.dates import italian_date, page_dates  # noqa: E402
from pdz.render.feeds import Feeds, ambito_feed_url, partner_feed_url  # noqa: E402
from pdz.render.tables import label_tables  # noqa: E402


def on_config(config):
    root = Path(os.path.abspath(config.config_file_path)).parent  # not resolve(): tests symlink mkdocs.yml
    state = site_state.load(root, ambito_filter=os.environ.get("PDZ_AMBITO") or None)
    # Reproducible builds: the sitemap dates and the sitemap.xml.gz header come from MkDocs'
    # build date, which honours SOURCE_DATE_EPOCH; default it to the last commit, not today.
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or last_commit_epoch(root)
    if epoch:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    if state.errors:
        raise Abort("Contenuti non validi: correggi questi problemi e riprova.\n" +
                    "\n".join(p.format() for p in state.errors))
    repeated = duplicate_keys(Path(config.config_file_path).read_text(encoding="utf-8"))
    if repeated:
        raise Abort("mkdocs.yml: chiavi ripetute (YAML terrebbe solo l'ultima e ignorerebbe le altre senza avvisare): " +
                    ", ".join(f"'{key}' alla riga {line}" for line, key in repeated) + ". Unisci i valori in una sola chiave.")
    stats = config.extra.get("pdz_statistiche") or {}
    if stats.get("url") or stats.get("id_sito"):
        if not (str(stats.get("url", "")).startswith("https://") and str(stats.get("id_sito", "")).isdigit()):
            raise Abort("mkdocs.yml, extra.pdz_statistiche: servono sia `url` (un indirizzo https://, per esempio "
                        "https://ingestion.webanalytics.italia.it/) sia `id_sito` (il numero del sito in Web Analytics "
                        f"Italia); trovati url={stats.get('url')!r}, id_sito={stats.get('id_sito')!r}. "
                        "Per non raccogliere statistiche lascia vuoti entrambi.")
    macros = config.plugins.get("macros")
    if macros is not None and (macros.config.get("render_by_default") or str(macros.config.get("force_render_paths") or "").strip()):
        raise Abort("mkdocs.yml: il plugin macros deve avere render_by_default: false e nessun force_render_paths "
                    "(solo le pagine di MACRO_PAGES in macros/pdz/docs_pages.py possono eseguire le macro).")
    preview = os.environ.get("PDZ_AMBITO") or None
    redirects, problems = load_redirects(root)
    text = text_renderer(state.catalog)
    state.pages, state.exports = generate(state.catalog, state.updated, text, config.site_url or "/", preview,
                                          page_site_url=config.site_url or "")
    state.dates = page_dates(state.pages, state.updated)
    state.docs_dates = last_changes(root, "docs")
    state.exports.update(open_data_metadata(state.catalog, state.exports, config.site_url or "/",
                                            config.extra.get("pdz_ente") or {}, state.updated,
                                            config.extra.get("pdz_contact_email") or ""))
    if config.site_url:
        state.exports.update(build_embed_documents(state.catalog, config.site_url, state.updated, text))
        owner = (config.extra.get("pdz_ente") or {}).get("nome") or config.site_name
        state.exports.update(Feeds(state.catalog, history(root), config.site_url, owner).all())
    state.copies = {}
    for path, data in _admin(root, state.catalog, config).items():
        (state.copies if isinstance(data, Path) else state.exports)[path] = data
    problems += site_problems(root, state.catalog, state.pages, state.exports, redirects, preview)
    if problems:
        raise Abort("Il sito non può essere costruito: correggi questi problemi e riprova.\n" +
                    "\n".join(p.format() for p in problems))
    state.exports.update(redirect_files(redirects, state.catalog, preview))
    try:
        state.csp = csp.Policy(config.extra.get("pdz_csp"))
        if stats.get("url") and stats.get("id_sito"):   # Web Analytics Italia: its host, only when on
            host = "/".join(str(stats["url"]).split("/")[:3])
            for directive in ("script-src", "connect-src", "img-src"):
                state.csp.allow(directive, host)
    except csp.PolicyError as exc:
        raise Abort(f"mkdocs.yml: extra.pdz_csp / pdz_statistiche: {exc}") from None
    if _search_on():   # Pagefind compiles its WebAssembly engine (pdz/search_index.py)
        for source in SCRIPT_SOURCES:
            state.csp.allow("script-src", source)
    state.theme_scripts = csp.template_scripts(config.theme.dirs)
    static = config.extra.get("pdz_static_nav") or []
    config.nav = navigation(state.catalog, static)
    return config


def _admin(root: Path, catalog, config) -> dict:
    """The web editor at /admin/ (Decap CMS from node_modules; absent before `npm ci`).
    PDZ_EDITOR_PROXY (set by `make redazione`) points it at the local decap-server."""
    import material
    css = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    styles = ["../assets/stylesheets/" + p.name for p in sorted(css.glob("main.*.min.css"))]
    styles += ["../" + str(path) for path in config.extra_css]
    editor = config.extra.get("pdz_editor") or {}
    repo = editor.get("repo") or "/".join((config.repo_url or "").rstrip("/").split("/")[-2:])
    auth = {k: editor[k] for k in ("base_url", "auth_endpoint") if editor.get(k)}
    return admin_files(root, catalog, repo=repo, site_name=config.site_name, styles=styles,
                       proxy=os.environ.get("PDZ_EDITOR_PROXY") or None, auth=auth, site_url=config.site_url or "/")


def on_files(files, config):
    """Add the generated files. ``make check`` already refuses an address taken twice; this is
    the last guard: MkDocs would silently replace a file with the same source path, and write
    two files with the same destination one over the other."""
    state = site_state.current()
    stats = config.extra.get("pdz_statistiche") or {}
    if not (stats.get("url") and stats.get("id_sito")):   # statistics off: not even the script file
        script = files.get_file_from_path("assets/pdz-matomo.js")
        if script is not None:
            files.remove(script)
    generated = [File.generated(config, page.src_uri, content=page.markdown(), inclusion=InclusionLevel.NOT_IN_NAV)
                 for page in state.pages]
    generated += [File.generated(config, path, content=state.csp.apply(data.decode("utf-8")).encode("utf-8")
                                 if path.endswith(".html") else data) for path, data in state.exports.items()]
    clashes = [f.src_uri for f in generated if files.get_file_from_path(f.src_uri) is not None]
    generated += [File.generated(config, path, abs_src_path=str(source))   # the web editor's pinned build
                  for path, source in state.copies.items()]
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


def _with_policy(html: str) -> str:
    state = site_state.current()
    return state.csp.apply(html, csp.theme_script_hashes(html, state.theme_scripts))


@event_priority(-100)   # last: the policy hashes the page as it is written
def on_post_page(output, page, config):
    return _with_policy(output)


@event_priority(-100)
def on_post_template(output_content, template_name, config):
    """Pages rendered from a template alone (404.html); sitemap.xml is not HTML."""
    return _with_policy(output_content) if template_name.endswith(".html") else output_content




def on_page_content(html, page, config, files):
    """Tables that fit a phone: every table (also those in Markdown) gets cell labels and roles."""
    return label_tables(html)


ANCHOR = re.compile(r'\b(?:id|name)="([^"]+)"')


@event_priority(100)   # before mkdocs-macros renders the page
def on_page_markdown(markdown, page, config, files):
    """Only the pages of the allow-list may be templates (``make check`` says the same).

    Generated pages (never templates) are headings and finished HTML blocks: MkDocs receives
    their HTML directly (pdz/render/prerender.py, identical to what Python-Markdown would make),
    instead of Python-Markdown parsing every block again. Other pages, and bodies with anything
    else in them, are rendered by MkDocs as usual."""
    if asks_for_macros(page.meta) and not may_render_macros(page.file.src_uri):
        raise Abort(f"{page.file.src_uri}: render_macros non ammesso: solo le pagine elencate in "
                    "MACRO_PAGES (macros/pdz/docs_pages.py) possono eseguire le macro.")
    toc = (config.mdx_configs or {}).get("toc") or {}
    if page.file.generated_by is None or toc.get("permalink") is not True:
        return markdown
    done = to_html(markdown, toc.get("permalink_title", "Permanent link"))
    if done is not None:
        content, tokens = done

        def render(config, files):
            page.content = content
            page.toc = get_toc(tokens)
            page.present_anchor_ids = set(ANCHOR.findall(content))
            page.links_to_anchors = {}

        page.render = render
    return markdown


def on_page_context(context, page, config, nav):
    """Edit links of generated pages point at their content file, not at a generated file.
    Every page gets its date of last update (AgID), printed by overrides/main.html."""
    source = page.meta.get("pdz_source")
    if source and config.repo_url:
        page.edit_url = config.repo_url.rstrip("/") + "/" + config.extra.get("pdz_edit_path", "edit/main/") + source
    state = site_state.current()
    date = state.dates.get(page.url)
    if date is None and not page.file.generated_by:   # a hand-written page of docs/
        dates = [state.docs_dates.get("docs/" + page.file.src_uri)]
        if page.meta.get("render_macros"):             # it shows content: as new as the newest file
            dates.append(max(state.updated.values(), default=None))
        date = max((d for d in dates if d), default=None)
    if date:
        page.meta["pdz_updated"] = date
        page.meta["pdz_updated_label"] = italian_date(date)
    _feed_link(page, state)
    return context


def _feed_link(page, state) -> None:
    """<link rel="alternate"> to the Atom feed of the Ambito or partner the page belongs to."""
    first, _, rest = page.url.partition("/")
    if first == "partner" and rest:
        feed, record = partner_feed_url(rest.split("/")[0]), state.catalog.get("partner", rest.split("/")[0])
    else:
        feed, record = ambito_feed_url(first), state.catalog.get("ambito", first)
    if record is not None and feed in state.exports:
        page.meta["pdz_feed"] = feed
        page.meta["pdz_feed_title"] = f"Novità – {record.title}"


def on_post_build(config):
    """The site search index (Pagefind) over the pages just written. `make serve AMBITO=...`
    sets PDZ_SEARCH=false: previews rebuild faster without it."""
    if not _search_on():
        return
    try:
        index_site(Path(config.site_dir))
    except SearchIndexError as error:
        raise Abort(str(error)) from None


def _search_on() -> bool:
    return os.environ.get("PDZ_SEARCH", "true").lower() != "false"
