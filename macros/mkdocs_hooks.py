"""Thin MkDocs glue (registered under ``hooks:`` in mkdocs.yml).

Loads and validates the content once per build, stops the build with the Italian problem list
when content is invalid, and hands MkDocs the generated pages as virtual files that are never
rendered as Jinja templates.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, InclusionLevel

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

from pdz import site_state  # noqa: E402
from pdz.gitdates import history, last_changes, last_commit_epoch  # noqa: E402
from pdz.editor.admin import admin_files  # noqa: E402
from pdz.export import export_files  # noqa: E402
from pdz.opendata.publish import open_data_metadata  # noqa: E402
from pdz.permalinks import load_redirects, preview_redirects, redirect_page  # noqa: E402
from pdz.render import build_embed_documents, build_pages, build_print_documents, navigation, text_renderer  # noqa: E402
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
    stats = config.extra.get("pdz_statistiche") or {}
    if stats.get("url") or stats.get("id_sito"):
        if not (str(stats.get("url", "")).startswith("https://") and str(stats.get("id_sito", "")).isdigit()):
            raise Abort("mkdocs.yml, extra.pdz_statistiche: servono sia `url` (un indirizzo https://, per esempio "
                        "https://ingestion.webanalytics.italia.it/) sia `id_sito` (il numero del sito in Web Analytics "
                        f"Italia); trovati url={stats.get('url')!r}, id_sito={stats.get('id_sito')!r}. "
                        "Per non raccogliere statistiche lascia vuoti entrambi.")
    redirects, redirect_problems = load_redirects(root)
    if redirect_problems:
        raise Abort("\n".join(redirect_problems))
    if os.environ.get("PDZ_AMBITO"):
        redirects = preview_redirects(redirects, os.environ["PDZ_AMBITO"], root)
    text = text_renderer(state.catalog)
    state.pages = build_pages(state.catalog, state.updated, text, preview=os.environ.get("PDZ_AMBITO") or None,
                              site_url=config.site_url or "")
    state.dates = page_dates(state.pages, state.updated)
    state.docs_dates = last_changes(root, "docs")
    state.exports = export_files(state.catalog, config.site_url or "/")
    state.exports.update(open_data_metadata(state.catalog, state.exports, config.site_url or "/",
                                            config.extra.get("pdz_ente") or {}, state.updated,
                                            config.extra.get("pdz_contact_email") or ""))
    state.exports.update(build_print_documents(state.catalog, state.updated, text))
    if config.site_url:
        state.exports.update(build_embed_documents(state.catalog, config.site_url, state.updated, text))
        owner = (config.extra.get("pdz_ente") or {}).get("nome") or config.site_name
        state.exports.update(Feeds(state.catalog, history(root), config.site_url, owner).all())
    state.exports.update({old + "index.html": redirect_page(old, new) for old, new in redirects.items()})
    state.copies = {}
    for path, data in _admin(root, state.catalog, config).items():
        (state.copies if isinstance(data, Path) else state.exports)[path] = data
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
    state = site_state.current()
    stats = config.extra.get("pdz_statistiche") or {}
    if not (stats.get("url") and stats.get("id_sito")):   # statistics off: not even the script file
        script = files.get_file_from_path("assets/pdz-matomo.js")
        if script is not None:
            files.remove(script)
    for page in state.pages:
        files.append(File.generated(config, page.src_uri, content=page.markdown(),
                                    inclusion=InclusionLevel.NOT_IN_NAV))
    for path, data in state.exports.items():
        files.append(File.generated(config, path, content=data))
    for path, source in state.copies.items():   # the web editor's pinned build, copied as it is
        files.append(File.generated(config, path, abs_src_path=str(source)))
    return files


def on_page_content(html, page, config, files):
    """Tables that fit a phone: every table (also those in Markdown) gets cell labels and roles."""
    return label_tables(html)


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
