"""pdz.site.pages.Chrome: a theme part is rendered once for the pages whose output of it is
necessarily the same (outside the navigation, same folder), and for every other page anew."""
from __future__ import annotations

from types import SimpleNamespace as NS

from pdz.site.pages import Chrome

NAV = NS(items=[NS(url="", children=None), NS(url="ambiti/", children=None),
                NS(url=None, children=[NS(url="aree/a/", children=None), NS(url="https://example.org/x", children=None)])])


def renders(chrome: Chrome, url: str, editors: bool = False) -> int:
    calls = []
    chrome.get("nav", url, editors, lambda: calls.append(url) or f"nav of {url}")
    return len(calls)


def test_pages_of_one_folder_share_the_part_others_do_not():
    chrome = Chrome(NAV)
    assert renders(chrome, "corsico/2021-2023/obiettivi/01-x/") == 1
    assert renders(chrome, "corsico/2021-2023/obiettivi/02-y/") == 0      # same folder: shared
    assert renders(chrome, "corsico/2021-2023/valutazioni/01-x/") == 1    # another folder
    assert renders(chrome, "corsico/2021-2023/obiettivi/02-y/", editors=True) == 1   # editors' pages differ


def test_pages_that_hold_the_navigation_render_their_own():
    chrome = Chrome(NAV)
    for url in ("", "ambiti/", "aree/", "aree/a/"):   # an item, or the folder of one
        assert renders(chrome, url) == 1 and renders(chrome, url) == 1
    assert renders(chrome, "ambiti/pagina-2/") == 1 and renders(chrome, "ambiti/pagina-3/") == 0


def test_the_shared_part_is_the_first_pages_output():
    chrome = Chrome(NAV)
    first = chrome.get("nav", "x/a/", False, lambda: "A")
    assert chrome.get("nav", "x/b/", False, lambda: "B") == first == "A"
    assert chrome.get("config", "x/b/", False, lambda: "C") == "C"      # parts are apart
    assert chrome.get("nav", "404.html", False, lambda: "D") == "D"      # not a folder address
