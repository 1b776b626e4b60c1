"""Page metadata and single-line fields (issue #11, hole 1).

- The front matter of every generated page is written by a YAML serialiser: whatever string a
  title holds (``\\r``, U+0085, U+2028, U+2029, control characters, '---', quotes, any Unicode),
  MkDocs reads back exactly the same metadata and the same body (Hypothesis).
- Single-line fields are ``_defs`` ``riga`` in the schemas: every one of them, for every record
  kind (listed from the schemas by ``pdz.content.schemas``), refuses each line break and control
  character with a clear Italian message naming the field.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from pdz_dev.project import examples, SUMMARY
from pdz.content.schemas import string_fields, text_fields
from pdz.content.model import KINDS, Record
from pdz.content.problems import field_path
from pdz.render.base import Page, front_matter, meta_title
from pdz.content.schemacheck import check_schema

EXAMPLES = examples(300)
PROPERTIES = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# every character YAML or some reader takes as a line break, the document markers, quotes
BREAKERS = ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]
SPECIAL = BREAKERS + ["---", "...", "- ", ": ", "#", '"', "'", "\\", "\\n", "{{", "}}", "{%", "%}", "\t", "\ufeff",
                      "\x00", "\x07", "\x1b", "\x7f", "\x9b", "<script>", "{ onfocus=alert(1) }", "è", "€", "🎉", "\u202e"]
CHARS = st.characters(blacklist_categories=("Cs",))   # lone surrogates cannot be written to a file
strings = st.one_of(st.text(CHARS, max_size=60),
                    st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(CHARS, max_size=5)), max_size=12).map("".join))


@PROPERTIES
@given(title=strings, source=strings, body=st.text(CHARS, max_size=40).map(lambda s: s.replace("\r", "")))
def test_front_matter_round_trips_any_string(title, source, body):
    meta = {"title": title, "render_macros": False, "pdz_source": source}
    text = front_matter(meta) + "\n" + body
    markdown, read = get_data(text)
    assert read == meta
    assert markdown == body.lstrip("\n")


@PROPERTIES
@given(title=strings)
def test_a_page_title_cannot_end_the_front_matter(title):
    markdown, meta = get_data(Page("prova/x/", title, "Corpo.", "content/x.md").markdown())
    assert meta == {"title": meta_title(title), "render_macros": False, "pdz_source": "content/x.md"}
    assert markdown == "Corpo.\n"
    assert not set(meta["title"]) & set("<>\"\r\n\x85\u2028\u2029")


# --- single-line fields --------------------------------------------------------------------

def single_line_fields():
    return [(kind, path) for kind in KINDS for path in text_fields(kind, shapes=("riga",))]


def test_every_string_field_of_the_schemas_says_what_it_holds():
    """No plain string: each field is Markdown text, a single line or a closed code."""
    loose = [(kind, field_path(f.path)) for kind in KINDS for f in string_fields(kind) if f.shape == "libero"]
    assert loose == [], "use _defs 'riga' (one line) or 'testo' (Markdown) for: " + repr(loose)
    for kind in KINDS:   # titles and names of every kind are single-line
        assert (KINDS[kind].title_field,) in text_fields(kind, shapes=("riga",)), kind
    SUMMARY["campi su una riga (dagli schemi)"] = f"{len(single_line_fields())} in {len(KINDS)} tipi di contenuto"


def place(data, path, value):
    """``data`` with ``value`` at ``path`` ("*" = first item), creating what is missing."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if head == "*":
        items = list(data) if isinstance(data, list) and data else [None]
        items[0] = place(items[0], rest, value)
        return items
    out = dict(data) if isinstance(data, dict) else {}
    out[head] = place(out.get(head), rest, value)
    return out


NAMES = {"\n": "un a capo", "\r": "ritorno carrello, U+000D", "\x85": "U+0085", "\u2028": "U+2028",
         "\u2029": "U+2029", "\t": "una tabulazione", "\x0b": "U+000B", "\x1e": "U+001E", "\x9b": "U+009B"}


@pytest.mark.parametrize("kind,path", single_line_fields(), ids=lambda v: v if isinstance(v, str) else ".".join(v))
def test_every_single_line_field_refuses_line_breaks(kind, path):
    concrete = tuple(0 if p == "*" else p for p in path)
    for char, name in NAMES.items():
        data = place({}, path, f"Titolo{char}---{char}[x](javascript:alert(1))")
        problems = check_schema(Record(kind=kind, id="x", path="content/x.yaml", data=data))
        mine = [p for p in problems if p.field == field_path(concrete) and "riga sola" in p.message]
        assert len(mine) == 1, [p.format() for p in problems]
        assert name in mine[0].message and "una riga" in mine[0].hint, mine[0].format()
    clean = place({}, path, "Titolo – con “virgolette”, è, 🎉 e ---")
    problems = check_schema(Record(kind=kind, id="x", path="content/x.yaml", data=clean))
    assert not [p for p in problems if p.field == field_path(concrete)], [p.format() for p in problems]


@settings(PROPERTIES, max_examples=EXAMPLES // 3)
@given(data=st.data())
def test_single_line_fields_accept_exactly_the_text_without_breaks(data):
    kind, path = data.draw(st.sampled_from(single_line_fields()))
    value = data.draw(st.text(CHARS, min_size=1, max_size=30))
    concrete = tuple(0 if p == "*" else p for p in path)
    problems = check_schema(Record(kind=kind, id="x", path="content/x.yaml", data=place({}, path, value)))
    refused = [p for p in problems if p.field == field_path(concrete)]
    breaks = any(c in value for c in "\x85\u2028\u2029") or any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in value)
    assert bool(refused) == breaks, (value, [p.format() for p in refused])


def test_every_free_text_field_has_a_length_bound():
    unbounded = [(kind, field_path(f.path)) for kind in KINDS for f in string_fields(kind)
                 if f.shape in ("riga", "testo") and not f.schema.get("maxLength")]
    assert unbounded == []
