"""A page says what it is first, and its words read well (issue #25), on the built real site.

- objective and evaluation pages open with "In breve", built only from their own fields
  (Ambito, period, area, target, budget with its label, state);
- titles the plan writes in capitals are shown in sentence case (acronyms and place names
  kept); the record keeps the plan's spelling, which the page shows with its source lines;
- acronyms of the glossary carry their glossary entry (the disclosure of pdz-abbr.js);
- charts have no viewBox (their words keep their size) and a series of one value is a sentence.
"""
from __future__ import annotations

import html
import re

from pdz.domain.budget import headline
from pdz.html.text import TextRenderer
from pdz.render import Build
from pdz.render.base import euro
from pdz.render.charts import FONT, bar_chart, drawable, line_chart
from pdz.render.italian import in_capitals, sentence_case
from pdz_dev.project import SUMMARY, html as page_html, real_content

BRIEF = re.compile(r'<section class="pdz-brief"[^>]*>(.*?)</section>', re.S)
PAIR = re.compile(r'<dt>(.*?)<span class="pdz-sep">: </span></dt><dd>(.*?)</dd>', re.S)


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def catalog_and_ctx():
    catalog, _ = real_content()
    build = Build(catalog)
    return catalog, build, build.page("")


def test_sentence_case_keeps_acronyms_and_place_names():
    acronyms = {"ADI": "ADI", "SAD": "SAD", "RDC": "RdC"}
    names = ["Carate Brianza", "Ambito di Carate Brianza"]
    assert sentence_case("CONTRASTO ALLA POVERTÀ ED EMARGINAZIONE SOCIALE", acronyms, names) == \
        "Contrasto alla povertà ed emarginazione sociale"
    assert sentence_case("SERVIZI ADI E SAD NELL'AMBITO DI CARATE BRIANZA: IL RDC NEL 2021", acronyms, names) == \
        "Servizi ADI e SAD nell'Ambito di Carate Brianza: il RdC nel 2021"
    assert in_capitals("POLITICHE ABITATIVE") and in_capitals("DOMICILIARITÀ E ANZIANI")
    assert not in_capitals("Politiche abitative") and not in_capitals("ADI") and not in_capitals("Progetto FAMIREDO")


def test_titles_in_capitals_read_in_sentence_case_and_the_plans_spelling_stays(real_site):
    catalog, _, ctx = catalog_and_ctx()
    record = catalog.get("obiettivo", "crema/2021-2023/obiettivi/04-domiciliarita-anziani")
    assert record.title == "DOMICILIARITÀ E ANZIANI"   # the record keeps the plan's spelling
    page = page_html(real_site, record.id)
    assert re.search(r'<h1 id="titolo"><span class="pdz-kicker">Obiettivo 2021-2023</span> Domiciliarità e anziani</h1>', page)
    original = re.search(r'<p class="pdz-original-title"[^>]*>(.*?)</p>', page).group(1)
    assert text(original) == "Titolo nel piano: «DOMICILIARITÀ E ANZIANI» (fonte, righe 1003–1056)"
    assert 'href="../../../../fonti/002-crema/testo/' in original
    listing = page_html(real_site, "crema/2021-2023/obiettivi")
    assert "Domiciliarità e anziani" in listing and "DOMICILIARITÀ E ANZIANI" not in listing
    shown = [r for r in catalog.records if ctx.original_title(r)]
    assert all(in_capitals(r.title) for r in shown) and len(shown) >= 8
    SUMMARY["titoli in maiuscolo mostrati in minuscolo"] = f"{len(shown)} (il titolo del piano resta nella scheda e sulla pagina)"


