"""Italian grammar of the sentences the site writes around a number (pdz/render/italian.py)."""
from __future__ import annotations

import pytest

from pdz.render.italian import count, reads_with_vowel, with_article


@pytest.mark.parametrize("n, expected", [
    (2, "dei 2"), (8, "degli 8"), (11, "degli 11"), (12, "dei 12"), (17, "dei 17"), (18, "dei 18"),
    (80, "degli 80"), (88, "degli 88"), (100, "dei 100"), (800, "degli 800"), (1000, "dei 1.000"),
    (8000, "degli 8.000"), (11000, "degli 11.000"), (2_000_000, "dei 2.000.000"), (1, "dell'1"),
])
def test_the_article_before_a_figure_follows_how_it_is_read(n, expected):
    assert with_article("di", n) == expected


def test_prepositions_and_the_feminine():
    assert with_article("di", 77, feminine=True) == "delle 77"
    assert with_article("di", 8, feminine=True) == "delle 8"
    assert with_article("su", 11) == "sugli 11"
    assert with_article("a", 1) == "all'1"
    assert with_article("in", 3) == "nei 3"


def test_a_count_agrees_with_its_noun():
    assert count(1, "obiettivo", "obiettivi") == "1 obiettivo"
    assert count(0, "obiettivo", "obiettivi") == "0 obiettivi"
    assert count(1234, "voce", "voci") == "1.234 voci"


def test_vowel_readings():
    assert [n for n in range(1, 100) if reads_with_vowel(n)] == [1, 8, 11] + list(range(80, 90))
