"""No code from the working tree runs unless it is the project's own package.

The attack: a pull request adds ``yaml.py`` (or ``conftest.py``, or mkdocs-macros' default
``main.py``) at the repository root. ``python -m`` puts the working directory first on
``sys.path``, so it ran inside ``make check``, ``make site`` and pytest. Here each stray file
writes a marker when imported and then hands over the real library, as a stealthy attack would:
no marker may appear, and every entry point refuses to start naming the file.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pdz_dev.project import FIXTURES, ROOT, build, make_project

MESSAGE = "nella cartella principale del progetto è codice Python che non fa parte del progetto"
SHIM = '''import os, sys
with open({marker!r}, "a") as out:
    out.write({name!r} + "\\n")
here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
del sys.modules[__name__]
import {module} as _real
sys.modules[__name__] = _real
'''
STRAY = {"yaml.py": "yaml", "markdown.py": "markdown", "main.py": "os", "conftest.py": "os"}


@pytest.fixture
def hostile(tmp_path):
    """A project of the real code with valid content and every stray file at its root."""
    project = make_project(tmp_path, FIXTURES / "valid")
    for part in ("Makefile", "requirements.txt", "requirements-check.txt", "pyproject.toml", "package.json", "package-lock.json", ".venv",
                 "node_modules", "tests"):
        (project / part).symlink_to(ROOT / part)
    marker = tmp_path / "eseguito.txt"
    for name, module in STRAY.items():
        (project / name).write_text(SHIM.format(marker=str(marker), name=name, module=module), encoding="utf-8")
    return project, marker


# make in the hostile project must not reinstall the environment it shares with the real
# repository: a stamp older than pyproject.toml (an edited checkout) would run "pip install -e ."
# there and point the shared venv's package at this temporary copy.
MAKE = ["make", "--no-print-directory", "-o", ".venv/.installed", "-o", "node_modules/.package-lock.json"]


def ran(marker: Path) -> list[str]:
    return marker.read_text(encoding="utf-8").split() if marker.exists() else []


def unsafe_env() -> dict:
    """The environment of someone who runs Python by hand, without -P."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSAFEPATH", "MAKEFLAGS", "MAKELEVEL")}
    return dict(env, NO_MKDOCS_2_WARNING="1")


def refused(result: subprocess.CompletedProcess, names=("yaml.py", "markdown.py", "main.py", "conftest.py")) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    for name in names:
        assert f"'{name}' {MESSAGE}" in output, output[-3000:]


def test_make_check_refuses_and_runs_nothing(hostile):
    project, marker = hostile
    result = subprocess.run([*MAKE, "check"], cwd=project, env=unsafe_env(),
                            capture_output=True, text=True, timeout=600)
    refused(result)
    assert ran(marker) == []


def test_make_site_refuses_and_runs_nothing(hostile):
    project, marker = hostile
    result = subprocess.run([*MAKE, "site"], cwd=project, env=unsafe_env(),
                            capture_output=True, text=True, timeout=1200)
    refused(result)
    assert ran(marker) == [] and not (project / "site").exists()


def test_the_build_through_mkdocs_refuses_and_runs_nothing(hostile, tmp_path):
    project, marker = hostile
    result = build(project, tmp_path / "site", forked=False)   # a new Python, as mkdocs starts
    refused(result)
    assert ran(marker) == []


def test_a_pdz_command_started_by_hand_without_P_stops_before_any_library(hostile):
    """Defence in depth: ``python -m pdz.commands.check`` from the project, with the working
    directory on sys.path, stops in pdz/__init__.py before the loader imports yaml."""
    project, marker = hostile
    env = unsafe_env()
    for module in ("pdz.commands.check", "pdz.commands.coverage", "pdz.commands.site"):
        result = subprocess.run([sys.executable, "-m", module],  # unsafe on purpose
                                cwd=project, env=env, capture_output=True,
                                text=True, timeout=300)
        refused(result)
    assert ran(marker) == []


