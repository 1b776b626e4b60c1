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

Pagefind holds every page it parsed twice over while it builds the index (about 1 GB at N=100,
benchmarks/results.md), so ``mkdocs build`` runs it alone: the finished build's process becomes
a shell that waits for Pagefind (``exec_pagefind``), then the small ``finish`` step, which keeps
the index (pdz.plugin.plugin, ``on_shutdown``). Nothing of the build, and no Python, is resident
beside Pagefind. Its allocator (jemalloc, built into the program) is told to use one arena and
to give freed memory back at once (``ENVIRONMENT``): the same index, with less memory resident.
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

from typing import TYPE_CHECKING

from pdz.site.cache import BuildCache, Hasher

if TYPE_CHECKING:   # the indexing step (finish) imports this module alone: it stays small
    from pdz.content.catalog import Catalog

# What the Content-Security-Policy of every page must allow in script-src for the search: the
# engine compiles its WebAssembly module (no eval of JavaScript). The CSP builder (issue #11)
# adds these to 'self' and the hashes of inline scripts.
SCRIPT_SOURCES = ("'wasm-unsafe-eval'",)
# Anchors that Python-Markdown adds after headings ("¶") carry no words.
EXCLUDE = ".headerlink"
OPTIONS = ("--exclude-selectors", EXCLUDE, "--force-language", "it", "--quiet")
# Pagefind's environment (jemalloc's settings, under the prefix of the Rust crate that builds it
# in): one arena instead of several per core, and freed pages returned to the system at once.
# Memory only: the index is the same. The fair floor of the benchmark runs Pagefind with it too.
ENVIRONMENT = {"_RJEM_MALLOC_CONF": "narenas:1,dirty_decay_ms:0,muzzy_decay_ms:0"}
# The opening tag of the article of an indexed page, exactly as overrides/main.html writes it.
# Contributor text cannot write an <article> (pdz.html.text allows no such tag), so the first match
# is the template's.
ARTICLE = '<article class="md-content__inner md-typeset" data-pagefind-body>'
_ARTICLE_END = "</article>"
FOLDER = "pagefind"
INDEX = "search"   # the cache's index of the last search index written


