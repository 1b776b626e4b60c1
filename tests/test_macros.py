"""The macros offered to hand-written pages render from the content loaded once per build."""
from __future__ import annotations

import importlib.util
import types

from conftest import ROOT
from pdz import site_state


class FakeEnv:
    def __init__(self, url):
        self.macros = {}
        self.variables = {"page": types.SimpleNamespace(url=url)}

    def macro(self, fn):
        self.macros[fn.__name__] = fn
        return fn


def load_macros(url=""):
    spec = importlib.util.spec_from_file_location("pdz_macros_under_test", ROOT / "macros" / "mkdocs_macros.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    env = FakeEnv(url)
    module.define_env(env)
    return env.macros


def test_macros_render_corsico_plan_objectives_evaluations_and_area():
    site_state.load(ROOT)
    macros = load_macros("guida/")
    plan = macros["ambito_plan"]("corsico")
    assert "Ambito di Corsico" in plan and "117.654" in plan
    objectives = macros["objectives_of"]("corsico")
    assert objectives.count('<a href="../corsico/2021-2023/obiettivi/') == 11
    evaluations = macros["evaluations_of"]("corsico")
    assert "Portale unico di Ambito territoriale" in evaluations and "25%" in evaluations
    area = macros["area_objectives"]("B")
    assert "Ambito di Corsico" in area and "Ambito Cremasco" in area
    assert "Ambito Cremasco" in macros["ambiti_overview"]()
