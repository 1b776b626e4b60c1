"""``mkdocs serve`` keeps the open-data catalogue's serialisation from one build to the next
(pdz.opendata.dcat.CatalogueBuilder with a memo): when only the sizes of the files changed, the
last Turtle and JSON-LD are reused with the new sizes, and the bytes are those a build without
the memo writes; a text that looks like a size placeholder does not fool it."""
from __future__ import annotations

from pdz.opendata.dcat import SIZE_PLACEHOLDER, CatalogueBuilder

OWNER = {"nome": "Comune di Prova", "sito": "https://comune.example.it/", "codice_ipa": "c_x000"}


def catalogue(sizes: tuple[int, int], memo: dict | None, title: str = "Obiettivi") -> tuple[bytes, bytes]:
    builder = CatalogueBuilder("https://pdz.example.it/", OWNER, "ufficio@example.it", memo)
    period = builder.period(2021, 2023)
    dataset = builder.dataset("obiettivi", title, "Gli obiettivi.", ("SOCI", "GOVE"), "2026-01-02", period, [],
                              [("dati/obiettivi.csv", "csv", "Obiettivi (CSV)", sizes[0]),
                               ("dati/obiettivi.json", "json", "Obiettivi (JSON)", sizes[1]),
                               ("dati/tutti.zip", "zip", "Tutto", None)])
    builder.catalogue([dataset], "2026-01-02")
    return builder.serialise()


def test_a_change_of_sizes_only_reuses_the_last_serialisation_with_the_new_sizes():
    memo: dict = {}
    assert catalogue((1200, 3400), memo) == catalogue((1200, 3400), None)
    texts = memo["texts"]
    second = catalogue((1250, 3999), memo)
    assert memo["texts"] is texts   # not serialised again
    assert second == catalogue((1250, 3999), None)
    assert b'"3999"' in second[0] and str(SIZE_PLACEHOLDER).encode() not in second[0] + second[1]
    # anything else changed: serialised again
    third = catalogue((1250, 3999), memo, title="Obiettivi del piano")
    assert memo["texts"] is not texts and third == catalogue((1250, 3999), None, title="Obiettivi del piano")


def test_a_text_that_reads_like_a_placeholder_is_left_as_it_is():
    placeholder = str(SIZE_PLACEHOLDER + 1)   # the JSON file's size
    memo: dict = {}
    assert catalogue((1200, 3400), memo, title=placeholder) == catalogue((1200, 3400), None, title=placeholder)
    assert catalogue((1300, 3500), memo, title=placeholder) == catalogue((1300, 3500), None, title=placeholder)
