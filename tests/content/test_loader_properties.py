"""Property-based tests of the loader (Hypothesis): whatever an editor saves in content/, the
checker answers with problems, never with a traceback.

- arbitrary text, arbitrary bytes and arbitrary YAML-ish documents written as a content file:
  ``load_content`` returns (catalog, problems) and every problem is printable;
- valid fixture records with one value replaced by an arbitrary value (so that schema and
  cross-record checks run on odd but well-formed data): same property;
- ``python -m pdz.commands.check`` on such files never prints "Traceback" nor "errore interno".

Example counts are modest (the whole file runs in a few seconds); deadline=None because a
loaded CI machine is slow, not wrong.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pdz_dev.project import examples, FIXTURES, ROOT, SUMMARY
from pdz.commands import check
from pdz.content.loader import load_content, split_front_matter
from pdz.content.problems import ERROR, WARNING, Problem

EXAMPLES = examples(200)
PROPERTIES = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUMMARY["esempi Hypothesis (caricamento dei contenuti)"] = (
    f"{EXAMPLES} testo + {EXAMPLES} byte + {EXAMPLES} documenti YAML + {EXAMPLES // 2} record validi alterati "
    f"+ {EXAMPLES // 2} 'make check' in-process + 5 lotti con 'python -m pdz.commands.check'")

# where an editor can put a file: every kind of content, .md and .yaml
TARGETS = ["partner/caso.yaml", "partner/caso.md", "fonti/caso.yaml", "glossario/caso.yaml", "aree/Z.yaml",
           "ambiti/prova/ambito.yaml", "ambiti/prova/2021-2023/obiettivi/09-caso.md", "ambiti/prova/2021-2023/obiettivi/09-caso.yaml",
           "ambiti/prova/2021-2023/valutazioni/09-caso.md", "ambiti/prova/2021-2023/sezioni/09-caso.md", "ambiti/prova/2021-2023/dati/caso.yaml",
           "ambiti/prova/2021-2023/progetti/caso.md", "ambiti/prova/2021-2023/organi/caso.yaml", "ambiti/prova/2021-2023/monitoraggio/caso.yaml",
           "ambiti/nuovo/ambito.yaml"]

def _schema_names(node, out: set):
    if isinstance(node, dict):
        out.update(k for k in (node.get("properties") or {}) if isinstance(k, str))
        for value in node.values():
            _schema_names(value, out)
    elif isinstance(node, list):
        for value in node:
            _schema_names(value, out)
    return out


FIELD_NAMES = sorted(set().union(*(_schema_names(json.loads(p.read_text(encoding="utf-8")), set())
                                   for p in (ROOT / "schemas").glob("*.schema.json"))))

TRICKY = ["NO", "no", "Yes", "on", "Off", "y", "~", "null", "true", "0123", "015146", "1:20", "1_000", "0x1F",
          "0o17", ".nan", "-.inf", "1e5", "1.5e+400", "9" * 40, "2021-12-22", "2021-13-45", "=", "<<", "*a",
          "&a x", "!!python/object/apply:os.system ['true']", "!!binary aGk=", "!include x", "!!set {a}",
          "{{ 7*191 }}", "{% raw %}", "<script>alert(1)</script>", "javascript:alert(1)", "'", '"', "|", ">",
          "- ", ": ", "#", "@x", "`x`", "%YAML 1.1", "---", "...", "\t", '"\\x07"', '"\\ud800"', '"\\N"',
          "''", '""', "[", "]", "{", "}", ",", "?", "!", "&", "*", "\ufeff", "\r", "\x85", "\u2028",
          "doc-prova", "asst-prova", "prova/2021-2023/obiettivi/01-casa", "prova/2021-2023/valutazioni/01-portale", "B", "si",
          "in_parte", "non_indicato", "famiglie", "DA COMPILARE", "[1, 2]", "[2, 1]", "[0, 999]", "{risposta: si}"]

scalars = st.one_of(st.sampled_from(TRICKY), st.integers(-10**20, 10**20).map(str),
                    st.floats().map(repr), st.text(max_size=15))
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.sampled_from(["x", "<<", "? a", "- a", "[a]", "&k", '"q"']),
                 st.text(max_size=8))
trees = st.recursive(scalars, lambda children: st.one_of(st.lists(children, max_size=4),
                                                         st.dictionaries(keys, children, max_size=5)),
                     max_leaves=25)


def emit(node, indent: int, width: int, flow: bool) -> str:
    """A YAML-ish rendering of a tree: block or flow style, any indentation width; the result
    is often not valid YAML, which is the point."""
    pad = " " * indent
    if isinstance(node, dict):
        if flow or not node:
            return "{" + ", ".join(f"{k}: {emit(v, 0, width, True)}" for k, v in node.items()) + "}"
        return "\n" + "\n".join(f"{pad}{k}:{' ' if not isinstance(v, (dict, list)) or not v else ''}"
                                f"{emit(v, indent + width, width, flow)}" for k, v in node.items())
    if isinstance(node, list):
        if flow or not node:
            return "[" + ", ".join(emit(v, 0, width, True) for v in node) + "]"
        return "\n" + "\n".join(f"{pad}- {emit(v, indent + width, width, flow).lstrip()}" for v in node)
    return str(node)


@st.composite
def yaml_documents(draw) -> str:
    tree = draw(st.dictionaries(keys, trees, min_size=1, max_size=8))
    text = emit(tree, 0, draw(st.sampled_from([1, 2, 3, 4, 8])), draw(st.booleans())).lstrip("\n") + "\n"
    if draw(st.booleans()):     # small corruption: a character inserted, deleted or swapped
        position = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "swap"]))
        char = draw(st.sampled_from(list(":-'\"\t#[]{}&*!|>%@` \n")))
        if edit == "insert":
            text = text[:position] + char + text[position:]
        elif edit == "delete":
            text = text[:position] + text[position + 1:]
        else:
            text = text[:position] + char + text[position + 1:]
    if draw(st.booleans()):     # as the front matter of a Markdown file
        text = "---\n" + text + "---\n" + draw(st.text(max_size=40))
    return text


def assert_answers_with_problems(project: Path):
    catalog, problems = load_content(project)
    assert isinstance(problems, list)
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.severity in (ERROR, WARNING)
        assert problem.path.startswith("content/") and isinstance(problem.line, int) and problem.line >= 0
        problem.format().encode("utf-8")      # printable as it is, no lone surrogates
    return catalog, problems


@pytest.fixture(scope="module")
def minimal_project(tmp_path_factory) -> Path:
    """Only the source document: loading one file costs milliseconds."""
    project = tmp_path_factory.mktemp("prop") / "project"
    (project / "content" / "fonti").mkdir(parents=True)
    shutil.copy(FIXTURES / "valid/content/fonti/doc-prova.yaml", project / "content/fonti/doc-prova.yaml")
    return project


def put(project: Path, target: str, data: bytes) -> Path:
    for old in (project / "content").rglob("*"):
        if old.is_file() and old.name != "doc-prova.yaml":
            old.unlink()
    path = project / "content" / target
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@PROPERTIES
@given(target=st.sampled_from(TARGETS), text=st.text(max_size=300))
def test_arbitrary_text_never_crashes_the_loader(minimal_project, target, text):
    put(minimal_project, target, text.encode("utf-8", "surrogatepass"))
    assert_answers_with_problems(minimal_project)


@PROPERTIES
@given(target=st.sampled_from(TARGETS), data=st.binary(max_size=300))
def test_arbitrary_bytes_never_crash_the_loader(minimal_project, target, data):
    put(minimal_project, target, data)
    assert_answers_with_problems(minimal_project)


@PROPERTIES
@given(target=st.sampled_from(TARGETS), text=yaml_documents())
def test_arbitrary_yaml_documents_never_crash_the_loader(minimal_project, target, text):
    put(minimal_project, target, text.encode("utf-8", "surrogatepass"))
    assert_answers_with_problems(minimal_project)


# --- valid records with one value replaced ----------------------------------------------------

VALID = FIXTURES / "valid" / "content"
VALID_FILES = sorted(p.relative_to(VALID).as_posix() for p in VALID.rglob("*") if p.is_file())
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(), st.text(max_size=20),
              st.sampled_from(TRICKY)),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(
        st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=6)), children, max_size=3)),
    max_leaves=8)


def paths_of(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths_of(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths_of(value, prefix + (index,))


def replaced(node, path, value):
    if not path:
        return value
    copy = dict(node) if isinstance(node, dict) else list(node)
    copy[path[0]] = replaced(node[path[0]], path[1:], value)
    return copy


@pytest.fixture(scope="module")
def valid_project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("prop-valid") / "project"
    shutil.copytree(FIXTURES / "valid" / "content", project / "content")
    return project


@settings(PROPERTIES, max_examples=EXAMPLES // 2)
@given(data=st.data())
def test_valid_records_with_an_odd_value_never_crash_the_loader(valid_project, data):
    rel = data.draw(st.sampled_from(VALID_FILES))
    original = (VALID / rel).read_text(encoding="utf-8")
    front, body = original, None
    if rel.endswith(".md"):
        front, body, _ = split_front_matter(original)
    record = yaml.safe_load(front)
    path = data.draw(st.sampled_from(list(paths_of(record))[1:]))
    if data.draw(st.booleans()) and isinstance(record, dict):
        changed = dict(record, **{data.draw(st.sampled_from(FIELD_NAMES)): data.draw(values)})
    else:
        changed = replaced(record, path, data.draw(values))
    text = yaml.safe_dump(changed, allow_unicode=True, sort_keys=False)
    if body is not None:
        text = "---\n" + text + "---\n" + body
    target = valid_project / "content" / rel
    try:
        target.write_text(text, encoding="utf-8", errors="surrogatepass")
        assert_answers_with_problems(valid_project)
    finally:
        target.write_text(original, encoding="utf-8")


# --- make check ----------------------------------------------------------------------------------

@settings(PROPERTIES, max_examples=EXAMPLES // 2)
@given(target=st.sampled_from(TARGETS), text=st.one_of(yaml_documents(), st.text(max_size=200)))
def test_check_command_answers_without_traceback(minimal_project, target, text):
    put(minimal_project, target, text.encode("utf-8", "surrogatepass"))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = check.main(["--root", str(minimal_project)])
    printed = out.getvalue() + err.getvalue()
    assert status in (0, 1), printed
    assert "Traceback" not in printed and "errore interno" not in printed


@settings(PROPERTIES, max_examples=5)
@given(files=st.lists(st.tuples(st.sampled_from(TARGETS), st.one_of(yaml_documents(), st.binary(max_size=200))),
                      min_size=10, max_size=30))
@pytest.mark.slow
def test_check_process_never_prints_a_traceback(tmp_path_factory, files):
    project = tmp_path_factory.mktemp("prop-check") / "project"
    shutil.copytree(FIXTURES / "valid" / "content", project / "content")
    for index, (target, content) in enumerate(files):
        folder, name = target.rsplit("/", 1)
        if name != "ambito.yaml":
            name = name.replace("caso", f"caso-{index}").replace("Z.", f"{'XYZW'[index % 4]}.")
        data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
        (project / "content" / folder).mkdir(parents=True, exist_ok=True)
        (project / "content" / folder / name).write_bytes(data)
    result = subprocess.run([sys.executable, "-P", "-m", "pdz.commands.check", "--root", str(project)], cwd=ROOT,
                            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
                            capture_output=True, timeout=300)
    printed = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert result.returncode in (0, 1), printed[-3000:]
    assert "Traceback" not in printed and "errore interno" not in printed
