"""``mkdocs serve`` lists the files of its folder after the last build's last write, in the
background (``ServedPages.list_served``), and the next rebuild takes that list instead of listing
the folder while an edit waits: it must be what ``set_aside`` lists after moving the files aside
(the search index's folder and the hidden entries left where they are)."""
from __future__ import annotations

from pdz.plugin.serving import ServedPages, files_below


def test_the_folder_listed_after_the_build_is_what_set_aside_lists(tmp_path):
    site = tmp_path / "site"
    for rel in ("index.html", "a/index.html", "a/b/scheda/index.html", "dati/t.csv", "pagefind/p.js",
                ".pdz-precedente-0/a/index.html", ".pagefind-x/p.js"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(rel, encoding="utf-8")
    served = ServedPages(site, "pagefind")
    served.pages = {"a/index.html": ("sha", "")}   # what the last build wrote
    served.list_served()
    listed = served.listed
    assert listed == {"index.html", "a/index.html", "a/b/scheda/index.html", "dati/t.csv"}
    served.set_aside(None)
    assert served.present is listed and served.listed is None   # taken, once
    assert listed == set(files_below(str(served.aside), "", skip="pagefind"))
    served.bring_back()
    served.finish(True)
    served.wait()

    # no list made since (a build stopped before its last write): set_aside lists the folder
    served.pages = {"a/index.html": ("sha", "")}
    (site / "a").mkdir()
    (site / "a" / "nuovo.html").write_text("x", encoding="utf-8")
    served.set_aside(None)
    assert served.present == {"a/nuovo.html"}   # nothing was kept by the last rebuild: all else removed
    served.bring_back()
    served.finish(True)
    served.wait()


def test_the_parts_of_a_file_written_later_are_kept_until_written(tmp_path):
    """A printable plan's parts (below its contents page, which is written after the build) are
    kept while it is made again, not deleted before it; those it does not make again are removed
    once it is written, with the folders they leave empty."""
    from pdz.site.assembly import contents_of

    site = tmp_path / "site"
    for rel in ("p/stampa/index.html", "p/stampa/obiettivi/index.html", "p/stampa/vecchia/index.html",
                "p/index.html", "p/obiettivi/01/index.html"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(rel, encoding="utf-8")
    served = ServedPages(site, "pagefind")
    served.pages = {"p/index.html": ("sha", "")}
    served.set_aside(None)
    served.keep_until_written("p/stampa/index.html")   # the contents page: placed LATER by this build
    served.keep_parts_until_written({"p/stampa/index.html"}, contents_of)
    assert served.parts == {"p/stampa/obiettivi/index.html", "p/stampa/vecchia/index.html"}
    served.bring_back()
    served.finish(True)
    served.wait()
    assert (site / "p/stampa/vecchia/index.html").is_file() and not (site / "p/obiettivi").exists()
    served.remove_unwritten({"p/stampa/index.html", "p/stampa/obiettivi/index.html"})   # what write_later wrote
    assert not (site / "p/stampa/vecchia").exists()
    assert (site / "p/stampa/obiettivi/index.html").is_file() and (site / "p/stampa/index.html").is_file()
