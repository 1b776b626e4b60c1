"""Plans over time, proved on a FICTIONAL next cycle (tests/fixtures/piani: a 2025-2027 plan of the
fixture Ambito on top of tests/fixtures/valid): the story of an objective across three plans,
states and their roll-up, measurements with charts and open data, redirects, new periods."""
from __future__ import annotations

import csv
import html
import io
import re
import shutil
import subprocess
import sys

import pytest

from pdz_dev.project import FIXTURES, ROOT, build, make_project
from pdz.content.loader import load_content
from pdz.content.redirects import load_redirects
from pdz.site.permalinks import missing_permalinks

MOVED = "prova/2025-2027/obiettivi/01-casa-vecchia/"
REDIRECTS = (f'"{MOVED}": "prova/2025-2027/obiettivi/01-casa-per-tutti/"\n'
             '"prova/obiettivi/01-casa/": "prova/2021-2023/obiettivi/01-casa/"\n')


def next_cycle(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    shutil.copytree(FIXTURES / "piani" / "content", project / "content", dirs_exist_ok=True)
    (project / "redirects.yaml").write_text(REDIRECTS, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("piani")
    project = next_cycle(tmp)
    site = tmp / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stderr[-4000:]
    return project, site


def page(site, url):
    return (site / url / "index.html").read_text(encoding="utf-8")


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def plain(page_html):
    """The words of a page as a reader sees them: tags dropped, entities decoded."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page_html)))


def test_the_next_cycle_is_valid_content(cycle):
    project, _ = cycle
    catalog, problems = load_content(project)
    assert problems == []
    assert [p.period for p in catalog.plans("prova")] == ["2018-2020", "2021-2023", "2025-2027"]
    assert catalog.current_plan("prova").id == "prova/2025-2027"


def test_ambito_page_shows_the_current_plan_first_then_the_archive(cycle):
    _, site = cycle
    words = text(page(site, "prova"))
    assert words.index("Il piano più recente: Piano di Zona 2025-2027") < words.index("Archivio dei piani precedenti")
    archive = words[words.index("Archivio dei piani precedenti"):]
    assert archive.index("Piano di Zona 2021-2023") < archive.index("Piano di Zona 2018-2020")
    # roll-up of the current plan: the states of its three objectives, counted by the site
    assert "Stato di attuazione dei 3 obiettivi : raggiunto per 1, in corso per 1, non avviato per 1." in words
    assert "prorogato fino al 2028" in text(page(site, "prova/2025-2027"))


def test_objective_story_runs_through_three_plans(cycle):
    _, site = cycle
    html = page(site, "prova/2021-2023/obiettivi/01-casa")
    story = html[html.index('id="storia"'):]
    story = story[:story.index("</ol>")]
    order = [story.index(f'href="{url}"') for url in (
        "../../../2018-2020/obiettivi/01-portale/",     # the 2018-2020 objective that led to it
        "../../valutazioni/01-portale/",                # ...and its evaluation in the 2021-2023 plan
        "../../../2025-2027/valutazioni/01-casa/",      # this objective's evaluation in the next plan
        "../../../2025-2027/obiettivi/01-casa-per-tutti/")]   # what it continues as
    assert order == sorted(order)
    assert 'aria-current="step"' in story
    # its state is the one its evaluation in the next plan gives
    assert "Parzialmente raggiunto" in text(story)
    later = page(site, "prova/2025-2027/obiettivi/01-casa-per-tutti")
    assert 'href="../../../2021-2023/obiettivi/01-casa/"' in later
    assert "In corso al 30 giugno 2026" in text(later)


def test_history_pages_list_every_chain(cycle):
    _, site = cycle
    words = text(page(site, "prova/storia"))
    for period in ("Piano 2018-2020", "Piano 2021-2023", "Piano 2025-2027"):
        assert period in words
    assert "Casa per tutti" in words and "Portale unico" in words
    area = text(page(site, "aree/b/storia"))
    assert "Ambito di Prova" in area and "Casa per tutti" in area


def test_measurements_chart_with_target_line_and_the_same_numbers_as_a_table(cycle):
    _, site = cycle
    html = page(site, "prova/2025-2027/obiettivi/01-casa-per-tutti")
    section = html[html.index('id="misurazioni"'):]
    svg = re.search(r'<svg class="pdz-chart" role="img" aria-labelledby="([^"]+)".*?</svg>', section, re.S)
    assert svg
    for ident in svg.group(1).split():
        assert f'id="{ident}"' in svg.group(0)
    assert svg.group(0).count("<circle") == 2 and "stroke-dasharray" in svg.group(0)   # two values, target line
    table = text(section[section.index("<table"):section.index("</table>")])
    assert "2025" in table and "2026" in table and "circa 3 protocolli" in table and "Dato provvisorio." in table
    assert "75%" in text(section) and "calcolato dal sito" in text(section)


def test_measurements_are_open_data_in_long_format(cycle):
    _, site = cycle
    rows = list(csv.DictReader(io.StringIO((site / "dati/prova/misurazioni.csv").read_text(encoding="utf-8"))))
    mine = {(r["obiettivo"], r["periodo"], r["valore"], r["qualificatore"]) for r in rows}
    assert ("prova/2025-2027/obiettivi/01-casa-per-tutti", "2026", "3", "circa") in mine
    assert ("prova/2021-2023/obiettivi/01-casa", "2020", "120", "") in mine          # the plan's own value
    assert ("prova/2021-2023/obiettivi/01-casa", "2021-2023", "2", "") in mine       # from its evaluation
    assert (site / "dati/misurazioni.json").exists()


def test_redirects_lead_to_the_moved_pages(cycle):
    project, site = cycle
    assert 'url=../01-casa-per-tutti/' in page(site, MOVED)
    redirects, problems = load_redirects(project)
    assert problems == []
    listed = [MOVED, "prova/obiettivi/01-casa/", "prova/2025-2027/", "prova/storia/"]
    assert missing_permalinks(listed, site, redirects) == []


def test_an_evaluation_looks_back(tmp_path):
    project = next_cycle(tmp_path)
    path = project / "content/ambiti/prova/2025-2027/valutazioni/01-casa.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "prova/2021-2023/obiettivi/01-casa", "prova/2025-2027/obiettivi/02-sportello-lavoro", 1), encoding="utf-8")
    _, problems = load_content(project)
    assert [p.field for p in problems] == ["obiettivo_valutato"]
    assert "non precede" in problems[0].message


def test_make_nuovo_opens_a_new_period(tmp_path):
    project = next_cycle(tmp_path)
    env = {"PATH": "/usr/bin:/bin"}

    def pdz(*args):
        return subprocess.run([sys.executable, "-P", "-m", *args, "--root", str(project)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)

    assert pdz("pdz.commands.nuovo", "piano", "prova", "2028-2030").returncode == 0
    made = pdz("pdz.commands.nuovo", "obiettivo", "prova", "01-nome", "--piano", "2028-2030")
    assert made.returncode == 0, made.stderr
    assert (project / "content/ambiti/prova/2028-2030/obiettivi/01-nome.md").is_file()
    checked = pdz("pdz.commands.check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    wrong = pdz("pdz.commands.nuovo", "obiettivo", "prova", "02-nome", "--piano", "2031-2033")
    assert wrong.returncode != 0 and "make nuovo TIPO=piano" in wrong.stderr
    site = tmp_path / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stderr[-3000:]
    assert 'href="2028-2030/"' in page(site, "prova")
    assert (site / "prova/2028-2030/obiettivi/01-nome/index.html").is_file()


# --- what the site derives: lineage, states, roll-ups, measurements (issue 23) ----------------

SIBLING = """titolo: "Casa condivisa"
numero: "4"
area: B
continuita:
  risposta: "si"
  obiettivi:
    - obiettivo: prova/2021-2023/obiettivi/01-casa
      dedotto: "La scheda riprende l'agenzia per la casa del piano precedente."
fonti:
  - documento: doc-prova-2025
    righe: [100, 110]
"""


def test_a_story_follows_direct_links_only(tmp_path):
    """An objective's story holds its ancestors and descendants, never an objective that only
    shares an ancestor with it (the old connected component)."""
    from pdz.domain.monitoring import Monitoring
    project = next_cycle(tmp_path)
    (project / "content/ambiti/prova/2025-2027/obiettivi/04-casa-condivisa.yaml").write_text(SIBLING, encoding="utf-8")
    catalog, problems = load_content(project)
    assert problems == []
    monitoring = Monitoring(catalog)

    def story(name):
        return [o.id.rsplit("/", 3)[1] + "/" + o.id.rsplit("/", 1)[1] for o in monitoring.chain(catalog.get("obiettivo", name))]

    assert story("prova/2025-2027/obiettivi/01-casa-per-tutti") == \
        ["2018-2020/01-portale", "2021-2023/01-casa", "2025-2027/01-casa-per-tutti"]
    assert story("prova/2025-2027/obiettivi/04-casa-condivisa") == \
        ["2018-2020/01-portale", "2021-2023/01-casa", "2025-2027/04-casa-condivisa"]
    assert story("prova/2021-2023/obiettivi/01-casa") == \
        ["2018-2020/01-portale", "2021-2023/01-casa", "2025-2027/01-casa-per-tutti", "2025-2027/04-casa-condivisa"]
    # the Ambito's history: one row per objective that nothing continues, each with its own story
    rows = monitoring.chains(catalog.of_ambito("prova", "obiettivo"))
    assert [row[-1].id for row in rows] == ["prova/2025-2027/obiettivi/01-casa-per-tutti",
                                           "prova/2025-2027/obiettivi/04-casa-condivisa"]


def test_every_link_between_plans_shows_what_justifies_it(cycle):
    _, site = cycle
    later = plain(page(site, "prova/2025-2027/obiettivi/01-casa-per-tutti"))
    assert "collegamento dichiarato dal piano (righe 40–41)" in later
    casa = page(site, "prova/2021-2023/obiettivi/01-casa")
    story = plain(casa[casa.index('id="storia"'):])
    assert "collegamento dichiarato dal piano (riga 12)" in story            # the scheda's continuity
    assert "collegamento dedotto dalla redazione: La scheda dell'obiettivo dichiara" in story   # the re-proposal
    assert "valutazione scritta nel piano, righe 30–40" in story            # where the evaluation is
    evaluation = plain(page(site, "prova/2025-2027/valutazioni/01-casa"))
    assert "Casa per tutti: collegamento dichiarato dal piano (righe 40–41)" in evaluation


DENIED_NOTE = """note_fonte:
  - tipo: nota_redazionale
    campo: continuita
    nota: "La scheda risponde «No», ma il piano scrive «{quote}»."
    righe: [45, 45]
"""


def test_a_link_the_plan_denies_is_refused_unless_a_note_quotes_the_lines_that_justify_it(tmp_path):
    project = next_cycle(tmp_path)
    lines = [f"Riga {n} del documento di prova." for n in range(1, 201)]
    lines[44] = "L'agenzia per la casa prosegue con un nuovo nome e nuovi sportelli."
    (project / "fonti").mkdir()
    (project / "fonti/prova-2025.txt").write_text("\n".join(lines), encoding="utf-8")
    with (project / "content/fonti/doc-prova-2025.yaml").open("a", encoding="utf-8") as record:
        record.write("file: prova-2025.txt\n")   # the document names its text
    path = project / "content/ambiti/prova/2025-2027/obiettivi/01-casa-per-tutti.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('continuita:\n  risposta: "si"', 'continuita:\n  risposta: "no"'),
                    encoding="utf-8")
    _, problems = load_content(project)
    # both the scheda's own link and the evaluation's re-proposal into it are denied by its "No"
    assert sorted((p.path.rsplit("/", 1)[1], p.field) for p in problems) == [
        ("01-casa-per-tutti.yaml", "continuita.obiettivi[0]"), ("01-casa.yaml", "riproposto.obiettivi[0]")]
    assert all("collegamento negato dal piano" in p.message and "«No»" in p.message for p in problems)
    assert "nota sulla fonte (campo: continuita)" in problems[0].hint

    base = path.read_text(encoding="utf-8")
    path.write_text(base + DENIED_NOTE.format(quote="un'altra frase che il piano non contiene"), encoding="utf-8")
    _, problems = load_content(project)
    assert [(p.field, "non si trova nelle righe 45–45" in p.message) for p in problems] == [("note_fonte[0].nota", True)]

    path.write_text(base + DENIED_NOTE.format(quote="L'agenzia per la casa prosegue con un nuovo nome"), encoding="utf-8")
    _, problems = load_content(project)
    assert problems == []
    site = tmp_path / "site"
    assert build(project, site).returncode == 0
    shown = plain(page(site, "prova/2025-2027/obiettivi/01-casa-per-tutti"))
    assert "risponde «No» alla continuità, ma il piano scrive: «L'agenzia per la casa prosegue con un nuovo nome» (riga 45)" in shown


def test_a_link_needs_its_lines_or_the_editors_reason(tmp_path):
    project = next_cycle(tmp_path)
    path = project / "content/ambiti/prova/2025-2027/obiettivi/01-casa-per-tutti.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("      righe: [40, 41]\n", ""), encoding="utf-8")
    _, problems = load_content(project)
    assert [(p.field, p.message) for p in problems] == [
        ("continuita.obiettivi[0]", "serve uno di questi campi: 'righe' oppure 'dedotto'")]


def test_the_state_comes_from_the_plans_grade_through_the_scale(cycle):
    _, site = cycle
    portal = plain(page(site, "prova/2018-2020/obiettivi/01-portale"))
    assert "Parzialmente raggiunto secondo la valutazione nel Piano 2021-2023" in portal
    assert "Grado di raggiungimento indicato dalla valutazione: 25%. 25% → parzialmente raggiunto, secondo la " \
           "scala del sito (100%: raggiunto; più di 0%: parzialmente raggiunto; 0%: non raggiunto)" in portal
    evaluation = plain(page(site, "prova/2021-2023/valutazioni/01-portale"))
    assert "Stato di attuazione: 25% → parzialmente raggiunto, secondo la scala del sito" in evaluation
    rows = list(csv.DictReader(io.StringIO((site / "dati/prova/obiettivi.csv").read_text(encoding="utf-8"))))
    portal_row = next(r for r in rows if r["id"] == "prova/2018-2020/obiettivi/01-portale")
    assert (portal_row["stato"], portal_row["stato_da_grado"]) == ("parziale", "25")


def test_a_plans_roll_up_quotes_the_plans_own_words(cycle):
    _, site = cycle
    archive = plain(page(site, "prova"))
    archive = archive[archive.index("Piano di Zona 2018-2020:"):]
    assert "1 obiettivo, 1 valutato nei piani successivi. La fonte scrive: «il piano aveva un solo obiettivo» " \
           "(Documento di prova, riga 31)" in archive
    assert "Esito complessivo, con le parole della fonte (Documento di prova, riga 32): " \
           "«l'obiettivo è stato raggiunto solo in parte»" in archive


def test_a_single_value_is_a_sentence_and_a_chart_joins_only_a_series(cycle):
    _, site = cycle
    html = page(site, "prova/2021-2023/obiettivi/01-casa")
    section = html[html.index('id="misurazioni"'):html.index('id="storia"')]
    assert "<svg" not in section and "<table" not in section
    assert "2020: 120 (scheda dell'obiettivo)." in plain(section)
    assert "2021-2023: 2 protocolli (valutazione 2025-2027)." in plain(section)
