"""Every change is public (issue #26): each record's history, feeds that say what changed,
``modifiche.csv``, a plan's last changes, ``novita/`` and the pages left at addresses a record left.

A throw-away git repository with a scripted history is built as the site would be published from
it: the fixture content published, a budget changed with a reason, a text changed, a file only
reformatted (requoted, and turned from YAML into Markdown, with no trailer), a section renamed,
a table removed, a contributor's branch with old committer dates merged as a pull request, an
objective changed and another created through the web editor (the reason typed in the form, in
the record; commits and merge as Decap CMS and GitHub write them), and a later change that
leaves the form's reason in the file. Each page's history, each feed entry and ``modifiche.csv``
are asserted exactly.
"""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pdz_dev.project import FIXTURES, ROOT, build, make_project
from pdz_dev.gitrepo import edit, git

OBJECTIVE = "content/ambiti/prova/2021-2023/obiettivi/01-casa.md"
EVALUATION = "content/ambiti/prova/2021-2023/valutazioni/01-portale.md"
SECTION = "content/ambiti/prova/2021-2023/sezioni/01-introduzione.md"
RENAMED = "content/ambiti/prova/2021-2023/sezioni/01-presentazione.md"
TABLE = "content/ambiti/prova/2021-2023/dati/popolazione.yaml"
OLD_OBJECTIVE = "content/ambiti/prova/2018-2020/obiettivi/01-portale.yaml"
AREA = "content/aree/B.yaml"
NEW_OBJECTIVE = "content/ambiti/prova/2021-2023/obiettivi/centro-per-le-famiglie.md"
WEB_REASON = "destinatari estesi dal Tavolo casa del 3 aprile 2024"
NEW_REASON = "nuovo servizio approvato dall'Assemblea dei Sindaci del 6 maggio 2024"
ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://pdz-site.example.org/"


def commit(repo: Path, date: str, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message, date=date)
    return git(repo, "rev-parse", "HEAD").strip()


