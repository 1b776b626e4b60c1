"""Synthetic content trees for the build benchmark.

* ``snapshot()`` copies the real ``content/`` once (others edit it while we run) and, because the
  migration is in progress, repairs what would stop a strict build: dangling references are
  removed line by line, files that still fail are left out. Every action is reported, so the
  figures say exactly which content they were measured on.
* ``make_tree()`` builds a project with N Ambiti: the real ones, then clones ``<ambito>-<k>``
  cycling over them. A clone is a copy of every file of its Ambito with the references to that
  Ambito's own records renamed; references to shared records (fonti, aree, partner, glossario)
  and to other Ambiti stay as they are. Partner files are not cloned and their ``ambiti:``
  lists stay as they are (still valid); with ``extend_partners=True`` every item naming an
  Ambito is repeated for its clones, as if every partner worked with every copy.
* With ``distinct=True`` (the default) every free text of a clone gets " (copia k)" appended,
  so that 100 Ambiti are 100 different plans for the code: the build converts each distinct
  text once, and clones that repeat the real texts word for word would flatter it.
* Each tree is a git checkout with its content committed, like the real repository, so the
  build's ``git log`` runs and every record shows its last-change date.
"""
from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from pdz_dev.project import ROOT
PROJECT_PARTS = ("mkdocs.yml", "docs", "macros", "schemas", "overrides")   # as pdz_dev.project, plus the code
OPTIONAL_PARTS = ("redirects.yaml", "fonti")   # read by the hooks if present (fonti: the published source texts)
CODE = ROOT          # where the trees' symlinks point: the repo, or a frozen copy (use_code)

_MISSING = re.compile(r"'([^']+)' inesistente")


def snapshot_code(dest: Path, source: Path = ROOT) -> Path:
    """Copy the code and config a build uses, so that every build of one run sees the same code
    while others keep editing the repository."""
    dest.mkdir(parents=True)
    for part in PROJECT_PARTS + OPTIONAL_PARTS:
        src = source / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / part)
    return dest


def use_code(code: Path) -> None:
    """Point the trees at ``code``, and the builds (subprocesses) at its package: PYTHONPATH puts
    ``code/macros`` before the editable install, so every build of one run sees the same code."""
    global CODE
    CODE = code
    os.environ["PYTHONPATH"] = str(code / "macros")


def link_code(project: Path) -> None:
    for part in PROJECT_PARTS + OPTIONAL_PARTS:
        if (project / part).exists():
            continue
        if part == "fonti" and (CODE / part).is_dir():   # the build refuses a linked fonti/: a copy
            shutil.copytree(CODE / part, project / part)
        elif (CODE / part).exists():
            (project / part).symlink_to(CODE / part)


def snapshot(dest: Path, source: Path = ROOT, max_rounds: int = 8) -> tuple[Path, list[str]]:
    """Copy ``source/content`` into ``dest/content`` and make it build. Returns (project, notes)."""
    project = dest
    project.mkdir(parents=True)
    shutil.copytree(source / "content", project / "content",
                    ignore=shutil.ignore_patterns(".*", "__pycache__"))
    if (source / "fonti").is_dir():   # the texts the documents name (make check wants each one)
        shutil.copytree(source / "fonti", project / "fonti")
    use_code(CODE)
    from pdz.content.loader import load_content
    from pdz.content.problems import ERROR
    notes: list[str] = []
    for _ in range(max_rounds):
        _, problems = load_content(project)
        errors = [p for p in problems if p.severity == ERROR]
        if not errors:
            return project, notes
        by_file: dict[str, list] = {}
        for problem in errors:
            by_file.setdefault(problem.path, []).append(problem)
        for rel, file_errors in sorted(by_file.items()):
            path = project / rel
            if not path.is_file():
                continue
            removed = _remove_dangling(path, file_errors)
            if removed is None:
                path.unlink()
                notes.append(f"left out {rel}: {file_errors[0].format().split(': ', 1)[1]}"
                             + (f" (+{len(file_errors) - 1} more)" if len(file_errors) > 1 else ""))
            else:
                notes.append(f"removed {removed} dangling reference(s) from {rel}")
    _, problems = load_content(project)
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        raise SystemExit("content snapshot still invalid after repairs:\n" +
                         "\n".join(p.format() for p in errors[:20]))
    return project, notes