def test_objectives_and_evaluations_open_with_in_breve_built_from_their_own_fields(real_site):
    catalog, build, ctx = catalog_and_ctx()
    checked = 0
    for record in catalog.all("obiettivo") + catalog.all("valutazione"):
        page = page_html(real_site, record.id)
        brief = BRIEF.search(page)
        assert brief, record.id
        title = page.index('<h1 id="titolo"')
        assert title < brief.start() and "<h2" not in page[title:brief.start()], record.id   # first, after the title
        facts = {text(label): (text(value), value) for label, value in PAIR.findall(brief.group(1))}
        d = record.data
        assert facts.pop("Ambito")[0] == ctx.ambito_name(record)
        assert facts.pop("Periodo")[0].startswith(f"Piano di Zona {record.period}")
        area = facts.pop("Area di policy", None) or facts.pop("Area", None)
        if area:
            named = catalog.get("area", d["area"]).title if d.get("area") else d.get("area_piano") or d.get("gruppo_piano")
            others = d.get("altre_aree") or []   # #28: the other areas its title or group names
            if others:
                assert area[0].startswith(f"{named}; anche "), record.id
                assert all(catalog.get("area", other).title in area[0] for other in others), record.id
            else:
                assert area[0] == named, record.id
        if "Destinatari" in facts:
            shown = facts.pop("Destinatari")[0].replace(" … (continua)", "").replace(" (continua)", "")
            assert " ".join(d["target"].replace("*", "").split()).startswith(shown), record.id
        if "Risorse economiche preventivate" in facts:
            amount = headline(record).amount
            assert facts.pop("Risorse economiche preventivate")[0].startswith(euro(amount)), record.id
        state = ctx.monitoring.state(record) if record.kind == "obiettivo" else None
        if "Stato di attuazione" in facts:
            shown = facts.pop("Stato di attuazione")[0]
            assert state is None or shown.startswith(state.label), record.id
        for key in ("Grado di raggiungimento", "Coincidenza tra risorse stanziate e impegnate"):
            if key in facts:
                field = d["grado_raggiungimento" if key.startswith("Grado") else "coincidenza_risorse"]
                shown = facts.pop(key)[0]
                assert (f"{field['percentuale']:g}".replace(".", ",") in shown) if "percentuale" in field else shown, record.id
        assert facts == {}, (record.id, facts)   # nothing else, nothing invented
        checked += 1
    SUMMARY["«In breve» in apertura (obiettivi e valutazioni)"] = f"{checked} pagine, ogni voce dai campi della scheda"


def test_acronyms_carry_their_glossary_entry():
    renderer = TextRenderer({"ADI": "Assistenza Domiciliare Integrata"}, {"ADI": "adi"})
    assert renderer.plain("Il servizio ADI") == \
        'Il servizio <abbr title="Assistenza Domiciliare Integrata" data-glossario="adi">ADI</abbr>'
    assert TextRenderer({"ADI": "x"}).plain("ADI") == '<abbr title="x">ADI</abbr>'   # no entry: no disclosure


def test_charts_keep_their_words_at_one_size_and_one_value_is_a_sentence():
    bars = bar_chart("g", "Titolo", "Descrizione", [("Area A", 10, "10"), ("Area B con un nome molto lungo da tagliare", 40, "40")])
    line = line_chart("l", "Titolo", "Descrizione", [("2021", 10, "10"), ("2022", 20, "20")], (30, "obiettivo: 30"))
    for svg in (bars, line):
        assert "viewBox" not in svg and 'width="100%"' in svg and f'font-size="{FONT}"' in svg and FONT >= 12
        assert "font-size" not in svg.replace(f'font-size="{FONT}"', "", 1)   # no smaller text anywhere
    assert 'fill="#fff">40</text>' in bars   # a bar longer than half the width holds its value
    assert not drawable([1]) and drawable([1, 2])
    catalog, _, ctx = catalog_and_ctx()
    from pdz.render.plans import achievement_chart
    plan = catalog.get("piano", "crema/2021-2023")
    graded = [e for e in catalog.of_plan(plan.id, "valutazione")
              if "percentuale" in (e.data.get("grado_raggiungimento") or {})]
    one = achievement_chart(ctx.at(plan.id + "/"), plan, graded[:1])
    assert "<svg" not in one and "Una sola valutazione indica un grado di raggiungimento" in one
    assert "<svg" in achievement_chart(ctx.at(plan.id + "/"), plan, graded)