def scripted_history(tmp: Path) -> tuple[Path, dict[str, str]]:
    """The fixture's content with a history of every kind of change (dates are the committer's)."""
    repo = make_project(tmp, FIXTURES / "valid")
    git(repo, "init", "-q", "-b", "main")
    commits = {"init": commit(repo, "2024-01-10T10:00:00+00:00", "Contenuti iniziali")}
    edit(repo, OBJECTIVE, "importo: 250000.00", "importo: 3800000.00")
    commits["budget"] = commit(repo, "2024-02-01T10:00:00+00:00",
                               "Aggiorna le risorse dell'agenzia per la casa\n\n"
                               "Motivo: variazione di bilancio approvata dall'Assemblea dei Sindaci del 20 gennaio 2024")
    edit(repo, OBJECTIVE, "Una **agenzia** per la casa.", "Una **agenzia** pubblica per la casa e l'abitare.")
    commits["text"] = commit(repo, "2024-02-15T10:00:00+00:00", "Descrizione più precisa\n\nMotivo: testo corretto sul piano approvato")
    # format only, and no trailer: requoted YAML; a .yaml record turned into front-matter Markdown
    edit(repo, AREA, 'nome: "Politiche abitative"', "nome: 'Politiche abitative'")
    git(repo, "mv", OLD_OBJECTIVE, OLD_OBJECTIVE.replace(".yaml", ".md"))
    old = repo / OLD_OBJECTIVE.replace(".yaml", ".md")
    old.write_text("---\n" + old.read_text(encoding="utf-8") + "---\n", encoding="utf-8")
    commits["format"] = commit(repo, "2024-03-01T10:00:00+00:00", "Riformatta due file")
    git(repo, "mv", SECTION, RENAMED)
    commits["rename"] = commit(repo, "2024-03-10T10:00:00+00:00", "Rinomina la sezione\n\nMotivo: nome del file come il titolo del capitolo")
    git(repo, "rm", "-q", TABLE)
    commits["removal"] = commit(repo, "2024-03-20T10:00:00+00:00", "Togli la tabella della popolazione\n\nMotivo: dati duplicati, già nel documento di origine")
    git(repo, "checkout", "-q", "-b", "contributo")
    edit(repo, EVALUATION, "percentuale: 25", "percentuale: 40")
    commits["contributor"] = commit(repo, "2019-05-01T10:00:00+00:00",
                                    "Valutazione aggiornata\n\nMotivo: dato del monitoraggio di marzo 2024")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "contributo", "-m", "Merge pull request #7 from contributore/valutazione\n\n"
        "Aggiorna il grado di raggiungimento del portale", date="2024-04-01T10:00:00+00:00")
    commits["merge"] = git(repo, "rev-parse", "HEAD").strip()
    # through the web editor (Decap CMS, editorial workflow): the form asks for the reason and
    # writes it in the record, first in the file as the form has it; the branch's commit and
    # GitHub's merge say nothing of it
    git(repo, "checkout", "-q", "-b", "cms/prova-2021-2023-obiettivi/01-casa")
    edit(repo, OBJECTIVE, "---\ntitolo:", f"---\nmotivo_modifica: {WEB_REASON}\ntitolo:")
    edit(repo, OBJECTIVE, 'target: "Famiglie in difficoltà abitativa"', 'target: "Famiglie in difficoltà abitativa e giovani coppie"')
    commits["web"] = commit(repo, "2024-04-10T09:00:00+00:00", "Update Obiettivo “01-casa”")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "cms/prova-2021-2023-obiettivi/01-casa", "-m",
        "Merge pull request #9 from ente/cms/prova-2021-2023-obiettivi/01-casa\n\n"
        "Automatically generated. Merged on Decap CMS.", date="2024-04-15T10:00:00+00:00")
    commits["web_merge"] = git(repo, "rev-parse", "HEAD").strip()
    # a later change of the file that leaves the reason as it was: that reason is not this change's
    edit(repo, OBJECTIVE, "mesi_lavoro: 20", "mesi_lavoro: 24")
    commits["after_web"] = commit(repo, "2024-05-02T10:00:00+00:00", "Mesi di lavoro secondo il monitoraggio")
    # a new objective created in the web editor, with its reason
    (repo / NEW_OBJECTIVE).write_text(f"---\nmotivo_modifica: {NEW_REASON}\ntitolo: Centro per le famiglie\narea: B\n"
                                      "fonti:\n  - documento: doc-prova\n    righe:\n      - 10\n      - 12\n---\n\n"
                                      "Un centro che accoglie le famiglie.\n", encoding="utf-8")
    commits["web_new"] = commit(repo, "2024-05-10T10:00:00+00:00", "Create Obiettivo “centro-per-le-famiglie”")
    return repo, commits


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    return scripted_history(tmp_path_factory.mktemp("cronologia"))


@pytest.fixture(scope="module")
def site(history, tmp_path_factory):
    repo, _ = history
    site = tmp_path_factory.mktemp("cronologia-sito") / "site"
    result = build(repo, site)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def text(html: str) -> str:
    """Visible words of an HTML fragment (hidden helper words for screen readers included)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'").replace("&amp;", "&").strip()


def history_of(site: Path, url: str) -> list[str]:
    """The items of the page's "Cronologia delle modifiche", as text, newest first."""
    page = (site / url / "index.html").read_text(encoding="utf-8")
    section = page[page.index('id="cronologia"'):]
    section = section[:section.index("</ol>")]
    return [text(item) for item in re.findall(r'<li class="pdz-change[^"]*">(.*?)</li>\s*(?=<li class="pdz-change|$)',
                                              section, re.S)]


def feed_entries(site: Path, rel: str) -> list[tuple[str, str, str, str]]:
    """(updated, title, summary, link) of each entry of a feed, in the feed's order."""
    root = ET.parse(site / rel).getroot()
    return [(e.findtext(f"{ATOM}updated"), e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}summary"),
             e.find(f"{ATOM}link").get("href")) for e in root.findall(f"{ATOM}entry")]


BUDGET_REASON = "variazione di bilancio approvata dall'Assemblea dei Sindaci del 20 gennaio 2024"
BUDGET = ("Risorse economiche preventivate › Voci di spesa 1 › Importo : € 250.000,00 → diventa € 3.800.000,00 "
          f"Motivo: {BUDGET_REASON}")
TEXT = ("Descrizione : Una **agenzia** [aggiunto: pubblica ] per la casa [aggiunto: e l'abitare ] . "
        "- primo punto - secondo … Motivo: testo corretto sul piano approvato")
