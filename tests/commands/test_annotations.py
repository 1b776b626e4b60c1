"""``make check`` under GitHub Actions: its output starts no workflow command but its own.

The attack: a key with a line break (``"x\\n::notice::..."``) made ``make check`` print a raw line
that GitHub reads as a command (a notice, an output, a mask, stopping the log...). The output is
read here as the runner reads it: lines split at CR, LF or CR LF; a line starting with ``::`` (or
the old ``##[``) is a command; ``::stop-commands::<token>`` suspends them until ``::<token>::``.
The only commands left must be ours: one ``error``/``warning`` per problem, whose decoded file,
title and message are the problem's own.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from pdz.commands import check as check_command
from pdz_dev.project import FIXTURES, ROOT, make_project, run_main, write

HOSTILE_KEYS = [
    "x\n::notice title=preso::comando eseguito",
    "y\r::set-output name=esito::ok",
    "z\r\n::add-mask::segreto",
    "w\n  ::warning file=.github/workflows/pubblica.yml::falso",
    "v\n##[error]vecchio formato",
    "u%0A::notice::percentuale",
    "t\u2028::notice::separatore",
    "s::error file=a,line=1::due punti, virgole",
]
PARTNER = 'nome: "Acli"\ntipo: "terzo-settore"\n' + "".join(
    f'"{key.encode("unicode_escape").decode("ascii")}": 1\n'.replace("\\\\u", "\\u") for key in HOSTILE_KEYS)


def run_check(project) -> subprocess.CompletedProcess:
    """make check under GitHub Actions, as the runner starts it."""
    env = dict(os.environ, GITHUB_ACTIONS="true")
    return subprocess.run([sys.executable, "-P", "-m", "pdz.commands.check", "--root", str(project)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def check_in_process(capsys, monkeypatch):
    """make check under GitHub Actions, its main() in this process: the same output as run_check's
    (test_hostile_keys_start_no_workflow_command reads the process itself)."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.chdir(ROOT)
    return lambda project: run_main(check_command.main, ["--root", str(project)], capsys)


def runner_lines(output: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", output)


def unescape(text: str, prop: bool = False) -> str:
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else [])
    for code, char in pairs:
        text = text.replace(code, char)
    return text.replace("%25", "%")


def commands(output: str) -> list[tuple[str, dict, str]]:
    """The workflow commands GitHub would run, decoded: (name, properties, message)."""
    found, stopped = [], None
    for line in runner_lines(output):
        bare = line.strip()
        if stopped is not None:
            if bare == f"::{stopped}::":
                stopped = None
            continue
        if bare.startswith("##["):
            found.append(("##[", {}, bare))
            continue
        match = re.match(r"^::([^ :]+)(?: ([^:]*))?::(.*)$", bare)
        if not match:
            continue
        name, props, data = match.groups()
        if name == "stop-commands":
            stopped = data
            continue
        properties = dict(unescape(p, True).split("=", 1) for p in props.split(",")) if props else {}
        found.append((name, properties, unescape(data)))
    return found


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path, FIXTURES / "valid")


def assert_only_our_annotations(result, expected_files):
    output = result.stdout + result.stderr
    found = commands(output)
    assert found, output[-2000:]
    assert {name for name, _, _ in found} <= {"error", "warning"}, [c for c in found if c[0] not in ("error", "warning")]
    assert {props["file"] for _, props, _ in found} == expected_files
    return found


def test_hostile_keys_start_no_workflow_command(project):
    write(project, "partner/acli.yaml", PARTNER)
    result = run_check(project)
    assert result.returncode == 1
    found = assert_only_our_annotations(result, {"content/partner/acli.yaml"})
    titles = {props["title"] for _, props, _ in found}
    for key in HOSTILE_KEYS:   # each key reaches its annotation whole (line breaks but CR/LF shown as ␤)
        assert any(key.replace("\u2028", "\u2424") in title for title in titles), key
    for line in runner_lines(result.stderr):   # the human lines (errors): one per problem, inert
        if "acli.yaml" in line:
            assert not line.strip().startswith(("::", "##["))


def test_a_hostile_file_name_starts_no_workflow_command(project, check_in_process):
    write(project, "partner/a\n::notice::b.yaml", 'nome: "B"\n')
    result = check_in_process(project)
    assert result.returncode == 1
    assert_only_our_annotations(result, {"content/partner/a\n::notice::b.yaml"})


def test_a_root_file_named_as_a_command_starts_none(project, check_in_process):
    (project / "::error file=x::preso.py").write_text("", encoding="utf-8")
    (project / "##[error]vecchio.py").write_text("", encoding="utf-8")
    result = check_in_process(project)
    assert result.returncode == 1
    assert_only_our_annotations(result, {"::error file=x::preso.py", "##[error]vecchio.py"})


def test_even_without_stop_commands_every_human_line_is_inert(project):
    """Defence in depth: the problem lines alone (as the build prints them) start no command."""
    from pdz.commands.check import check
    write(project, "partner/acli.yaml", PARTNER)
    (project / "##[error]x.py").write_text("", encoding="utf-8")
    lines = [p.format() for p in check(project)[1]]
    (project / "##[error]x.py").unlink()
    lines += [p.format() for p in check(project)[1]]
    assert len(lines) > len(HOSTILE_KEYS)
    for text in lines:
        assert len(runner_lines(text)) == 1 and not text.strip().startswith(("::", "##[")), text
