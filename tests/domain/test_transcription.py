"""Migrated values checked against the seed text itself, and record counts against the inventories.

The seeds are read from ../shared/seeds/ (beside the repository, as in CI). A typo in a
migrated number or a lost record fails here.
"""
from __future__ import annotations

import functools
import html
import re

import pytest

from pdz_dev.project import SEEDS, real_content
from pdz.domain.coverage import coverage

pytestmark = pytest.mark.external   # compares with ../shared/seeds


@functools.lru_cache(maxsize=None)
def catalog():
    result, problems = real_content()
    assert not [p for p in problems if p.severity == "errore"]
    return result


@functools.lru_cache(maxsize=None)
def seed_lines(doc_id: str) -> list[str]:
    document = catalog().get("documento", doc_id)
    path = SEEDS / document.data["file"]
    assert path.exists(), (f"seed missing: {path} (the shared/ folder with seeds/ must sit beside "
                           "the checkout, as ../shared: see README)")
    return path.read_text(encoding="utf-8").split("\n")


def normalise(text: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = text.replace("*", "").replace("’", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


def cited_text(record, pad: int = 0) -> str:
    parts = []
    for source in record.data.get("fonti") or []:
        if "righe" in source:
            start, end = source["righe"]
            parts += seed_lines(source["documento"])[max(0, start - 1 - pad):end + pad]
    return normalise(" ".join(parts))


def italian_number(value) -> set[str]:
    """The ways a number can be printed in the seeds: 3.500.000,00 / 3500000 / 25,5 ..."""
    forms = set()
    value = abs(value)   # the sign is printed apart ("-2,2", "– 3,5")
    if isinstance(value, float) and not value.is_integer():
        whole, _, decimals = f"{value:.2f}".partition(".")
        grouped = f"{int(whole):,}".replace(",", ".")
        forms |= {f"{grouped},{decimals}", f"{whole},{decimals}", f"{grouped},{decimals.rstrip('0')}",
                  f"{whole},{decimals.rstrip('0')}", f"{value:g}".replace(".", ",")}
    else:
        integer = int(value)
        grouped = f"{integer:,}".replace(",", ".")
        forms |= {str(integer), grouped, f"{grouped},00", f"{integer},00", f"{grouped},0", f"{integer},0"}
    return forms


def test_seeds_are_beside_the_repository():
    for document in catalog().all("documento"):
        lines = seed_lines(document.id)
        assert len(lines) == document.data["righe_totali"], document.id


def test_inventory_counts_are_all_met():
    lines = coverage(catalog())
    assert len(lines) >= 30
    wrong = [f"{l.document}: {l.voce}: {l.found} invece di {l.expected}" for l in lines if not l.ok]
    assert wrong == []


def test_objective_budgets_are_verbatim_and_their_amounts_add_up():
    checked = 0
    for objective in catalog().all("obiettivo"):
        money = objective.data.get("risorse_economiche")
        if not money:
            continue
        source = cited_text(objective)
        for part in money.get("componenti") or []:
            assert italian_number(part["importo"]) & set(re.findall(r"[\d.,]+", source + " ")), \
                (objective.id, part["importo"])
            checked += 1
    assert checked >= 25


def noted_fields(record) -> set[str]:
    return {note.get("campo") for note in record.data.get("note_fonte") or []}


def test_objective_titles_come_from_the_seed():
    """Verbatim, or reassembled from a damaged extraction with a note that says so."""
    for objective in catalog().all("obiettivo"):
        if "titolo" in noted_fields(objective):
            continue
        title = normalise(objective.data["titolo"]).replace("[…]", "")
        assert title.split("[")[0][:25] in cited_text(objective), objective.id


def test_evaluation_percentages_come_from_the_seed():
    checked = 0
    for evaluation in catalog().all("valutazione"):
        source = cited_text(evaluation, pad=1).replace(" %", "%")
        for key in ("grado_raggiungimento", "coincidenza_risorse"):
            value = (evaluation.data.get(key) or {}).get("percentuale")
            if value is None:
                continue
            assert any(f"{form}%" in source for form in italian_number(value)), (evaluation.id, key, value)
            checked += 1
    assert checked >= 50


def test_table_numbers_come_from_the_seed():
    checked, missing = 0, []
    for table in catalog().all("tabella"):
        source = cited_text(table, pad=2)
        tokens = set(re.findall(r"\d[\d.,]*", source))
        tokens |= {t.rstrip(".,") for t in tokens}
        for r, row in enumerate(table.data["righe"]):
            for c, cell in enumerate(row):
                if isinstance(cell, (int, float)) and not isinstance(cell, bool):
                    checked += 1
                    if not italian_number(cell) & tokens:
                        missing.append(f"{table.id} riga {r} colonna {c}: {cell}")
    assert checked >= 200
    assert missing == []


@pytest.mark.parametrize("record_id, field, expected", [
    ("corsico/2021-2023/obiettivi/04-tutela-minori", "risorse_economiche.testo",
     "€ 3.500.000,00 + € 440.000,00 (costo del personale dell'ufficio di piano)"),
    ("corsico/2021-2023/valutazioni/01-portale-unico-di-ambito", "grado_raggiungimento.percentuale", 25),
    ("corsico/2021-2023/valutazioni/04-trasporto-disabili", "coincidenza_risorse.percentuale", 0),
])
def test_sampled_values(record_id, field, expected):
    record = next(r for r in catalog().records if r.id == record_id)
    value = record.data
    for key in field.split("."):
        value = value[key]
    assert value == expected
    if isinstance(expected, str):
        assert normalise(expected) in cited_text(record)