PUBLISHED_2021 = "10 gennaio 2024 – Pubblicata con il Piano di Zona 2021-2023 Motivo: Contenuti iniziali"
# through the web editor: the reason is the form's, not GitHub's merge message ("Automatically
# generated. Merged on Decap CMS.") nor Decap's commit ("Update Obiettivo “01-casa”"); the later
# change that left it in the file takes its own commit's reason
WEB = ("15 aprile 2024 – Modificata Destinatari (target) : Famiglie in difficoltà abitativa [aggiunto: e giovani coppie ] "
       f"Motivo: {WEB_REASON}")
AFTER_WEB = ("2 maggio 2024 – Modificata Risorse di personale dedicate › Mesi di lavoro : 20 → diventa 24 "
             "Motivo: Mesi di lavoro secondo il monitoraggio")
MOVE = ("10 marzo 2024 – Spostata da prova/2021-2023/sezioni/01-introduzione/ a "
        "prova/2021-2023/sezioni/01-presentazione/ Motivo: nome del file come il titolo del capitolo")


def test_each_record_page_shows_its_history(site):
    assert history_of(site, "prova/2021-2023/obiettivi/01-casa") == [
        AFTER_WEB, WEB, f"15 febbraio 2024 – Modificata {TEXT}", f"1 febbraio 2024 – Modificata {BUDGET}", PUBLISHED_2021]
    assert history_of(site, "prova/2021-2023/obiettivi/centro-per-le-famiglie") == [
        f"10 maggio 2024 – Pubblicata Motivo: {NEW_REASON}"]
    # the contributor's commit of 2019 is dated by the merge; its reason is its own Motivo line
    assert history_of(site, "prova/2021-2023/valutazioni/01-portale") == [
        "1 aprile 2024 – Modificata Grado di raggiungimento › Percentuale : 25% → diventa 40% "
        "Motivo: dato del monitoraggio di marzo 2024", PUBLISHED_2021]
    assert history_of(site, "prova/2021-2023/sezioni/01-presentazione") == [MOVE, PUBLISHED_2021]
    # format only (requoted YAML; .yaml to front-matter Markdown, no trailer): no change shown
    assert history_of(site, "aree/b") == ["10 gennaio 2024 – Pubblicata Motivo: Contenuti iniziali"]
    assert history_of(site, "prova/2018-2020/obiettivi/01-portale") == [
        "10 gennaio 2024 – Pubblicata con il Piano di Zona 2018-2020 Motivo: Contenuti iniziali"]
    # every kind of record page has the section: Ambito, plan, partner, area, source document
    for url in ("prova", "prova/2021-2023", "partner/asst-prova", "fonti/doc-prova"):
        assert history_of(site, url)[-1].startswith("10 gennaio 2024 – Pubblicata"), url


def test_old_addresses_keep_a_page_that_says_what_happened(site):
    moved = (site / "prova/2021-2023/sezioni/01-introduzione/index.html").read_text(encoding="utf-8")
    assert "Questa scheda ha cambiato indirizzo il 10 marzo 2024 : ora è Introduzione ." in text(moved)
    assert 'href="../01-presentazione/"' in moved
    assert history_of(site, "prova/2021-2023/sezioni/01-introduzione") == [MOVE, PUBLISHED_2021]
    removed = (site / "prova/2021-2023/dati/popolazione/index.html").read_text(encoding="utf-8")
    assert "Questa scheda è stata rimossa dal sito il 20 marzo 2024 . " \
           "Motivo: dati duplicati, già nel documento di origine" in text(removed)
    assert history_of(site, "prova/2021-2023/dati/popolazione") == [
        "20 marzo 2024 – Rimossa Motivo: dati duplicati, già nel documento di origine", PUBLISHED_2021]
    assert "Ultimo aggiornamento: 20 marzo 2024" in text(removed)


CASA = f"{SITE}prova/2021-2023/obiettivi/01-casa/#cronologia"
WEB_ENTRIES = [   # newest first: the new objective, the later change, the web editor's change
    ("2024-05-10T10:00:00+00:00", "Nuova scheda: Centro per le famiglie", f"Nuova scheda: Centro per le famiglie. Motivo: {NEW_REASON}",
     f"{SITE}prova/2021-2023/obiettivi/centro-per-le-famiglie/#cronologia"),
    ("2024-05-02T10:00:00+00:00", "Scheda modificata: Agenzia per la casa",
     "Risorse di personale dedicate › Mesi di lavoro: 20 → 24. Motivo: Mesi di lavoro secondo il monitoraggio", CASA),
    ("2024-04-15T10:00:00+00:00", "Scheda modificata: Agenzia per la casa",
     f"Destinatari (target): testo modificato. Motivo: {WEB_REASON}", CASA)]


