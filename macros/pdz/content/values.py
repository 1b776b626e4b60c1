"""Measured values as the sources write them: a number, a qualified number ("circa 300",
"oltre 4mila"), a range ("tra 10 e 15") or several numbers of one sentence; and the site's
formats of dates, money, numbers and figures (plain text: pages escape it, open data writes it).

The structure is defined once in schemas/_defs.schema.json (``valore_qualificato``,
``valore_misurato``); this module turns any accepted form into a list of plain dicts, so that
pages and open data read one shape.
"""
from __future__ import annotations

from pdz.content import schemas


def measured_values(raw) -> list[dict]:
    """Every figure of a ``valore_misurato``: dicts with valore or minimo/massimo, and optionally
    qualificatore, unita, voce. A bare number becomes ``{"valore": n}``; None gives []."""
    if raw is None:
        return []
    if isinstance(raw, bool):   # never valid; guard against YAML booleans reaching here
        return []
    if isinstance(raw, (int, float)):
        return [{"valore": raw}]
    if isinstance(raw, dict):
        return [raw]
    return [v for v in raw if isinstance(v, dict)]


def qualifier_label(value: dict) -> str:
    """The qualifier in Italian words ('più di'), or ''."""
    return schemas.vocabulary("qualificatore").get(value.get("qualificatore", ""), "")


# --- the site's formats -------------------------------------------------------------------
def italian_date(iso: str) -> str:
    months = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
              "settembre", "ottobre", "novembre", "dicembre"]
    year, month, day = iso.split("-")
    return f"{int(day)} {months[int(month) - 1]} {year}"


def euro(amount) -> str:
    """Italian money format: € 3.500.000,00."""
    text = f"{float(amount):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {text}"


def number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{int(value):,}".replace(",", ".")


def percent(value) -> str:
    return number(value) + "%"


def measured_text(value: dict, unit: str = "") -> str:
    """One figure as the source writes it: 'circa 300 persone', 'tra 10 e 15 %',
    'dimissioni: 30 %' when the figure is one of several in a sentence, '10 incontri in media',
    '98 femminicidi (dato parziale al 10 novembre 2021)'. Plain text."""
    if "valore" in value:
        figure = number(value["valore"])
    else:
        figure = f"tra {number(value['minimo'])} e {number(value['massimo'])}"
    words = [f"{value['voce']}:" if value.get("voce") else "", qualifier_label(value), figure,
             value.get("unita") or unit, "in media" if value.get("media") else "",
             f"(dato parziale al {italian_date(value['parziale_al'])})" if value.get("parziale_al") else ""]
    return " ".join(w for w in words if w)
