"""Helpers of tests/site/test_browser.py: a local web server for the built site, browser contexts
that record (and block) every request leaving 127.0.0.1, axe-core runs and small page probes.
"""
from __future__ import annotations

import functools
import gzip
import io
import re
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from pdz_dev.project import ROOT, SUMMARY

CHROMIUM = Path("/usr/bin/chromium")   # Debian's package (installed by .ci/run), never a download
# The features Playwright switches off itself (its chromiumSwitches, playwright 1.65.2): Chromium
# keeps only the last --disable-features, so ours repeats them (tests/dev/test_browser_flags.py
# checks the list against the installed Playwright).
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding", "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin", "OptimizationHints", "NetworkTimeServiceQuerying",
    "AimEnabled", "PreconnectToSearch", "msForceBrowserSignIn", "msEdgeUpdateLaunchServicesPreferredVersion")
# Headless Chromium opens a window for every browser context, and each window built the address
# bar's two WebUI popups in a renderer of their own: more than half the CPU of a test's visit
# (15 visits of the objective page: 28-32 s of CPU with them, 13-14 s without). The tests never
# use the address bar.
UNUSED_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")
LOCAL_HOST = "127.0.0.1"
# Every host but the local server is unknown to the browser: a request leaving 127.0.0.1 fails at
# once, so a test never waits on the network (Visit lists those requests). Blocking them with a
# Playwright route instead sent every request of every page through Python and turned off the
# browser's cache (a third of the CPU of a visit).
OFFLINE = f"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE {LOCAL_HOST}"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
               "--disable-component-update", "--disable-sync",
               "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + UNUSED_FEATURES), OFFLINE]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}    # a common small phone, CSS pixels
REFLOW = {"width": 320, "height": 640}   # WCAG 1.4.10: 320 CSS px, i.e. 1280 px zoomed to 400%
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Best-practice rules (not WCAG criteria) that stock Material broke and we fixed: checked too,
# so that they stay fixed. The other best-practice rules are not part of the gate.
BEST_PRACTICE_RULES = {"aria-dialog-name", "landmark-unique", "landmark-one-main",
                       "landmark-no-duplicate-banner", "landmark-no-duplicate-contentinfo",
                       "landmark-no-duplicate-main", "page-has-heading-one", "skip-link"}


COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv"}