def test_a_change_made_in_the_web_editor_has_the_reason_typed_in_the_form(site, history):
    """The form's reason (``motivo_modifica`` in the record) is the reason of the change that wrote
    it, on the record's history, in the feeds, on novita/ and in modifiche.csv, exactly as a reason
    of a commit message; it is no changed field, the page shows it nowhere else, and a later change
    that leaves it in the file does not reuse it."""
    _, commits = history
    assert history_of(site, "prova/2021-2023/obiettivi/01-casa")[:2] == [AFTER_WEB, WEB]
    assert history_of(site, "prova/2021-2023/obiettivi/centro-per-le-famiglie") == [
        f"10 maggio 2024 – Pubblicata Motivo: {NEW_REASON}"]
    for feed in ("prova/novita.xml", "aree/b/novita.xml", "novita.xml"):
        assert feed_entries(site, feed)[:3] == WEB_ENTRIES, feed
    assert feed_entries(site, "partner/asst-prova/novita.xml")[:2] == WEB_ENTRIES[1:]   # a partner of 01-casa only
    news = text((site / "novita/index.html").read_text(encoding="utf-8"))
    assert WEB.split(" – ", 1)[1].replace("Modificata ", "") in news and f"Motivo: {NEW_REASON}" in news
    page = (site / "prova/2021-2023/obiettivi/01-casa/index.html").read_text(encoding="utf-8")
    assert page.count(WEB_REASON) == 1 and page.index(WEB_REASON) > page.index('id="cronologia"')
    rows = list(csv.DictReader(io.StringIO((site / "dati/modifiche.csv").read_text(encoding="utf-8"))))
    base = {"id_precedente": "", "ambito": "prova", "periodo": "2021-2023"}
    empty = dict.fromkeys(("campo", "etichetta", "valore_precedente", "valore_nuovo", "dato_precedente", "dato_nuovo"), "")
    assert rows[:3] == [
        {"data": "2024-05-10", "modifica": commits["web_new"], "azione": "pubblicata", "tipo_record": "obiettivo",
         "id": "prova/2021-2023/obiettivi/centro-per-le-famiglie", **base,
         "permalink": f"{SITE}prova/2021-2023/obiettivi/centro-per-le-famiglie/", "titolo": "Centro per le famiglie",
         **empty, "motivo": NEW_REASON},
        {"data": "2024-05-02", "modifica": commits["after_web"], "azione": "modificata", "tipo_record": "obiettivo",
         "id": "prova/2021-2023/obiettivi/01-casa", **base, "permalink": f"{SITE}prova/2021-2023/obiettivi/01-casa/",
         "titolo": "Agenzia per la casa", "campo": "risorse_personale.mesi_lavoro",
         "etichetta": "Risorse di personale dedicate › Mesi di lavoro", "valore_precedente": "20", "valore_nuovo": "24",
         "dato_precedente": "20", "dato_nuovo": "24", "motivo": "Mesi di lavoro secondo il monitoraggio"},
        {"data": "2024-04-15", "modifica": commits["web_merge"], "azione": "modificata", "tipo_record": "obiettivo",
         "id": "prova/2021-2023/obiettivi/01-casa", **base, "permalink": f"{SITE}prova/2021-2023/obiettivi/01-casa/",
         "titolo": "Agenzia per la casa", "campo": "target", "etichetta": "Destinatari (target)",
         "valore_precedente": "Famiglie in difficoltà abitativa",
         "valore_nuovo": "Famiglie in difficoltà abitativa e giovani coppie",
         "dato_precedente": '"Famiglie in difficoltà abitativa"',
         "dato_nuovo": '"Famiglie in difficoltà abitativa e giovani coppie"', "motivo": WEB_REASON}]
    assert [row for row in rows if row["campo"] == "motivo_modifica"] == []


