"""novita/ stays light when one commit changes many records of a plan (issue #27: a page of 20
entries whose bundles held 15-18 records, each with its fields, was 105.8 kB): an entry shows the
fields of NEWS_FIELDS_OF records and names the others, linked to their history; a feed's entry
keeps every record's fields."""
from __future__ import annotations

from pdz.content.loader import load_content
from pdz.domain.changes import CHANGED, Event, FieldChange
from pdz.render import Build
from pdz.render.changes import NEWS_FIELDS_OF, entry_details
from pdz_dev.project import FIXTURES


def test_an_entry_of_many_records_shows_the_fields_of_some_and_names_the_others():
    catalog, problems = load_content(FIXTURES / "valid")
    assert problems == []
    ctx = Build(catalog).page("novita/")
    events = [Event(CHANGED, "c0ffee", "2024-05-02T10:00:00+00:00", "", "obiettivo",
                    f"prova/2021-2023/obiettivi/{i:02d}-scheda", f"Scheda numero {i}", "prova", "prova/2021-2023",
                    fields=(FieldChange(("mesi_lavoro",), 20, 24),)) for i in range(NEWS_FIELDS_OF + 4)]
    news = entry_details(ctx, events, NEWS_FIELDS_OF)
    assert news.count('class="pdz-change-fields"') == NEWS_FIELDS_OF
    assert "4 altre schede: " in news and "«Cronologia delle modifiche»" in news
    for i in range(len(events)):   # every record is named, with a link to its history
        assert f'href="../prova/2021-2023/obiettivi/{i:02d}-scheda/#cronologia">Scheda numero {i}</a>' in news
    feed = entry_details(ctx, events)
    assert feed.count('class="pdz-change-fields"') == len(events) and "altre schede" not in feed
