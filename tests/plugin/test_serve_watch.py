"""``mkdocs serve`` learns of an edit from the kernel (inotify), not by polling every half second
(pdz.plugin.serving.prompt_watcher): the watches MkDocs and the plugin made move to watchdog's
inotify observer, which is running before serve() starts it, and an edit asks for a rebuild,
reading a file (as every build does) does not. MkDocs then waits 0.02 s, not 0.1 s, for the
other changes of a save before it builds."""
from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileSystemEventHandler

from pdz.plugin.serving import PROMPT_DELAY, prompt_watcher

inotify = pytest.importorskip("watchdog.observers.inotify")


@contextlib.contextmanager
def watching(tmp_path: Path, *paths: Path):
    """A LiveReloadServer that watches ``paths`` through prompt_watcher; stopped at the end."""
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    for path in paths:
        server.watch(str(path))
    try:
        prompt_watcher(server)
        yield server
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()


def record_events(server, folder: Path, until: Path) -> tuple[list, threading.Event]:
    """A handler of its own on ``folder``: every event it is told of, in order, and an event set
    once it is told of ``until``."""
    seen: list = []
    arrived = threading.Event()

    def told(event) -> None:
        seen.append(event)
        if event.src_path == str(until):
            arrived.set()

    recorder = FileSystemEventHandler()
    recorder.on_any_event = told   # type: ignore[method-assign]
    server.observer.schedule(recorder, str(folder), recursive=True)
    return seen, arrived


def test_an_edit_asks_for_a_rebuild_through_inotify(tmp_path):
    (tmp_path / "content").mkdir()
    record = tmp_path / "content" / "scheda.md"
    record.write_text("titolo: A\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    with watching(tmp_path, tmp_path / "content", tmp_path / "mkdocs.yml") as server:
        assert isinstance(server.observer, inotify.InotifyObserver) and server.observer.is_alive()
        assert sorted(server._watched_paths) == sorted([str(tmp_path / "content"), str(tmp_path / "mkdocs.yml")])
        assert server.build_delay == PROMPT_DELAY < 0.1   # told at once: the changes of a save arrive together
        server.observer.start()   # what serve() does next: nothing, it runs already
        record.write_text("titolo: B\n", encoding="utf-8")
        with server._rebuild_cond:
            assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=30)
        # a build reads every content file: that is no edit (else serve would rebuild for ever).
        # A handler beside MkDocs' on the same watch sees what it sees, in order: the reading
        # would be told before the writing of the other file.
        other = tmp_path / "content" / "altra.md"
        seen, arrived = record_events(server, tmp_path / "content", until=other)
        assert record.read_text(encoding="utf-8") == "titolo: B\n"
        other.write_text("titolo: C\n", encoding="utf-8")
        assert arrived.wait(timeout=30)
        assert not [e for e in seen if e.src_path == str(record)], seen


def test_bytecode_python_writes_is_no_edit(tmp_path):
    """serve watches the site's code and imports some of its modules after the watch began:
    the bytecode Python writes for them (``__pycache__``, written aside and renamed) asks for no
    rebuild, an edit of a module does. Every handler of the observer is filtered alike, MkDocs'
    included; one handler is told of the events in order, so once it is told of the module,
    it would have been told of the bytecode written before."""
    package = tmp_path / "pdz"
    (package / "__pycache__").mkdir(parents=True)
    module = package / "printable.py"
    module.write_text("X = 1\n", encoding="utf-8")
    with watching(tmp_path, package) as server:
        server.observer.start()
        seen, arrived = record_events(server, package, until=module)
        aside = package / "__pycache__" / "printable.cpython-311.pyc.1234"
        aside.write_bytes(b"bytecode")
        aside.rename(package / "__pycache__" / "printable.cpython-311.pyc")
        module.write_text("X = 2\n", encoding="utf-8")
        assert arrived.wait(timeout=30)
        assert [e for e in seen if "__pycache__" in e.src_path] == [], seen
        assert {e.src_path for e in seen if not e.is_directory} == {str(module)}
        with server._rebuild_cond:
            assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=30)