def test_feeds_say_what_changed(site):
    casa = CASA
    budget = ("2024-02-01T10:00:00+00:00", "Scheda modificata: Agenzia per la casa",
              f"Risorse economiche preventivate › Voci di spesa 1 › Importo: € 250.000,00 → € 3.800.000,00. Motivo: {BUDGET_REASON}", casa)
    text_change = ("2024-02-15T10:00:00+00:00", "Scheda modificata: Agenzia per la casa",
                   "Descrizione: testo modificato. Motivo: testo corretto sul piano approvato", casa)
    plan = ("2024-01-10T10:00:00+00:00", "Pubblicato il Piano di Zona 2021-2023 dell'Ambito di Prova",
            "Schede: Popolazione; Agenzia per la casa; Piano di Zona 2021-2023; Introduzione; Portale unico; "
            "Ambito di Prova. Motivo: Contenuti iniziali", f"{SITE}prova/2021-2023/")
    assert feed_entries(site, "prova/novita.xml") == WEB_ENTRIES + [
        ("2024-04-01T10:00:00+00:00", "Scheda modificata: Portale unico",
         "Grado di raggiungimento › Percentuale: 25% → 40%. Motivo: dato del monitoraggio di marzo 2024",
         f"{SITE}prova/2021-2023/valutazioni/01-portale/#cronologia"),
        ("2024-03-20T10:00:00+00:00", "Scheda rimossa: Popolazione",
         "Scheda rimossa: Popolazione. Motivo: dati duplicati, già nel documento di origine",
         f"{SITE}prova/2021-2023/dati/popolazione/"),
        ("2024-03-10T10:00:00+00:00", "Scheda spostata: Introduzione",
         "Scheda spostata: Introduzione. Motivo: nome del file come il titolo del capitolo",
         f"{SITE}prova/2021-2023/sezioni/01-presentazione/#cronologia"),
        text_change, budget,
        ("2024-01-10T10:00:00+00:00", "Pubblicato il Piano di Zona 2018-2020 dell'Ambito di Prova",
         "Schede: Portale unico; Piano di Zona 2018-2020. Motivo: Contenuti iniziali", f"{SITE}prova/2018-2020/"),
        plan]
    # the entry's content is the page's words, with absolute links (a feed reader is far from the site)
    content = ET.parse(site / "prova/novita.xml").getroot().findall(f"{ATOM}entry")[7].findtext(f"{ATOM}content")
    assert '<span class="pdz-old">€ 250.000,00</span>' in content and '<span class="pdz-new">€ 3.800.000,00</span>' in content
    assert feed_entries(site, "aree/b/novita.xml") == WEB_ENTRIES + [
        text_change, budget, plan, ("2024-01-10T10:00:00+00:00", "Nuova scheda: Politiche abitative",
                                    "Nuova scheda: Politiche abitative. Motivo: Contenuti iniziali", f"{SITE}aree/b/#cronologia")]
    assert feed_entries(site, "partner/asst-prova/novita.xml") == WEB_ENTRIES[1:] + [
        text_change, budget, plan, ("2024-01-10T10:00:00+00:00", "Nuova scheda: ASST di Prova",
                                    "Nuova scheda: ASST di Prova. Motivo: Contenuti iniziali",
                                    f"{SITE}partner/asst-prova/#cronologia")]
    whole = feed_entries(site, "novita.xml")
    assert [title for _, title, _, _ in whole] == [
        "Nuova scheda: Centro per le famiglie", "Scheda modificata: Agenzia per la casa",
        "Scheda modificata: Agenzia per la casa", "Scheda modificata: Portale unico", "Scheda rimossa: Popolazione", "Scheda spostata: Introduzione",
        "Scheda modificata: Agenzia per la casa", "Scheda modificata: Agenzia per la casa",
        "Pubblicato il Piano di Zona 2018-2020 dell'Ambito di Prova",
        "Pubblicato il Piano di Zona 2021-2023 dell'Ambito di Prova",
        "Nuova scheda: ASST", "Nuova scheda: ASST di Prova", "Nuova scheda: Politiche abitative",
        "Nuova scheda: Documento di prova"]
    assert whole[10][3] == f"{SITE}glossario/#asst"   # a glossary entry has no page of its own


