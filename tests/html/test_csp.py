"""Defence in depth: every page carries a Content-Security-Policy that lets the site's own
scripts run and blocks any other script, even one that got past the sanitiser.

- static: every HTML file of the real build has the policy before any script, with the hashes
  of exactly its theme scripts, no 'unsafe-inline' for scripts, object-src 'none', base-uri
  'self', form-action 'self'; the policy builder refuses sources that would reopen the door;
- a build with the sanitiser switched off (a bypass, simulated) publishes the injected script,
  and its hash is not in the policy;
- in Chromium: every kind of page loads with zero ``securitypolicyviolation`` events (the
  ``visit`` fixture asserts it for every browser test) and its scripts run (the kinds of
  ``PAGE_KINDS`` and the missing page in tests/site/test_browser.py, which opens them for
  axe-core; the others here),
  search and navigation work, and inline
  script, handlers and ``javascript:`` links that the test injects into a real page on the same
  origin are blocked.
"""
from __future__ import annotations

import re

import pytest

from pdz_dev.project import FIXTURES, SUMMARY, build_in_process, make_project, write
from pdz.html import csp
from pdz.site.search_index import SCRIPT_SOURCES
from pdz_dev.browser import PAGE_KINDS, wait_for_theme_scripts
SEARCH_SOURCES = list(SCRIPT_SOURCES)
SEARCH_DONE = "([q]) => { const b = document.getElementById('pdz-search'); " \
              "return b && b.dataset.state === 'done' && b.dataset.query === q; }"

INLINE = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)
POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def _unescape(value: str) -> str:
    return value.replace("&#x27;", "'").replace("&#39;", "'").replace("&quot;", '"').replace("&amp;", "&")


def policy_of(html: str) -> dict[str, list[str]]:
    found = POLICY.findall(html)
    assert len(found) == 1, f"{len(found)} policies"
    return {part.split()[0]: part.split()[1:] for part in _unescape(found[0]).split("; ")}


def test_every_html_file_carries_the_policy_before_any_script(real_site):
    pages = sorted(real_site.rglob("*.html"))
    for path in pages:
        html = path.read_text(encoding="utf-8")
        directives = policy_of(html)
        name = path.relative_to(real_site)
        if name.parts[0] == "admin":   # the web editor's own, documented policy (pdz/editor/admin.py)
            assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'self'"], name
            continue
        assert html.index("Content-Security-Policy") < html.find("<script") or "<script" not in html, name
        assert html.index("Content-Security-Policy") < html.index("</head>"), name
        scripts = directives["script-src"]
        hashes = scripts[1 + len(SEARCH_SOURCES):]
        assert scripts[:1 + len(SEARCH_SOURCES)] == ["'self'", *SEARCH_SOURCES], (name, scripts)
        assert all(s.startswith("'sha256-") for s in hashes), (name, scripts)
        for directive, expected in (("object-src", ["'none'"]), ("base-uri", ["'self'"]), ("form-action", ["'self'"]),
                                    ("default-src", ["'self'"])):
            assert directives[directive] == expected, (name, directive)
        assert not any("unsafe" in s for d in ("script-src", "default-src") for s in directives[d]
                       if s not in SEARCH_SOURCES), name
        # exactly the inline scripts of this page are allowed: each one by its hash, no spare hash
        inline = {f"'sha256-{csp.sha256(body)}'" for attrs, body in INLINE.findall(html)
                  if "src=" not in attrs and "application/json" not in attrs}
        assert set(hashes) == inline, name
    SUMMARY["Content-Security-Policy"] = f"{len(pages)} file HTML, tutti con la politica"


