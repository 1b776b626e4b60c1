"""Permanent URLs. They derive from record ids (file paths), never from titles."""
from __future__ import annotations


def page_url(kind: str, record_id: str) -> str:
    """Site-relative URL of a record's page (directory style, trailing slash)."""
    if kind == "area":
        return f"aree/{record_id.lower()}/"
    if kind == "partner":
        return f"partner/{record_id}/"
    if kind == "sigla":
        return f"glossario/#{record_id}"
    if kind == "voce":
        return f"vocabolario/#{record_id}"
    if kind == "documento":
        return f"fonti/{record_id}/"
    return f"{record_id}/"   # an Ambito ("corsico/") or a record of an Ambito ("corsico/obiettivi/04-x/")


def src_uri(url: str) -> str:
    """The virtual Markdown file MkDocs publishes at ``url``."""
    return (url.split("#")[0] + "index.md") if url.endswith("/") or url == "" else url


def relative(from_url: str, to_url: str) -> str:
    """Relative href from the page at ``from_url`` to ``to_url`` (both site-relative).

    Same result as ``posixpath.relpath`` on the directory of the page, computed on the strings
    alone: relpath asks the operating system for the working directory on every call, and a
    large site makes hundreds of thousands of links.
    """
    target, _, anchor = to_url.partition("#")
    here = [part for part in from_url.split("#")[0].split("/") if part]
    there = [part for part in target.split("/") if part]
    common = 0
    for mine, theirs in zip(here, there):
        if mine != theirs:
            break
        common += 1
    path = "/".join([".."] * (len(here) - common) + there[common:]) or "."
    if target.endswith("/") and not path.endswith("/"):
        path = "./" if path == "." else path + "/"
    return path + (f"#{anchor}" if anchor else "")


def anchor(text: str) -> str:
    """A stable anchor from a code such as '1.1.2' → 'azione-1-1-2'."""
    return "".join(c if c.isalnum() else "-" for c in str(text).lower()).strip("-")
