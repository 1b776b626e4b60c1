"""The extracted text of each source document, split into pages of lines.

The texts live in ``fonti/`` at the project root (named by the ``file`` field of each document
in ``content/fonti/``). Every line keeps its number; pages are cut by size, so that no page of a
long document grows beyond the budget, and the cut is a pure function of the text (stable
addresses and anchors). Plain Python, no MkDocs.
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from pdz.content import invisible
from pdz.content.problems import Problem
from pdz.html.text import escape

TEXT_FOLDER = "fonti"
PAGE_BYTES = 32_000   # text and line markup per page: with the theme and the list of citing records, under 100 KB
PAGE_LINES = 250
# Limits of one text. The largest real one (Crema 2021-2023) has 240,112 bytes in 2,237 lines: a
# plan half as long again fits; a dump of megabytes does not (a 500 KB text of short lines made
# 1,001 pages and 176 MB of site). A page holds at most PAGE_LINES lines and PAGE_BYTES of text
# and markup, so the two limits bound the pages of a document to MAX_PAGES (Crema has 16).
MAX_TEXT_BYTES = 384 * 1024
MAX_TEXT_LINES = 7_000
MAX_PAGES = (MAX_TEXT_BYTES + 110 * MAX_TEXT_LINES) // PAGE_BYTES + 2
FOLDER_NOTES = frozenset({"README.md"})   # what fonti/ holds besides the texts


@dataclass
class SourceText:
    document: str                 # id of the documento record
    lines: list[str]              # line n is lines[n - 1]
    pages: list[tuple[int, int]] = field(default_factory=list)   # (first, last) line of each page

    def page_of(self, line: int) -> int:
        """Index (0-based) of the page holding ``line`` (clamped to the text)."""
        for i, (_first, last) in enumerate(self.pages):
            if line <= last:
                return i
        return len(self.pages) - 1

    def url(self, page: int) -> str:
        return text_url(self.document, *self.pages[page])

    @staticmethod
    def lines_suffix(start: int, end: int) -> str:
        """What follows the page address to show lines start..end: the fragment alone scrolls to
        the first line and marks it (CSS :target); the query asks pdz-source.js to mark them all."""
        return (f"?righe={start}-{end}" if end != start else "") + f"#r{start}"


def text_url(document: str, first: int, last: int) -> str:
    return f"fonti/{document}/testo/righe-{first}-{last}/"


def split_pages(lines: list[str]) -> list[tuple[int, int]]:
    pages, first, size = [], 1, 0
    for number, line in enumerate(lines, start=1):
        cost = len(escape(line).encode("utf-8")) + 110   # the markup of a line
        if number > first and (size + cost > PAGE_BYTES or number - first >= PAGE_LINES):
            pages.append((first, number - 1))
            first, size = number, 0
        size += cost
    if lines:
        pages.append((first, len(lines)))
    return pages


def load_texts(root: Path, catalog) -> dict[str, SourceText]:
    """The text of every document whose file is in ``fonti/``: document id → SourceText. Only
    what ``read_folder`` accepts (it gives ``make check`` and the build their problems)."""
    texts = {}
    for doc_id, lines in read_folder(root, catalog)[0].items():
        texts[doc_id] = SourceText(doc_id, lines, split_pages(lines))
    return texts


# The words of a source text, as the checks compare them: case, punctuation, tags, line breaks
# and hyphenation ignored.
HYPHEN = re.compile(r"(\w)[-\u00ad]\s*(\w)")
TAGS = re.compile(r"<[^>]{0,200}>")
WORD = re.compile(r"\w+")


def source_words(lines: list[str], start: int, end: int) -> tuple[list[str], list[int]]:
    """Words of lines start..end and the line of each word."""
    out, at = [], []
    text = "\n".join(lines[start - 1:end])
    text = HYPHEN.sub(r"\1\2", HYPHEN.sub(r"\1\2", TAGS.sub(" ", text).replace("’", "'")))
    line = start
    for piece in re.split(r"(\n)", text):
        if piece == "\n":
            line += 1
            continue
        for w in WORD.findall(piece.replace("_", " ")):
            out.append(w.lower())
            at.append(line)
    return out, at


def contains_quote(lines: list[str], start: int, end: int, quote: str) -> bool:
    """True when ``quote`` (Markdown emphasis and quotation marks aside) is a run of the words of
    lines start..end."""
    wanted = source_words([quote.replace("*", "")], 1, 1)[0]
    found, _ = source_words(lines, start, end)
    size = len(wanted)
    return bool(wanted) and any(found[i:i + size] == wanted for i in range(len(found) - size + 1))


def read_folder(root: Path, catalog) -> tuple[dict[str, list[str]], list[Problem]]:
    """The lines of every text of ``fonti/`` (document id → lines) and the problems of the folder.

    The folder is published as pages, so it holds regular files only, each named by exactly one
    document of ``content/fonti/`` (``file``) and under the limits above; every document's file
    exists. A link (to /etc/passwd, .git/config, /proc/self/environ), a folder, a device or a
    file nobody names is an error that names it: nothing outside the folder is ever read.
    """
    folder = Path(root) / TEXT_FOLDER
    documents = [d for d in catalog.all("documento") if d.data.get("file")]
    named: dict[str, list] = {}
    for doc in documents:
        named.setdefault(doc.data["file"], []).append(doc)
    problems: list[Problem] = []
    texts: dict[str, list[str]] = {}

    def folder_problem(name: str, message: str, hint: str) -> None:
        problems.append(Problem(f"{TEXT_FOLDER}/{name}" if name else TEXT_FOLDER, 0, "", message, hint))

    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISDIR(info.st_mode):
        folder_problem("", "non è una cartella vera (è un collegamento simbolico o un file)",
                       "fonti/ deve essere una cartella con i file di testo dei documenti")
        return texts, problems
    entries = sorted(os.scandir(folder), key=lambda e: e.name) if info is not None else []
    listed = {entry.name for entry in entries}
    for entry in entries:
        name = entry.name
        shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        kind = _file_kind(entry)
        if kind != "file":
            folder_problem(shown, f"{kind}: in {TEXT_FOLDER}/ ci vanno solo file di testo",
                           "sostituiscilo con una copia del file di testo, oppure cancellalo")
            continue
        if name in FOLDER_NOTES:
            continue
        owners = named.get(name, [])
        if not owners and any(kind == "documento" for kind, _ in catalog.invalid):
            continue   # perhaps named by a document with errors of its own: no cascade, and not published
        if len(owners) != 1:
            folder_problem(shown, "nessuna scheda di content/fonti/ indica questo file nel campo 'file'"
                           if not owners else "il file è indicato da più schede: " + ", ".join(d.path for d in owners),
                           "ogni testo di fonti/ appartiene a una sola scheda di content/fonti/: "
                           "correggi il campo 'file' oppure cancella il file")
            continue
        text, problem = _read_text(entry.path)
        if problem:
            folder_problem(shown, *problem)
            continue
        texts[owners[0].id] = text
    for doc in documents:
        name = doc.data["file"]
        if name in listed and name not in FOLDER_NOTES:
            continue   # present, or refused above with its own problem
        problems.append(Problem(doc.path, doc.line(("file",)), "file",
                                f"'{name}' non è il nome di un testo di {TEXT_FOLDER}/"
                                if name in FOLDER_NOTES or name.startswith(".") else f"il file {TEXT_FOLDER}/{name} non esiste",
                                f"copia il testo estratto del documento in {TEXT_FOLDER}/ con questo nome, "
                                "oppure correggi il campo 'file'"))
    return texts, problems


def _file_kind(entry: os.DirEntry) -> str:
    if entry.is_symlink():
        return "è un collegamento simbolico"
    if entry.name.startswith("."):
        return "è un file nascosto"
    if entry.is_dir(follow_symlinks=False):
        return "è una cartella"
    if not entry.is_file(follow_symlinks=False):
        return "non è un file di testo"
    if entry.stat(follow_symlinks=False).st_nlink > 1:   # git never checks out hard links
        return "è un collegamento (hard link) a un altro file"
    return "file"


def _read_text(path: str) -> tuple[list[str] | None, tuple | None]:
    """The lines of one text, read without following a link (O_NOFOLLOW) nor waiting on a pipe
    (O_NONBLOCK), and never more than the limit: (lines, None) or (None, (message, hint))."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        return None, ("impossibile leggere il file", f"controlla che sia un file di testo leggibile ({exc.strerror})")
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None, ("non è un file di testo", "cancellalo")
        chunks, size = [], 0
        while size <= MAX_TEXT_BYTES:
            chunk = os.read(fd, MAX_TEXT_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > MAX_TEXT_BYTES:
        return None, (f"il testo è troppo grande (più di {MAX_TEXT_BYTES // 1024} KB)",
                      "pubblica solo il testo estratto del documento; un documento più lungo va diviso in più file")
    text = b"".join(chunks).decode("utf-8", errors="replace")
    hidden = invisible.find(text)
    if hidden:
        return None, (f"{invisible.message(hidden.group())} alla riga {text.count(chr(10), 0, hidden.start()) + 1}",
                      invisible.HINT)
    lines = text.split("\n")   # as righe_totali counts
    if len(lines) > MAX_TEXT_LINES:
        return None, (f"il testo ha troppe righe ({len(lines)}, massimo {MAX_TEXT_LINES})",
                      "pubblica solo il testo estratto del documento; un documento più lungo va diviso in più file")
    return lines, None
