"""phase_cpu's comparison of several runs per tree (issue #27): the medians of the runs, never a
mix of two sites."""
from __future__ import annotations

import pytest

from pdz_dev.bench import phase_cpu


def _run(total: float, phases: dict, html_files: int = 100, load=(1.0, 2.0)) -> dict:
    return {"total_cpu": total, "own_cpu": total - 3, "children_cpu": 1.0, "pagefind_cpu": 2.0,
            "process_cpu": total - 3, "gc": {"2": total / 10}, "phases": phases, "html_files": html_files,
            "load": list(load)}


def test_merged_runs_give_the_median_of_each_figure():
    runs = [_run(10.0, {"a": 1.0, "b": 4.0}, load=(3.0, 5.0)), _run(30.0, {"a": 3.0}, load=(1.0, 2.0)),
            _run(20.0, {"a": 2.0, "b": 6.0}, load=(4.0, 9.0))]
    merged = phase_cpu.merged(runs)
    assert merged["total_cpu"] == 20.0 and merged["own_cpu"] == 17.0
    assert merged["phases"] == {"a": 2.0, "b": 4.0}   # a phase missing from a run counts as 0 there
    assert merged["gc"] == {"2": 2.0}
    assert merged["load"] == [1.0, 9.0] and merged["runs"] == 3 and merged["html_files"] == 100
    assert "median of 3 runs" in phase_cpu.compare(merged, runs[0]).splitlines()[0]


def test_one_run_is_itself():
    run = _run(10.0, {"a": 1.0})
    assert phase_cpu.merged([run]) is run


def test_runs_of_different_sites_are_not_merged():
    with pytest.raises(SystemExit):
        phase_cpu.merged([_run(10.0, {}), _run(10.0, {}, html_files=101)])