def serve(site: Path, compress: bool = False, headers=None,
          log: list | None = None) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``site`` on a free port of 127.0.0.1 in a background thread, like a static host:
    a missing address gets the site's 404.html with status 404. ``compress``: text files are
    sent gzip-compressed to clients that accept it, as common static hosts do (Lighthouse).
    ``headers``: a function of the request's path giving the extra headers the host sends (the
    rules of the site's ``_headers`` file, pdz_dev.hosting). ``log``: every request answered is
    appended to it as (path, HTTP status)."""
    not_found = (site / "404.html").read_bytes() if (site / "404.html").exists() else b"<!doctype html><title>404</title>"

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *args):   # keep the test output clean
            pass

        def end_headers(self):
            for name, value in (headers(urlsplit(self.path).path) if headers else {}).items():
                self.send_header(name, value)
            super().end_headers()

        def log_request(self, code="-", size="-"):
            if log is not None:
                log.append((self.path, int(getattr(code, "value", code))))

        def do_GET(self):
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if not (compress and path.suffix in COMPRESSIBLE and path.is_file()
                    and "gzip" in self.headers.get("Accept-Encoding", "")):
                return super().do_GET()
            if self.path.split("?")[0].endswith("/") is False and path.name == "index.html" \
                    and not self.path.split("?")[0].endswith("index.html"):
                return super().do_GET()   # directory without slash: the redirect
            body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.copyfile(io.BytesIO(body), self.wfile)

        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(not_found)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(not_found)

        def copyfile(self, source, outputfile):
            try:
                super().copyfile(source, outputfile)
            except (BrokenPipeError, ConnectionResetError):   # the browser moved on
                pass

    server = ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(Handler, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{LOCAL_HOST}:{server.server_address[1]}/"


@contextmanager
def serving(site: Path, headers=None):
    """``serve(site)`` for the length of a ``with`` block (a fixture's life): yields the base URL."""
    server, base = serve(site, headers=headers)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


# Every Content-Security-Policy violation of every document of a visit, reported to Python.
# ``window.pdzCspSeen`` keeps those of the current document, for tests that wait for them.
CSP_LISTENER = """window.pdzCspSeen = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const text = `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at `
    + `${e.sourceFile || location.pathname}:${e.lineNumber} (${(e.sample || '').slice(0, 60)})`;
  window.pdzCspSeen.push(text);
  window.pdzCspViolation(text);
}, true);"""


class Visit:
    """One browser context (one visitor) of a browser started with LAUNCH_ARGS: every request
    is recorded; those leaving 127.0.0.1 fail at once (OFFLINE), so a test never waits on the
    network, and are listed in ``foreign``. Every
    Content-Security-Policy violation is listed in ``csp`` (the ``visit`` fixture asserts that
    there is none). ``uncached``: every request passes through a Playwright route, which turns
    the browser's cache off, as the page-weight figures have always been measured (pdz_dev.bench.weight:
    a file asked for again, such as the favicon after the search changes the address, counts again)."""

    def __init__(self, browser, base: str, viewport: dict = DESKTOP, uncached: bool = False, **options):
        self.base = base
        self.viewport = viewport
        self.scripts = options.get("java_script_enabled", True)   # without them no condition can be polled
        self.context = browser.new_context(viewport=viewport, locale="it-IT",
                                           service_workers="block", **options)
        # a ceiling, not a wait: every wait returns as soon as its state holds. 15 s ran out
        # under a load of 10-12 on two cores (Decap CMS's 5 MB of script in test_web_editor)
        self.context.set_default_timeout(60_000)
        self.foreign: list[str] = []
        self.csp: list[str] = []
        self.context.expose_binding("pdzCspViolation", lambda source, text: self.csp.append(text))
        self.context.add_init_script(CSP_LISTENER)
        self.context.on("request", self._record)
        if uncached:
            self.context.route(FOREIGN_URL, lambda route: route.abort())
        self.page = self.context.new_page()
        self.page.on("request", self._record)   # page and its workers; duplicates are harmless

    def _record(self, request):
        if not is_local(request.url) and request.url not in self.foreign:
            self.foreign.append(request.url)

    def open(self, url: str, status: int = 200):
        response = self.page.goto(self.base + url, wait_until="load")
        assert response is not None and response.status == status, (url, response and response.status)
        if self.scripts:
            settle(self.page)
        return self.page

    def close(self):
        self.context.close()

    def reset(self) -> None:
        """Leave the visitor as a new one finds the site, for the next visit or test to reuse its
        page (a new context and page cost about 0.4 s of CPU, twice a visit of an open page): its
        page on about:blank (a new document: no DOM, scripts, focus or scroll of the last visit),
        storage, cookies and permissions cleared, no route, the pointer off the page (no :hover),
        the media and the viewport it was opened with. Only the browser's HTTP cache stays, as for
        a visitor coming back; what was recorded stays in ``foreign`` and ``csp``."""
        page = self.page
        if self.scripts and page.url.startswith(self.base):
            page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        page.unroute_all(behavior="wait")
        page.goto("about:blank")
        page.mouse.move(-1, -1)
        page.emulate_media(media="null")
        if page.viewport_size != self.viewport:
            page.set_viewport_size(self.viewport)
        self.context.clear_cookies()
        self.context.clear_permissions()


# The addresses that is_local refuses, as a regular expression: Playwright's driver matches it
# itself and hands Python only the requests it matches. A function as a route's matcher had every
# request sent to Python and back (1.2 s of CPU in the 17 first visits of tests/site/test_search.py).
FOREIGN_URL = re.compile(r"^(?!(?:data|blob|about|javascript):|[a-z][a-z0-9+.-]*://%s(?:[:/?#]|$))"
                         % re.escape(LOCAL_HOST))


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "javascript"):
        return True
    return parts.hostname == LOCAL_HOST


# axe-core as npm ci installs it (pinned by package.json): 4.14.1 runs the same 69 WCAG 2.1 A/AA
# rules as 4.12.1, which axe-playwright-python bundled, in about 60% of the time (color-contrast,
# three quarters of a run, got faster): 25.4 s -> 14.3 s for five pages run twice (issue #24).
AXE_CORE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """(extra) => axe.run(document, {
  runOnly: {type: 'rule', values: axe.getRules(%s).map(rule => rule.ruleId).concat(extra)},
  resultTypes: ['violations']})""" % WCAG_TAGS


