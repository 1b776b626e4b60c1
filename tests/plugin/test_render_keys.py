"""``mkdocs serve`` gives again the render-cache key of a page made of the same things as in the
last build (pdz.plugin.render_cache.RenderCache.key, issue #27 point 3): each key it gives is the
digest a build without the last build's keys computes, also for a page whose title, source,
exclusion from search, body digest, date, feed or edit link changed."""
from __future__ import annotations

import dataclasses

from pdz.plugin.render_cache import RenderCache
from pdz.render.base import Page
from pdz.site.cache import BuildCache

PAGE = Page("prova/obiettivi/01-casa/", "Agenzia per la casa", "corpo", "content/ambiti/prova/x.md")
VALUES = {"date": ("2024-01-10", "10 gennaio 2024"), "feed": ("prova/novita.xml", "Novità – Prova"),
          "edit": None, "editors": False}


def test_a_key_given_again_is_the_key_of_what_the_page_is_made_of(tmp_path):
    cache = BuildCache(tmp_path)
    variants = [(PAGE, "a" * 64, VALUES),
                (dataclasses.replace(PAGE, title="Agenzia per l'abitare"), "a" * 64, VALUES),
                (dataclasses.replace(PAGE, source="content/ambiti/prova/y.md"), "a" * 64, VALUES),
                (dataclasses.replace(PAGE, search_exclude=True), "a" * 64, VALUES),
                (PAGE, "b" * 64, VALUES),
                (PAGE, "a" * 64, {**VALUES, "date": ("2024-02-10", "10 febbraio 2024")}),
                (PAGE, "a" * 64, {**VALUES, "feed": None}),
                (PAGE, "a" * 64, {**VALUES, "edit": "https://example.org/edit/x.md", "editors": True})]
    fresh = [RenderCache(cache, "stamp").key(*variant) for variant in variants]
    assert len(set(fresh)) == len(variants)

    first = RenderCache(cache, "stamp", {})
    assert [first.key(*variant) for variant in variants] == fresh
    again = RenderCache(cache, "stamp", first.keys)   # serve's next build
    assert [again.key(*variant) for variant in reversed(variants)] == fresh[::-1]
    assert again.keys == first.keys
    other = RenderCache(cache, "another stamp", again.keys)   # the code or the theme changed
    assert [other.key(*variant) for variant in variants] == [RenderCache(cache, "another stamp").key(*v) for v in variants]
    assert set(other.keys).isdisjoint(again.keys)
