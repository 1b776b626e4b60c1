"""The web editor's page and backend as a deployment configures them: GitHub through the sign-in
service with open authoring and the editorial workflow, its own Content-Security-Policy opened to
exactly the sign-in service and the API, and a plain notice instead of a sign-in that cannot work."""
from __future__ import annotations

import json
import re

import pytest

from pdz_dev.project import FIXTURES
from pdz.content.loader import load_content
from pdz.editor.admin import DECAP_DIST, PREVIEW_LIBRARIES, YAML_DIST, admin_files, csp
from pdz.editor.decap import build_config

AUTH = {"base_url": "https://servizi.ente.example", "auth_endpoint": "pdz-accesso/auth",
        "api_root": "https://git.ente.example/api/v3"}


@pytest.fixture(scope="module")
def catalog():
    catalog, problems = load_content(FIXTURES / "valid")
    assert problems == []
    return catalog


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    """A checkout with (empty) Decap and preview builds where ``npm ci`` puts them: the page, not
    Decap, is tested."""
    root = tmp_path_factory.mktemp("checkout")
    for path in (DECAP_DIST / "decap-cms.js", *PREVIEW_LIBRARIES.values()):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("", encoding="utf-8")
    (root / YAML_DIST).mkdir(parents=True)
    return root


def directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


def page_of(root, catalog, **options) -> str:
    files = admin_files(root, catalog, repo="ente/pdz-site", site_name="Piani di Zona", styles=[], **options)
    return files["admin/index.html"].decode("utf-8")


def test_the_github_backend_signs_in_through_the_service_with_open_authoring(catalog):
    config = build_config(catalog, repo="ente/pdz-site", auth=AUTH)
    assert config["backend"] == {"name": "github", "repo": "ente/pdz-site", "branch": "main", "open_authoring": True,
                                 **AUTH}
    assert config["publish_mode"] == "editorial_workflow"   # open authoring needs it; every save is a proposal


def test_the_admin_page_policy_lets_through_the_service_and_the_api_and_nothing_else(root, catalog):
    page = page_of(root, catalog, auth=AUTH)
    policy = directives(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)[1].replace("&#x27;", "'"))
    assert policy["connect-src"] == ["'self'", "https://api.github.com", "https://github.com",
                                     "https://servizi.ente.example", "https://git.ente.example"]
    assert policy["script-src"] == ["'self'", "'unsafe-eval'"] and policy["object-src"] == ["'none'"]
    assert "https://git.ente.example" in policy["img-src"]   # avatars of a GitHub Enterprise Server
    assert directives(csp(None))["connect-src"] == ["'self'", "https://api.github.com", "https://github.com"]
    assert directives(csp("http://127.0.0.1:8081/api/v1"))["connect-src"][-1] == "http://127.0.0.1:8081"   # make redazione
    assert '<script src="decap-cms.js"></script>' in page


def test_without_a_sign_in_service_the_page_says_so_instead_of_opening_netlify(root, catalog):
    page = page_of(root, catalog)
    assert "Redazione non ancora configurata" in page and "PDZ_EDITOR_BASE_URL" in page
    assert "<script" not in page and 'href="../gestione/#browser-oauth"' in page
    local = page_of(root, catalog, proxy="http://127.0.0.1:8081/api/v1")   # make redazione needs no sign-in
    assert '<script src="decap-cms.js"></script>' in local
    config = json.loads(admin_files(root, catalog, repo="ente/pdz-site", site_name="x", styles=[],
                                    proxy="http://127.0.0.1:8081/api/v1")["admin/config.json"])
    assert config["backend"] == {"name": "proxy", "proxy_url": "http://127.0.0.1:8081/api/v1", "branch": "main"}
