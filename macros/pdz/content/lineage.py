"""Links between plans, each with what justifies it.

An objective continues an earlier one when its scheda says so (``continuita``: the earlier
objective, or the evaluation of it in this plan), or when the evaluation of the earlier objective
says it is re-proposed as this one (``riproposto``). Every such link carries the lines of the plan
that state it (``righe``) or the editors' reason for inferring it (``dedotto``).

A link that the plan denies is refused: an objective whose scheda answers "No" to continuity
(or an evaluation that answers "No" to re-proposal) may carry one only when a ``note_fonte`` of
that record (field ``continuita`` or ``riproposto``) quotes, between quotation marks, the lines
that justify it; the page then shows that quote next to the link.

Plain data, no rendering and no MkDocs: ``make check``, the pages and the check of derived
statements read the same links.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pdz.content.model import Record
from pdz.content.problems import Problem, field_path

# A quotation in an editor's note: «...» or “...”; straight quotes "..." are paired in order.
_QUOTE = re.compile(r"«([^»]+)»|“([^”]+)”")
_MIN_QUOTE = 8   # characters: a shorter quotation ("No") quotes an answer, not the lines that justify a link


@dataclass(frozen=True)
class Link:
    earlier: str                 # id of the earlier objective
    later: str                   # id of the later objective
    holder: Record               # the record where the link is written
    field: tuple                 # path of the link in the holder ('continuita', 'valutazioni', 0)
    lines: tuple | None          # (first, last) lines of the holder's first document stating it
    reason: str                  # the editors' reason when they infer it ("" = stated by the plan)
    evaluation: Record | None = None   # the evaluation the link goes through, if any

    @property
    def document(self) -> str | None:
        sources = self.holder.data.get("fonti") or []
        return sources[0].get("documento") if sources else None

    @property
    def inferred(self) -> bool:
        return bool(self.reason)


def _item(item) -> tuple[str | None, tuple | None, str]:
    """(target id, lines, reason) of one link item of the schema's collegamento_*."""
    if not isinstance(item, dict):
        return None, None, ""
    target = item.get("obiettivo") or item.get("valutazione")
    lines = tuple(item["righe"]) if isinstance(item.get("righe"), list) and len(item["righe"]) == 2 else None
    return target, lines, str(item.get("dedotto") or "")


def links(catalog) -> list[Link]:
    """Every continuity link of the catalog, in a stable order (objectives' links first)."""
    out = []
    for o in catalog.all("obiettivo"):
        continuity = o.data.get("continuita") or {}
        for i, item in enumerate(continuity.get("obiettivi") or []):
            target, lines, reason = _item(item)
            if target:
                out.append(Link(target, o.id, o, ("continuita", "obiettivi", i), lines, reason))
        for i, item in enumerate(continuity.get("valutazioni") or []):
            target, lines, reason = _item(item)
            evaluation = catalog.get("valutazione", target) if target else None
            if evaluation and evaluation.data.get("obiettivo_valutato"):
                out.append(Link(evaluation.data["obiettivo_valutato"], o.id, o, ("continuita", "valutazioni", i),
                                lines, reason, evaluation))
    for e in catalog.all("valutazione"):
        earlier = e.data.get("obiettivo_valutato")
        for i, item in enumerate((e.data.get("riproposto") or {}).get("obiettivi") or []):
            target, lines, reason = _item(item)
            if earlier and target:
                out.append(Link(earlier, target, e, ("riproposto", "obiettivi", i), lines, reason, e))
    return out


def quotes(note: dict) -> list[str]:
    """The passages of at least _MIN_QUOTE characters an editor's note quotes between quotation marks."""
    text = str(note.get("nota", ""))
    found = [next(g for g in m.groups() if g) for m in _QUOTE.finditer(text)]
    straight = text.split('"')
    found += straight[1:-1:2]   # the odd pieces lie between an opening and a closing quote
    return [q for q in found if len(q.strip()) >= _MIN_QUOTE]


def justifying_note(record: Record, field: str) -> dict | None:
    """The note of ``record`` on ``field`` that quotes the lines justifying a link the plan's
    answer denies: campo ``field``, righe, and a quotation."""
    for note in record.data.get("note_fonte") or []:
        if str(note.get("campo", "")).split(".")[0] == field and note.get("righe") and quotes(note):
            return note
    return None


def denial(catalog, link: Link) -> tuple[Record, str] | None:
    """(record, field) whose answer "No" denies the link, or None. The objective's own scheda
    (continuita) comes first; then the evaluation's answer on re-proposal."""
    later = catalog.get("obiettivo", link.later)
    if later is not None and (later.data.get("continuita") or {}).get("risposta") == "no":
        return later, "continuita"
    if link.evaluation is not None and link.holder is link.evaluation and \
            (link.evaluation.data.get("riproposto") or {}).get("risposta") == "no":
        return link.evaluation, "riproposto"
    return None


def check_denied(catalog, quote_found=None) -> list[Problem]:
    """``make check``: a link that the plan denies, without a note that quotes the lines that
    justify it. ``quote_found(document, lines, quote)`` tells whether the quotation is in those
    lines (None: not verified here)."""
    out = []
    for link in links(catalog):
        denied = denial(catalog, link)
        if denied is None:
            continue
        record, field = denied
        note = justifying_note(record, field)
        where = "scheda" if field == "continuita" else "valutazione"
        answer = "alla continuità con la programmazione precedente" if field == "continuita" else "alla domanda se l'obiettivo verrà riproposto"
        if note is None:
            out.append(Problem(link.holder.path, link.holder.line(link.field), field_path(link.field),
                               f"collegamento negato dal piano: la {where} di '{record.id}' risponde «No» {answer}",
                               f"togli il collegamento, oppure aggiungi a {record.path} una nota sulla fonte "
                               f"(campo: {field}) con le righe e, tra virgolette «...», le parole del piano che lo giustificano"))
            continue
        if quote_found is not None:
            document = (record.data.get("fonti") or [{}])[0].get("documento")
            missing = [q for q in quotes(note) if quote_found(document, tuple(note["righe"]), q) is False]
            if missing:
                index = (record.data.get("note_fonte") or []).index(note)
                out.append(Problem(record.path, record.line(("note_fonte", index, "nota")), f"note_fonte[{index}].nota",
                                   f"la citazione «{missing[0]}» non si trova nelle righe {note['righe'][0]}–{note['righe'][1]}",
                                   "copia tra virgolette le parole esatte delle righe indicate"))
    return out
