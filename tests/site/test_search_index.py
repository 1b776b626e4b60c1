"""The search index's cache key (pdz.site.search_index.Articles.key): an index is reused only
where Pagefind would make the same one again.

Pagefind numbers the pages in the order the file system lists its folder, and that numbering is
in the index files: tmpfs lists files in the order they were made, ext4 in the order of a hash
seeded per file system. A build whose TMPDIR moved to another file system (the suite on /dev/shm,
another machine) made Pagefind write other index files than the cached ones, and reusing the
cached index would have published files that a cold build there does not write."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pdz.site.search_index import ARTICLE, Articles
from pdz_dev.project import ROOT

PAGE = f"<html><head><title>Prova</title></head><body>{ARTICLE}<h1>Prova</h1></article></body></html>"


def test_an_index_is_reused_only_on_the_file_system_it_was_made_on(tmp_path, monkeypatch):
    shm = Path("/dev/shm")
    assert os.statvfs(shm).f_fsid != os.statvfs(ROOT).f_fsid, "the repository is on /dev/shm: no second file system"
    articles = Articles()
    try:
        articles.add("prova/index.html", PAGE)

        def key_with_temporary_folder(folder: Path) -> str:   # where Articles.folder would be made
            monkeypatch.setattr(tempfile, "tempdir", str(folder))
            return articles.key()

        (tmp_path / "same").mkdir()
        base = key_with_temporary_folder(tmp_path)
        assert key_with_temporary_folder(tmp_path / "same") == base   # the same file system
        assert key_with_temporary_folder(shm) != key_with_temporary_folder(ROOT)
    finally:
        articles.discard()
