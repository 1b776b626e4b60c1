"""Convert ``.yaml`` records of the kinds that are front-matter Markdown into ``.md`` files.

``python -m pdz.editor.to_markdown [--root .]`` rewrites every objective and evaluation written
as ``.yaml`` into ``.md``: the YAML text stays as it is (comments, order, quoting) and becomes
the front matter, except the kind's body field (``descrizione``), whose value becomes the
Markdown body below the second ``---``. It is re-runnable (``.md`` files are left alone) and
checks each converted file: the record must load to the same data, or the file is not touched.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from pdz.content.loader import read_record
from pdz.content.model import KINDS

_TOP_LEVEL = re.compile(r"^\S")


def convert_text(text: str, body_field: str) -> str:
    """The .md text for the .yaml ``text`` (raises ValueError when it cannot be done safely)."""
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError("not a mapping")
    lines = text.split("\n")
    body = ""
    if body_field in data:
        value = data[body_field]
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{body_field} is not a text")
        start = next(i for i, line in enumerate(lines) if re.match(rf"^{body_field}\s*:", line))
        end = start + 1
        while end < len(lines) and not _TOP_LEVEL.match(lines[end]):
            end += 1
        lines = lines[:start] + lines[end:]
        body = value.strip("\n")
        if body[0].isspace():
            raise ValueError(f"{body_field} starts with spaces (it would become a code block)")
    front = "\n".join(lines).rstrip("\n")
    return f"---\n{front}\n---\n" + (f"\n{body}\n" if body else "")


def convert_file(path: Path, root: Path, kind: str, record_id: str, ambito: str | None,
                 plan: str | None = None) -> Path:
    """Write ``path`` as .md beside it, check it loads to the same record, remove the .yaml."""
    rel = path.relative_to(root).as_posix()
    before, problems = read_record(path, rel, kind, record_id, ambito, plan)
    if before is None:
        raise ValueError("; ".join(p.format() for p in problems))
    target = path.with_suffix(".md")
    if target.exists():
        raise ValueError(f"{target.name} exists already")
    text = convert_text(path.read_text(encoding="utf-8"), KINDS[kind].body_field)
    target.write_text(text, encoding="utf-8")
    after, problems = read_record(target, rel[:-5] + ".md", kind, record_id, ambito, plan)
    if after is None or after.data != _stripped(before.data, KINDS[kind].body_field):
        target.unlink()
        raise ValueError("the converted file does not load to the same data: "
                         + "; ".join(p.format() for p in problems))
    path.unlink()
    return target


def _stripped(data: dict, field: str) -> dict:
    """The body is read without leading and trailing blank lines (Markdown ignores them)."""
    if isinstance(data.get(field), str):
        return {**data, field: data[field].strip("\n")}
    return data
