"""The build cache: what a build computed, kept for the next build with the same inputs.

It lives in ``<project>/.cache/pdz/`` (git-ignored; delete it at will: the next build is a cold
one). Every name in it is a hex digest or a fixed name, never a path that content chose:

- ``blobs/<aa>/<sha256>``: files by the SHA-256 of their bytes (a finished page, an export, a
  search index file). A blob is checked against its name before it is used.
- ``<name>.json``: small indices (which page key gave which blob), written whole by rename.

Everything is data: nothing in the cache is imported, unpickled or run. A key is a digest of
everything its value depends on (content, code, configuration), so a build that reuses the
cache writes the same bytes as a build without it (tests/site/test_build_cache.py).
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import stat
import sys
import tempfile
from pathlib import Path

CACHE_DIR = ".cache/pdz"
LAYOUT = "1"   # bump when what the cache holds changes meaning
_PACKAGE = Path(__file__).resolve().parents[1]          # macros/pdz
_BLOB_NAME = re.compile(r"[0-9a-f]{64}")
# Installed code that shapes what a build writes, besides the site's own package.
PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "Markdown", "pymdown-extensions", "Jinja2",
            "MarkupSafe", "PyYAML", "markdown-it-py", "nh3", "jsonschema", "fastjsonschema", "rdflib", "pagefind",
            "pagefind_bin_extended")


class Hasher:
    """SHA-256 over a sequence of labelled parts (so that ("ab", "c") and ("a", "bc") differ)."""

    def __init__(self, *parts):
        self._h = hashlib.sha256()
        self.add(*parts)

    def add(self, *parts) -> "Hasher":
        for part in parts:
            data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
            self._h.update(len(data).to_bytes(8, "little"))
            self._h.update(data)
        return self

    def hex(self) -> str:
        return self._h.hexdigest()


def digest(*parts) -> str:
    return Hasher(*parts).hex()


def add_tree(hasher: Hasher, folder: Path, base: Path, digests=None) -> None:
    """Every file under ``folder`` (sorted, by path relative to ``base``), by the SHA-256 of its
    bytes; links with their target, so that nothing a build could read is left out of the key.
    ``digests`` (``pdz.content.filedigests.FileDigests``, kept by ``mkdocs serve``) gives the
    digest of a file that did not change without reading it again."""
    if not folder.exists() and not folder.is_symlink():
        hasher.add("absent", folder.relative_to(base).as_posix())
        return
    rel = folder.relative_to(base).as_posix()
    if not folder.is_dir() or folder.is_symlink():
        _add_entry(hasher, str(folder), rel, os.lstat(folder), digests)
        return
    _add_folder(hasher, str(folder), rel + "/" if rel != "." else "", digests)


def _add_folder(hasher: Hasher, folder: str, prefix: str, digests) -> None:
    """The entries below ``folder`` in the order of their paths' parts (each folder before what
    it holds), without looking into linked folders and ``__pycache__``."""
    with os.scandir(folder) as listing:
        entries = sorted((e for e in listing if e.name != "__pycache__"), key=lambda e: e.name)
    for entry in entries:
        rel = prefix + entry.name
        if entry.is_symlink():
            hasher.add("link", rel, os.readlink(entry.path))
        elif entry.is_dir(follow_symlinks=False):
            hasher.add("dir", rel)
            _add_folder(hasher, entry.path, rel + "/", digests)
        elif entry.is_file(follow_symlinks=False):
            _add_entry(hasher, entry.path, rel, entry.stat(follow_symlinks=False), digests)


def _add_entry(hasher: Hasher, path: str, rel: str, st: os.stat_result, digests) -> None:
    if stat.S_ISLNK(st.st_mode):
        hasher.add("link", rel, os.readlink(path))
    elif stat.S_ISREG(st.st_mode):
        if digests is not None:
            hasher.add("file", rel, digests.digest(path, st))
        else:
            with open(path, "rb") as handle:
                hasher.add("file", rel, hashlib.sha256(handle.read()).hexdigest())


def code_digest() -> str:
    """The site's own code and schemas (those in use), the versions of the packages that shape
    the output and Python's."""
    from pdz.content.schemas import SCHEMA_DIR
    hasher = Hasher(LAYOUT, sys.version)
    add_tree(hasher, _PACKAGE, _PACKAGE.parent)
    add_tree(hasher, Path(SCHEMA_DIR), Path(SCHEMA_DIR).parent)
    for name in PACKAGES:
        try:
            hasher.add(name, importlib.metadata.version(name))
        except importlib.metadata.PackageNotFoundError:
            hasher.add(name, "-")
    return hasher.hex()


class Blob:
    """A file of the build kept in the cache, standing for its bytes: ``len()`` and truth are
    those of the bytes (what the pages ask of an export), ``read()`` gives them."""

    __slots__ = ("path", "size")

    def __init__(self, path: Path, size: int):
        self.path, self.size = path, size

    def __len__(self) -> int:
        return self.size

    def read(self) -> bytes:
        return self.path.read_bytes()

    def __repr__(self) -> str:
        return f"Blob({self.path.name[:12]}, {self.size})"


