"""Budget figures on pages: the plan's stated figure as it is, the site's sums always labelled
as computed (inside ``.pdz-computed``, which the number-traceability test recognises), and
amounts of different kinds never added up without saying which kinds."""
from __future__ import annotations

from pdz.domain.budget import COMPUTED, item_kinds, by_kind, headline, total
from pdz.html.text import escape
from pdz.render.base import euro


def computed(amount: float, note: str = "") -> str:
    label = COMPUTED + (f": {note}" if note else "")
    return f'<span class="pdz-computed">{euro(amount)} <small>({escape(label)})</small></span>'


def kind_name(kind: str) -> str:
    """The kind's label inside a sentence: 'costo del personale', "risorse d'Ambito"."""
    label = item_kinds()[kind]
    return label[0].lower() + label[1:]


def kinds_phrase(kinds: list[str]) -> str:
    names = [kind_name(k) for k in kinds]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " e " + names[-1]


def objective_amount(record, short: bool = False) -> str:
    """The budget of one objective, for its page (short=False) or a table cell."""
    found = headline(record)
    if found is None:
        return ""
    if not found.computed:
        stated = (record.data.get("risorse_economiche") or {}).get("importo_indicato") is not None
        return euro(found.amount) + (" <small>(importo indicato nel piano; altre voci nella tabella «Voci di spesa»)</small>"
                                     if stated and not short else "")
    note = "" if short else ("voci di tipo diverso: " + kinds_phrase(found.kinds) if len(found.kinds) > 1 else "")
    return computed(found.amount, note)


def totals(records) -> str:
    """Sum of the budget items of several objectives (an Ambito, an area), by kind."""
    amount = total(records)
    if amount is None:
        return ""
    sums = by_kind(records)
    out = computed(amount)
    if len(sums) > 1:
        out += " – di cui " + "; ".join(f"{escape(kind_name(k))}: {computed_plain(v)}" for k, v in sums.items())
    return out


def computed_plain(amount: float) -> str:
    """A computed amount inside a sentence that already says it is computed."""
    return f'<span class="pdz-computed">{euro(amount)}</span>'
