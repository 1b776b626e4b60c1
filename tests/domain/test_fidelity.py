"""Every long free text matches, word by word, the source lines it cites (pdz/fidelity.py)."""
from __future__ import annotations

import pytest

import time
from types import SimpleNamespace

from pdz_dev.project import ROOT, SUMMARY, real_content
from pdz.domain.fidelity import MIN_CHARS, check_all, check_record
from pdz.content.sourcetext import SourceText, load_texts

SOURCE = """TITOLO OBIETTIVO	Prova
Primo paragrafo del piano con parole sufficienti a superare la soglia minima di confronto, \
scritto per intero dal documento di origine.

Secondo paragrafo, quello che una trascrizione frettolosa potrebbe perdere senza dirlo a nessuno, \
con parecchie parole dentro.

Terzo paragrafo: la conclusione del testo, anch'essa abbastanza lunga da contare qual-
cosa nel confronto parola per parola.""".split("\n")
FIRST, SECOND, THIRD = SOURCE[1].strip(), SOURCE[3].strip(), SOURCE[5].removesuffix("-") + SOURCE[6]


def record(text: str, notes=()) -> SimpleNamespace:
    return SimpleNamespace(id="prova/obiettivi/x", path="x.yaml", kind="obiettivo", body="",
                           data={"descrizione": text, "fonti": [{"documento": "d", "righe": [1, len(SOURCE)]}],
                                 "note_fonte": list(notes)})


def findings(text: str, notes=()):
    texts = {"d": SourceText("d", SOURCE, [(1, len(SOURCE))])}
    return check_record(record(text, notes), texts)[1]


def test_a_faithful_text_passes_whatever_the_line_breaks_and_hyphenation():
    text = f"{FIRST}\n{SECOND}\n\n{THIRD}"   # 'qual-' + 'cosa' across two lines: 'qualcosa'
    assert len(text) >= MIN_CHARS
    assert findings(text) == []


def test_a_dropped_paragraph_is_an_omission_unless_marked():
    dropped = findings(f"{FIRST}\n\n{THIRD}")
    assert [(f.kind, f.line) for f in dropped] == [("omissione", 4)]
    assert "trascrizione frettolosa" in dropped[0].words
    assert findings(f"{FIRST}\n\n[…]\n\n{THIRD}") == []


def test_a_note_never_stands_in_for_the_marker():
    note = {"tipo": "nota_redazionale", "campo": "descrizione", "nota": "Omesso il secondo paragrafo.", "righe": [4, 4]}
    assert [(f.kind, f.line) for f in findings(f"{FIRST}\n\n{THIRD}", [note])] == [("omissione", 4)]
    assert findings(f"{FIRST}\n\n[…]\n\n{THIRD}", [note]) == []
    # a note still explains a correction of the words to readers
    assert findings(f"{FIRST}\n\n{SECOND.replace('frettolosa', 'accurata')}\n\n{THIRD}", [note]) == []


def test_moved_and_repeated_words_are_not_omissions():
    # the text has every word of the second paragraph, in another order (a table written as a list)
    moved = " ".join(reversed(SECOND.rstrip(".").split(", ")))
    assert findings(f"{FIRST}\n\n{THIRD}\n\n{moved}") == []
    # the source repeats a sentence that the text keeps once
    assert findings(f"{FIRST}\n\n{SECOND}\n\n{THIRD}".replace(SECOND, SECOND + " " + SECOND)) == []


def test_a_scrambled_passage_needs_the_marker_and_a_note_on_its_lines():
    """Where the extraction scrambled a passage, the text cannot place '[…]' exactly where the
    words are missing: the marker in the text and a note on those lines are both needed."""
    text = f"{FIRST}\n\n{THIRD} […]"
    assert [f.kind for f in findings(text)] == ["omissione"]
    note = {"tipo": "testo_illeggibile", "campo": "descrizione", "nota": "Testo rimescolato.", "righe": [3, 5]}
    assert findings(text, [note]) == []
    assert [f.kind for f in findings(f"{FIRST}\n\n{THIRD}", [note])] == ["omissione"]   # the note alone: no


def test_a_changed_word_is_a_change():
    changed = findings(f"{FIRST}\n\n{SECOND.replace('frettolosa', 'accurata')}\n\n{THIRD}")
    assert [(f.kind, f.words) for f in changed] == [("modifica", "accurata")]
    assert "parole non presenti nella fonte" in changed[0].format()


@pytest.mark.slow
def test_real_content_has_no_unmarked_omission_or_change():
    started = time.perf_counter()
    catalog, _ = real_content()
    compared, found = check_all(catalog, load_texts(ROOT, catalog))
    elapsed = time.perf_counter() - started
    SUMMARY["testi confrontati con le righe citate (omissioni e modifiche non segnalate)"] = \
        f"{compared} testi di almeno {MIN_CHARS} caratteri, {len(found)} differenze, {elapsed:.1f} s"
    assert compared >= 300
    assert found == [], "\n" + "\n".join(f.format() for f in found)
