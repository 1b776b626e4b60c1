"""The anchors of a page the plugin renders without Python-Markdown (what MkDocs checks links
to) are found by ``anchor_ids``: exactly those of the plain pattern ``ANCHOR``, faster."""
from __future__ import annotations

import random
import re

from pdz.plugin.render_cache import anchor_ids

ANCHOR = re.compile(r'\b(?:id|name)="([^"]+)"')   # what the plugin used before anchor_ids


def test_anchor_ids_are_those_the_pattern_finds_in_any_text():
    cases = ['<h2 id="obiettivi">', '<a id="x" name="y">', 'id="at-start"', '<p data-id="not-an-anchor">',
             '_id="word-before"', 'éid="letter-before" -id="dash-before"', 'xid="a id="b"',
             'name="" name="z" idname="n"', '<h3 id="città">Città</h3>']
    pieces = ["i", "d", "n", "a", "m", "e", "=", '"', " ", "x", "_", "é", "-", "<", 'id="', 'name="']
    rnd = random.Random(27)
    cases += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40))) for _ in range(20000)]
    for text in cases:
        assert anchor_ids(text) == set(ANCHOR.findall(text)), text
