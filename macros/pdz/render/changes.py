"""What changed, on the pages: each record's "Cronologia delle modifiche", a plan's last changes,
the site-wide ``novita/`` list, the "Segui gli aggiornamenti" link, and the page left at an
address a record left (removed, or moved elsewhere).

The history itself is derived in ``pdz.domain.changes``; here it is written in Italian, values in
the site's formats (``changes.describe``), a text field as a short word-level difference. Every
value is escaped where it is written.
"""
from __future__ import annotations

import difflib
import re
from functools import lru_cache

from pdz.content.model import KINDS
from pdz.content.urls import page_url
from pdz.domain import changes as history_
from pdz.domain.changes import (CHANGED, GROUPS, MOVED, PLAN_PUBLISHED, PUBLISHED, PUBLISHED_TOGETHER, REMOVED,
                                Event, Lineage, Wanted)
from pdz.html.text import escape
from pdz.render.base import Page, italian_date
from pdz.render.blocks import breadcrumb, h1, heading, html_block
from pdz.render.context import PageContext
from pdz.render.italian import count
from pdz.render.listings import paginated

HISTORY_ANCHOR = "cronologia"
NEWS_URL = "novita/"
FOLLOW = "Segui gli aggiornamenti"
PLAN_LATEST = 5          # changes on a plan's page
NEWS_LIMIT = 60          # entries of novita/: three pages that stay three (every change is in modifiche.csv)
BUNDLE = 6               # this many records changed by one commit in one plan: one entry of a feed or list
NEWS_FIELDS_OF = 8       # records of one entry of novita/ shown with their fields; the others by name (a page
                         # of 20 entries with bundles of 15-18 records was 105.8 kB, over 100,000 B)
CONTEXT_WORDS = 6        # words kept around a change of a text
HIDDEN = '<span class="pdz-sr-only">{}</span>'   # words for screen readers only (site CSS)


# --- sentences ------------------------------------------------------------------------------------
def of_ambito(ctx: PageContext, ambito_id: str | None) -> str:
    """"dell'Ambito di Corsico" (or " – Comunità X" for a name that is not "Ambito ...")."""
    record = ctx.catalog.get("ambito", ambito_id) if ambito_id else None
    name = record.title if record else (ambito_id or "")
    return f"dell'{name}" if name.lower().startswith("ambito") else f"– {name}"


def headline(ctx: PageContext, event: Event) -> str:
    """What happened, in one plain sentence: the title of a feed entry or a list item."""
    title = event.title
    if event.action == PLAN_PUBLISHED:
        return f"Pubblicato il {title} {of_ambito(ctx, event.ambito)}"
    if event.action == PUBLISHED_TOGETHER:
        where = f"nel {title} {of_ambito(ctx, event.ambito)}" if event.kind == "piano" else f"in «{title}»"
        return f"Pubblicate {count(len(event.members), 'scheda', 'schede')} {where}"
    verb = {PUBLISHED: "Nuova scheda", CHANGED: "Scheda modificata", MOVED: "Scheda spostata",
            REMOVED: "Scheda rimossa"}[event.action]
    return f"{verb}: {title}"


def action_words(event: Event) -> str:
    """The action on the record's own page ("Pubblicata con il Piano di Zona 2021-2023")."""
    if event.action == PUBLISHED:
        plan = event.published_with if "/" in event.published_with else ""
        return f"Pubblicata con il Piano di Zona {plan.rsplit('/', 1)[-1]}" if plan else "Pubblicata"
    if event.action == MOVED:
        return "Spostata"
    if event.action == REMOVED:
        return "Rimossa"
    return "Modificata"


def moved_words(event: Event) -> str:
    """"da <old address> a <new address>": where a moved record was and where it went."""
    return (f'<span class="pdz-muted">da {escape(page_url(event.kind, event.moved_from))} '
            f"a {escape(page_url(event.kind, event.record_id))}</span>")


