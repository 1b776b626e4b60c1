"""The HTTP headers the hosting sends (issue #29): the ``_headers`` file the build writes for
Netlify and Cloudflare Pages, and the nginx example (hosting/nginx.conf), give every embeddable
card (<objective>/scheda/) to any site's frames and every other page to the site's own only, with
the same common headers everywhere; SECURITY.md and the guide say so."""
from __future__ import annotations

import re

from pdz_dev.hosting import cloudflare_headers, html_requests, netlify_headers, nginx_headers, parse_headers_file
from pdz_dev.project import ROOT, SUMMARY
from pdz.site.hosting import CARD, COMMON, PAGE, framing_rules

NGINX = ROOT / "hosting" / "nginx.conf"


def expected(file: str) -> dict:
    return {**COMMON, **(CARD if file.endswith("/scheda/index.html") else PAGE)}


def test_headers_file_frames_cards_for_any_site_and_pages_for_the_site_only(real_site):
    rules = parse_headers_file((real_site / "_headers").read_text(encoding="utf-8"))
    requests = html_requests(real_site)
    cards = {file for file, _ in requests if file.endswith("/scheda/index.html")}
    assert len(cards) > 100
    wrong = []
    for file, address in requests:
        netlify, cloudflare = netlify_headers(rules, address), cloudflare_headers(rules, address)
        if not (netlify == cloudflare == expected(file)):
            wrong.append((address, netlify, cloudflare))
    assert wrong == []
    SUMMARY["intestazioni HTTP (_headers)"] = (f"{len(rules)} regole; {len(cards)} schede incorporabili da ogni sito, "
                                               f"{len({f for f, _ in requests}) - len(cards)} altre pagine solo dal sito, "
                                               "uguali per Netlify e Cloudflare Pages")


def test_the_nginx_example_sends_the_same_headers(real_site):
    conf = NGINX.read_text(encoding="utf-8")
    for file, address in html_requests(real_site):
        # nginx's $uri is the address, or after the index module its index.html
        assert nginx_headers(conf, address) == expected(file), address
    assert "server_name" in conf and "root " in conf and "error_page 404 /404.html;" in conf
    # a location with add_header of its own would drop the server's headers for its files
    assert not re.search(r"location[^{]*\{[^}]*add_header", conf)


def test_a_page_named_like_a_card_at_the_cards_depth_is_refused():
    card = "x/y/z/w/scheda/index.html"
    rules, problems = framing_rules(["index.html", "a/b/c/d/index.html", "a/b/c/d/scheda/index.html"], {card})
    assert [p.message for p in problems] == [
        "una pagina a profondità 5 finisce in «scheda/» come le schede incorporabili: le intestazioni non saprebbero distinguerle"]
    # at another depth a folder called scheda is just a page
    rules, problems = framing_rules(["index.html", "a/b/c/d/index.html", "a/b/c/scheda/index.html"], {card})
    assert problems == [] and ("/:p1/:p2/:p3/:p4/", PAGE) in rules and ("/:p1/:p2/:p3/:p4/scheda/", CARD) in rules


def test_security_and_the_guide_document_the_headers():
    security = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    section = security[security.index("## Headers the hosting must add"):]
    section = section[:section.index("\n## ", 3)]
    for name, value in {**COMMON, **CARD, **PAGE}.items():
        assert f"{name}: {value}" in section, name
    for needed in ("_headers", "hosting/nginx.conf", "GitHub Pages", "scheda/"):
        assert needed in section, needed
    guide = (ROOT / "docs" / "gestione.md").read_text(encoding="utf-8")
    for needed in ("_headers", "hosting/nginx.conf", "GitHub Pages", "frame-ancestors"):
        assert needed in guide, needed
