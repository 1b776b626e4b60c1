"""Editor preview of one Ambito (``make serve AMBITO=<id>``, i.e. PDZ_AMBITO): it reads only
that Ambito and the shared records, yet still checks references to the other Ambiti."""
from __future__ import annotations

import importlib
import shutil
import sys

import pytest

from pdz_dev.project import FIXTURES, ROOT, build, make_project, write, real_content
from pdz.content.loader import load_content
from pdz.content.problems import ERROR

OBJECTIVE = "ambiti/prova/2021-2023/obiettivi/01-casa.md"


@pytest.fixture
def two_ambiti(tmp_path):
    """The valid fixture plus a copy of its Ambito, 'altro'."""
    project = make_project(tmp_path, FIXTURES / "valid")
    content = project / "content"
    shutil.copytree(content / "ambiti" / "prova", content / "ambiti" / "altro")
    for path in (content / "ambiti" / "altro").rglob("*.*"):
        path.write_text(path.read_text(encoding="utf-8").replace("prova/", "altro/"), encoding="utf-8")
    return project


def errors(project, ambito=None):
    _, problems = load_content(project, ambito_filter=ambito)
    return [p for p in problems if p.severity == ERROR]


def point_objective_at(project, evaluation):
    path = project / "content" / OBJECTIVE
    text = path.read_text(encoding="utf-8")
    assert "valutazione: prova/2021-2023/valutazioni/01-portale\n" in text
    path.write_text(text.replace("valutazione: prova/2021-2023/valutazioni/01-portale\n", f"valutazione: {evaluation}\n"),
                    encoding="utf-8")


def test_preview_of_the_real_content_loads_one_ambito_and_the_shared_records():
    full, _ = real_content()
    catalog, problems = load_content(ROOT, ambito_filter="corsico")
    assert [p.format() for p in problems if p.severity == ERROR] == []
    scoped = {r.ambito for r in catalog.records if r.ambito}
    assert scoped == {"corsico"}
    assert len(catalog.all("partner")) == len(full.all("partner")) > 0
    # the other Ambiti are known to exist (for reference checks) without being read
    for other in ("crema", "dalmine", "treviglio", "carate-brianza"):
        assert catalog.get("ambito", other) is None and catalog.exists("ambito", other)


def test_preview_accepts_a_reference_to_a_record_of_another_ambito(two_ambiti):
    point_objective_at(two_ambiti, "altro/2021-2023/valutazioni/01-portale")
    assert errors(two_ambiti, "prova") == []
    assert errors(two_ambiti) == []


def test_preview_catches_a_typo_in_a_reference_to_another_ambito(two_ambiti):
    point_objective_at(two_ambiti, "altro/2021-2023/valutazioni/99-portale")
    for ambito in ("prova", None):   # the preview says what the full build says
        found = errors(two_ambiti, ambito)
        assert len(found) == 1, [e.format() for e in found]
        assert found[0].path == "content/" + OBJECTIVE
        assert found[0].field == "continuita.valutazioni[0].valutazione"
        assert "'altro/2021-2023/valutazioni/99-portale' inesistente" in found[0].message


def test_preview_does_not_read_the_other_ambiti(two_ambiti):
    write(two_ambiti, "ambiti/altro/2021-2023/obiettivi/01-casa.md", b"\xff\xfe not UTF-8 at all")
    assert errors(two_ambiti, "prova") == []
    assert len(errors(two_ambiti, "altro")) == 1
    assert len(errors(two_ambiti)) == 1


def test_preview_build_publishes_only_its_ambito(two_ambiti, tmp_path):
    site = tmp_path / "site"
    result = build(two_ambiti, site, {"PDZ_AMBITO": "prova", "PDZ_SEARCH": "false"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert (site / "prova" / "2021-2023" / "obiettivi" / "01-casa" / "index.html").is_file()
    assert not (site / "altro").exists()
    assert not (site / "search" / "search_index.json").exists()


def test_serve_rebuild_uses_edited_code():
    """mkdocs serve keeps the plugin across rebuilds in one process: before each build it imports
    pdz anew when its code or the schemas changed (an edit under macros/ shows up on reload),
    and keeps the modules when nothing changed."""
    from pdz.plugin.plugin import PdzPlugin
    saved = {name: module for name, module in sys.modules.items() if name.startswith("pdz.")}
    plugin = PdzPlugin()
    try:
        plugin._fresh_code()
        first = importlib.import_module("pdz.content.loader")
        plugin._fresh_code()
        assert importlib.import_module("pdz.content.loader") is first    # nothing changed: same modules
        plugin._stamp = (0, 0)                                          # as if a file changed since
        plugin._fresh_code()
        assert importlib.import_module("pdz.content.loader") is not first
        assert importlib.import_module("pdz.plugin.plugin").PdzPlugin is PdzPlugin   # the plugin itself stays
    finally:
        for name in [n for n in sys.modules if n.startswith("pdz.")]:
            del sys.modules[name]
        sys.modules.update(saved)