def date_html(event: Event) -> str:
    return f'<time datetime="{escape(event.day)}">{escape(italian_date(event.day))}</time>'


def reason_html(event: Event) -> str:
    return f'<p class="pdz-reason">Motivo: {escape(event.reason)}</p>' if event.reason else ""


# --- a change of a field ------------------------------------------------------------------------------
def field_changes_html(ctx: PageContext, event: Event) -> str:
    """The changed fields of a record's event, each with its value before and after."""
    if not event.fields:
        return ""
    items = "".join(f"<li>{field_change_html(ctx, event.kind, change)}</li>" for change in event.fields)
    return f'<ul class="pdz-change-fields">{items}</ul>'


def field_change_html(ctx: PageContext, kind: str, change: history_.FieldChange) -> str:
    said = history_.describe(kind, change, ctx.catalog)
    label = f"<strong>{escape(said.label)}</strong>: "
    if said.text and said.old and said.new:
        return label + f'<span class="pdz-diff">{word_diff(said.old, said.new)}</span>'
    old, new = (value_html(ctx, said.target_kind, ref, text) for ref, text in
                ((said.old_ref, said.old), (said.new_ref, said.new)))
    return (label + f'<span class="pdz-old">{old}</span> <span aria-hidden="true">→</span>'
            + HIDDEN.format(" diventa ") + f' <span class="pdz-new">{new}</span>')


def value_html(ctx: PageContext, target_kind: str, ref: str, text: str) -> str:
    if not text:
        return "<em>(non presente)</em>"
    if target_kind and ref and ctx.catalog.get(target_kind, ref) is not None:
        return ctx.link(page_url(target_kind, ref), escape(text))
    return escape(short(text))


