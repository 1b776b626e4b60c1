"""The site search index: Pagefind run over the built site's articles (no MkDocs import).

Pagefind indexes only the element marked ``data-pagefind-body`` (the article of each page: not
the navigation nor the footer); pages without it (source texts, redirects, printable plans, the
404) stay out. Titles weigh more than body text (Pagefind weighs headings by level; the facets
block of each page names its title). Filters and result metadata come from
``data-pagefind-filter`` / ``data-pagefind-meta`` attributes that ``render/facets.py`` writes.

The citizen vocabulary (``content/vocabolario/``, ``pdz.content.vocabulary``) is published
beside its page as ``vocabolario/parole.json``: the search script downloads it with the engine,
on the first search, and looks for the plans' terms too when a query holds an entry's words.

Pagefind reads every page it is given and holds what it parsed until it writes the index, so at
regional scale (ten thousand pages) its memory and time grow with the whole site. It is given
instead a copy of each page that holds just its article (``Articles``, filled by the build as it
writes each page, so the site is not read a second time): the same index, in about half of
Pagefind's time, with memory for the articles only (benchmarks/results.md).

Pagefind cannot update an index: it writes the whole index from every page it was given. So a
build reuses the previous index when no article changed (``index_key``: a digest of every
article and of Pagefind's version and options), and otherwise runs Pagefind again over the
articles, kept on disk as the build writes them.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pdz.content.catalog import Catalog
from pdz.render.indices import VOCABULARY_URL
from pdz.site.cache import BuildCache, Hasher

# What the Content-Security-Policy of every page must allow in script-src for the search: the
# engine compiles its WebAssembly module (no eval of JavaScript). The CSP builder (issue #11)
# adds these to 'self' and the hashes of inline scripts.
SCRIPT_SOURCES = ("'wasm-unsafe-eval'",)
# Anchors that Python-Markdown adds after headings ("¶") carry no words.
EXCLUDE = ".headerlink"
OPTIONS = ("--exclude-selectors", EXCLUDE, "--force-language", "it", "--quiet")
# The opening tag of the article of an indexed page, exactly as overrides/main.html writes it.
# Contributor text cannot write an <article> (pdz.html.text allows no such tag), so the first match
# is the template's.
ARTICLE = '<article class="md-content__inner md-typeset" data-pagefind-body>'
_ARTICLE_END = "</article>"
FOLDER = "pagefind"
INDEX = "search"   # the cache's index of the last search index written


# Read by docs/assets/pdz-search.js (the same address, relative to the site root).
VOCABULARY_FILE = VOCABULARY_URL + "parole.json"


def vocabulary_file(catalog: Catalog) -> dict[str, bytes]:
    """The citizen vocabulary as the search script reads it: for each entry its address, the
    everyday words, the plans' terms and the glossary's acronyms (as written in the text)."""
    entries = []
    for entry in sorted(catalog.all("voce"), key=lambda r: r.id):
        acronyms = [catalog.get("sigla", s) for s in entry.data.get("sigle") or []]
        entries.append({"url": VOCABULARY_URL + "#" + entry.id, "parole": entry.data["parole"],
                        "termini": entry.data["termini"], "sigle": [a.data["sigla"] for a in acronyms if a]})
    text = json.dumps({"voci": entries}, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return {VOCABULARY_FILE: text.encode("utf-8")}


class SearchIndexError(RuntimeError):
    pass


def article_page(html: str) -> str | None:
    """The smallest page Pagefind indexes as it would ``html``: its <title> and its article."""
    start = html.find(ARTICLE)
    end = html.rfind(_ARTICLE_END)
    if start < 0 or end < start:
        return None
    title_start, title_end = html.find("<title>"), html.find("</title>")
    title = html[title_start:title_end + len("</title>")] if 0 <= title_start < title_end < start else ""
    return ('<!doctype html><html lang="it"><head><meta charset="utf-8">' + title + "</head><body>"
            + html[start:end + len(_ARTICLE_END)] + "</body></html>")


class Articles:
    """The article of every page the build writes, by the page's path in the site (MkDocs'
    destination path). With a cache, each article is a blob of it (a build whose pages did not
    change writes none); without, a file in a temporary folder."""

    def __init__(self, cache: BuildCache | None = None):
        self.cache = cache
        self.digests: dict[str, str] = {}
        self._folder = None if cache is not None else Path(tempfile.mkdtemp(prefix="pdz-articoli-"))

    def add(self, rel: str, html: str) -> None:
        page = article_page(html)
        if page is None:
            return
        data = page.encode("utf-8")
        if self.cache is not None:
            self.digests[rel] = self.cache.put(data).path.name
            return
        self.digests[rel] = hashlib.sha256(data).hexdigest()
        target = self._folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def key(self) -> str:
        """Digest of what Pagefind would be given: its version and options, every article."""
        try:
            version = importlib.metadata.version("pagefind_bin_extended")
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        hasher = Hasher("pagefind", version, *OPTIONS)
        for rel in sorted(self.digests):
            hasher.add(rel, self.digests[rel])
        return hasher.hex()

    def folder(self) -> Path:
        """A folder that holds every article at its page's path (for Pagefind's command line)."""
        if self._folder is not None:
            return self._folder
        self._folder = Path(tempfile.mkdtemp(prefix="pdz-articoli-"))
        for rel, sha in self.digests.items():
            target = (self._folder / rel).resolve()
            if self._folder.resolve() not in target.parents:   # MkDocs' paths stay in the site
                raise SearchIndexError(f"Indice di ricerca non creato: percorso non valido {rel!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(self.cache.blob_path(sha), target)
            except OSError:
                shutil.copyfile(self.cache.blob_path(sha), target)
        return self._folder

    def discard(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def job(self) -> dict:
        """What ``finish`` needs to index these articles in another process."""
        return {"root": str(self.cache.root) if self.cache is not None else None,
                "folder": str(self._folder) if self._folder is not None else None, "digests": self.digests}

    @classmethod
    def from_job(cls, job: dict) -> "Articles":
        cache = BuildCache(Path(job["root"])) if job.get("root") else None
        articles = cls.__new__(cls)
        articles.cache, articles.digests = cache, dict(job["digests"])
        articles._folder = Path(job["folder"]) if job.get("folder") else None
        return articles


def run_pagefind(articles: Path, output: Path) -> str:
    """Write the index of the pages under ``articles`` into ``output``; Pagefind's summary.
    Raise with its output on failure. (Pagefind's index is not byte-reproducible: the order of
    its filter and metadata entries changes from run to run, the pages and words do not.)"""
    if not any(articles.rglob("*.html")):
        raise SearchIndexError(f"Indice di ricerca non creato: nessuna pagina con {ARTICLE!r}")
    cmd = [*pagefind_command(), "--site", str(articles), "--output-path", str(output), *OPTIONS]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0 or not (output / "pagefind.js").exists():
        raise SearchIndexError("Indice di ricerca non creato (Pagefind):\n" + (result.stdout + result.stderr)[-2000:])
    return result.stdout


def pagefind_command() -> list[str]:
    """Pagefind's program (the extended one, from its wheel), without the Python wrapper of
    ``python -m pagefind`` when it can be found."""
    try:
        from pagefind.service import get_executable
        binary = get_executable()
    except ImportError:
        binary = None
    return [str(binary)] if binary else [sys.executable, "-P", "-m", "pagefind"]


def store_index(cache: BuildCache, key: str, folder: Path, articles: dict | None = None) -> None:
    """Keep the index in ``folder`` as the cache's last one (and the articles it was made of,
    so that they stay in the cache)."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            files[path.relative_to(folder).as_posix()] = cache.put(data).path.name
    cache.save(INDEX, {"key": key, "files": files, "articles": articles or {}})


