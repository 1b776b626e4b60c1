"""The build cache's ``has`` (pdz.site.cache): a blob is there only as a file of its own, never as
a link (which could point anywhere) or a folder, and only under a blob's name."""
from __future__ import annotations

import hashlib
import os

from pdz.site.cache import BuildCache


def test_a_blob_is_there_only_as_a_file_under_its_name(tmp_path):
    cache = BuildCache(tmp_path)
    blob = cache.put(b"pagina")
    sha = blob.path.name
    assert cache.has(sha)
    assert not cache.has(hashlib.sha256(b"altro").hexdigest())   # never stored
    assert not cache.has("../" + sha[3:]) and not cache.has(sha.upper()) and not cache.has(None)

    linked = hashlib.sha256(b"collegato").hexdigest()
    os.makedirs(cache.blob_path(linked).parent, exist_ok=True)
    os.symlink(blob.path, cache.blob_path(linked))   # a link to a real blob
    assert cache.blob_path(linked).is_file() and not cache.has(linked)

    folder = hashlib.sha256(b"cartella").hexdigest()
    cache.blob_path(folder).mkdir(parents=True)
    assert not cache.has(folder)
