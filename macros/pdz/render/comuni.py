"""A citizen's way in by Comune: the Comuni each Ambito's plan names (home page finder, Ambito
page). Only names written in the sources (``comuni`` of ambito.yaml); where a plan states how
many Comuni it has but names fewer, the page says so and gives the stated number.

The finder also knows the Ambiti (their names and other names) and their subambiti, which
plans name where they name few Comuni ("Treviglio", "Carate Brianza", "Pandino" of the Ambito
Cremasco): they are in the list too, shown only when the typed name matches them.

comuni/ lists them all while they are few (FINDER_MAX). A regional site names about 1,500: then
comuni/ keeps the filter box and links to one page per initial letter (``comuni/<lettera>/``,
continued on ``pagina-<n>/`` past LETTER_PAGE_MAX names), so that no page grows with the region;
without JavaScript a reader follows the letters, with it the box filters every name, loaded on
the first keystroke from ``comuni/comuni.json`` (docs/assets/pdz-comuni.js)."""
from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict

from pdz.content.model import Record
from pdz.html.text import escape
from pdz.content.urls import page_url
from pdz.render.base import Page, number
from pdz.render.blocks import breadcrumb, h1, html_block
from pdz.render.context import PageContext
from pdz.render.listings import PAGE_SEGMENT, pager

# The home lists the Comuni while they are this many at most (the five plans of the sources name
# 24) and the Ambiti no more than the home shows as cards (each Ambito that does not name all its
# Comuni adds a line); a regional site links to comuni/ instead, so that the home does not grow
# with the region (it stays under 35 kB: tests/render/test_home.py).
HOME_COMUNI = 40
HOME_AMBITI = 12
FINDER_MAX = 300        # comuni/ lists them all up to this many (about 60 kB)
LETTER_PAGE_MAX = 200   # names on one page of an initial letter
DATA_FILE = "comuni/comuni.json"

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(name: str) -> str:
    """A name as the finder compares it: no accents, lower case, punctuation as spaces
    (docs/assets/pdz-comuni.js folds what the reader types the same way)."""
    plain = "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))
    return _NOT_ALNUM.sub(" ", plain.lower()).strip()


def named_comuni(ambiti: list[Record]) -> list[tuple[str, Record]]:
    """(Comune, its Ambito) for every Comune named in the sources, in alphabetical order."""
    found = [(c["nome"], a) for a in ambiti for c in a.data.get("comuni") or []]
    return sorted(found, key=lambda x: (fold(x[0]), x[0], x[1].title))


def unnamed(a: Record) -> str:
    """What the plan of ``a`` says about Comuni it does not name (plain Italian), or ''."""
    stated, names = a.data.get("numero_comuni"), a.data.get("comuni") or []
    if stated is None:
        return "" if names else "Il piano non indica quali né quanti Comuni comprenda."
    if not names:
        return f"Il piano dichiara {number(stated)} Comuni ma non ne riporta i nomi."
    if len(names) < stated:
        only = "uno solo" if len(names) == 1 else f"solo {number(len(names))}"
        return f"Il piano dichiara {number(stated)} Comuni ma ne nomina {only}."
    return ""


def ambito_comuni(ctx: PageContext, a: Record) -> str:
    """The Comuni section of an Ambito page ('' when the plan says nothing about them)."""
    d = a.data
    by_sub = defaultdict(list)
    for c in d.get("comuni") or []:
        by_sub[c.get("subambito", "")].append(c["nome"])
    note = unnamed(a)
    out = f'<p class="pdz-comuni-note">{escape(note)}</p>' if note else ""
    for sub, names in by_sub.items():
        head = f"<h3>Subambito {escape(sub)}</h3>" if sub else ""
        out += head + '<ul class="pdz-columns">' + "".join(f"<li>{escape(n)}</li>" for n in names) + "</ul>"
    for sub in d.get("subambiti") or []:
        if sub["nome"] not in by_sub:
            desc = f": {ctx.text.inline(sub['descrizione'])}" if sub.get("descrizione") else ""
            out += f"<p>Subambito <strong>{escape(sub['nome'])}</strong>{desc}</p>"
    return out

