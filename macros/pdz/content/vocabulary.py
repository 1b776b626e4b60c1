"""The citizen vocabulary (``content/vocabolario/``): everyday words and the plans' words.

A citizen looks for "badante" or "affitto"; the plans write "assistenti familiari" and
"emergenza abitativa". Each entry (kind ``voce``) lists the everyday words and phrases
(``parole``), the plans' terms (``termini``, each written in the plan lines its ``fonti`` cite)
and the glossary's acronyms (``sigle``). The site search (docs/assets/pdz-search.js) looks for
the plans' terms too when a query holds an entry's words, and says so.

Words are compared as the search compares them: accents, case and punctuation aside, and each
word cut to its stem by dropping its final vowels ("badante" and "badanti" are one word).
``key`` is that comparison; the search script folds the reader's query the same way
(``tests/site/test_search.py`` checks that both agree).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable

from pdz.content.catalog import Catalog
from pdz.content.problems import Problem, field_path

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_FINAL_VOWELS = re.compile(r"[aeiou]+$")
MIN_STEM = 3


def words(text: str) -> list[str]:
    """The words of ``text``: no accents, lower case, split at anything but letters and digits."""
    plain = "".join(c for c in unicodedata.normalize("NFD", str(text)) if not unicodedata.combining(c))
    return [w for w in _NOT_ALNUM.split(plain.lower()) if w]


def stem(word: str) -> str:
    """'badante', 'badanti' -> 'badant': the final vowels dropped, never below three letters."""
    if len(word) <= MIN_STEM:
        return word
    cut = _FINAL_VOWELS.sub("", word)
    return cut if len(cut) >= MIN_STEM else word[:MIN_STEM]


def key(text: str) -> tuple[str, ...]:
    """How the search compares an everyday phrase with a query: the stems of its words."""
    return tuple(stem(w) for w in words(text))


def check_vocabulary(catalog: Catalog, quote_found: Callable, placeholder: str = "") -> list[Problem]:
    """Each everyday word in one entry only (the search could not choose), and each plan term
    written in the plan lines the entry cites. ``quote_found(document, lines, text)`` is True or
    False, or None when the document's text is not available (then the term is not judged).
    ``placeholder``: what ``make nuovo`` writes to be filled in (already warned about)."""
    out: list[Problem] = []
    seen: dict[tuple, tuple] = {}
    for record in catalog.all("voce"):
        for i, phrase in enumerate(record.data.get("parole") or []):
            if phrase == placeholder:
                continue
            where = ("parole", i)
            phrase_key = key(phrase)
            if not phrase_key:
                out.append(Problem(record.path, record.line(where), field_path(where),
                                   f"«{phrase}» non contiene né lettere né cifre", "scrivi una parola o una breve frase"))
                continue
            if phrase_key in seen:
                other, said = seen[phrase_key]
                place = "in questa voce" if other is record else f"nella voce {other.path}"
                out.append(Problem(record.path, record.line(where), field_path(where),
                                   f"«{phrase}» è già {place} («{said}»: singolare e plurale, accenti e maiuscole si equivalgono)",
                                   "tieni ogni parola in una sola voce: la ricerca non saprebbe a quali termini portarla"))
                continue
            seen[phrase_key] = (record, phrase)
        cited = [(s.get("documento"), s["righe"]) for s in record.data.get("fonti") or [] if s.get("righe")]
        for i, term in enumerate(record.data.get("termini") or []):
            if term == placeholder:
                continue
            answers = [quote_found(document, lines, term) for document, lines in cited]
            if any(answers) or None in answers:
                continue
            where = ("termini", i)
            out.append(Problem(record.path, record.line(where), field_path(where),
                               f"il termine «{term}» non è scritto nelle righe indicate in 'fonti'",
                               "aggiungi a 'fonti' le righe di un piano in cui il termine compare così com'è scritto, "
                               "oppure togli il termine: la ricerca porta solo a parole che i piani usano"))
    return out
