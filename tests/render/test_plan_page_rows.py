"""A plan page stays light whatever the size of the plan (issue #27, point 5): it lists its
objectives and then its evaluations in full while they come to at most ``PLAN_PAGE_ROWS`` rows
together; a list that would go past it is given as a link to the plan's list page (the
objectives keep their roll-up on the plan page, the evaluations take their chart with them).
The real plans (77 rows at most) are listed in full. The list pages are left out of the site search."""
from __future__ import annotations

import re

import pytest

from pdz.render import Build
from pdz.render import plans
from pdz.render.base import Page
from pdz_dev.project import real_content

PLAN = "corsico/2021-2023"   # 11 objectives, 12 evaluations, each with a grade in percent


def rows(html: str, caption: str) -> int:
    """The body rows of the table with this caption (0: no such table)."""
    found = re.search(r"<caption>" + re.escape(caption) + r"</caption>(.*?)</table>", html, re.S)
    return len(re.findall(r"<tbody>.*?</tbody>", found.group(1), re.S)[0].split("<tr")) - 1 if found else 0


def objectives(html: str) -> int:
    return rows(html, "Obiettivi 2021-2023")


def evaluations(html: str) -> int:
    return rows(html, "Valutazioni degli obiettivi del piano precedente")


def plan_pages(monkeypatch, budget: int | None) -> dict[str, Page]:
    if budget is not None:
        monkeypatch.setattr(plans, "PLAN_PAGE_ROWS", budget)
    catalog, _ = real_content()
    build = Build(catalog)
    return {page.url: page for page in plans.plan_pages(build.page(""), catalog.get("piano", PLAN))}


def sections(body: str) -> dict[str, str]:
    """The plan page's parts, by the anchor of their heading."""
    parts = re.split(r"(?m)^## .*\{ #([\w-]+) \}$", body)
    return dict(zip(parts[1::2], parts[2::2]))


def test_every_real_plan_is_listed_in_full():
    catalog, _ = real_content()
    for plan in catalog.all("piano"):
        objectives, evaluations = catalog.of_plan(plan.id, "obiettivo"), catalog.of_plan(plan.id, "valutazione")
        assert plans.lists_in_full(objectives, evaluations) == (True, True), plan.id


def test_within_the_budget_both_tables_and_the_chart_are_on_the_plan_page(monkeypatch):
    pages = plan_pages(monkeypatch, None)
    body = sections(pages[f"{PLAN}/"].body)
    assert objectives(body["obiettivi"]) == 11 and "pdz-rollup" in body["obiettivi"]
    assert evaluations(body["valutazioni"]) == 12 and "grafico-raggiungimento" in body["valutazioni"]
    assert "grafico-raggiungimento" not in pages[f"{PLAN}/valutazioni/"].body


def test_the_list_that_goes_past_the_budget_is_a_link_and_its_chart_moves_with_it(monkeypatch):
    full = plan_pages(monkeypatch, None)
    pages = plan_pages(monkeypatch, 20)   # 11 objectives fit; 11 + 12 evaluations do not
    body = sections(pages[f"{PLAN}/"].body)
    assert body["obiettivi"] == sections(full[f"{PLAN}/"].body)["obiettivi"]
    assert not evaluations(body["valutazioni"]) and "grafico-raggiungimento" not in body["valutazioni"]
    assert re.search(r'<a href="valutazioni/">Elenco delle 12 valutazioni</a>: in una pagina a parte', body["valutazioni"])
    listing = pages[f"{PLAN}/valutazioni/"].body
    assert evaluations(listing) == 12
    # the chart is the one the plan page showed, after the table it refers to ("qui sopra")
    catalog, _ = real_content()
    chart = plans.achievement_chart(Build(catalog).page(f"{PLAN}/valutazioni/"), catalog.get("piano", PLAN),
                                    catalog.of_plan(PLAN, "valutazione"))
    assert chart and listing.endswith(chart) and listing.index("</table>") < listing.index(chart)
    assert len(pages[f"{PLAN}/"].body) < len(full[f"{PLAN}/"].body)


@pytest.mark.parametrize("budget", [10, 0])
def test_past_the_budget_both_lists_are_links_and_the_roll_up_stays(monkeypatch, budget):
    full = sections(plan_pages(monkeypatch, None)[f"{PLAN}/"].body)
    pages = plan_pages(monkeypatch, budget)
    body = sections(pages[f"{PLAN}/"].body)
    rollup = re.search(r'<p class="pdz-rollup">.*?</p>', full["obiettivi"]).group(0)
    assert rollup in body["obiettivi"] and not objectives(body["obiettivi"])
    assert re.search(r'<a href="obiettivi/">Elenco degli 11 obiettivi</a>', body["obiettivi"])
    assert re.search(r'<a href="valutazioni/">Elenco delle 12 valutazioni</a>', body["valutazioni"])
    # every record is still one link away, on the list pages
    assert objectives(pages[f"{PLAN}/obiettivi/"].body) == 11
    assert evaluations(pages[f"{PLAN}/valutazioni/"].body) == 12


def test_the_list_pages_are_out_of_the_search_and_the_plan_page_is_in(monkeypatch):
    """A list page's tables are not indexed (each record is, on its own page): indexed, it would
    be a result with a title only, and one more page in the list every search fetches."""
    pages = plan_pages(monkeypatch, None)
    assert not pages[f"{PLAN}/"].search_exclude
    lists = [url for url in pages if url != f"{PLAN}/"]
    assert f"{PLAN}/obiettivi/" in lists and f"{PLAN}/valutazioni/" in lists
    assert all(pages[url].search_exclude for url in lists), lists