def test_pages_announce_their_feed(site):
    for url, feed in (("prova", "novita.xml"), ("partner/asst-prova", "novita.xml"), ("aree/b", "novita.xml")):
        page = (site / url / "index.html").read_text(encoding="utf-8")
        assert f'<p class="pdz-follow"><a href="{feed}" type="application/atom+xml">Segui gli aggiornamenti</a>' in page
        assert (site / url / feed).is_file()
    guide = (site / "guida/index.html").read_text(encoding="utf-8")
    assert 'id="seguire-gli-aggiornamenti"' in guide and "Segui gli aggiornamenti" in guide


def test_plan_page_and_novita_list_the_last_changes(site):
    plan = (site / "prova/2021-2023/index.html").read_text(encoding="utf-8")
    # five newest changes of the plan's records, the newest first
    # one line each (the page stays light): date and what happened, linked to the record's history
    block = plan[plan.index('id="ultime-modifiche"'):]
    titles = re.findall(r"<li><time[^>]*>[^<]*</time>: (.*?)</li>", block[:block.index("</ul>")])
    assert [text(t) for t in titles] == ["Nuova scheda: Centro per le famiglie", "Scheda modificata: Agenzia per la casa",
                                         "Scheda modificata: Agenzia per la casa", "Scheda modificata: Portale unico",
                                         "Scheda rimossa: Popolazione"]
    assert "#cronologia" in block and "novita/" in block
    news = (site / "novita/index.html").read_text(encoding="utf-8")
    titles = [text(t) for t in re.findall(r'<h2 class="pdz-news-title">(.*?)</h2>', news)]
    assert titles == [title for _, title, _, _ in feed_entries(site, "novita.xml")]
    assert "1 aprile 2024 Grado di raggiungimento › Percentuale : 25% → diventa 40%" in text(news)
    assert BUDGET in text(news)   # the fields and the reason of each change: on novita/


def test_the_home_lists_the_last_three_changes_of_the_history(site):
    """The home's "Ultimi aggiornamenti" are the three newest entries of novita/, in its words."""
    home = (site / "index.html").read_text(encoding="utf-8")
    block = home[home.index('class="pdz-news"'):]
    block = block[:block.index("</ul>")]
    items = [text(item) for item in re.findall(r"<li>(.*?)</li>", block)]
    newest = feed_entries(site, "novita.xml")[:3]
    assert len(items) == 3 and all(title in item for item, (_, title, _, _) in zip(items, newest)), (items, newest)


CSV_COLUMNS = ["data", "modifica", "azione", "tipo_record", "id", "id_precedente", "permalink", "ambito", "periodo",
               "titolo", "campo", "etichetta", "valore_precedente", "valore_nuovo", "dato_precedente", "dato_nuovo",
               "motivo"]