def restore_index(cache: BuildCache, dest: Path, key: str | None = None) -> bool:
    """Write the cache's last index into ``dest`` (only if it is the index of ``key``, when
    given); False when there is none or a file of it is missing."""
    saved = cache.load(INDEX)
    files = saved.get("files")
    if not isinstance(files, dict) or (key is not None and saved.get("key") != key):
        return False
    if not all(cache.has(sha) for sha in files.values()):
        return False
    fresh = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=dest.parent))
    fresh.chmod(0o755)   # a published folder is readable (mkdtemp makes it private)
    try:
        for rel, sha in files.items():
            data = cache.get(sha)
            target = (fresh / rel).resolve()
            if data is None or fresh.resolve() not in target.parents:
                return False
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        _replace_folder(fresh, dest)
        fresh = None
        return True
    finally:
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)


def index_articles(articles: Articles, site_dir: Path, cache: BuildCache | None) -> bool:
    """``site_dir/pagefind/``: the cached index when no article changed, else Pagefind over the
    articles (then kept in the cache). True when Pagefind ran."""
    dest = Path(site_dir) / FOLDER
    key = articles.key()
    if cache is not None and restore_index(cache, dest, key):
        return False
    output = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site_dir))
    output.chmod(0o755)
    try:
        run_pagefind(articles.folder(), output)
        if cache is not None:
            store_index(cache, key, output, articles.digests)
        _replace_folder(output, dest)
        output = None
    finally:
        articles.discard()
        if output is not None:
            shutil.rmtree(output, ignore_errors=True)
    return True


def _replace_folder(fresh: Path, dest: Path) -> None:
    """Put ``fresh`` at ``dest`` (same filesystem), replacing what was there."""
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}-vecchio-{os.getpid()}-{id(fresh)}")
        dest.rename(old)
    fresh.rename(dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def finish(job_file: Path) -> int:
    """The last step of ``mkdocs build`` (``pdz.plugin`` replaces the finished build's process
    with this one, so that Pagefind does not run beside MkDocs' memory): write the search index
    of the articles the build kept, then prune the cache. Messages as MkDocs prints them."""
    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    Path(job_file).unlink()
    articles = Articles.from_job(job["articles"])
    try:
        ran = index_articles(articles, Path(job["site"]), articles.cache)
    except SearchIndexError as error:
        print(f"ERROR   -  {error}\n\nAborted: indice di ricerca non creato.", file=sys.stderr)
        return 1
    print("INFO    -  Indice di ricerca: " + ("scritto da Pagefind." if ran else
                                           "ripreso dalla cache (nessun articolo è cambiato)."), file=sys.stderr)
    if articles.cache is not None:
        articles.cache.prune_unreferenced()
    return 0


if __name__ == "__main__":
    sys.exit(finish(Path(sys.argv[1])))