def comuni_finder(ctx: PageContext) -> str:
    """Home: the finder itself while the list is short (HOME_COMUNI names and HOME_AMBITI Ambiti
    at most); beyond that, so that the home does not grow with the region, a box that opens
    comuni/ filtered."""
    ambiti = ctx.catalog.all("ambito")
    comuni = named_comuni(ambiti)
    if len(comuni) <= HOME_COMUNI and len(ambiti) <= HOME_AMBITI:
        return html_block(_finder(ctx, comuni))
    return html_block(
        f'<form class="pdz-comuni-filter" action="{escape(ctx.href("comuni/"))}" method="get" role="search" '
        'aria-label="Trova il tuo Comune"><label for="pdz-comuni-home">Nome del Comune</label> '
        '<input id="pdz-comuni-home" name="q" type="search" autocomplete="off" spellcheck="false"> '
        '<button type="submit" class="md-button">Trova</button></form>'
        f"<p>{ctx.link('comuni/', f'Tutti i {number(len(comuni))} Comuni nominati nei piani, in ordine alfabetico')}</p>")

def comuni_page(ctx: PageContext) -> Page:
    """comuni/: every Comune named in the plans, with the filter (always published, so that
    the address stays the same whether or not the home lists them too). Its filter starts from
    ?q=, the name typed in the box of a regional home (the site search has its own ?cerca=)."""
    return comuni_pages(ctx)[0]


def comuni_pages(ctx: PageContext) -> list[Page]:
    """comuni/, and past FINDER_MAX names one page (or more) per initial letter."""
    ambiti = ctx.catalog.all("ambito")
    comuni = named_comuni(ambiti)
    sources = [a.path for a in ambiti]
    index = ctx.at("comuni/")
    if len(comuni) <= FINDER_MAX:
        body = h1(index, "Trova il tuo Comune") + html_block(_finder(index, comuni, reads_address=True))
        return [Page("comuni/", "Trova il tuo Comune", body, sources=sources)]
    by_letter: dict[str, list] = defaultdict(list)
    for name, a in comuni:
        by_letter[initial(name)].append((name, a))
    letters = [(letter, len(names)) for letter, names in by_letter.items()]
    body = h1(index, "Trova il tuo Comune") + html_block(_finder(index, [], len(comuni), letters, reads_address=True))
    pages = [Page("comuni/", "Trova il tuo Comune", body, sources=sources)]
    for letter, names in by_letter.items():
        base = f"comuni/{letter}/"
        chunks = [names[i:i + LETTER_PAGE_MAX] for i in range(0, len(names), LETTER_PAGE_MAX)]
        for number_, chunk in enumerate(chunks, start=1):
            url = base if number_ == 1 else f"{base}{PAGE_SEGMENT}{number_}/"
            page = ctx.at(url)
            title = f"Comuni con l'iniziale {letter.upper()}"
            kicker = f"Pagina {number_} di {len(chunks)}" if len(chunks) > 1 else ""
            top = breadcrumb(page, [("comuni/", "Trova il tuo Comune")]) + h1(page, title, kicker)
            finder = _finder(page, chunk, len(comuni), letters, letter) + pager(page, base, number_, len(chunks))
            pages.append(Page(url, title + (f" (pagina {number_})" if number_ > 1 else ""), top + html_block(finder),
                              sources=sources, search_exclude=number_ > 1))
    return pages


def places(ambiti: list[Record]) -> list[tuple[str, list[str], str, Record]]:
    """(name, every name to match, "ambito" or "subambito", its Ambito) of each Ambito and subambito."""
    out = []
    for a in ambiti:
        out.append((a.title, [a.title, *(a.data.get("nomi_alternativi") or [])], "ambito", a))
        for sub in a.data.get("subambiti") or []:
            out.append((sub["nome"], [sub["nome"]], "subambito", a))
    return out


