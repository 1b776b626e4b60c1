"""CODEOWNERS read with GitHub's rules (the gitignore subset it supports; the last matching
pattern wins; a pattern without owners leaves the path unowned): tests/test_codeowners.py and
tests/plugin/test_docs_macros.py."""
from __future__ import annotations

import re

from pdz_dev.project import ROOT

CODEOWNERS = ROOT / ".github" / "CODEOWNERS"


def pattern_regex(pattern: str) -> re.Pattern:
    """A CODEOWNERS pattern (the gitignore subset GitHub supports) as a regex on a path."""
    if re.search(r"[\[\]!\\]", pattern):
        raise ValueError(f"CODEOWNERS syntax this reader does not know: {pattern}")
    directory = pattern.endswith("/")
    body = pattern.strip("/")
    anchored = pattern.startswith("/") or "/" in body
    regex = ""
    for part in re.split(r"(\*\*/|/\*\*|\*\*|\*|\?)", body):
        regex += {"**/": "(?:.*/)?", "/**": "/.*", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(part, re.escape(part))
    # a name without wildcards in its last part is a file, or a folder with everything under it;
    # "docs/*" matches the files of docs/ only (GitHub's documented example)
    below = "(?:/.*)?" if directory or "*" not in body.rsplit("/", 1)[-1] else ""
    return re.compile(("^" if anchored else "^(?:.*/)?") + regex + below + "$")


def rules() -> list[tuple[str, re.Pattern, list[str]]]:
    out = []
    for line in CODEOWNERS.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pattern, *owners = line.split()
        out.append((pattern, pattern_regex(pattern), owners))
    return out


def owners_of(path: str, table) -> list[str]:
    found: list[str] = []
    for _, regex, owners in table:
        if regex.match(path):
            found = owners   # the last match wins, also when it has no owners
    return found