def pytest_command() -> list[str]:
    """The test command of the Makefile (``$(PYTEST)``), with this Python."""
    line = re.search(r"^PYTEST := \$\(BIN\)/python (.*)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    return [sys.executable, *line.group(1).split()]   # the Makefile's -P


def test_pytest_never_loads_a_root_conftest_and_refuses_to_start(hostile):
    project, marker = hostile
    result = subprocess.run([*pytest_command(), "-q", "-p", "no:cacheprovider", "tests/content/test_urls.py"],
                            cwd=project, env=unsafe_env(), capture_output=True, text=True, timeout=600)
    refused(result)
    assert "I test non sono stati eseguiti" in result.stdout + result.stderr
    assert ran(marker) == []


def test_a_root_conftest_alone_is_not_loaded(tmp_path):
    """Even before the guard speaks, pytest (as make runs it) reads conftest.py from tests/ only."""
    project = tmp_path / "p"
    (project / "tests").mkdir(parents=True)
    marker = tmp_path / "conftest-eseguito"
    (project / "conftest.py").write_text(f"open({str(marker)!r}, 'w').write('x')\n", encoding="utf-8")
    (project / "tests" / "test_x.py").write_text("def test_x():\n    pass\n", encoding="utf-8")
    result = subprocess.run([*pytest_command(), "-q", "-p", "no:cacheprovider", "tests"],
                            cwd=project, env=unsafe_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not marker.exists()


def test_every_entry_point_runs_python_without_the_working_directory():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^export PYTHONSAFEPATH := 1$", makefile, re.M)
    assert "--confcutdir=tests" in makefile
    for line in re.findall(r"\$\(BIN\)/python\b.*", makefile):
        assert line.startswith("$(BIN)/python -P"), line
    assert re.search(r"^export PYTHONSAFEPATH=1$", (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.M)
    for workflow in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        assert yaml.safe_load(workflow.read_text(encoding="utf-8"))["env"]["PYTHONSAFEPATH"] == "1", workflow.name
    # the tests', the benchmarks' and the build's own Python subprocesses
    unsafe = []
    for folder in ("tests", "macros"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if re.search(r"\[sys\.executable,", line) and not re.search(r'"-P"|unsafe on purpose|Makefile\'s -P', line):
                    unsafe.append(f"{path.relative_to(ROOT)}:{number}")
    assert unsafe == []


def test_mkdocs_macros_loads_only_the_project_module():
    """mkdocs-macros imports ``main.py`` from the project folder unless ``module_name`` names
    another module (a folder there would also go on sys.path). Ours loads the installed pluglet
    and names no local module, so only a stray ``main.py`` could run: the pdz plugin's
    ``on_config`` comes first and refuses it (test_the_build_through_mkdocs_refuses_and_runs_nothing)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    macros = next(p["macros"] for p in config["plugins"] if isinstance(p, dict) and "macros" in p)
    assert names.index("pdz") < names.index("macros")
    assert macros["modules"] == ["pdz.plugin.docs_macros"]
    assert macros.get("module_name", "main") == "main" and not (ROOT / "main.py").exists()
    assert not macros.get("include_yaml")
    from pdz.plugin.plugin import PdzPlugin
    assert PdzPlugin.on_config.mkdocs_priority > 0   # before mkdocs-macros (priority 0)


def test_what_python_could_import_is_found(tmp_path):
    from pdz.content import rootguard
    assert rootguard.unknown_code(ROOT) == []
    for name in ("a.py", "b.pyc", "c.cpython-311-x86_64-linux-gnu.so", "README.md", "d.yaml"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "pacchetto").mkdir()
    (tmp_path / "pacchetto" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "cartella").mkdir()
    assert rootguard.unknown_code(tmp_path) == ["a.py", "b.pyc", "c.cpython-311-x86_64-linux-gnu.so", "pacchetto/"]
