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
