"""The printable plan in printable parts (issue #27: no page over 100 KB): a contents page at the
plan's printable address and parts of whole records, asserted on the built real site, on a
synthetic plan three times the largest real one, and in Chromium (axe, print styles)."""
from __future__ import annotations

import dataclasses
import re
from collections import Counter
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from pdz.content.catalog import Catalog
from pdz.content.loader import load_content
from pdz.content.sourcetext import load_texts
from pdz.render import Build
from pdz.render.printable import CHAPTERS, PART_BUDGET, PART_LIMIT, balanced, printable_documents
from pdz_dev.browser import DESKTOP, PHONE, assert_no_violations
from pdz_dev.project import ROOT, examples, html

ARTICLE = re.compile(r'<article class="pdz-print-record" id="([^"]+)">')
PART_LINK = re.compile(r'<a href="([\w-]+)/"><strong>Parte (\d+) di (\d+)</strong>')


@cache
def catalog() -> Catalog:
    result, _ = load_content(ROOT)
    return result


def slug(record) -> str:
    return record.id.replace("/", "-")


def expected_records(plan_id: str, records: Catalog) -> list[str]:
    """The plan's records in the order of the regional format (the ids of their articles)."""
    return [slug(r) for kind, _folder, _title in CHAPTERS for r in records.of_plan(plan_id, kind)]


def check_printable(pages: dict[str, str], base: str, records: list[str]) -> list[str]:
    """The contents page and parts of one plan (site path -> HTML): every part linked from the
    contents page in order, "Parte n di m" with previous and next, every record once, in order.
    Returns the part folders."""
    contents = pages[f"{base}index.html"]
    parts = [(folder, int(n), int(m)) for folder, n, m in PART_LINK.findall(contents)]
    folders = [folder for folder, _n, _m in parts]
    assert sorted(f"{base}{folder}/index.html" for folder in folders) == sorted(p for p in pages if p != f"{base}index.html")
    assert [(n, m) for _f, n, m in parts] == [(n, len(parts)) for n in range(1, len(parts) + 1)]
    found = []
    for n, folder in enumerate(folders, start=1):
        page = pages[f"{base}{folder}/index.html"]
        assert f"<title>Parte {n} di {len(folders)}: " in page and f"parte {n} di {len(folders)}</p>" in page, folder
        previous = re.search(r'<a rel="prev" href="\.\./([\w-]+)/">', page)
        following = re.search(r'<a rel="next" href="\.\./([\w-]+)/">', page)
        assert (previous and previous.group(1)) == (folders[n - 2] if n > 1 else None), folder
        assert (following and following.group(1)) == (folders[n] if n < len(folders) else None), folder
        assert 'href="../">Indice della versione stampabile</a>' in page and 'href="../../">Torna alla pagina del piano' in page
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), f"ids are unique in {folder}"
        articles = ARTICLE.findall(page)
        found += articles
        for record in articles:   # the contents page lists it, with a link into its part
            assert f'<li id="{record}"><a href="{folder}/#{record}">' in contents
    assert Counter(found) == Counter(records), "every record of the plan exactly once"
    assert found == records, "in the order of the regional format"
    return folders


def test_real_printable_plans_are_parts_within_100_kb_holding_every_record_once(real_site):
    records = catalog()
    largest = 0
    for plan in records.all("piano"):
        base = f"{plan.id}/stampa/"
        files = {p.relative_to(real_site).as_posix(): p for p in (real_site / base).rglob("index.html")}
        pages = {path: p.read_text(encoding="utf-8") for path, p in files.items()}
        folders = check_printable(pages, base, expected_records(plan.id, records))
        assert folders[0] == "presentazione" and "<h1>Presentazione del piano" in pages[f"{base}presentazione/index.html"]
        sizes = {path: p.stat().st_size for path, p in files.items()}
        assert max(sizes.values()) <= PART_LIMIT, sizes
        largest = max(largest, *sizes.values())
        contents = pages[f"{base}index.html"]
        for folder in folders:   # each part with its weight as published
            listed = re.search(rf'<a href="{folder}/">.*?<span class="pdz-muted">\(([\d.]+) kB', contents)
            assert listed and abs(int(listed.group(1).replace(".", "")) - sizes[f"{base}{folder}/index.html"] / 1024) <= 1
        # the anchors of the single document it replaced land on their entry: its chapters, its records
        for number, (kind, _folder, _title) in enumerate(CHAPTERS, start=1):
            assert (f'id="parte-{number}"' in contents) == bool(records.of_plan(plan.id, kind)), (plan.id, kind)
        assert 'href="stampa/"' in html(real_site, plan.id)
    assert largest > PART_BUDGET / 2   # the real plans do fill their parts
    # the Ambito's short address still leads to its current printable plan (redirects.yaml)
    assert 'href="../2021-2023/stampa/"' in (real_site / "crema/stampa/index.html").read_text(encoding="utf-8")


