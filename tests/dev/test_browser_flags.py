"""The switches the browser tests start Chromium with (pdz_dev.browser.LAUNCH_ARGS)."""
from __future__ import annotations

import re
from pathlib import Path

from pdz_dev.browser import LAUNCH_ARGS, PLAYWRIGHT_DISABLED_FEATURES


def test_our_disabled_features_keep_those_playwright_disables():
    """Chromium keeps only the last --disable-features: ours must repeat Playwright's own list,
    read here from the installed driver."""
    import playwright
    bundle = Path(playwright.__file__).parent / "driver" / "package" / "lib" / "coreBundle.js"
    found = re.search(r"disabledFeatures = \[(.*?)\]", bundle.read_text(encoding="utf-8"), re.S)
    assert found, f"{bundle}: Playwright's list of disabled features was not found (has its code changed?)"
    playwrights = re.findall(r'^\s*"([A-Za-z]+)"', found.group(1), re.M)
    assert len(playwrights) > 5 and set(playwrights) == set(PLAYWRIGHT_DISABLED_FEATURES)
    switches = [arg for arg in LAUNCH_ARGS if arg.startswith("--disable-features=")]
    assert len(switches) == 1 and set(PLAYWRIGHT_DISABLED_FEATURES) <= set(switches[0].split("=", 1)[1].split(","))


def test_a_visitor_costs_no_address_bar_popups(browser):
    """Every browser context is a headless window: without the switch, each built the address
    bar's WebUI popups (chrome://omnibox-popup.top-chrome/), in a renderer of their own."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto("about:blank")
        # other tests' visitors may be open (the visit fixture keeps them): this context's targets
        ours = context.new_cdp_session(page).send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
        session = browser.new_browser_cdp_session()
        targets = session.send("Target.getTargets", {"filter": [{}]})["targetInfos"]
        session.detach()
        assert [t["url"] for t in targets if t["type"] == "page" and t["browserContextId"] == ours] == ["about:blank"]
        assert [t["url"] for t in targets if "top-chrome" in t["url"]] == []   # in no context
    finally:
        context.close()


def test_the_uncached_visitors_route_refuses_exactly_the_requests_leaving_127_0_0_1():
    """Visit(uncached=True) routes FOREIGN_URL, a pattern Playwright's driver matches itself: it
    must match the addresses that is_local refuses, and only those."""
    from pdz_dev.browser import FOREIGN_URL, is_local
    urls = ["http://127.0.0.1:8000/", "http://127.0.0.1:8000/assets/x.js?v=1", "http://127.0.0.1/", "ws://127.0.0.1:9/api",
            "http://127.0.0.1", "http://127.0.0.10/", "http://127.0.0.1.example.org/", "https://statistiche.example.org/matomo.js",
            "http://localhost:8000/", "https://fonts.gstatic.com/s/x.woff2", "data:image/png;base64,AAAA", "blob:http://127.0.0.1:8000/1",
            "about:blank", "javascript:void(0)", "chrome-extension://abc/x.js", "http://example.org/?u=http://127.0.0.1/"]
    assert {url: bool(FOREIGN_URL.search(url)) for url in urls} == {url: not is_local(url) for url in urls}
