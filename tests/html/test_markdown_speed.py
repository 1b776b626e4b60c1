"""Contributor Markdown converts in near-linear time (issue #11, hole 7).

Python-Markdown took 38 s on 5000 '[' characters (its time grew with the square of their
number) while ``make check`` passed: a 12 KB field slowed the build from 3 s to 43 s. The text
converter is now markdown-it-py (CommonMark), and every Markdown field is bounded by the
schemas (``testo``: maxLength), the body of a .md file by the loader.

Each input below is a pathological case of CommonMark's own test suite (cmark
test/pathological_tests.py) or one that was slow with Python-Markdown, repeated up to the
longest text the site accepts. Each must convert, sanitise included, in time that grows
linearly with its length: from a quarter of the longest text to the whole, processor time may
grow at most 10 times (linear growth is 4 times, the square's 16). A ratio measured in the same
process, not a fixed limit in seconds, so a busy machine does not make it fail; a case that takes
under 0.1 s at full length is harmless whatever its growth and passes. The figures are printed in the summary.
"""
from __future__ import annotations

import json
import re
import time

import pytest

from pdz_dev.project import FIXTURES, ROOT, SUMMARY, make_project, write
from pdz.content.loader import MAX_BODY_CHARS, load_content
from pdz.content.problems import ERROR
from pdz.html.text import TextRenderer

pytestmark = pytest.mark.slow   # pathological inputs, seconds of CPU by design

FIELD_MAX = json.loads((ROOT / "schemas" / "_defs.schema.json").read_text(encoding="utf-8"))["$defs"]["testo"]["maxLength"]
MAX_GROWTH = 10.0       # processor time, whole text against a quarter of it (linear: 4, square: 16)
TOO_FAST_TO_JUDGE = 0.1    # seconds of processor time at the longest length the site accepts: harmless

# name -> (unit repeated, prefix, suffix)
UNITS = {
    "nested strong emphasis": ("*a **a ", "", "b"),
    "emphasis closers without openers": ("a_ ", "", ""),
    "emphasis openers without closers": ("_a ", "", ""),
    "link closers without openers": ("a]", "", ""),
    "link openers without closers": ("[a", "", ""),
    "bare link openers": ("[", "", ""),
    "image openers": ("![", "", ""),
    "mismatched openers and closers": ("*a_ ", "", ""),
    "openers and closers multiple of 3": ("c* ", "a**b", ""),
    "link openers and emphasis closers": ("[ a_", "", ""),
    "pattern [ (]( repeated": ("[ (](", "", ""),
    "hard link/emphasis case": ("**x [a*b**c*](d)", "", ""),
    "nested brackets (openers)": ("[", "", "a"),
    "nested links": ("[a", "", "](b)"),
    "link chains": ("[a](b)", "", ""),
    "nested block quotes": (">", "", " a"),
    "backticks": ("e`", "", ""),
    "unclosed links A": ("[a](<b", "", ""),
    "unclosed links B": ("[a](b", "", ""),
    "unclosed html comments": ("<!--", "</", ""),
    "unclosed html tags": ("<a ", "", ""),
    "unclosed processing instructions": ("<?", "", ""),
    "unclosed declarations": ("<!A ", "", ""),
    "unclosed cdata": ("<![CDATA[", "", ""),
    "many autolinks": ("<http://a", "", ""),
    "entities": ("&a", "", ""),
    "backslashes": ("\\", "", ""),
    "table cells": ("|a", "", "\n|-|\n|b"),
    "underscores in words": ("a_b", "", ""),
    "many lines": ("a\n", "", ""),
    "emphasis mixes": ("a**_", "", ""),
}


