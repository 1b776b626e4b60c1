"""What ``mkdocs serve`` keeps from one rebuild to the next (used by ``pdz.plugin.plugin``).

``ServedPages`` puts back the pages that come out the same, ``BackgroundIndex`` writes the search
index after the browser has reloaded, ``skip_pages_put_back`` makes MkDocs skip the pages put
back, ``prompt_watcher`` hears of an edit from the kernel instead of polling, and
``settle_garbage`` keeps the collector off what lives across builds.
"""
from __future__ import annotations

import gc
import importlib
import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path

from mkdocs.structure.files import File

NICENESS = 10   # mkdocs serve: Pagefind's priority below the rebuild that an edit made meanwhile starts (BackgroundIndex)
PROMPT_DELAY = 0.02   # mkdocs serve with inotify: how long a save's changes may take to arrive (prompt_watcher)
_BYTECODE = "__pycache__"   # where Python writes a module's bytecode (prompt_watcher: no edit)
log = logging.getLogger("mkdocs.plugins.pdz")


class BackgroundIndex:
    """``mkdocs serve``: the search index is written after the browser reloads. The previous
    index serves meanwhile; an edit made while Pagefind runs is indexed next."""

    def __init__(self, search):
        self.search = search
        self.lock = threading.Lock()
        self.job = None
        self.generation = 0
        self.thread = None
        self.served_key = None   # key of the index in the served folder (None: none there, or unknown)

    def take_served(self) -> str | None:
        """The served index is moved aside (``ServedPages.set_aside``, under ``lock``): its key."""
        key, self.served_key = self.served_key, None
        return key

    def start(self, articles, site_dir: Path, cache, served: "ServedPages | None" = None) -> None:
        dest = site_dir / self.search.FOLDER
        key = articles.key()
        aside = served.aside / self.search.FOLDER if served is not None and served.aside is not None else None
        aside_key = served.index_key if served is not None else None
        with self.lock:
            self.generation += 1
            unchanged = self.served_key == key and dest.is_dir()   # written meanwhile by the last job
            if not unchanged and aside is not None and aside.is_dir() and aside_key == key:
                self.search._replace_folder(aside, dest)
                unchanged = True
            if not unchanged and cache is not None:
                unchanged = self.search.restore_index(cache, dest, key)
            if unchanged:   # no article changed
                self.served_key = key
                articles.discard()
                self.job = None
                log.info("Indice di ricerca: ripreso dalla cache (nessun articolo è cambiato).")
                return
            if not dest.is_dir():   # the last one until the new one is ready
                if aside is not None and aside.is_dir():
                    self.search._replace_folder(aside, dest)
                    self.served_key = aside_key
                elif cache is not None:
                    self.search.restore_index(cache, dest)
                    self.served_key = None
            previous, self.job = self.job, (self.generation, articles, site_dir, key, cache)
            if previous is not None:
                previous[1].discard()
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._work, name="pdz-pagefind", daemon=True)
                self.thread.start()

    def _work(self) -> None:
        while True:
            with self.lock:
                job, self.job = self.job, None
            if job is None:
                return
            generation, articles, site_dir, key, cache = job
            output = Path(tempfile.mkdtemp(prefix="pdz-pagefind-"))
            try:
                self.search.run_pagefind(articles.folder(), output, niceness=NICENESS)
                if cache is not None:
                    self.search.store_index(cache, key, output, articles.digests)
                with self.lock:
                    if generation == self.generation and site_dir.is_dir():
                        fresh = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site_dir))
                        shutil.copytree(output, fresh, dirs_exist_ok=True)
                        fresh.chmod(0o755)
                        self.search._replace_folder(fresh, site_dir / self.search.FOLDER)
                        self.served_key = key
                log.info("Indice di ricerca: scritto da Pagefind.")
            except (self.search.SearchIndexError, OSError) as error:
                log.error(str(error))
            finally:
                shutil.rmtree(output, ignore_errors=True)
                articles.discard()

    def stop(self) -> None:
        with self.lock:
            self.job = None
        if self.thread is not None:
            self.thread.join(timeout=60)


