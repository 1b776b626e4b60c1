"""For partners: "Cita o incorpora" on every objective page, the embeddable card of each objective,
and the Atom feeds of changes (one per Ambito, one per partner) linked from the pages."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

from pdz_dev.project import SUMMARY, real_content

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://pdz-site.example.org/"
EMBED_BUDGET = 20 * 1024


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def local(site: Path, url: str) -> Path:
    assert url.startswith(SITE_URL), url
    url = url.split("#")[0]   # a feed entry leads to the record's history (#cronologia)
    path = site / url[len(SITE_URL):]
    return path / "index.html" if url.endswith("/") else path


def test_every_objective_page_offers_permalink_citation_and_embed(real_site):
    catalog, _ = real_content()
    sizes = []
    for objective in catalog.all("obiettivo"):
        page = html(real_site, objective.id)
        block = page[page.index('id="cita-o-incorpora"'):page.index('class="pdz-block pdz-provenance"')]
        permalink = f"{SITE_URL}{objective.id}/"
        assert f'<a href="{permalink}">{permalink}</a>' in block
        citation = re.search(r'<span class="pdz-citation">(.*?)</span>', block).group(1)
        ambito = catalog.get("ambito", objective.ambito)
        assert citation.startswith(f"{ambito.title}, Piano di Zona {objective.period}, obiettivo ")
        assert re.search(r"aggiornato al \d{1,2} [a-z]+ \d{4}\. Piani di Zona della Lombardia, ", citation)
        assert citation.endswith(f"{permalink} (CC BY 4.0).")
        code = re.search(r'<pre class="pdz-embed-code"[^>]*><code>(.*?)</code></pre>', block).group(1)
        assert code.startswith(f"&lt;iframe src=&quot;{permalink}scheda/&quot; title=&quot;Obiettivo ")
        card = real_site / objective.id / "scheda" / "index.html"
        sizes.append(card.stat().st_size + (real_site / "assets" / "pdz-embed.css").stat().st_size)
    assert max(sizes) < EMBED_BUDGET
    SUMMARY["scheda incorporabile (HTML + CSS)"] = f"al massimo {max(sizes)} byte su {len(sizes)} obiettivi (limite 20 KB)"


def test_the_card_is_a_small_accessible_page_without_navigation_or_script(real_site):
    card = (real_site / "corsico/2021-2023/obiettivi/04-tutela-minori/scheda/index.html").read_text(encoding="utf-8")
    assert '<html lang="it">' in card and "<title>4. Ridefinizione del servizio tutela minori – Ambito di Corsico</title>" in card
    assert card.count("<h1>") == 1 and "<main" in card
    assert "<script" not in card and "<nav" not in card and "style=" not in card
    assert '<link rel="canonical" href="https://pdz-site.example.org/corsico/2021-2023/obiettivi/04-tutela-minori/">' in card
    assert 'target="_blank" rel="noopener">Leggi la scheda completa' in card and "nuova finestra" in card
    assert "€ 3.940.000,00" in card


def test_no_card_for_other_records(real_site):
    assert not (real_site / "corsico/2021-2023/valutazioni/01-portale-unico-di-ambito/scheda").exists()
    assert "cita-o-incorpora" not in html(real_site, "corsico/2021-2023/valutazioni/01-portale-unico-di-ambito")


def parse_feed(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, (path, required)
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    datetime.fromisoformat(root.find(f"{ATOM}updated").text)
    return root


def test_feeds_parse_and_every_entry_links_to_a_page(real_site):
    catalog, _ = real_content()
    feeds = [real_site / a.id / "novita.xml" for a in catalog.all("ambito")] + \
        [real_site / "partner" / p.id / "novita.xml" for p in catalog.all("partner")]
    entries = 0
    for path in feeds:
        root = parse_feed(path)
        self_href = root.find(f"{ATOM}link[@rel='self']").get("href")
        assert local(real_site, self_href) == path
        assert local(real_site, root.find(f"{ATOM}link[@rel='alternate']").get("href")).is_file()
        ids = set()
        dates = []
        for entry in root.findall(f"{ATOM}entry"):
            for required in ("id", "title", "updated", "summary"):
                assert entry.find(f"{ATOM}{required}") is not None and entry.find(f"{ATOM}{required}").text, required
            ids.add(entry.find(f"{ATOM}id").text)
            dates.append(datetime.fromisoformat(entry.find(f"{ATOM}updated").text))
            assert local(real_site, entry.find(f"{ATOM}link[@rel='alternate']").get("href")).is_file()
            entries += 1
        assert len(ids) == len(root.findall(f"{ATOM}entry")) <= 50
        assert dates == sorted(dates, reverse=True)
        if dates:
            assert datetime.fromisoformat(root.find(f"{ATOM}updated").text) == dates[0]
    corsico = parse_feed(real_site / "corsico" / "novita.xml")
    assert corsico.findall(f"{ATOM}entry"), "the Ambito's records have a git history"
    SUMMARY["feed Atom"] = f"{len(feeds)} feed ({entries} voci), tutti validi"


def test_a_partner_feed_lists_the_records_that_cite_it(real_site):
    catalog, _ = real_content()
    partner = next(p for p in catalog.all("partner") if catalog.referrers(p, "obiettivo"))
    root = parse_feed(real_site / "partner" / partner.id / "novita.xml")
    links = {e.find(f"{ATOM}link").get("href").split("#")[0] for e in root.findall(f"{ATOM}entry")}
    citing = {f"{SITE_URL}{link.source.id}/" for link in catalog.referrers(partner, "obiettivo")}
    # a change of a citing record leads to it; the publication of its plan is one entry leading to the plan
    plans = {f"{SITE_URL}{link.source.piano}/" for link in catalog.referrers(partner, "obiettivo")}
    assert links & (citing | plans)


def test_pages_link_their_feed(real_site):
    assert '<link rel="alternate feed" type="application/atom+xml" href="../../../novita.xml" title="Novità – Ambito di Corsico">' \
        in html(real_site, "corsico/2021-2023/obiettivi/04-tutela-minori")
    assert '<link rel="alternate feed" type="application/atom+xml" href="novita.xml" title="Novità – Ambito di Corsico">' \
        in html(real_site, "corsico")
    partner_page = html(real_site, "partner/comunita-sociale-cremasca")
    assert '<link rel="alternate feed" type="application/atom+xml" href="novita.xml" title="Novità – Comunità Sociale Cremasca">' \
        in partner_page
    assert "application/atom+xml" not in html(real_site, "glossario")