def short(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


_TOKENS = re.compile(r"\s+|\w+|[^\w\s]+")   # spaces, words, punctuation


@lru_cache(maxsize=4096)   # one text change is shown on its page, the plan's, novita/ and several feeds
def word_diff(old: str, new: str) -> str:
    """The words of ``new`` that differ from ``old``: removed ones in <del>, added ones in <ins>, a
    few unchanged words around each change and "…" for the rest. Escaped."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    opcodes = matcher.get_opcodes()
    out = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = a[i1:i2]
            keep = CONTEXT_WORDS * 2   # tokens: words and the spaces (or signs) between them
            first, last = index == 0, index == len(opcodes) - 1
            if len(words) > keep * (1 if first or last else 2):
                head = [] if first else words[:keep]
                tail = [] if last else words[-keep:]
                out.append(escape("".join(head)) + "… " + escape("".join(tail)).lstrip())
            else:
                out.append(escape("".join(words)))
            continue
        if i2 > i1:
            out.append("<del>" + HIDDEN.format("[tolto: ") + escape("".join(a[i1:i2])) + HIDDEN.format("]") + "</del>")
        if j2 > j1:
            out.append("<ins>" + HIDDEN.format("[aggiunto: ") + escape("".join(b[j1:j2])) + HIDDEN.format("]") + "</ins>")
    return "".join(out).strip()


# --- a record's history ---------------------------------------------------------------------------------
def history_items(ctx: PageContext, events: list[Event]) -> str:
    items = []
    for event in events:
        moved = f" {moved_words(event)}" if event.action == MOVED else ""
        items.append(f'<li class="pdz-change pdz-change-{escape(event.action)}"><p>{date_html(event)} – '
                     f"<strong>{escape(action_words(event))}</strong>{moved}</p>"
                     + field_changes_html(ctx, event) + reason_html(event) + "</li>")
    return '<ol class="pdz-changes">' + "".join(items) + "</ol>"


def history_block(ctx: PageContext, record) -> str:
    """The "Cronologia delle modifiche" section of a record's page: every change on the published
    branch, newest first, with the fields that changed and the reason."""
    history = ctx.history
    if history is None:
        return ""
    events = history.of(record)
    intro = ("<p>Ogni modifica pubblicata di questa scheda, dalla più recente: la data, i campi cambiati "
             f"con il valore di prima e quello nuovo, e il motivo. {follow_sentence(ctx, record)}</p>")
    body = history_items(ctx, events) if events else \
        '<p class="pdz-muted">La scheda non ha ancora modifiche pubblicate.</p>'
    return heading(ctx, 2, "Cronologia delle modifiche", HISTORY_ANCHOR) + \
        html_block(intro + body, "pdz-block pdz-history", searchable=False)


def follow_sentence(ctx: PageContext, record) -> str:
    feed = ctx.feeds_of(record)
    return f"Per saperlo subito: {ctx.link(feed, FOLLOW.lower())} (feed Atom)." if feed else ""


def follow_link(ctx: PageContext, feed_url: str, what: str) -> str:
    """The visible "Segui gli aggiornamenti" link of an Ambito, partner or area page."""
    return html_block(f'<p class="pdz-follow"><a href="{ctx.href(feed_url)}" type="application/atom+xml">{FOLLOW}</a>: '
                      f"{escape(what)} (feed Atom, da aggiungere a un lettore di feed; {ctx.link('guida/#seguire-gli-aggiornamenti', 'come si usa')}).</p>",
                      "pdz-block", searchable=False)


# --- lists of changes: a plan's, the site's -----------------------------------------------------------
def bundled(news: list[Event]) -> list[list[Event]]:
    """The news as entries: one event each, except BUNDLE or more changes of records of one plan
    (or of one kind of shared record) by one commit, which are one entry."""
    groups: dict[tuple, list[Event]] = {}
    order: list[tuple] = []
    for event in news:
        key = (event.seq, event.plan or event.kind, "one" if event.action in GROUPS else event.action == REMOVED,
               id(event) if event.action in GROUPS else 0)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(event)
    out = []
    for key in order:
        events = groups[key]
        out += [events] if len(events) >= BUNDLE else [[e] for e in events]
    return out


def bundle_headline(ctx: PageContext, events: list[Event]) -> str:
    if len(events) == 1:
        return headline(ctx, events[0])
    first = events[0]
    verb = "Rimosse" if first.action == REMOVED else "Modificate"
    if first.plan:
        return f"{verb} {count(len(events), 'scheda', 'schede')} del Piano di Zona {first.plan.rsplit('/', 1)[-1]} " \
               f"{of_ambito(ctx, first.ambito)}"
    return f"{verb} {count(len(events), 'scheda', 'schede')}: {KINDS[first.kind].label_plural}"


def entry_link(event: Event) -> str:
    """Where an entry leads: a plan publication to the plan, a change to the record's history."""
    if event.action in GROUPS:
        if event.kind == "piano":
            return page_url("piano", event.record_id)
        # shared records published together: their list (aree/, partner/, glossario/, fonti/, ambiti/)
        return "ambiti/" if event.kind == "ambito" else page_url(event.kind, "x").split("/")[0].split("#")[0] + "/"
    lineage = event.lineage
    # the record's address now (an event of before a move names the old one, which only redirects)
    record_id = lineage.id if lineage is not None and not lineage.removed and lineage.record is not None else event.record_id
    url = page_url(event.kind, record_id)
    if event.action == REMOVED or "#" in url:   # a removed record's page says so; a glossary entry has no page
        return url
    return url + f"#{HISTORY_ANCHOR}"


def entry_html(ctx: PageContext, events: list[Event], heading_level: int = 3, fields_of: int = 0) -> str:
    """One entry of a list of changes (the same words as the feed's): its date, what happened with
    a link, the fields and the reason (``fields_of``: see ``entry_details``)."""
    first = events[0]
    tag = f"h{heading_level}"
    title = ctx.link(entry_link(first), escape(bundle_headline(ctx, events))) if len(events) == 1 \
        else escape(bundle_headline(ctx, events))
    out = f'<{tag} class="pdz-news-title">{title}</{tag}><p class="pdz-muted">{date_html(first)}</p>'
    out += entry_details(ctx, events, fields_of)
    return f'<li class="pdz-news-item">{out}</li>'


def entry_details(ctx: PageContext, events: list[Event], fields_of: int = 0) -> str:
    """The records of an entry with their changed fields; ``fields_of`` > 0: the fields of that
    many records, the others named with a link to their history (which has their fields)."""
    first = events[0]
    if first.action in GROUPS:
        listed = sorted(first.records, key=lambda lineage: history_.natural_key(lineage.id))
        names = ", ".join(_lineage_link(ctx, lineage) for lineage in listed[:8])
        more = f" e altre {len(listed) - 8}" if len(listed) > 8 else ""
        return f"<p>{count(len(listed), 'scheda', 'schede')}: {names}{more}.</p>" + reason_html(first)
    if len(events) == 1:
        moved = f"<p>Spostata {moved_words(first)}.</p>" if first.action == MOVED else ""
        return moved + field_changes_html(ctx, first) + reason_html(first)
    detailed = events[:fields_of] if fields_of else events
    items = "".join(f"<li>{ctx.link(entry_link(e), escape(e.title))}{field_changes_html(ctx, e)}</li>" for e in detailed)
    others = events[len(detailed):]
    if others:
        items += (f"<li>{count(len(others), 'altra scheda', 'altre schede')}: "
                  + ", ".join(ctx.link(entry_link(e), escape(e.title)) for e in others)
                  + " (le modifiche di ciascuna sono nella sua «Cronologia delle modifiche»).</li>")
    return f'<ul class="pdz-news-records">{items}</ul>' + reason_html(first)


def _lineage_link(ctx: PageContext, lineage: Lineage) -> str:
    record = ctx.catalog.get(lineage.kind, lineage.id) if not lineage.removed else None
    return ctx.record_link(record) if record else escape(lineage.title)


def news_list(ctx: PageContext, entries: list[list[Event]], heading_level: int = 3, fields_of: int = 0) -> str:
    return '<ul class="pdz-news">' + "".join(entry_html(ctx, e, heading_level, fields_of) for e in entries) + "</ul>"


def compact_list(ctx: PageContext, entries: list[list[Event]]) -> str:
    """Changes as one line each (date: what happened, linked to the record's history): the home and
    a plan's page, which stay light; the fields and the reason are on novita/ and in the history."""
    items = "".join(
        f"<li>{date_html(events[0])}: "
        + (ctx.link(entry_link(events[0]), escape(bundle_headline(ctx, events))) if len(events) == 1
           else escape(bundle_headline(ctx, events)))
        + "</li>" for events in entries)
    return f'<ul class="pdz-news">{items}</ul>'


def plan_latest(ctx: PageContext, plan) -> str:
    """"Ultime modifiche" of a plan's page: its newest changes, and where to find the others."""
    history = ctx.history
    if history is None:
        return ""
    entries = bundled(history.news(Wanted.having("plan", plan.id)))[:PLAN_LATEST]
    feed = ctx.feed_url("ambito", plan.ambito)
    more = (f"<p>Tutte le modifiche di ogni scheda sono nella sua «Cronologia delle modifiche»; "
            f"quelle di tutti gli Ambiti in {ctx.link(NEWS_URL, 'Novità')}"
            + (f"; {ctx.link(feed, FOLLOW.lower())} dell'Ambito con un lettore di feed" if feed else "") + ".</p>")
    body = compact_list(ctx, entries) if entries else '<p class="pdz-muted">Nessuna modifica pubblicata.</p>'
    return heading(ctx, 2, "Ultime modifiche", "ultime-modifiche") + html_block(body + more, searchable=False)


def news_pages(ctx: PageContext) -> list[Page]:
    """``novita/``: the recent changes of every Ambito and shared record, newest first, over pages."""
    history = ctx.history
    entries = bundled(history.news())[:NEWS_LIMIT] if history is not None else []
    title = "Novità"

    def first_page(ctx):
        return h1(ctx, title, "Che cosa è cambiato") + html_block(
            f"<p>Le {NEWS_LIMIT} modifiche più recenti pubblicate sul sito: i piani pubblicati, le schede nuove, "
            "modificate, spostate o rimosse, con i valori di prima e quelli nuovi e il motivo. Le date sono "
            "quelle della pubblicazione sul sito. Tutte le modifiche sono nella «Cronologia delle modifiche» di "
            f"ogni scheda e nei {ctx.link('dati-aperti/', 'dati aperti')} (modifiche.csv). Per ricevere le novità di un Ambito, di un attore della rete "
            f"o di un'area di policy, usa «{FOLLOW}» sulla sua pagina "
            f"({ctx.link('guida/#seguire-gli-aggiornamenti', 'come si fa')}).</p>", searchable=False)

    return paginated(ctx, NEWS_URL, title, [], first_page, entries, lambda ctx, chunk: news_list(ctx, chunk, 2, NEWS_FIELDS_OF))


# --- addresses a record left ----------------------------------------------------------------------------
def departure_pages(ctx: PageContext, taken) -> list[Page]:
    """A page at every address a record left, unless ``taken(address)`` (a page of the site, a
    redirect of redirects.yaml, a folder of files): removed, or moved to its new address; with
    its history. The newest record that left an address speaks for it."""
    history = ctx.history
    if history is None:
        return []
    chosen: dict[str, Lineage] = {}
    for old_id, lineage in history.gone():
        url = page_url(lineage.kind, old_id)
        if "#" in url or taken(url):
            continue
        if url not in chosen or lineage.events[-1:] and chosen[url].events[-1:] and \
                lineage.events[-1].seq > chosen[url].events[-1].seq:
            chosen[url] = lineage
    return [departure_page(ctx, url, lineage) for url, lineage in sorted(chosen.items())]


def departure_page(ctx: PageContext, url: str, lineage: Lineage) -> Page:
    ctx = ctx.at(url)
    kind = KINDS[lineage.kind]
    events = list(reversed(lineage.events))
    current = None if lineage.removed else ctx.catalog.get(lineage.kind, lineage.id)
    left = next((e for e in events if e.action in (MOVED, REMOVED)), events[0] if events else None)
    when = f"il {date_html(left)}" if left else ""
    if current is not None:
        said = (f"<p><strong>Questa scheda ha cambiato indirizzo</strong> {when}: ora è "
                f"{ctx.record_link(current)}.</p>")
    elif lineage.removed:
        said = f"<p><strong>Questa scheda è stata rimossa dal sito</strong> {when}.</p>"
    else:   # moved to an address this build does not publish (a single-Ambito preview)
        said = f"<p><strong>Questa scheda ha cambiato indirizzo</strong> {when}: ora è {escape(page_url(lineage.kind, lineage.id))}.</p>"
    if left is not None:
        said += reason_html(left)
    crumbs = []
    if lineage.ambito and ctx.catalog.get("ambito", lineage.ambito):
        crumbs.append((f"{lineage.ambito}/", ctx.ambito_name(lineage.record) if lineage.record else lineage.ambito))
    body = (breadcrumb(ctx, crumbs) if crumbs else "") + h1(ctx, lineage.title, kind.label) + \
        html_block(said, "pdz-block pdz-warn")
    body += heading(ctx, 2, "Cronologia delle modifiche", HISTORY_ANCHOR) + \
        html_block(history_items(ctx, events), "pdz-block pdz-history", searchable=False)
    return Page(url, f"{lineage.title} ({'spostata' if current is not None else 'rimossa'})", body,
                sources=[lineage.path], search_exclude=True)