class BuildCache:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.dir = self.root / CACHE_DIR
        self.blobs = self.dir / "blobs"
        self.used: set[str] = set()     # blobs this build read or wrote (the rest may be pruned)

    # --- safety: the cache is ours, not the content's ---------------------------------------
    def usable(self) -> bool:
        """False when the cache folder (or a folder above it inside the project) is a link:
        then it could point anywhere, and nothing is read from or written to it."""
        path = self.root
        for part in Path(CACHE_DIR).parts + ("blobs",):
            path = path / part
            if path.is_symlink() or (path.exists() and not path.is_dir()):
                return False
        return True

    def _ensure(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)

    # --- blobs ----------------------------------------------------------------------------
    def blob_path(self, sha: str) -> Path:
        if not (isinstance(sha, str) and _BLOB_NAME.fullmatch(sha)):
            raise ValueError(f"not a blob name: {sha!r}")
        return self.blobs / sha[:2] / sha

    def put(self, data: bytes) -> Blob:
        """Store ``data`` (once: blobs are named by their content)."""
        sha = hashlib.sha256(data).hexdigest()
        path = self.blob_path(sha)
        self.used.add(sha)
        if not (path.is_file() and not path.is_symlink() and path.stat().st_size == len(data)):
            self._ensure(path.parent)
            _write_atomic(path, data)
        return Blob(path, len(data))

    def adopt(self, sha: str, source: Path) -> None:
        """Keep the file ``source`` (whose SHA-256 is ``sha``) as a blob: a hard link when the
        cache is on the same filesystem, else a copy."""
        path = self.blob_path(sha)
        self.used.add(sha)
        if path.is_file() and not path.is_symlink():
            return
        try:   # the usual case, nothing there yet: the link is made whole at once (a cold build
            os.link(source, path)   # adopts every page it writes: one rename and one mkdir less each)
            return
        except OSError:   # no folder yet, something else there, another file system
            pass
        self._ensure(path.parent)
        temp = path.with_name(f".{sha}.{os.getpid()}.tmp")
        try:
            os.link(source, temp)
        except OSError:
            shutil.copyfile(source, temp)
        os.replace(temp, path)

    def get(self, sha: str) -> bytes | None:
        """The blob's bytes, or None when it is missing or damaged."""
        try:
            path = self.blob_path(sha)
            if path.is_symlink():
                return None
            data = path.read_bytes()
        except (OSError, ValueError):
            return None
        if hashlib.sha256(data).hexdigest() != sha:
            return None
        self.used.add(sha)
        return data

    def intact(self, sha: str) -> bool:
        """The blob is there and its bytes still have its SHA-256 (read in chunks, not kept)."""
        try:
            path = self.blob_path(sha)
            if path.is_symlink():
                return False
            with path.open("rb") as f:
                return hashlib.file_digest(f, "sha256").hexdigest() == sha
        except (OSError, ValueError):
            return False

    def has(self, sha: str) -> bool:
        """The blob is there: a file, not a link (one ``lstat``: ``mkdocs serve`` asks it of the
        search article of each of eleven thousand pages put back at N=100)."""
        if not (isinstance(sha, str) and _BLOB_NAME.fullmatch(sha)):
            return False
        try:
            return stat.S_ISREG(os.lstat(os.path.join(self.blobs, sha[:2], sha)).st_mode)
        except OSError:
            return False

    # --- indices ----------------------------------------------------------------------------
    def load(self, name: str) -> dict:
        path = self.dir / f"{name}.json"
        try:
            if path.is_symlink():
                return {}
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) and data.get("layout") == LAYOUT else {}

    def save(self, name: str, data: dict) -> None:
        self._ensure(self.dir)
        _write_atomic(self.dir / f"{name}.json",
                      json.dumps({"layout": LAYOUT, **data}, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    def prune_unreferenced(self, indices=("pages", "assembly", "search")) -> int:
        """Remove every blob that none of ``indices`` names (what the last build used)."""
        keep: set[str] = set()
        for name in indices:
            keep |= _blobs_named(self.load(name))
        return self.prune(keep)

    def prune(self, keep: set[str]) -> int:
        """Remove the blobs that neither ``keep`` nor this build names; return how many."""
        removed = 0
        keep = keep | self.used
        if not self.blobs.is_dir():
            return 0
        for folder in self.blobs.iterdir():
            if not folder.is_dir() or folder.is_symlink():
                continue
            for path in folder.iterdir():
                if path.name not in keep:
                    try:
                        path.unlink()
                        removed += 1
                    except OSError:
                        pass
        return removed


class IndexKeys:
    """``mkdocs serve``: the keys at the top of an index of the cache, by the status of its file
    (place, inode, times, size: an index is replaced whole, never written in place), so that a
    rebuild whose key is not among them does not parse it: the assembly's index holds the last
    build's site (18 MB at N=100, 0.2-0.5 s of a rebuild's CPU), and after an edit the key is
    another."""

    def __init__(self):
        self.known: dict = {}   # index name -> (status of its file, the keys it holds)

    @staticmethod
    def status(cache: BuildCache, name: str) -> tuple | None:
        path = cache.dir / f"{name}.json"
        try:
            st = os.stat(path)
        except OSError:
            return None
        return str(path), st.st_ino, st.st_dev, st.st_mtime_ns, st.st_ctime_ns, st.st_size

    def may_hold(self, cache: BuildCache, name: str, key: str) -> bool:
        """False only when the index is the file whose keys are known, and ``key`` is not one."""
        known = self.known.get(name)
        return known is None or known[0] != self.status(cache, name) or key in known[1]

    def saw(self, name: str, status: tuple | None, keys) -> None:
        """The index ``name`` held ``keys`` when its file had ``status`` (taken before reading it,
        or after writing it)."""
        if status is None:
            self.known.pop(name, None)
        else:
            self.known[name] = (status, set(keys))


def _blobs_named(index) -> set:
    """Every blob name (a SHA-256 in hex) an index of the cache holds, at any depth."""
    found = set()
    todo = [index]
    while todo:
        value = todo.pop()
        if isinstance(value, str):
            if _BLOB_NAME.fullmatch(value):
                found.add(value)
        elif isinstance(value, dict):
            todo += value.values()
        elif isinstance(value, list):
            todo += value
    return found


def _write_atomic(path: Path, data: bytes) -> None:
    handle, temp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
