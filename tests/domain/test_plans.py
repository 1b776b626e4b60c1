"""Plans over time, proved on a FICTIONAL next cycle (tests/fixtures/piani: a 2025-2027 plan of the
fixture Ambito on top of tests/fixtures/valid): the story of an objective across three plans,
states and their roll-up, measurements with charts and open data, redirects, new periods."""
from __future__ import annotations

import csv
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
    assert "2 obiettivi su 3 avviati" in words                  # roll-up of the current plan
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