def test_a_plan_three_times_the_largest_is_split_within_the_budget():
    """Crema 2021-2023 (the largest real plan, 0.77 MB in one page) with every record three
    times: 2.3 MB in parts within the budget, every record once."""
    real = catalog()
    plan = real.get("piano", "crema/2021-2023")
    copies = [dataclasses.replace(r, id=f"{r.id}-copia-{k}", path=f"{r.path[:-3]}-copia-{k}{r.path[-3:]}")
              for kind, _f, _t in CHAPTERS for r in real.of_plan(plan.id, kind) for k in (2, 3)]
    big = Catalog(real.records + copies)
    big.texts = load_texts(ROOT, big)
    pages = dict(printable_documents(Build(big).page(""), big.get("piano", plan.id)))
    folders = check_printable(pages, "crema/2021-2023/stampa/", expected_records(plan.id, big))
    assert sum(len(page.encode("utf-8")) for page in pages.values()) > 2_000_000
    assert len(folders) > 25
    assert max(len(page.encode("utf-8")) for page in pages.values()) <= PART_BUDGET


def valid_splits(sizes: list[int], runs: int, budget: int):
    """Every split of ``sizes`` into ``runs`` runs, each within ``budget`` or of a single item."""
    if runs == 1:
        if len(sizes) == 1 or sum(sizes) <= budget:
            yield [sizes]
        return
    for i in range(1, len(sizes) - runs + 2):
        if i == 1 or sum(sizes[:i]) <= budget:
            for rest in valid_splits(sizes[i:], runs - 1, budget):
                yield [sizes[:i]] + rest


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.integers(1, 60_000), min_size=1, max_size=8), st.integers(1_000, 100_000))
def test_balanced_runs_are_whole_in_order_few_and_even(sizes, budget):
    runs = balanced(sizes, budget)
    assert [i for start, end in runs for i in range(start, end)] == list(range(len(sizes)))   # each once, in order
    assert all(end - start == 1 or sum(sizes[start:end]) <= budget for start, end in runs)
    assert not any(True for fewer in range(1, len(runs)) for _split in valid_splits(sizes, fewer, budget))   # as few runs as fit
    best = min(max(map(sum, split)) for split in valid_splits(sizes, len(runs), budget))
    assert max(sum(sizes[start:end]) for start, end in runs) == best   # as even as can be


# --- in Chromium -------------------------------------------------------------------------------

def test_contents_page_and_parts_pass_axe_and_print_without_navigation(visit):
    """The contents page and parts of the largest plan: records of one kind side by side (the
    objectives), the largest part, the presentation; on a phone, the contents and a part."""
    reader = visit(DESKTOP)
    for viewport, more in ((DESKTOP, ("crema/2021-2023/stampa/progetti-2/", "crema/2021-2023/stampa/presentazione/")),
                           (PHONE, ())):
        reader.reset()   # as a new visitor (the pointer off the page) ...
        reader.page.set_viewport_size(viewport)   # ... of this screen size
        contents = reader.open("crema/2021-2023/stampa/")
        assert_no_violations(contents, "crema/2021-2023/stampa/")
        contents.click("text=Obiettivi della programmazione 2021-2023, schede 1-3 di 8")   # reached from the contents
        contents.wait_for_url("**/crema/2021-2023/stampa/obiettivi/")
        assert_no_violations(contents, "crema/2021-2023/stampa/obiettivi/")
        for url in more:
            assert_no_violations(reader.open(url), url)
    reader.reset()
    page = reader.open("crema/2021-2023/stampa/obiettivi/")
    page.emulate_media(media="print")
    for hidden in (".pdz-print-header", ".pdz-print-pager"):
        assert page.locator(hidden).evaluate("e => getComputedStyle(e).display") == "none", hidden
    assert page.locator(".pdz-print-kicker").is_visible()   # each printed part names its plan and its number