def vocabulary_file(catalog: Catalog) -> dict[str, bytes]:
    """The citizen vocabulary as the search script reads it: for each entry its address, the
    everyday words, the plans' terms and the glossary's acronyms (as written in the text).
    Read by docs/assets/pdz-search.js (the same address, relative to the site root)."""
    from pdz.render.indices import VOCABULARY_URL
    entries = []
    for entry in sorted(catalog.all("voce"), key=lambda r: r.id):
        acronyms = [catalog.get("sigla", s) for s in entry.data.get("sigle") or []]
        entries.append({"url": VOCABULARY_URL + "#" + entry.id, "parole": entry.data["parole"],
                        "termini": entry.data["termini"], "sigle": [a.data["sigla"] for a in acronyms if a]})
    text = json.dumps({"voci": entries}, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return {VOCABULARY_URL + "parole.json": text.encode("utf-8")}


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
    change writes none); without, a file named by its digest in a temporary folder.

    Pagefind numbers the pages in the order it finds their files, and that order shows in its
    index: on a file system that lists a folder in the order its files were made (tmpfs), the
    order in which the build wrote its pages (a cold build, ``mkdocs serve`` putting unchanged
    pages back first) changed the index. So Pagefind's folder is made only at the end
    (``folder``), in the order of the pages' paths, whatever the order of ``add``."""

    def __init__(self, cache: BuildCache | None = None):
        self.cache = cache
        self.digests: dict[str, str] = {}
        self._folder: Path | None = None
        self._staged = None if cache is not None else Path(tempfile.mkdtemp(prefix="pdz-articoli-"))

    def add(self, rel: str, html: str) -> None:
        page = article_page(html)
        if page is None:
            return
        data = page.encode("utf-8")
        if self.cache is not None:
            self.digests[rel] = self.cache.put(data).path.name
            return
        self.digests[rel] = sha = hashlib.sha256(data).hexdigest()
        (self._staged / sha).write_bytes(data)

    def _article(self, sha: str) -> Path:
        return self.cache.blob_path(sha) if self.cache is not None else self._staged / sha

    def key(self) -> str:
        """Digest of what Pagefind would be given: its version and options, every article, and
        the file system that will list the articles to it (``listing_order``)."""
        try:
            version = importlib.metadata.version("pagefind_bin_extended")
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        hasher = Hasher("pagefind", version, *OPTIONS, listing_order())
        for rel in sorted(self.digests):
            hasher.add(rel, self.digests[rel])
        return hasher.hex()

    def folder(self) -> Path:
        """A folder that holds every article at its page's path (for Pagefind's command line),
        made in the order of the paths."""
        if self._folder is not None:
            return self._folder
        self._folder = Path(tempfile.mkdtemp(prefix="pdz-articoli-"))
        for rel, sha in sorted(self.digests.items()):
            target = (self._folder / rel).resolve()
            if self._folder.resolve() not in target.parents:   # MkDocs' paths stay in the site
                raise SearchIndexError(f"Indice di ricerca non creato: percorso non valido {rel!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(self._article(sha), target)
            except OSError:
                shutil.copyfile(self._article(sha), target)
        return self._folder

    def discard(self) -> None:
        for folder in (self._folder, self._staged):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
        self._folder = self._staged = None

    def job(self) -> dict:
        """What ``finish`` needs to index these articles in another process."""
        return {"root": str(self.cache.root) if self.cache is not None else None,
                "folder": str(self._folder) if self._folder is not None else None,
                "staged": str(self._staged) if self._staged is not None else None, "digests": self.digests}

    @classmethod
    def from_job(cls, job: dict) -> "Articles":
        cache = BuildCache(Path(job["root"])) if job.get("root") else None
        articles = cls.__new__(cls)
        articles.cache, articles.digests = cache, dict(job["digests"])
        articles._folder = Path(job["folder"]) if job.get("folder") else None
        articles._staged = Path(job["staged"]) if job.get("staged") else None
        return articles


def listing_order() -> str:
    """What decides the order in which Pagefind finds the articles, and so its index: the file
    system of the temporary folder (``Articles.folder``). The same folder made on tmpfs lists
    its files in the order they were made, on ext4 in the order of a hash seeded per file system:
    an index made on one is not the one a cold build makes on another (the build's TMPDIR or the
    machine changed), so it is not reused there."""
    return f"fsid {os.statvfs(tempfile.gettempdir()).f_fsid}"


def run_pagefind(articles: Path, output: Path, niceness: int = 0) -> str:
    """Write the index of the pages under ``articles`` into ``output``; Pagefind's summary.
    Raise with its output on failure. (Pagefind's index is not byte-reproducible: the order of
    its filter and metadata entries changes from run to run, the pages and words do not.)
    ``niceness``: Pagefind runs at that lower priority (``nice``; ``mkdocs serve`` indexes in the
    background, and a rebuild after the next edit comes first)."""
    cmd = command(articles, output)
    nice = shutil.which("nice") if niceness else None
    if nice:
        cmd = [nice, "-n", str(niceness), *cmd]
    result = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **ENVIRONMENT})
    return _check(result.returncode, result.stdout + result.stderr, output)


def command(articles: Path, output: Path) -> list[str]:
    """Pagefind over the pages under ``articles``, writing into ``output``."""
    if not any(articles.rglob("*.html")):
        raise SearchIndexError(f"Indice di ricerca non creato: nessuna pagina con {ARTICLE!r}")
    return [*pagefind_command(), "--site", str(articles), "--output-path", str(output), *OPTIONS]


def _check(status: int, text: str, output: Path) -> str:
    if status != 0 or not (output / "pagefind.js").exists():
        raise SearchIndexError("Indice di ricerca non creato (Pagefind):\n" + text[-2000:])
    return text


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
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            cache.adopt(sha, path)   # a hard link where it can: the index is not written twice
            files[path.relative_to(folder).as_posix()] = sha
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