class ServedPages:
    """``mkdocs serve``: the pages of the last build, kept across the next one. MkDocs empties
    the served folder before each build (hidden entries aside): ``set_aside`` first moves the
    last build's files into a hidden folder, and lists them. A page that comes out with the
    bytes it had there is kept (``put_back``) instead of being read from the cache and written
    again, with the article the search index was given; so is a file copied from the cache's
    same blob (``put_back_copy``) and, until it is written, a file made after the build
    (``keep_until_written``). ``bring_back`` then moves the folder's entries back whole (not
    file by file: at N=100, eleven thousand pages in as many folders) and deletes every file
    not kept, so that MkDocs writes each of those anew (never into the last build's file, which
    may be a hard link to a blob of the cache); the search index is left to ``BackgroundIndex``.
    What is left aside is removed in the background after the build (``finish``). Only what
    the last build wrote at the same address with the same digest is kept, so the folder
    holds what a build writes."""

    QUIET = "Page skipped: '{}'. Generated empty output."   # what MkDocs says of a page put back

    def __init__(self, site_dir: Path, index_folder: str = ""):
        self.site_dir = site_dir
        self.index_folder = index_folder   # the search index's folder, left aside for BackgroundIndex
        self.pages: dict = {}     # dest -> (SHA-256, article digest; "" none, None unknown) of the last build
        self.fresh: dict = {}     # the same, of this build
        self.files: dict = {}     # dest -> SHA-256 of the files copied from the cache by the last build
        self.fresh_files: dict = {}   # the same, of this build
        self.aside: Path | None = None   # the last build's files during this build
        self.present: set = set()  # the paths of the files aside (index folder excepted)
        self.listed: set | None = None   # the served folder's files, listed after the last build's last write
        self.kept: set = set()    # those this build keeps
        self.parts: set = set()   # those kept until the files left for after the build are written
        self.index_key = None     # key of the search index among them
        self.put = 0              # pages put back by this build
        self.put_files = 0        # other files put back by this build
        self._notes: set = set()
        self._count = 0
        self._removal: threading.Thread | None = None

    def filter(self, record) -> bool:
        return record.getMessage() not in self._notes

    def list_served(self) -> None:
        """The files of the served folder, listed once the last build has written its last file
        (in the background: ``PdzPlugin._after_build``), as ``set_aside`` would list them after
        moving them aside. Only MkDocs and this plugin write into serve's folder (a temporary
        one): the next ``set_aside`` takes the list instead of listing the folder while an edit
        waits (at N=100, 17,600 files in 11,000 folders: 0.3 s of a rebuild)."""
        self.listed = set(files_below(str(self.site_dir), "", skip=self.index_folder, hidden=True))

    def set_aside(self, indexer) -> None:
        self.fresh, self.fresh_files, self.put, self.put_files, self._notes = {}, {}, 0, 0, set()
        self.present, self.kept = set(), set()
        listed, self.listed = self.listed, None
        if not self.pages or not self.site_dir.is_dir():
            return
        self._count += 1
        aside = self.site_dir / f".pdz-precedente-{self._count}"
        with indexer.lock if indexer is not None else threading.Lock():
            aside.mkdir()
            for name in os.listdir(self.site_dir):
                if not name.startswith("."):
                    os.rename(self.site_dir / name, aside / name)
            self.index_key = indexer.take_served() if indexer is not None else None
        self.aside = aside
        self.present = listed if listed is not None else set(files_below(str(aside), "", skip=self.index_folder))
        logging.getLogger("mkdocs.commands.build").addFilter(self.filter)

    def put_back(self, src: str, dest: str, sha: str, articles) -> bool:
        last = self.pages.get(dest)
        if self.aside is None or last is None or last[0] != sha or dest not in self.present or dest in self.kept:
            return False
        article = last[1]
        if articles is not None and (article is None or articles.cache is None
                                     or (article and not articles.cache.has(article))):
            return False
        self.kept.add(dest)
        if articles is not None and article:
            articles.digests[dest] = article
        self.fresh[dest] = (sha, article if articles is not None else None)
        self._notes.add(self.QUIET.format(src))
        self.put += 1
        return True

    def put_back_copy(self, file: File, sha: str) -> None:
        """A file that MkDocs copies from the cache's blob ``sha`` (an export) is kept instead
        when the last build copied the same blob to the same place."""
        dest = file.dest_uri
        if self.aside is not None and self.files.get(dest) == sha and dest in self.present:
            self.kept.add(dest)
            self.fresh_files[dest] = sha

            def put_back(dirty: bool = False) -> None:
                self.put_files += 1

            file.copy_file = put_back   # type: ignore[method-assign]
            return
        copy = file.copy_file

        def copied(dirty: bool = False) -> None:
            self.fresh_files[dest] = sha
            copy(dirty)

        file.copy_file = copied   # type: ignore[method-assign]

    def keep_parts_until_written(self, placed: set, contents_of) -> None:
        """The files below a contents page written after the build (the parts of a printable
        plan, which only making it tells: ``assembly.write_later``) are kept too until written,
        instead of being deleted before it and written again after it (at N=100, 1,045 files
        and as many folders at every rebuild). Those that the writing does not make again are
        removed then (``remove_unwritten``). ``contents_of``: a part's contents page."""
        self.parts = {rel for rel in self.present if rel not in placed and contents_of(rel) in placed}
        self.kept |= self.parts

    def remove_unwritten(self, written: set) -> None:
        """Once every file left for after the build is written: the parts kept
        (``keep_parts_until_written``) that it did not make again, and the folders they leave empty."""
        gone, self.parts = self.parts - written, set()
        site = str(self.site_dir)
        for rel in gone:
            try:
                os.unlink(os.path.join(site, rel))
            except FileNotFoundError:
                pass
        for folder in sorted(folders_of(gone), key=lambda f: -f.count("/")):   # the deepest first
            try:
                os.rmdir(os.path.join(site, folder))
            except OSError:   # not empty
                pass

    def keep_until_written(self, dest: str) -> None:
        """A file written after the build (``PdzPlugin._write_later``): the last build's is kept
        meanwhile, so that the address answers while the new one is made."""
        if dest in self.present:
            self.kept.add(dest)

    def bring_back(self) -> None:
        """The last build's files back in the served folder, but for those not kept (deleted,
        and the folders they leave empty), before MkDocs writes anything."""
        aside = self.aside
        if aside is None:
            return
        for name in os.listdir(aside):
            if name != self.index_folder:
                os.rename(aside / name, self.site_dir / name)
        site = str(self.site_dir)
        removed = self.present - self.kept
        for rel in removed:
            try:
                os.unlink(os.path.join(site, rel))
            except FileNotFoundError:
                pass
        # a folder that holds a file kept is not empty: not asked (at N=100, 1,662 failing
        # rmdir calls were 0.24 s of a rebuild under cProfile)
        folders = folders_of(removed) - folders_of(self.kept)
        for folder in sorted(folders, key=lambda f: -f.count("/")):   # the deepest first
            try:
                os.rmdir(os.path.join(site, folder))
            except OSError:   # not empty
                pass
        self.present = set()

    def wrote(self, dest: str, sha: str, articles) -> None:
        self.fresh[dest] = (sha, None if articles is None else articles.digests.get(dest, ""))

    def finish(self, clean: bool) -> None:
        """After the build (``clean``: without a warning; else nothing is put back next time)."""
        logging.getLogger("mkdocs.commands.build").removeFilter(self.filter)
        self.pages, self.fresh = (self.fresh if clean else {}), {}
        self.files, self.fresh_files = (self.fresh_files if clean else {}), {}
        aside, self.aside = self.aside, None
        if aside is not None:
            self.wait()
            self._removal = threading.Thread(target=shutil.rmtree, args=(aside, True), name="pdz-rimozione",
                                             daemon=True)
            self._removal.start()

    def wait(self) -> None:
        """Until the last build's leftovers are removed."""
        if self._removal is not None:
            self._removal.join()
            self._removal = None


