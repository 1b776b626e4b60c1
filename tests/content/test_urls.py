"""Relative links: computed on strings, with the same result as posixpath.relpath."""
from __future__ import annotations

import posixpath

from hypothesis import given, settings
from hypothesis import strategies as st

from pdz.content.urls import relative

SEGMENT = st.sampled_from(["corsico", "obiettivi", "04-casa", "aree", "b", "partner", "stampa", "x"])
URL = st.builds(lambda parts, slash: "/".join(parts) + ("/" if parts and slash else ""),
                st.lists(SEGMENT, max_size=4), st.booleans())


def reference(from_url: str, to_url: str) -> str:
    """The former implementation, kept as the specification."""
    target, _, anchor = to_url.partition("#")
    here = from_url.split("#")[0] or "."
    path = posixpath.relpath(target or ".", here.rstrip("/") or ".")
    if target.endswith("/") and not path.endswith("/"):
        path = "./" if path == "." else path + "/"
    return path + (f"#{anchor}" if anchor else "")


@settings(max_examples=500, deadline=None)
@given(URL, URL, st.sampled_from(["", "#descrizione", "#azione-1-2"]))
def test_relative_matches_relpath(here, there, anchor):
    assert relative(here, there + anchor) == reference(here, there + anchor)


def test_relative_examples():
    assert relative("corsico/obiettivi/04-casa/", "aree/b/") == "../../../aree/b/"
    assert relative("", "corsico/") == "corsico/"
    assert relative("corsico/", "corsico/") == "./"
    assert relative("corsico/obiettivi/", "corsico/obiettivi/04-casa/#impatto") == "04-casa/#impatto"
    assert relative("aree/b/", "glossario/#asst") == "../../glossario/#asst"