def prepare(articles: Articles, site_dir: Path, cache: BuildCache | None) -> dict | None:
    """Everything before Pagefind: None when the cache's index of the same articles was put
    into ``site_dir/pagefind/``; otherwise what ``complete`` needs after Pagefind ran, and
    Pagefind's ``command``. (The caller runs it, then ``complete``, or ``abandon`` on failure.)"""
    key = articles.key()
    if cache is not None and restore_index(cache, Path(site_dir) / FOLDER, key):
        articles.discard()
        return None
    output = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site_dir))
    output.chmod(0o755)
    try:
        cmd = command(articles.folder(), output)
    except BaseException:
        articles.discard()
        shutil.rmtree(output, ignore_errors=True)
        raise
    return {"articles": articles.job(), "site": str(site_dir), "key": key, "output": str(output), "command": cmd}


def complete(job: dict, status: int, text: str) -> None:
    """After Pagefind ran (``status``, its output ``text``): keep the index in the cache and put
    it at ``site/pagefind/``; the articles and the output folder are removed in any case."""
    articles = Articles.from_job(job["articles"])
    output = Path(job["output"])
    try:
        _check(status, text, output)
        if articles.cache is not None:
            store_index(articles.cache, job["key"], output, articles.digests)
        _replace_folder(output, Path(job["site"]) / FOLDER)
    finally:
        abandon(job)


def abandon(job: dict) -> None:
    Articles.from_job(job["articles"]).discard()
    shutil.rmtree(job["output"], ignore_errors=True)


def index_articles(articles: Articles, site_dir: Path, cache: BuildCache | None) -> bool:
    """``site_dir/pagefind/``: the cached index when no article changed, else Pagefind over the
    articles (then kept in the cache). True when Pagefind ran."""
    job = prepare(articles, site_dir, cache)
    if job is None:
        return False
    run_job(job)
    return True


def run_job(job: dict) -> None:
    """Pagefind as ``prepare`` planned it, in a child process, then ``complete``."""
    try:
        result = subprocess.run(job["command"], capture_output=True, text=True, env={**os.environ, **ENVIRONMENT})
    except BaseException:
        abandon(job)
        raise
    complete(job, result.returncode, result.stdout + result.stderr)


# The finished build's process becomes this shell: Pagefind runs with nothing else resident
# (the shell: 2 MB), its output into a file, then the shell becomes ``finish`` with its status.
_SHELL = '"$@" >"$PDZ_INDICE_LOG" 2>&1; exec "$PDZ_PYTHON" -P -m pdz.site.search_index "$PDZ_INDICE" "$?"'


def exec_pagefind(job: dict) -> None:
    """Replace this process by Pagefind, then by ``finish`` (POSIX; returns only when there is no
    shell, and the caller indexes in-process then)."""
    shell = "/bin/sh"
    if not os.access(shell, os.X_OK):
        return
    handle, job_file = tempfile.mkstemp(prefix="pdz-indice-", suffix=".json")
    log_handle, log_file = tempfile.mkstemp(prefix="pdz-indice-", suffix=".log")
    os.close(log_handle)
    job = {**job, "log": log_file}
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(job, out)
    env = {**os.environ, **ENVIRONMENT, "PDZ_INDICE": job_file, "PDZ_INDICE_LOG": log_file,
           "PDZ_PYTHON": sys.executable}
    os.execve(shell, [shell, "-c", _SHELL, "pagefind", *job["command"]], env)


def _replace_folder(fresh: Path, dest: Path) -> None:
    """Put ``fresh`` at ``dest`` (same filesystem), replacing what was there."""
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}-vecchio-{os.getpid()}-{id(fresh)}")
        dest.rename(old)
    fresh.rename(dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def finish(job_file: Path, status: int) -> int:
    """The last step of ``mkdocs build``, after Pagefind ran (``exec_pagefind``): keep the index
    it wrote, then prune the cache. Messages as MkDocs prints them."""
    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    Path(job_file).unlink()
    log_file = Path(job["log"])
    try:
        text = log_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    log_file.unlink(missing_ok=True)
    try:
        complete(job, status, text)
    except (SearchIndexError, OSError) as error:
        print(f"ERROR   -  {error}\n\nAborted: indice di ricerca non creato.", file=sys.stderr)
        return 1
    print("INFO    -  Indice di ricerca: scritto da Pagefind.", file=sys.stderr)
    cache = Articles.from_job(job["articles"]).cache
    if cache is not None:
        cache.prune_unreferenced()
    return 0


if __name__ == "__main__":
    sys.exit(finish(Path(sys.argv[1]), int(sys.argv[2])))