HOSTILE_SOURCES = [
    ("script-src", "'unsafe-inline'"), ("script-src", "'unsafe-eval'"), ("script-src", "*"),
    ("script-src", "data:"), ("script-src", "blob:"), ("script-src", "http://example.org"),
    ("script-src", "https:"), ("script-src", "https://example.org; script-src *"),
    ("script-src", "'self' 'unsafe-inline'"), ("script-src", "https://*.example.org"),
    ("default-src", "'unsafe-inline'"), ("default-src", "data:"), ("worker-src", "blob:"),
    ("object-src", "'self'"), ("base-uri", "https://example.org"), ("script-src", "'nonce-abc'"),
    ("script-src", "https://example.org\" onload=\"x"), ("frame-ancestors", "'none'"), ("sandbox", "allow-scripts"),
    ("script-src", "'strict-dynamic'"), ("script-src", "javascript:"), ("style-src", "'unsafe-inline'"),
]


@pytest.mark.parametrize("directive,source", HOSTILE_SOURCES)
def test_the_policy_refuses_sources_that_would_let_injected_script_run(directive, source):
    with pytest.raises(csp.PolicyError):
        csp.Policy({directive: [source]})


def test_the_policy_takes_the_extensions_other_features_need():
    policy = csp.Policy({"script-src": ["'wasm-unsafe-eval'"]})         # Pagefind
    policy.allow("connect-src", "https://ingestion.webanalytics.italia.it")   # analytics, when configured
    policy.allow("img-src", "https://ingestion.webanalytics.italia.it")
    value = policy.value(["abc="])
    assert "script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='" in value
    assert "connect-src 'self' https://ingestion.webanalytics.italia.it" in value
    assert csp.Policy().apply(policy.apply("<head><meta charset=utf-8></head>")).count("Content-Security") == 1


TEMPLATE = '<script>__md_scope=new URL("{{ base_url }}",location),__md_get=e=>1</script>'


@pytest.mark.parametrize("script,allowed", [
    ('__md_scope=new URL("../..",location),__md_get=e=>1', True),
    ('__md_scope=new URL(".",location),__md_get=e=>1', True),
    ('__md_scope=new URL("x,alert(1)",location),__md_get=e=>1', True),   # inside the string: inert
    ('__md_scope=new URL("x",location),alert(1),__md_get=e=>1', False),
    ('__md_scope=new URL("x",location);alert(1)//",location),__md_get=e=>1', False),
    ('__md_scope=new URL("",location),__md_get=e=>1;alert(1)', False),
    ('alert(1)', False),
    ('__md_scope=new URL("<\\/script><script>alert(1)",location),__md_get=e=>1', False),
])
def test_only_the_theme_s_inline_scripts_are_hashed(tmp_path, script, allowed):
    (tmp_path / "base.html").write_text(TEMPLATE, encoding="utf-8")
    patterns = csp.template_scripts([tmp_path])
    assert bool(csp.theme_script_hashes(f"<body><script>{script}</script></body>", patterns)) is allowed


HOSTILE_BODY = """---
titolo: "Casa"
numero: "2"
descrizione: |
  Testo <script>window.pdzPwned = 1</script>
  <img src="x.png" onerror="window.pdzPwned = 2">
fonti:
  - documento: doc-prova
    righe: [1, 2]
---
"""


def test_a_sanitiser_bypass_is_published_but_its_script_is_not_allowed(tmp_path, monkeypatch):
    import pdz.html.text
    monkeypatch.setattr(pdz.html.text, "clean_html", lambda raw, *args, **kwargs: raw)   # the bypass, on purpose
    project = make_project(tmp_path, FIXTURES / "valid")
    write(project, "ambiti/prova/2021-2023/obiettivi/02-ostile.md", HOSTILE_BODY)
    build_in_process(project, tmp_path / "site", monkeypatch)
    html = (tmp_path / "site/prova/2021-2023/obiettivi/02-ostile/index.html").read_text(encoding="utf-8")
    assert "<script>window.pdzPwned = 1</script>" in html and 'onerror="window.pdzPwned = 2"' in html
    assert f"'sha256-{csp.sha256('window.pdzPwned = 1')}'" not in policy_of(html)["script-src"]


# --- in Chromium ----------------------------------------------------------------------------