def _finder(ctx: PageContext, comuni: list[tuple[str, Record]], total: int | None = None, letters=None,
            current: str = "", reads_address: bool = False) -> str:
    """Every Comune named in the plans, alphabetical, each linked to its Ambito, with a filter
    box that docs/assets/pdz-comuni.js shows (without JavaScript: the whole list). With
    ``letters`` (a regional site) the list is of one letter (``current``), or empty on comuni/,
    whose box filters every name from DATA_FILE. While the list is whole (not regional) the
    Ambiti and subambiti follow it, hidden until the filter matches one (``data-luogo``)."""
    ambiti = ctx.catalog.all("ambito")
    items = "".join(
        f'<li data-nome="{escape(fold(name))}">{ctx.link(page_url("ambito", a.id) + "#comuni", escape(name))} '
        f'<span class="pdz-muted">({ctx.text.plain(a.title)})</span></li>' for name, a in comuni)
    items += "".join(
        f'<li data-nome="{escape("|".join(fold(n) for n in names))}" data-luogo="{kind}" hidden>'
        f'{ctx.link(page_url("ambito", a.id) + ("" if kind == "ambito" else "#comuni"), ctx.text.plain(name))} '
        '<span class="pdz-muted">(' + ("Ambito territoriale" if kind == "ambito" else f"subambito, {ctx.text.plain(a.title)}")
        + ")</span></li>" for name, names, kind, a in places(ambiti)) if letters is None else ""
    gaps = "".join(f"<li>{ctx.link(page_url('ambito', a.id) + '#comuni', ctx.text.plain(a.title))}: "
                   f"{escape(unnamed(a))}</li>" for a in ambiti if unnamed(a)) if not current else ""
    gaps = ("<p>Alcuni piani non elencano tutti i loro Comuni; per questi Ambiti il sito non "
            f"aggiunge nomi che la fonte non riporta:</p><ul>{gaps}</ul>") if gaps else ""
    shown = len(comuni) if letters is None or current else (total or 0)
    data = f' data-pdz-comuni-dati="{escape(ctx.href(DATA_FILE))}"' if letters is not None and not current else ""
    intro = "I Comuni nominati nei piani, in ordine alfabetico: ognuno porta al suo Ambito territoriale."
    nav = ""
    if letters is not None:
        links = "".join(f'<li><a href="{escape(ctx.href(f"comuni/{letter}/"))}"'
                        + (' aria-current="page"' if letter == current else "")
                        + f'>{escape(letter.upper())}</a> <span class="pdz-muted">({number(count)})</span></li>'
                        for letter, count in letters)
        intro += "" if current else " Sono divisi per iniziale."
        nav = f'<nav aria-label="Comuni per iniziale"><ul class="pdz-comuni-lettere">{links}</ul></nav>'
    label = "Filtra i Comuni di questa pagina" if current else \
        "Filtra per nome del Comune" if letters is not None else "Filtra per nome del Comune o dell'Ambito"
    count = f"{number(shown)} Comuni con l'iniziale {escape(current.upper())}." if current else \
        f"{number(shown)} Comuni nominati nei piani."
    reads = " data-pdz-comuni-q" if reads_address else ""
    return (f'<div class="pdz-comuni" data-pdz-comuni{data}{reads}>'
            f"<p>{intro}</p>"
            f'<div class="pdz-comuni-filter" hidden><label for="pdz-comuni-filtro">{label}</label> '
            '<input id="pdz-comuni-filtro" type="search" autocomplete="off" spellcheck="false" '
            'aria-describedby="pdz-comuni-conteggio"></div>'
            f'<p id="pdz-comuni-conteggio" role="status" data-total="{shown}">{count}</p>'
            + (f'<ul class="pdz-columns pdz-comuni-list">{items}</ul>' if items or data or letters is None else "")
            + f"{nav}{gaps}</div>")


def initial(name: str) -> str:
    """The letter a Comune is listed under: its first letter without accents ('0' for a digit)."""
    first = fold(name)[:1]
    return first if first.isalpha() else "0"


def comuni_data(ambiti: list[Record]) -> dict[str, bytes]:
    """The names of the finder of a regional site, for the filter box of comuni/: site path ->
    JSON (empty while comuni/ lists them all). Each entry: the name as the filter compares it,
    the name, the address of its Ambito's list of Comuni (from comuni/) and the Ambito's name."""
    comuni = named_comuni(ambiti)
    if len(comuni) <= FINDER_MAX:
        return {}
    rows = [[fold(name), name, f"../{page_url('ambito', a.id)}#comuni", a.title] for name, a in comuni]
    return {DATA_FILE: json.dumps({"comuni": rows}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")}