def sized(unit: str, prefix: str, suffix: str, size: int) -> str:
    return prefix + unit * ((size - len(prefix) - len(suffix)) // len(unit)) + suffix


def nested_lists(size: int) -> str:
    out, depth = [], 0
    while sum(map(len, out)) < size - 200:
        out.append("  " * (depth % 60) + "- a\n")
        depth += 1
    return "".join(out)


def many_references(size: int) -> str:
    refs, uses, n = [], [], 0
    while sum(map(len, refs)) + sum(map(len, uses)) < size - 40:
        refs.append(f"[{n}]: u\n")
        uses.append(f"[{n}] ")
        n += 1
    return "".join(refs) + "\n" + "".join(uses)


# name -> (text of a given length, longest length the site accepts)
CASES = {name: ((lambda size, parts=parts: sized(*parts, size)), FIELD_MAX) for name, parts in UNITS.items()}
CASES["deeply nested lists"] = (nested_lists, FIELD_MAX)
CASES["many references"] = (many_references, FIELD_MAX)
CASES["link openers in a section body"] = (lambda size: "[a" * (size // 2), MAX_BODY_CHARS)
CASES["images in a section body"] = (lambda size: "![" * (size // 2), MAX_BODY_CHARS)


@pytest.fixture(scope="module")
def timings():
    found = {}
    yield found
    if found:
        worst = max(found, key=lambda name: found[name][0])
        judged = {name: growth for name, (_, growth) in found.items() if growth is not None}
        steepest = max(judged, key=judged.__getitem__) if judged else None
        SUMMARY["Markdown patologico"] = (
            f"{len(found)} casi fino a {MAX_BODY_CHARS} caratteri, il più lento '{worst}' in "
            f"{found[worst][0]:.2f} s di processore; "
            + (f"crescita massima da un quarto al testo intero {judged[steepest]:.1f} volte ('{steepest}'), "
               f"misurata nei {len(judged)} casi che superano {TOO_FAST_TO_JUDGE} s" if steepest else
               f"nessun caso supera {TOO_FAST_TO_JUDGE} s"))


def converted(text: str, body: bool, enough=lambda best: best < TOO_FAST_TO_JUDGE) -> tuple[float, str]:
    """The least processor time of three conversions (the others are noise), and the HTML; a new
    converter each time, since a converter remembers the texts it has converted. It stops early
    once ``enough(best)`` holds, since the least of three could only be shorter: by default one
    conversion under TOO_FAST_TO_JUDGE."""
    best = float("inf")
    for _ in range(3):
        renderer = TextRenderer({"ASST": "Azienda Socio Sanitaria Territoriale", "a": "lettera"})
        started = time.process_time()
        html = renderer.block(text, top_level=2 if body else None)
        best = min(best, time.process_time() - started)
        if enough(best):
            break
    return best, html


@pytest.mark.parametrize("name", CASES)
def test_pathological_markdown_converts_in_linear_time(name, timings):
    make, longest = CASES[name]
    body = "body" in name
    # the whole text once: noise only lengthens a conversion, so when one is harmless, or within
    # the bounds against the quarter's least of three, the least of three would be too; only
    # otherwise is it converted again (the whole texts were most of this file's CPU)
    whole, html = converted(make(longest), body, lambda best: True)
    assert "<script" not in html.lower()
    if whole >= TOO_FAST_TO_JUDGE:
        quarter, _ = converted(make(longest // 4), body)
        if whole / max(quarter, 1e-6) > MAX_GROWTH:
            again, _ = converted(make(longest), body, lambda best: best < TOO_FAST_TO_JUDGE
                                 or best / max(quarter, 1e-6) <= MAX_GROWTH)
            whole = min(whole, again)
    if whole < TOO_FAST_TO_JUDGE:   # harmless whatever its growth: the quarter is not timed
        timings[name] = (whole, None)
        return
    growth = whole / max(quarter, 1e-6)
    timings[name] = (whole, growth)
    assert growth <= MAX_GROWTH, (
        f"{name}: {whole:.3f} s for {longest} characters, {growth:.1f} times the time of a quarter of them")


def test_text_is_never_silently_dropped_by_deep_nesting():
    """Past markdown-it's nesting limit the rest of a block would vanish: it is shown as written."""
    renderer = TextRenderer()
    for text in (">" * 40 + " parola", "".join("  " * i + f"- voce{i}\n" for i in range(40))):
        html = renderer.block(text)
        words = re.findall(r"parola|voce\d+", text)
        assert all(word in html for word in words), html[:300]


def test_the_longest_texts_are_bounded(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    write(project, "ambiti/prova/2021-2023/sezioni/09-lunga.md", "---\ntitolo: \"Lunga\"\nfonti:\n  - documento: doc-prova\n"
          "    righe: [1, 2]\n---\n" + "Parola. " * (MAX_BODY_CHARS // 8 + 1) + "\n")
    write(project, "partner/lungo.yaml", "nome: \"Lungo\"\ntipo: altro\ndescrizione: \"" + "a" * (FIELD_MAX + 1) + "\"\n"
          "fonti:\n  - documento: doc-prova\n    righe: [1, 2]\n")
    _, problems = load_content(project)
    errors = sorted((p.path, p.line, p.field, p.message) for p in problems if p.severity == ERROR)
    assert [(e[0], e[1], e[2]) for e in errors] == [("content/ambiti/prova/2021-2023/sezioni/09-lunga.md", 7, ""),
                                                    ("content/partner/lungo.yaml", 3, "descrizione")], errors
    assert "troppo lungo" in errors[0][3] and "troppo lungo" in errors[1][3]
