"""The SHA-256 of a project's files, read again only when a file changed (``mkdocs serve``).

A rebuild of ``mkdocs serve`` digests every file the assembly reads (``assembly_key``) and looks
up every content file's record by its bytes (``load_content``): at N=100, ten thousand files
read and hashed at each edit, for one that changed. ``FileDigests`` keeps each file's digest
with its status (``lstat``: modification and change times in nanoseconds, size, inode,
device) and gives it again while the status is the same, as git's index does.

A write changes the modification time, but only to the clock's coarse tick: a file written
again within the tick in which it was read could keep its status with other bytes (git's
"racy" files). A digest is therefore kept only when the file had not changed for
``SETTLED_NS`` before it was read: any later write then has a later time.
"""
from __future__ import annotations

import hashlib
import os
import time

SETTLED_NS = 2_000_000_000   # a file changed less than this before it was read is read again next time


def status(st: os.stat_result) -> tuple:
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev


class FileDigests:
    """path -> SHA-256 of the file's bytes, by its status (``lstat``)."""

    def __init__(self, clock=time.time_ns):
        self.clock = clock      # the time now, in nanoseconds (a test moves it on)
        self.known: dict = {}   # path -> (status, hex digest)
        self.read = 0           # files read (not given again), for the tests and benchmarks

    def digest(self, path: str, st: os.stat_result | None = None) -> str:
        """The digest of the file at ``path`` (``st``: its ``lstat``, when known already)."""
        st = st if st is not None else os.lstat(path)
        now = status(st)
        entry = self.known.get(path)
        if entry is not None and entry[0] == now:
            return entry[1]
        started = self.clock()
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
        self.read += 1
        if started - max(st.st_mtime_ns, st.st_ctime_ns) > SETTLED_NS:
            self.known[path] = (now, digest)
        else:
            self.known.pop(path, None)
        return digest