@functools.cache
def _axe_script() -> str:
    assert AXE_CORE.exists(), f"{AXE_CORE} is missing: run npm ci (make test does it)"
    return AXE_CORE.read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    """Violations of the WCAG 2.1 A/AA rules (and of the best-practice rules above) on the page
    as it is now, one readable line per offending element."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(_axe_script())
    results = page.evaluate(AXE_RUN, sorted(BEST_PRACTICE_RULES))
    lines = []
    for violation in results["violations"]:
        for node in violation["nodes"][:5]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"{violation['id']} ({violation['impact']}): {node['target']} "
                         f"{node['html'][:150]} -> {summary[:300]}")
    return lines


# --- waiting for the state a test asserts (never for a fixed time) ----------------------------

# The page is ready and still: fonts loaded, our menu script has tied the menu button to the drawer,
# and no CSS transition or animation is running (Material fades and slides its drawer, header
# and skip link in: reading a position or a style during one gives a different answer each run).
SETTLED = """() => {
  if (document.readyState !== 'complete' || document.fonts.status !== 'loaded') return false;
  const menu = document.querySelector('.md-header .pdz-menu-button');
  if (menu && menu.getAttribute('aria-controls') !== 'pdz-menu') return false;
  return document.getAnimations().every((a) => a.playState !== 'running'
    || !a.effect || a.effect.getComputedTiming().endTime === Infinity);
}"""


# Conditions for page.wait_for_function are always functions ("() => ..."): Playwright polls a
# bare expression with eval(), which the Content-Security-Policy (no 'unsafe-eval') blocks.
def settle(page) -> None:
    page.wait_for_function(SETTLED, polling="raf")


# Material's inline script (allowed by the policy's hash) and its bundle (a file) both ran, and
# so did our menu script. Standalone documents (printable versions, embeddable cards) have none.
THEME_SCRIPTS_RAN = """() => typeof __md_scope === 'object' && !document.documentElement.classList.contains('no-js')
  && document.querySelector('.md-header .pdz-menu-button').getAttribute('aria-controls') === 'pdz-menu'"""


def wait_for_theme_scripts(page, url: str) -> None:
    """Wait until the theme's scripts have run on a page of the site at ``url`` (site-relative),
    unless it is a standalone document; with the ``visit`` fixture's check that the
    Content-Security-Policy blocked nothing, this proves that the policy lets them run."""
    if "/stampa/" not in url and not url.endswith("/scheda/"):
        page.wait_for_function(THEME_SCRIPTS_RAN)


# --- page probes (JavaScript run in the page) ------------------------------------------------

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const r = e.getBoundingClientRect(), s = getComputedStyle(e);
  return {tag: e.tagName, id: e.id, cls: String(e.className), text: (e.innerText || '').trim().slice(0, 60),
          label: e.getAttribute('aria-label') || '', href: e.getAttribute('href') || '',
          left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height,
          vw: document.documentElement.clientWidth, vh: window.innerHeight,
          outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0, outlineColor: s.outlineColor,
          shadow: s.boxShadow, visibility: s.visibility, opacity: s.opacity,
          inContent: !!e.closest('#contenuto')};
}"""

# Horizontal overflow of the page: the document wider than the viewport, and elements that
# stick out of it while not inside a box that scrolls or clips them (wide tables scroll in
# their own .pdz-table-wrap) nor hidden (the closed navigation drawer).
OVERFLOW = """() => {
  const vw = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || (r.right <= vw + 1 && r.left >= -1)) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible' || s.visibility === 'hidden') { clipped = true; break; }
    }
    if (!clipped) out.push(`${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]} ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, bodyScrollWidth: document.body.scrollWidth,
          viewport: vw, outside: out.slice(0, 10)};
}"""


# One page of every kind (site-relative addresses; permalinks never change).
PAGE_KINDS = {
    "home": "",
    "ambito": "corsico/",
    "piano": "corsico/2021-2023/",
    "storia degli obiettivi": "treviglio/storia/",
    "obiettivo valutato, con misurazioni": "treviglio/2018-2020/obiettivi/08-informazione/",
    "obiettivo": "crema/2021-2023/obiettivi/04-domiciliarita-anziani/",       # the longest objective page
    "valutazione": "carate-brianza/2021-2023/valutazioni/s3-sad/",            # the longest evaluation page
    "area di policy": "aree/b/",
    "partner": "partner/comunita-sociale-cremasca/",
    "glossario": "glossario/",
    "dati aperti": "dati-aperti/",
    "tabella di dati": "corsico/2021-2023/dati/",
    "destinatari": "destinatari/minori/",
    "documento di origine": "fonti/001-corsico/",
    "dichiarazione di accessibilità": "accessibilita/",   # and the "Informazioni sul sito" menu
    "segnalazioni": "segnalazioni/",   # privacy/ and note-legali/ are the same kind of page
    "scheda incorporabile": "corsico/2021-2023/obiettivi/04-tutela-minori/scheda/",   # shown by partners in an <iframe>
}
OBJECTIVE = PAGE_KINDS["obiettivo"]
FOOTER_LINKS = ("accessibilita/", "segnalazioni/", "privacy/", "note-legali/")
LICENCE = "https://creativecommons.org/licenses/by/4.0/deed.it"


AXE_CHECKED: set[str] = set()


def assert_no_violations(page, label: str):
    assert axe_violations(page) == []
    AXE_CHECKED.add(label)
    SUMMARY["accessibilità (axe-core in Chromium, WCAG 2.1 A/AA)"] = \
        f"{len(AXE_CHECKED)} pagine o stati della pagina, 0 violazioni"


def tab(page, times: int = 1) -> dict | None:
    """Press Tab, wait until the page is still again (focus styles and Material's transitions
    take time), and describe the focused element."""
    for _ in range(times):
        page.keyboard.press("Tab")
    settle(page)
    return page.evaluate(FOCUSED)


def assert_focus_visible(focused: dict | None, where: str):
    assert focused is not None, f"{where}: the focus went to the page body"
    name = f"{where}: <{focused['tag'].lower()} class='{focused['cls']}'> {focused['text'] or focused['label']!r}"
    assert focused["visibility"] != "hidden" and focused["width"] > 0 and focused["height"] > 0, name
    assert focused["right"] > 0 and focused["left"] < focused["vw"], f"{name} is off screen: {focused}"
    assert focused["bottom"] > 0 and focused["top"] < focused["vh"], f"{name} is off screen: {focused}"
    ring = focused["outline"] != "none" and focused["outlineWidth"] >= 2
    assert ring or focused["shadow"] != "none", f"{name} has no visible focus indicator: {focused}"

