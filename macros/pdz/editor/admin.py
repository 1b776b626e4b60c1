"""The files of the web editor at ``/admin/`` of the built site.

``admin_files`` returns site path -> bytes (generated) or Path (copied): the page, its scripts,
the configuration generated from the schemas (``decap.build_config``), what the previews need
(``anteprima.json``: the names of the records a field can point at, the labels of the closed
lists, the site's allow-list of HTML tags) and the pinned Decap CMS, YAML, markdown-it and
DOMPurify builds from ``node_modules`` (``npm ci``). No CDN: everything is served by the site itself.
"""
from __future__ import annotations

import json
from html import escape
from pathlib import Path

from pdz.content import schemas
from pdz.content.model import KINDS
from pdz.editor.decap import build_config
from pdz.html.text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, FIELD_TOP_LEVEL

HERE = Path(__file__).resolve().parent / "admin"
DECAP_DIST = Path("node_modules") / "decap-cms" / "dist"
YAML_DIST = Path("node_modules") / "yaml" / "browser" / "dist"
# the preview's Markdown (the library markdown-it-py ports, as the site renders) and sanitiser
PREVIEW_LIBRARIES = {"markdown-it.min.js": Path("node_modules") / "markdown-it" / "dist" / "markdown-it.min.js",
                     "purify.es.mjs": Path("node_modules") / "dompurify" / "dist" / "purify.es.mjs"}
GITHUB = ("https://api.github.com", "https://github.com")
NOT_CONFIGURED = """<main>
<h1>Redazione non ancora configurata</h1>
<p>Per modificare i contenuti da qui serve il servizio di accesso con GitHub dell'ente, che non è
stato indicato (impostazione <code>PDZ_EDITOR_BASE_URL</code>). Chi gestisce il sito trova i passi
nella <a href="../gestione/#browser-oauth">guida per chi gestisce il sito, «Configurare l'accesso con GitHub»</a>.</p>
</main>"""


def _origin(address: str) -> str:
    return "/".join(address.split("/")[:3])


def csp(proxy: str | None, auth: dict | None = None) -> str:
    """The admin page's own Content-Security-Policy (documented in docs/gestione.md, #browser-oauth).

    Decap needs 'unsafe-eval' (its configuration validator compiles schemas with new Function)
    and inline styles (its interface is styled from JavaScript); everything else is this site,
    GitHub's API (or ``api_root``), the sign-in service (``base_url``) and, in ``make redazione``,
    the local decap-server. Not www.githubstatus.com: Decap's status check every five minutes
    is blocked and counts as "GitHub is working".
    """
    auth = auth or {}
    extra = [_origin(a) for a in (proxy, auth.get("base_url"), auth.get("api_root")) if a]
    api = [_origin(auth["api_root"])] if auth.get("api_root") else []
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        " ".join(["img-src 'self' data: blob: https://avatars.githubusercontent.com https://raw.githubusercontent.com", *api]),
        "font-src 'self' data:",
        "connect-src " + " ".join(dict.fromkeys(["'self'", *GITHUB, *extra])),
        "frame-src 'self' blob:",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def admin_files(root: Path, catalog, *, repo: str, site_name: str, styles: list[str],
                proxy: str | None = None, auth: dict | None = None, site_url: str = "/", later=None) -> dict:
    """Site path -> bytes or source Path. Empty when Decap is not installed (no ``npm ci``).
    ``later``: placed instead of the files made from the records (``RECORD_FILES``), which
    ``record_files`` makes afterwards (``mkdocs serve`` writes them after the page is shown)."""
    decap = root / DECAP_DIST
    yaml_dist = root / YAML_DIST
    if not (decap / "decap-cms.js").is_file() or not yaml_dist.is_dir() \
            or not all((root / path).is_file() for path in PREVIEW_LIBRARIES.values()):
        return {}
    files: dict = dict.fromkeys(RECORD_FILES, later) if later is not None else \
        record_files(catalog, repo=repo, proxy=proxy, auth=auth, site_url=site_url)
    for path in sorted(decap.iterdir()):
        if path.name == "decap-cms.js" or path.name.endswith(".decap-cms.js") or path.suffix == ".wasm":
            files[f"admin/{path.name}"] = path
    for path in sorted(yaml_dist.rglob("*.js")):
        files["admin/yaml/" + path.relative_to(yaml_dist).as_posix()] = path
    for name, path in PREVIEW_LIBRARIES.items():
        files[f"admin/{name}"] = root / path
    for path in sorted(HERE.glob("pdz-*")):
        files[f"admin/{path.name}"] = path
    body_fields = {k.body_field for k in KINDS.values() if k.body_field}
    if proxy or (auth or {}).get("base_url"):
        body = f"""<script src="pdz-init.js"></script>
<script src="decap-cms.js"></script>
<script type="module" src="pdz-admin.js" data-pdz-config="config.json" data-pdz-preview="anteprima.json" data-pdz-body="{escape(",".join(sorted(body_fields)))}"
 data-pdz-styles="{escape(" ".join(styles))}"></script>"""
    else:   # without a sign-in service "Accedi con GitHub" would open Netlify's, which works on Netlify only
        body = NOT_CONFIGURED
    page = f"""<!doctype html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta http-equiv="Content-Security-Policy" content="{escape(csp(proxy, auth))}">
<title>Redazione - {escape(site_name)}</title>
</head>
<body>
{body}
</body>
</html>
"""
    files["admin/index.html"] = page.encode("utf-8")
    return files


RECORD_FILES = ("admin/config.json", "admin/anteprima.json")


def record_files(catalog, *, repo: str, proxy: str | None = None, auth: dict | None = None,
                 site_url: str = "/") -> dict[str, bytes]:
    """The editor's files made from the records: its configuration (the records a field can
    point at) and what its previews show (``preview_data``)."""
    config = build_config(catalog, repo=repo, local_proxy=proxy, auth=auth, site_url=site_url)
    return {"admin/config.json": json.dumps(config, ensure_ascii=False, indent=1).encode("utf-8"),
            "admin/anteprima.json": json.dumps(preview_data(catalog), ensure_ascii=False, indent=1).encode("utf-8")}


def preview_data(catalog) -> dict:
    """What the previews and the lists' summaries show instead of codes: every record's name
    by kind and id, the labels of the closed lists (and of their groups), the site's HTML."""
    return {"nomi": {kind: {record.id: record.title for record in catalog.all(kind)} for kind in KINDS},
            "etichette": schemas.vocabularies(),
            "plurali": {name: schemas.plural_labels(name) for name, definition in schemas.definitions().items()
                        if schemas.PLURAL_LABELS in definition},
            "html": {"tags": sorted(ALLOWED_TAGS),
                     "attributes": sorted({name for names in ALLOWED_ATTRIBUTES.values() for name in names})},
            "campo_testo": FIELD_TOP_LEVEL}
