"""The citizen vocabulary (issue #25): content/vocabolario/, everyday words and the plans' words.

- words compare as the search compares them (accents, case, endings aside);
- the vocabulary covers what the plans cover, and every plan term is written in the lines its
  entry cites (a term the plans do not use is refused, with file, line, field and a hint);
- an everyday word belongs to one entry only;
- ``make nuovo TIPO=voce`` writes an entry that is valid at once (a warning until filled in).
"""
from __future__ import annotations

import shutil

import pytest

from pdz.content.loader import load_content
from pdz.content.problems import ERROR
from pdz.content.vocabulary import key
from pdz_dev.project import ROOT, SUMMARY, make_project, real_content

# The needs the plans address (issue #25) and an everyday word for each.
NEEDS = {"casa": "affitto", "assistenti familiari": "badante", "disabilità": "handicap",
         "anziani": "casa di riposo", "povertà": "soldi", "lavoro": "disoccupato", "minori e famiglie": "affido",
         "violenza": "picchia", "dipendenze": "slot machine", "stranieri": "immigrato",
         "salute mentale": "depressione"}


def test_words_compare_as_the_search_compares_them():
    assert key("Badanti") == key("badante") == ("badant",)
    assert key("POVERTÀ") == key("poverta") == ("povert",)
    assert key("pagare l'affitto") == ("pagar", "l", "affitt")
    assert key("da zero a sei anni") == ("da", "zer", "a", "sei", "ann")
    assert key("...") == ()


def test_the_vocabulary_covers_what_the_plans_cover():
    catalog, problems = real_content()
    assert [p for p in problems if p.path.startswith("content/vocabolario/")] == []
    entries = catalog.all("voce")
    phrases = {key(p): e for e in entries for p in e.data["parole"]}
    missing = [need for need, word in NEEDS.items() if key(word) not in phrases]
    assert missing == []
    assert len(entries) >= 30
    words, terms = sum(len(e.data["parole"]) for e in entries), sum(len(e.data["termini"]) for e in entries)
    acronyms = {s for e in entries for s in e.data.get("sigle") or []}
    assert acronyms <= {r.id for r in catalog.all("sigla")}
    SUMMARY["vocabolario dei cittadini"] = (f"{len(entries)} voci: {words} parole di tutti i giorni, {terms} termini "
                                           f"dei piani, {len(acronyms)} sigle del glossario")


@pytest.fixture
def project(tmp_path):
    """The real content with its source texts (the check reads the cited lines)."""
    project = make_project(tmp_path, ROOT)
    shutil.copytree(ROOT / "fonti", project / "fonti")   # make check refuses a linked fonti/
    return project


def edit(project, rel: str, old: str, new: str):
    path = project / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors(project):
    return [p for p in load_content(project)[1] if p.severity == ERROR]


def test_a_term_that_the_cited_lines_do_not_write_is_refused(project):
    edit(project, "vocabolario/badante.yaml", '  - "badanti"\n', '  - "badanti"\n  - "aiutanti domestiche"\n')
    [error] = errors(project)
    assert (error.path, error.line, error.field) == ("content/vocabolario/badante.yaml", 10, "termini[3]")
    assert "«aiutanti domestiche» non è scritto nelle righe indicate in 'fonti'" in error.message
    assert "togli il termine" in error.hint


def test_an_everyday_word_belongs_to_one_entry(project):
    edit(project, "vocabolario/violenza.yaml", '  - "botte"\n', '  - "botte"\n  - "BADANTI"\n')
    [error] = errors(project)
    assert (error.path, error.line, error.field) == ("content/vocabolario/violenza.yaml", 6, "parole[3]")
    assert "«BADANTI» è già nella voce content/vocabolario/badante.yaml («badante»" in error.message


def test_a_new_entry_from_make_nuovo_is_valid_at_once(project):
    from pdz.commands.nuovo import main
    assert main(["voce", "prova", "--root", str(project)]) == 0
    text = (project / "content/vocabolario/prova.yaml").read_text(encoding="utf-8")
    assert 'parole: ["DA COMPILARE"]' in text and 'termini: ["DA COMPILARE"]' in text
    _, problems = load_content(project)
    mine = [p for p in problems if p.path == "content/vocabolario/prova.yaml"]
    assert mine and all(p.severity != ERROR for p in mine), [p.format() for p in mine]