def folders_of(paths) -> set[str]:
    """Every folder (relative, with '/') that holds one of ``paths``, directly or below."""
    folders: set[str] = set()
    for rel in paths:
        folder = rel.rpartition("/")[0]
        while folder and folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return folders


def files_below(folder: str, prefix: str, skip: str = "", hidden: bool = False) -> list[str]:
    """The path (relative, with '/') of every file below ``folder`` but in its entry ``skip``
    (``hidden``: and in its entries whose name starts with a dot, which ``set_aside`` leaves).
    A loop over a stack of folders, not a recursive generator: at N=100 (17,600 files in
    11,000 folders) the generators' nesting made most of the listing's time."""
    found: list[str] = []
    todo = [(folder, prefix)]
    while todo:
        path, rel = todo.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if rel == prefix and (entry.name == skip or hidden and entry.name.startswith(".")):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    todo.append((entry.path, rel + entry.name + "/"))
                else:
                    found.append(rel + entry.name)
    return found


def settle_garbage() -> None:
    """``mkdocs serve``, after a build: collect the last build's cycles once, then freeze what is
    left (the memo, the site just built) out of the collector's sight. Otherwise every full
    collection during the next rebuild walks all of it: at N=100, 2.9 s of a rebuild's CPU went
    to full collections of objects that live across builds. Frozen objects are still freed by
    their reference counts; their cycles wait for this collection after the next build."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def skip_pages_put_back() -> None:
    """``mkdocs serve``: MkDocs' steps of a page (reading and rendering it, then writing it
    through its template) do nothing for a page the plugin has put back (``PdzPlugin.skips``).
    MkDocs has no event to leave a page out of a build while keeping it in the site (its
    address, links and anchors, the sitemap), so its two page steps are wrapped (MkDocs 1.6)."""
    build_module = importlib.import_module("mkdocs.commands.build")
    if getattr(build_module._populate_page, "pdz_skips", False):
        return
    populate, build_page = build_module._populate_page, build_module._build_page

    def skipped(page, config) -> bool:
        skips = getattr(config.plugins.get("pdz"), "skips", None)   # PdzPlugin.skips
        return skips is not None and skips(page)

    def populate_page(page, config, files, dirty=False):
        if not skipped(page, config):
            populate(page, config, files, dirty)

    def write_page(page, config, doc_files, nav, env, dirty=False, excluded=False):
        if not skipped(page, config):
            build_page(page, config, doc_files, nav, env, dirty, excluded)

    populate_page.pdz_skips = write_page.pdz_skips = True   # type: ignore[attr-defined]
    build_module._populate_page = populate_page   # type: ignore[attr-defined]
    build_module._build_page = write_page   # type: ignore[attr-defined]


def prompt_watcher(server) -> None:
    """``mkdocs serve`` finds an edit by polling: every half second it lists every watched file
    (watchdog's PollingObserver), so an edit waits a quarter of a second on average before the
    rebuild starts, and at N=100 each poll stats ten thousand files while a build runs. On
    Linux the kernel says at once (inotify): the watches move to watchdog's inotify observer,
    started here, told of files written, created, removed or moved (not of a mere change of
    dates, which polling sees); where it cannot start (no inotify, limits reached) MkDocs keeps
    polling.
    (``_watched_paths`` is MkDocs' own list of the watched paths, 1.6.)"""
    try:
        from watchdog import events
        from watchdog.observers.inotify import InotifyObserver
    except Exception:   # not Linux (no inotify in its C library)
        return
    paths = dict(getattr(server, "_watched_paths", None) or {})
    if not paths or server.observer.is_alive():
        return
    writes = [events.FileCreatedEvent, events.FileDeletedEvent, events.FileMovedEvent, events.FileClosedEvent,
              events.DirCreatedEvent, events.DirDeletedEvent, events.DirMovedEvent]

    class SourcesOnly(events.FileSystemEventHandler):
        """Passes on what happens to a source file, not to the bytecode Python writes in
        ``__pycache__`` beside the package's modules: serve imports some of them only after its
        watch began (the printable plan, after the first build), and that write is no edit (it
        made serve rebuild, twice, right after it started)."""

        def __init__(self, handler):
            self.handler = handler

        def dispatch(self, event):
            if not all(_BYTECODE in Path(p).parts for p in (event.src_path, getattr(event, "dest_path", "")) if p):
                self.handler.dispatch(event)

    class Writes(InotifyObserver):
        """Only what changes a file: a build reads every content file, and inotify tells of each
        opening, and of the access time a first reading after an edit updates (MkDocs' handler
        rebuilds on any event: serve would rebuild for ever)."""

        def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
            return super().schedule(SourcesOnly(event_handler), path, recursive=recursive,
                                    event_filter=event_filter or writes, follow_symlink=follow_symlink)

    polling, refs, prompt = server.observer, server._watch_refs, Writes()
    server.observer, server._watch_refs = prompt, {}
    server._watched_paths.clear()
    for path, count in paths.items():
        for _ in range(count):
            server.watch(path)
    try:
        prompt.start()
    except OSError as error:
        log.debug(f"inotify non disponibile ({error}): le modifiche sono cercate ogni mezzo secondo.")
        prompt.unschedule_all()
        server.observer, server._watch_refs = polling, refs
        server._watched_paths.update(paths)
        return
    polling.unschedule_all()   # never started
    prompt.start = lambda: None   # type: ignore[method-assign]  # serve() starts the observer: it runs already
    # MkDocs waits until no change came for build_delay (0.1 s) before it builds, for the
    # changes of one save to arrive together: told at once, a save's few events (a file
    # written and closed, or written aside and renamed) come within microseconds
    server.build_delay = min(getattr(server, "build_delay", PROMPT_DELAY), PROMPT_DELAY)