# The pages of PAGE_KINDS are opened by tests/site/test_browser.py (axe-core), which checks there
# that their scripts ran (wait_for_theme_scripts), and so is the missing page: a visit of each here
# cost as much again. These are the other kinds.
MORE_KINDS = {"stampabile": "corsico/2021-2023/stampa/", "stampabile (parte)": "corsico/2021-2023/stampa/obiettivi/",
              "ambiti": "ambiti/", "partner (elenco)": "partner/"}


@pytest.mark.parametrize("url", MORE_KINDS.values(), ids=MORE_KINDS.keys())
def test_every_kind_of_page_runs_its_scripts_with_no_violation(visit, url):
    assert url not in PAGE_KINDS.values()
    wait_for_theme_scripts(visit().open(url), url)


def test_search_and_navigation_work_under_the_policy(visit):
    """The search engine (Pagefind's script, its WebAssembly module, its index) loads and
    answers under the policy; the ``visit`` fixture asserts that nothing was blocked."""
    page = visit().open("")
    page.fill("#pdz-search-input", "abitativa")
    page.wait_for_function(SEARCH_DONE, arg=["abitativa"])
    assert page.locator(".pdz-search__result").count() > 0
    with page.expect_navigation():
        page.click(".pdz-search__link")
    assert "abitativ" in page.inner_text("#contenuto").lower()
    with page.expect_navigation():
        page.click(".md-nav__link >> text=Ambiti territoriali")
    page.wait_for_selector("#contenuto h1")
    assert page.url.endswith("/ambiti/")


INJECTED = """<div id="pdz-injected">
<script>window.pdzPwned = (window.pdzPwned || []).concat('script')</script>
<img src="data:," onerror="window.pdzPwned = (window.pdzPwned || []).concat('onerror')">
<svg><animate onbegin="window.pdzPwned = (window.pdzPwned || []).concat('svg')" attributeName="x" dur="1s"/></svg>
<a id="pdz-js-link" href="javascript:window.pdzPwned = (window.pdzPwned || []).concat('link')">link</a>
<button id="pdz-click" onclick="window.pdzPwned = (window.pdzPwned || []).concat('onclick')">b</button>
<object data="data:text/html,<script>parent.pdzPwned=1</script>"></object>
</div>"""


def test_script_injected_into_a_real_page_is_blocked(visit, site_url, real_site):
    """A copy of a built page with script slipped into its content (what a sanitiser bypass
    would publish), served at an address of the same origin: nothing injected may run."""
    html = (real_site / "corsico/2021-2023/obiettivi/01-agenzia-dell-abitare/index.html").read_text(encoding="utf-8")
    article = re.search(r'<article class="md-content__inner md-typeset"[^>]*>', html).group(0)
    injected = html.replace(article, article + INJECTED, 1)
    visitor = visit()
    address = site_url + "corsico/2021-2023/obiettivi/01-agenzia-dell-abitare/iniettata.html"
    visitor.page.route(address, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8",
                                                             body=injected))
    page = visitor.page
    page.goto(address, wait_until="load")
    # the page's own scripts still ran (so the policy is not simply blocking everything) ...
    page.wait_for_function("() => typeof __md_scope === 'object' && !document.documentElement.classList.contains('no-js')")
    page.click("#pdz-click")
    page.click("#pdz-js-link")
    # ... and every injected piece was reported as blocked (reports arrive asynchronously: wait
    # for them): inline script, onerror, onbegin, onclick, the javascript: link, the object
    page.wait_for_function("() => window.pdzCspSeen.length >= 6")
    seen = page.evaluate("window.pdzCspSeen")
    assert page.evaluate("window.pdzPwned === undefined"), page.evaluate("window.pdzPwned")
    assert len([v for v in seen if v.startswith("script-src-elem")]) >= 1, seen
    assert len([v for v in seen if v.startswith("script-src-attr")]) >= 3, seen
    assert any(v.startswith("object-src") for v in seen), seen
    visitor.csp.clear()   # expected violations: the fixture checks that nothing else was blocked
