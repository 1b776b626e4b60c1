"""``mkdocs serve`` gives the last build's sitemap again when every page it lists reads as it did
(``PdzPlugin.on_template_context``, ``on_post_template``): the text is the one MkDocs' template
makes of the same pages, and a page whose address or date changed makes it again."""
from __future__ import annotations

import os
from types import SimpleNamespace

import jinja2
import mkdocs

from pdz.plugin.plugin import PdzPlugin


def test_the_sitemap_is_given_again_when_its_pages_read_the_same():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.join(os.path.dirname(mkdocs.__file__), "templates")))
    template = env.get_template("sitemap.xml")
    plugin = PdzPlugin()
    plugin.command, plugin._env = "serve", env

    def files(date: str) -> list:
        return [SimpleNamespace(page=SimpleNamespace(is_link=False, abs_url=f"/{name}/", canonical_url=f"https://x.it/{name}/",
                                                     update_date=date)) for name in ("a", "b", "c")]

    def build(pages: list) -> tuple[str, str]:
        """(what serve gives, what MkDocs' template makes of the same pages)"""
        context = plugin.on_template_context({"pages": pages}, "sitemap.xml", None)
        given = plugin.on_post_template(template.render(context), "sitemap.xml", None)
        return given, template.render({"pages": pages})

    first, made = build(files("2026-01-01"))
    assert first == made and "https://x.it/b/" in first
    again, made = build(files("2026-01-01"))   # new objects that read the same
    assert again == made == first and plugin._sitemap[1] is first
    changed, made = build(files("2026-01-02"))
    assert changed == made != first and "2026-01-02" in changed

    plugin.command = "build"   # mkdocs build renders it every time
    context = plugin.on_template_context({"pages": files("2026-01-02")}, "sitemap.xml", None)
    assert len(context["pages"]) == 3
