"""The bench's regional tree (issue #27, point 5): a later triennium holds one unit's records, so
that the time per page of N=200 is compared with N=100 on the same kinds of pages."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pdz_dev.bench import synth


def _records(plan: Path) -> Counter:
    return Counter(p.parent.name for p in plan.rglob("*") if p.is_file() and p.parent != plan)


@pytest.fixture(scope="module")
def regional(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.delenv("PYTHONPATH", raising=False)   # synth points subprocesses at its code: undone after
    try:
        work = tmp_path_factory.mktemp("synth")
        snapshot, _notes = synth.snapshot(work / "snapshot")
        real = synth.real_ambiti(snapshot / "content")
        # every real Ambito, then one later triennium for each: the regional shape at a tenth
        project, _ambiti = synth.make_tree(snapshot, work / "tree", 2 * len(real), ambiti_count=len(real))
        yield snapshot, project, real
    finally:
        mp.undo()


def test_a_later_triennium_holds_the_records_of_one_unit(regional):
    snapshot, project, real = regional
    for ambito in real:
        source = snapshot / "content" / "ambiti" / ambito
        later = project / "content" / "ambiti" / ambito / synth.LATER_PERIODS[0]
        unit = _records(source / synth.SOURCE_PERIOD) + _records(source / synth.EARLIER_PERIOD)
        assert _records(later) == unit, ambito
        assert (later / "piano.yaml").is_file()


def test_the_regional_tree_is_valid_content(regional):
    from pdz.content.loader import load_content
    from pdz.content.problems import ERROR
    _snapshot, project, real = regional
    catalog, problems = load_content(project)
    assert [p.format() for p in problems if p.severity == ERROR] == []
    later = [plan for plan in catalog.all("piano") if plan.id.endswith(synth.LATER_PERIODS[0])]
    assert len(later) == len(real)
    # the copied 2018-2020 objectives are the later plan's own, not the earlier plan's
    for plan in later:
        objectives = catalog.of_ambito(plan.ambito, "obiettivo")
        assert sum(o.piano == plan.id for o in objectives) == sum(
            o.piano == f"{plan.ambito}/{synth.SOURCE_PERIOD}" for o in objectives) + sum(
            o.piano == f"{plan.ambito}/{synth.EARLIER_PERIOD}" for o in objectives)