def _remove_dangling(path: Path, errors) -> int | None:
    """Delete the lines holding dangling references (``- id`` or ``key: id``). None when some
    error is of another sort or its line is not a single-value line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    drop = set()
    for problem in errors:
        match = _MISSING.search(problem.message)
        if not match or not problem.line or problem.line > len(lines):
            return None
        value = match.group(1)
        text = lines[problem.line - 1].strip()
        bare = re.sub(r"^(- |[\w-]+: )", "", text).strip().strip("'\"")
        if bare != value:
            return None
        drop.add(problem.line - 1)
    kept = [line for i, line in enumerate(lines) if i not in drop]
    # a key whose list lost every item would become null: drop the key as well
    out = []
    for i, line in enumerate(kept):
        if re.match(r"^\s*[\w-]+:\s*$", line):
            indent = len(line) - len(line.lstrip())
            following = next((l for l in kept[i + 1:] if l.strip()), "")
            f_indent = len(following) - len(following.lstrip())
            if not (f_indent > indent or (f_indent == indent and following.lstrip().startswith("- "))):
                continue
        out.append(line)
    path.write_text("\n".join(out), encoding="utf-8")
    return len(drop)


def real_ambiti(content: Path) -> list[str]:
    base = content / "ambiti"
    return sorted(p.name for p in base.iterdir() if p.is_dir() and ((p / "ambito.yaml").exists()
                  or (p / "ambito.md").exists()))


def plan(real: list[str], n: int) -> list[tuple[str, str]]:
    """(new id, original id) for N Ambiti: the real ones first, then clones cycling over them."""
    if n <= len(real):
        return [(a, a) for a in real[:n]]
    out = [(a, a) for a in real]
    for i in range(n - len(real)):
        original = real[i % len(real)]
        out.append((f"{original}-{i // len(real) + 1}", original))
    return out


# Lombardy: about 90 Ambiti, each with two or three plans of its own (full triennia).
LOMBARDY_AMBITI = 90
LATER_PERIODS = ("2025-2027", "2028-2030")   # extra triennia of the regional point (one unit each)
SOURCE_PERIOD = "2021-2023"
EARLIER_PERIOD = "2018-2020"   # the plan whose objectives SOURCE_PERIOD evaluates


def make_tree(snapshot_project: Path, dest: Path, n: int,
              extend_partners: bool = False, distinct: bool = True,
              ambiti_count: int | None = None, name_all_comuni: bool = False) -> tuple[Path, list[tuple[str, str]]]:
    """A project dir with N units of content, sharing the repo's code through symlinks. A unit
    is an Ambito with its full plan (2021-2023, plus the 2018-2020 plan it evaluates). With
    ``ambiti_count`` (< N) only that many Ambiti are made, and the other units are later
    triennia of theirs: copies of an Ambito's 2021-2023 plan as 2025-2027, then 2028-2030 (the
    regional point: about 90 Ambiti over two or three triennia). ``name_all_comuni``: every
    Ambito names as many Comuni as its plan states (the real plans name 24 of their 102), the
    missing ones with made-up names (real names with a number), so that the finder holds the
    Comuni of a region."""
    use_code(CODE)
    from pdz.content.model import AMBITI_FOLDER, GLOBAL_FOLDERS
    src = snapshot_project / "content"
    project = dest
    project.mkdir(parents=True)
    link_code(project)
    content = project / "content"
    content.mkdir()
    for folder in GLOBAL_FOLDERS:
        if (src / folder).is_dir():
            shutil.copytree(src / folder, content / folder)
    ambiti = plan(real_ambiti(src), min(n, ambiti_count or n))
    clones: dict[str, list[str]] = {}
    for new, original in ambiti:
        if new == original:
            shutil.copytree(src / AMBITI_FOLDER / original, content / AMBITI_FOLDER / new)
        else:
            _clone(src / AMBITI_FOLDER / original, content / AMBITI_FOLDER / new, original, new, distinct)
            clones.setdefault(original, []).append(new)
    if clones and extend_partners:
        for path in sorted((content / "partner").glob("*.yaml")):
            _add_clones_to_partner(path, clones)
    if name_all_comuni:
        _name_all_comuni(content / AMBITI_FOLDER, [a for a, _ in ambiti])
    for i in range(n - len(ambiti)):   # later triennia, one Ambito after the other
        ambito = ambiti[i % len(ambiti)][0]
        period = LATER_PERIODS[i // len(ambiti)]
        _later_plan(content / AMBITI_FOLDER / ambito, ambito, period, distinct)
    _commit(project)
    return project, ambiti


def _name_all_comuni(folder: Path, ambiti: list[str]) -> None:
    real = sorted({c["nome"] for a in ambiti for c in (yaml.safe_load((folder / a / "ambito.yaml").read_text(
        encoding="utf-8")).get("comuni") or []) if " (copia" not in c["nome"]})
    made = 0
    for ambito in ambiti:
        path = folder / ambito / "ambito.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        names = data.get("comuni") or []
        stated = data.get("numero_comuni") or len(names)
        while len(names) < stated:
            made += 1
            names.append({"nome": f"{real[made % len(real)]} {made // len(real) + 2}"})
        if names:
            data["comuni"] = names
            path.write_text(yaml.dump(data, Dumper=_QuotedDumper, allow_unicode=True, sort_keys=False,
                                      width=1_000_000), encoding="utf-8")


def _later_plan(folder: Path, ambito: str, period: str, distinct: bool) -> None:
    """A later triennium that holds one unit's records, as every other unit of N: a copy of the
    Ambito's 2021-2023 plan (its evaluations still look back on the 2018-2020 objectives) and, as
    the objectives of its own, a copy of the 2018-2020 objectives (three of the five real
    2021-2023 plans have no objective of their own: a copy of the plan alone would be half a unit,
    lopsided towards evaluation pages, and a page of N=200 would not be a page of N=100). Every
    record is renamed into the new plan, its period changed, its free texts marked (so that the
    build converts them again)."""
    copies = [(path, path.relative_to(folder / SOURCE_PERIOD), SOURCE_PERIOD)
              for path in sorted((folder / SOURCE_PERIOD).rglob("*"))]
    taken = {rel for _path, rel, _period in copies}
    for path in sorted((folder / EARLIER_PERIOD / "obiettivi").glob("*")):
        rel = path.relative_to(folder / EARLIER_PERIOD)
        if rel in taken:   # an objective of 2021-2023 with the same name
            rel = rel.with_name(f"{path.stem}-{EARLIER_PERIOD[:4]}{path.suffix}")
        copies.append((path, rel, EARLIER_PERIOD))
    own = {source: re.compile(rf"(?<![\w/.-]){re.escape(ambito)}/{source}/") for source in (SOURCE_PERIOD, EARLIER_PERIOD)}
    for path, rel, source in copies:
        if path.is_dir() or path.name.startswith("."):
            continue
        target = folder / period / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        text = own[source].sub(f"{ambito}/{period}/", path.read_text(encoding="utf-8"))
        if path.stem == "piano" and path.parent == folder / SOURCE_PERIOD:
            # a clone's YAML is written by the dumper, with its keys quoted too
            text = re.sub(rf"^(['\"]?periodo['\"]?:[ \t]*['\"]?){SOURCE_PERIOD}", rf"\g<1>{period}", text, count=1,
                          flags=re.MULTILINE)
        if distinct:
            text = _make_distinct(text, path.suffix, f" ({period})")
        target.write_text(text, encoding="utf-8")


def _commit(project: Path) -> None:
    """Make the tree a git checkout with its content committed, as the real repository is: the
    build then runs its ``git log`` and prints a last-change date on every record."""
    env = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
           "GIT_AUTHOR_DATE": "2026-01-01T12:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T12:00:00Z",
           "PATH": os.environ.get("PATH", "")}
    for args in (["init", "-q"], ["add", "content"], ["commit", "-q", "-m", "synthetic tree"]):
        subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)


def _clone(src: Path, dest: Path, original: str, new: str, distinct: bool) -> None:
    own = re.compile(rf"(?<![\w/.-]){re.escape(original)}/([0-9]{{4}}-[0-9]{{4}})/")   # its plans' records
    suffix = new[len(original) + 1:]
    for path in sorted(src.rglob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        target = dest / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = own.sub(rf"{new}/\1/", path.read_text(encoding="utf-8"))
        if path.stem == "ambito" and path.parent == src:
            text = _rename_ambito(text, suffix)
        if distinct:
            text = _make_distinct(text, path.suffix, f" (copia {suffix})")
        target.write_text(text, encoding="utf-8")


def _rename_ambito(text: str, suffix: str) -> str:
    """``nome: Ambito di Corsico`` → ``nome: Ambito di Corsico (copia 3)`` (first top-level nome)."""
    def repl(match):
        value = match.group(2)
        if len(value) >= 2 and value[0] in "'\"" and value[-1] == value[0]:
            return f"{match.group(1)}{value[:-1]} (copia {suffix}){value[-1]}"
        return f"{match.group(1)}{value} (copia {suffix})"
    return re.sub(r"^(nome:[ \t]+)(.+?)[ \t]*$", repl, text, count=1, flags=re.MULTILINE)


def _add_clones_to_partner(path: Path, clones: dict[str, list[str]]) -> None:
    """Duplicate each ``- ambito: X`` item (with its ``ruolo``) for every clone of X."""
    lines = path.read_text(encoding="utf-8").split("\n")
    out, i, changed = [], 0, False
    item = re.compile(r"^(\s*)- ambito:\s*(['\"]?)([\w-]+)\2\s*$")
    while i < len(lines):
        match = item.match(lines[i])
        if not match or match.group(3) not in clones:
            out.append(lines[i])
            i += 1
            continue
        indent = len(match.group(1))
        j = i + 1
        while j < len(lines) and lines[j].strip() and len(lines[j]) - len(lines[j].lstrip()) > indent:
            j += 1
        block = lines[i:j]
        out += block
        original, quote = match.group(3), match.group(2)
        for new in clones[original]:
            out.append(f"{match.group(1)}- ambito: {quote}{new}{quote}")
            out += block[1:]
        changed = True
        i = j
    if changed:
        path.write_text("\n".join(out), encoding="utf-8")


class _QuotedDumper(yaml.SafeDumper):
    """Every string double-quoted: no plain scalar that the strict loader would question."""


_QuotedDumper.add_representer(
    str, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"'))


@functools.lru_cache(maxsize=None)
def _enum_values() -> frozenset[str]:
    """Every enum and const value of the schemas: such strings must stay as they are."""
    import json
    values: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, item in node.items():
                if key == "enum":
                    values.update(v for v in item if isinstance(v, str))
                elif key == "const" and isinstance(item, str):
                    values.add(item)
                else:
                    walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    for path in sorted((CODE / "schemas").glob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return frozenset(values)


def _make_distinct(text: str, suffix: str, mark: str) -> str:
    """Append ``mark`` to every free text (a string with a space that is not an enum value) of
    a YAML file or front matter, and a last line to a Markdown body. Ids and references have no
    spaces, so they are untouched."""
    from pdz.content import yamlsafe
    from pdz.content.loader import split_front_matter
    enums = _enum_values()

    def mark_strings(value):
        if isinstance(value, dict):
            return {key: mark_strings(item) for key, item in value.items()}
        if isinstance(value, list):
            return [mark_strings(item) for item in value]
        if isinstance(value, str) and " " in value.strip() and value not in enums and not value.endswith(mark):
            return value + mark
        return value

    def dump(front: str) -> str:
        parsed = yamlsafe.load(front)
        if parsed.issues or not isinstance(parsed.data, dict):
            return front          # left as it is: the build reports it like any other file
        return yaml.dump(mark_strings(parsed.data), Dumper=_QuotedDumper, allow_unicode=True,
                         sort_keys=False, width=1_000_000).rstrip("\n")

    if suffix != ".md":
        return dump(text) + "\n"
    split = split_front_matter(text)
    if split is None:
        return text
    front, body, _ = split
    return f"---\n{dump(front)}\n---\n{body.rstrip()}\n\nCopia{mark}.\n"

