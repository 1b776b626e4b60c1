"""The macros offered to hand-written pages render from the content loaded once per build."""
from __future__ import annotations

import types

import pytest

from pdz.plugin import docs_macros
from pdz_dev.project import assembled


class FakeEnv:
    """What mkdocs-macros hands a pluglet: the MkDocs config (with our plugin and its assembled
    site), the page's variables, and the ``macro`` decorator."""

    def __init__(self, url, site):
        self.macros = {}
        self.variables = {"page": types.SimpleNamespace(url=url)}
        self.conf = types.SimpleNamespace(plugins={"pdz": types.SimpleNamespace(site=site)})

    def macro(self, fn):
        self.macros[fn.__name__] = fn
        return fn


@pytest.fixture(scope="module")
def site():
    return assembled()


def load_macros(site, url=""):
    env = FakeEnv(url, site)
    docs_macros.define_env(env)
    return env.macros


@pytest.mark.slow
def test_macros_render_corsico_plan_objectives_evaluations_and_area(site):
    macros = load_macros(site, "guida/")
    plan = macros["ambito_plan"]("corsico")
    assert "Ambito di Corsico" in plan and "117.654" in plan
    objectives = macros["objectives_of"]("corsico")
    assert objectives.count('<a href="../corsico/2021-2023/obiettivi/') == 11
    evaluations = macros["evaluations_of"]("corsico")
    assert "Portale unico di Ambito territoriale" in evaluations and "25%" in evaluations
    area = macros["area_objectives"]("B")
    assert "Ambito di Corsico" in area and "Ambito Cremasco" in area
    assert "Ambito Cremasco" in macros["ambiti_overview"]()
