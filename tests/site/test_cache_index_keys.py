"""``mkdocs serve`` does not parse the cache's assembly index when the file is the one whose keys
it knows and the build's key is not among them (pdz.site.cache.IndexKeys): a file replaced or
unknown, or a key it holds, is read."""
from __future__ import annotations

from pdz.site.cache import BuildCache, IndexKeys


def test_an_index_is_read_only_when_it_may_hold_the_key(tmp_path):
    cache, keys = BuildCache(tmp_path), IndexKeys()
    assert keys.may_hold(cache, "assembly", "a")   # nothing known
    cache.save("assembly", {"sites": {"a": {"last": True}}})
    keys.saw("assembly", keys.status(cache, "assembly"), cache.load("assembly")["sites"])
    assert keys.may_hold(cache, "assembly", "a") and not keys.may_hold(cache, "assembly", "b")
    assert not keys.may_hold(BuildCache(tmp_path), "assembly", "b")   # the next build's cache, the same file
    assert keys.may_hold(cache, "pages", "b")   # another index
    cache.save("assembly", {"sites": {"b": {"last": True}}})   # replaced (another process, or a build)
    assert keys.may_hold(cache, "assembly", "b") and keys.may_hold(cache, "assembly", "c")
    (tmp_path / ".cache" / "pdz" / "assembly.json").unlink()
    assert keys.may_hold(cache, "assembly", "b")
    keys.saw("assembly", keys.status(cache, "assembly"), [])   # none there: nothing known
    assert keys.may_hold(cache, "assembly", "c")
