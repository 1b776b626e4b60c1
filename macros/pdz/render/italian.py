"""Italian grammar of the sentences the site writes around a number: "1 obiettivo" but
"2 obiettivi", "dei 17" but "degli 11" and "degli 8", "delle 77".

The article before a figure follows how the figure is read aloud: "gli" before a vowel (otto,
undici, ottanta, ottocento, un milione), "i" otherwise; in the singular "l'" before a vowel
("l'1", "l'8") and "il" otherwise.
"""
from __future__ import annotations

import functools
import re

from pdz.render.base import number

_PREPOSITIONS = {"di": "de", "a": "a", "da": "da", "in": "ne", "su": "su"}


def reads_with_vowel(n: int) -> bool:
    """True when the Italian reading of ``n`` starts with a vowel (uno, otto, undici, ottanta...,
    ottocento, ottomila, undicimila, un milione)."""
    n = abs(int(n))
    groups = []
    while True:
        groups.append(n % 1000)
        n //= 1000
        if not n:
            break
    lead, scale = groups[-1], len(groups) - 1
    if scale == 1 and lead == 1:      # mille
        return False
    if scale >= 2 and lead == 1:      # un milione, un miliardo
        return True
    if lead >= 100:
        return lead // 100 == 8       # ottocento; cento, duecento... start with a consonant
    return lead in (1, 8, 11) or 80 <= lead <= 89


def count(n, singular: str, plural: str) -> str:
    """'1 obiettivo', '17 obiettivi' (the figure written the Italian way: 1.234)."""
    return f"{number(n)} {singular if n == 1 else plural}"


def article(n, feminine: bool = False) -> str:
    """The definite article before the figure ``n`` of a count: i/gli/le, or il/l'/la in the singular."""
    vowel = reads_with_vowel(n)
    if n == 1:
        return "l'" if vowel else ("la " if feminine else "il ")
    return "le " if feminine else ("gli " if vowel else "i ")


def with_article(preposition: str, n, feminine: bool = False) -> str:
    """Preposition and article before a figure, joined the Italian way: ('di', 11) -> "degli 11",
    ('di', 12) -> "dei 12", ('di', 77, feminine=True) -> "delle 77", ('su', 1) -> "sull'1"."""
    stem = _PREPOSITIONS[preposition]
    joined = {"il ": "l ", "l'": "ll'", "la ": "lla ", "i ": "i ", "gli ": "gli ", "le ": "lle "}[article(n, feminine)]
    return f"{stem}{joined}{number(n)}"


# --- titles written in capitals ----------------------------------------------------------------
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@functools.cache   # asked for every link to a record: the same few thousand titles over and over
def in_capitals(title: str) -> bool:
    """True for a title the plan writes in capital letters ("POLITICHE ABITATIVE"): at least two
    words of three letters or more, and every word of more than four letters in capitals."""
    words = _WORD.findall(title)
    long_words = [w for w in words if len(w) > 4]
    return sum(1 for w in words if len(w) >= 3) >= 2 and bool(long_words) and all(w.isupper() for w in long_words)


def sentence_case(title: str, acronyms: dict[str, str], names: list[str]) -> str:
    """A title in capitals as a sentence: "CONTRASTO ALLA POVERTÀ" -> "Contrasto alla povertà".
    ``acronyms`` (upper case -> spelling: the glossary's "RDC" -> "RdC") and ``names`` (proper
    names, places: "Carate Brianza") keep their spelling; so does a word with a digit."""
    return SentenceCase(acronyms, names)(title)


class SentenceCase:
    """``sentence_case`` with its words given once, for the many titles of a build: a region
    names some two thousand places, and a title is searched only for the names it holds (a
    pattern for each of them in turn, compiled at every title, was most of a regional build's
    time: Python keeps 512 compiled patterns)."""

    def __init__(self, acronyms: dict[str, str], names: list[str]):
        self.acronyms = acronyms
        self.names = [(name.lower(), name) for name in sorted(names, key=len, reverse=True)]
        self._patterns: dict[str, re.Pattern] = {}
        self._done: dict[str, str] = {}

    def __call__(self, title: str) -> str:
        done = self._done.get(title)
        if done is None:
            done = self._done[title] = self._case(title)
        return done

    def _case(self, title: str) -> str:
        out = title.lower()
        for lower, name in self.names:
            if lower in out:   # else the pattern cannot match: skip it
                pattern = self._patterns.get(lower)
                if pattern is None:
                    pattern = self._patterns[lower] = re.compile(r"(?<!\w)" + re.escape(lower) + r"(?!\w)")
                out = pattern.sub(name, out)
        out = _WORD.sub(lambda m: self.acronyms.get(m.group(0).upper(), m.group(0)), out)
        first = _WORD.search(out)
        if first and first.group(0).islower():
            out = out[:first.start()] + out[first.start()].upper() + out[first.start() + 1:]
        return out