def test_open_data_table_of_changes(site, history):
    _, commits = history
    raw = (site / "dati/modifiche.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert list(rows[0]) == CSV_COLUMNS
    later = [{k: v for k, v in row.items() if k not in ("permalink", "ambito", "periodo")}
             for row in rows if "2024-01-10" < row["data"] < "2024-04-10"]
    empty = dict.fromkeys(("campo", "etichetta", "valore_precedente", "valore_nuovo", "dato_precedente", "dato_nuovo"), "")
    description = "Una **agenzia** per la casa.\n\n- primo punto\n- secondo punto con ASST\n"
    new_description = description.replace("agenzia** per la casa.", "agenzia** pubblica per la casa e l'abitare.")
    assert later == [
        {"data": "2024-04-01", "modifica": commits["merge"], "azione": "modificata", "tipo_record": "valutazione",
         "id": "prova/2021-2023/valutazioni/01-portale", "id_precedente": "", "titolo": "Portale unico",
         "campo": "grado_raggiungimento.percentuale", "etichetta": "Grado di raggiungimento › Percentuale",
         "valore_precedente": "25%", "valore_nuovo": "40%", "dato_precedente": "25", "dato_nuovo": "40",
         "motivo": "dato del monitoraggio di marzo 2024"},
        {"data": "2024-03-20", "modifica": commits["removal"], "azione": "rimossa", "tipo_record": "tabella",
         "id": "prova/2021-2023/dati/popolazione", "id_precedente": "", "titolo": "Popolazione", **empty,
         "motivo": "dati duplicati, già nel documento di origine"},
        {"data": "2024-03-10", "modifica": commits["rename"], "azione": "spostata", "tipo_record": "sezione",
         "id": "prova/2021-2023/sezioni/01-presentazione", "id_precedente": "prova/2021-2023/sezioni/01-introduzione",
         "titolo": "Introduzione", **empty, "motivo": "nome del file come il titolo del capitolo"},
        {"data": "2024-02-15", "modifica": commits["text"], "azione": "modificata", "tipo_record": "obiettivo",
         "id": "prova/2021-2023/obiettivi/01-casa", "id_precedente": "", "titolo": "Agenzia per la casa",
         "campo": "descrizione", "etichetta": "Descrizione", "valore_precedente": description,
         "valore_nuovo": new_description, "dato_precedente": json.dumps(description, ensure_ascii=False),
         "dato_nuovo": json.dumps(new_description, ensure_ascii=False), "motivo": "testo corretto sul piano approvato"},
        {"data": "2024-02-01", "modifica": commits["budget"], "azione": "modificata", "tipo_record": "obiettivo",
         "id": "prova/2021-2023/obiettivi/01-casa", "id_precedente": "", "titolo": "Agenzia per la casa",
         "campo": "risorse_economiche.componenti.1.importo", "etichetta": "Risorse economiche preventivate › Voci di spesa 1 › Importo",
         "valore_precedente": "€ 250.000,00", "valore_nuovo": "€ 3.800.000,00", "dato_precedente": "250000.0",
         "dato_nuovo": "3800000.0", "motivo": BUDGET_REASON}]
    first = [row for row in rows if row["data"] == "2024-01-10"]
    assert {row["azione"] for row in first} == {"pubblicata"} and len(first) == len(rows) - 8 == 12
    assert {row["modifica"] for row in first} == {commits["init"]}
    # the format-only commit left no row; the Ambito's own table holds its rows only
    assert commits["format"] not in raw
    ambito = list(csv.DictReader(io.StringIO((site / "dati/prova/modifiche.csv").read_text(encoding="utf-8"))))
    assert len(ambito) == len([row for row in rows if row["ambito"] == "prova"]) and ambito
    package = json.loads((site / "dati/datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["path"] == "modifiche.csv")
    assert [f["name"] for f in resource["schema"]["fields"]] == CSV_COLUMNS


def test_migrations_are_recognised_by_their_data(history):
    """The format-only commit, without any trailer, gives no event; a plain rename within today's
    layout is a visible move; in the project's own history the move of every record into its plan
    (the layout of before plans over time) and the .yaml to .md conversion give none."""
    from pdz.domain.changes import MOVED, read_history
    repo, commits = history
    found = read_history(repo)
    assert [e for e in found.events if e.commit == commits["format"]] == []
    assert [(e.action, e.moved_from, e.record_id) for e in found.events if e.commit == commits["rename"]] == [
        (MOVED, "prova/2021-2023/sezioni/01-introduzione", "prova/2021-2023/sezioni/01-presentazione")]



def test_news_found_through_the_index_are_those_found_asking_every_record(history):
    """``Wanted`` (a plan's page, the feeds of an Ambito, a partner, an area) finds the events
    that involve its records in an index: the same news, in the same order, as asking every
    record of every event, before and after the records as loaded now are attached."""
    from pdz.content.loader import load_content
    from pdz.domain.changes import Wanted, read_history
    repo, _ = history
    found = read_history(repo)
    for attached in (False, True):
        if attached:
            found.attach(load_content(repo)[0])
        lineages = [m.lineage for e in found.events for m in (e.members or [e]) if m.lineage is not None]
        keys = sorted({(lineage.kind, lineage.id) for lineage in lineages})
        assert len(keys) > 5 and any(e.members for e in found.events)
        for attribute in ("plan", "ambito"):
            for value in {getattr(lineage, attribute) for lineage in lineages} | {"nessuno"}:
                assert found.news(Wanted.having(attribute, value)) == \
                    found.news(lambda lineage, a=attribute, v=value: getattr(lineage, a) == v), (attribute, value)
        for chosen in [[key] for key in keys] + [keys[::2], keys[1::3], keys, [("partner", "nessuno")]]:
            assert found.news(Wanted.among(chosen)) == \
                found.news(lambda lineage, c=set(chosen): (lineage.kind, lineage.id) in c), chosen


@pytest.mark.slow
def test_the_projects_own_migrations_are_no_changes():
    """This repository's history holds both one-off migrations: YAML to front-matter Markdown (300
    files renamed .yaml -> .md) and one plan to several (every record moved out of the layout of
    before plans over time). Neither publishes, moves nor removes a record."""
    from pdz.content import mainline
    from pdz.content.loader import place, place_earlier
    from pdz.content.problems import Problem
    from pdz.domain.changes import MOVED, REMOVED, read_history

    def earlier_layout(path: str) -> bool:
        rel = Path(path[len("content/"):])
        return path.startswith("content/") and isinstance(place(rel), Problem) and place_earlier(rel) is not None

    commits = mainline.commits(ROOT)
    conversions = [c for c in commits if sum(ch.status == "R" and ch.old.endswith(".yaml") and ch.path.endswith(".md")
                                             for ch in c.changes) >= 10]
    layout = [c for c in commits if sum(ch.status in ("R", "D") and earlier_layout(ch.old or ch.path)
                                        for ch in c.changes) >= 10]
    assert conversions and layout, "the history of the repository is complete (fetch-depth: 0)"
    events = read_history(ROOT).events
    for commit in conversions:
        assert [e.record_id for e in events if e.commit == commit.sha] == [], commit.subject
    for commit in layout:
        assert [(e.action, e.record_id) for e in events if e.commit == commit.sha and e.action in (MOVED, REMOVED)] == [], \
            commit.subject


def test_the_reason_of_a_change():
    """The Motivo line of the commit; for a merge, that of the newest commit it brought in, else the
    pull request's title GitHub writes in its message; else the subject; one line, bounded."""
    from pdz.content.mainline import MAX_REASON, Message, reason
    found = {
        "a": Message(("z",), "Aggiorna", "", ("variazione di bilancio",)),
        "b": Message(("a", "c"), "Merge pull request #7 from x/y", "Titolo della proposta\n\nDescrizione"),
        "c": Message(("d",), "Valutazione", "", ("dato di marzo",)),
        "d": Message(("a",), "Prima", ""),
        "e": Message(("b", "d"), "Merge pull request #8 from x/z", "Nuovo indicatore\n\naltro"),
        "f": Message(("e",), "Solo il titolo " + "lungo " * 80, ""),
        "g": Message(("f", "d"), "Merge branch 'x'", "Motivo: non un titolo"),
    }
    line = {"a", "b", "e", "f", "g", "z"}
    assert reason("a", found, line) == "variazione di bilancio"
    assert reason("b", found, line) == "dato di marzo"              # the trailer of a commit it brought in
    assert reason("e", found, line) == "Nuovo indicatore"           # the pull request's title
    assert reason("g", found, line) == "Merge branch 'x'"           # a trailer block is not a title
    long = reason("f", found, line)
    assert len(long) <= MAX_REASON + 2 and long.endswith(" …") and "\n" not in long
    assert reason("unknown", found, line) == ""


def test_make_nuovo_gives_the_commit_with_its_reason(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    env = {"PATH": "/usr/bin:/bin", "MOTIVO": "nuovo servizio approvato dall'Assemblea dei Sindaci"}
    created = subprocess.run([sys.executable, "-P", "-m", "pdz.commands.nuovo", "--root", str(project),
                              "obiettivo", "prova", "12-centro-famiglie"], capture_output=True, text=True, env=env,
                             stdin=subprocess.DEVNULL, cwd=ROOT)
    assert created.returncode == 0, created.stderr
    rel = "content/ambiti/prova/2021-2023/obiettivi/12-centro-famiglie.md"
    assert (f"git add {rel} && git commit -m 'Nuova scheda {rel}' "
            "-m 'Motivo: nuovo servizio approvato dall'\"'\"'Assemblea dei Sindaci'") in created.stdout
    # without a reason and nobody at the terminal: it says where the reason goes
    again = subprocess.run([sys.executable, "-P", "-m", "pdz.commands.nuovo", "--root", str(project),
                            "obiettivo", "prova", "13-altro"], capture_output=True, text=True,
                           env={"PATH": "/usr/bin:/bin"}, stdin=subprocess.DEVNULL, cwd=ROOT)
    assert again.returncode == 0 and "riga 'Motivo: ...'" in again.stdout
