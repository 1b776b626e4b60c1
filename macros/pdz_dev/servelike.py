"""Builds as ``mkdocs serve`` makes them: one process, one instance of the plugin (MkDocs keeps a
plugin with ``on_startup`` across the rebuilds of serve), the configuration read again before
each rebuild, every build into the same folder. Without the web server, so that a test or a
benchmark can edit the content between two builds and look at the folder after each.

Run it in its own process (``python -P -m pdz_dev.servelike``): MkDocs keeps the plugin
instance for the life of the process, and it stays a serve plugin.

    python -P -m pdz_dev.servelike PROJECT SITE STEPS.json COPIES

STEPS.json is a list of edits, each ``{"write": {content path: text}, "remove": [content path]}``:
after the first build, each edit is applied, the site built again, the background work of
serve (search index, removal of the last build's files) waited for, and the folder copied to
``COPIES/<n>``. One JSON line per build on stdout: pages put back as they were, pages taken from
the cache and pages built, or the error that stopped it, and how many builds more serve made
after it (``again``: the open-data sizes a page shows changed).
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sys
from pathlib import Path

SERVE_URL = "http://127.0.0.1:8000/"


class ServeLike:
    def __init__(self, project: Path, site_dir: Path):
        self.project, self.site_dir = project, site_dir
        os.chdir(project)
        config = self.config()
        config.plugins.on_startup(command="serve", dirty=False)
        self.plugin = config.plugins["pdz"]
        self._next = config
        self.log: list[str] = []
        handler = logging.Handler(logging.INFO)
        handler.emit = lambda record: self.log.append(record.getMessage())   # type: ignore[method-assign]
        logging.getLogger("mkdocs").addHandler(handler)
        logging.getLogger("mkdocs").setLevel(logging.INFO)

    def config(self):
        from mkdocs.config import load_config
        return load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site_dir))

    def build(self) -> dict:
        """One build as serve's (re)build; what it reported (``error``: the message of a build
        that stopped, as serve shows it, and the served folder is left as it was)."""
        from mkdocs.commands.build import build
        from mkdocs.exceptions import Abort
        config, self._next = self._next or self.config(), None
        self.log.clear()
        try:
            build(config, serve_url=SERVE_URL)
        except Abort as stop:
            return {"error": str(stop)}
        said = "\n".join(self.log)
        match = re.search(r"Pagine generate: (\d+) riprese dalla cache, (\d+) costruite", said)
        served = self.plugin._served
        return {"put_back": served.put if served is not None else 0,
                "files_put_back": served.put_files if served is not None else 0,
                "skipped_by_mkdocs": len(self.plugin._put_early),
                "cached": int(match.group(1)) if match else None, "built": int(match.group(2)) if match else None,
                "skipped_notes": said.count("Page skipped")}

    def settle(self) -> int:
        """Until serve's background work is done: the search index written, the leftovers removed,
        and the build the plugin asks for when the last one showed open-data sizes that changed
        (``PdzPlugin.stale``), as serve makes it. Returns how many builds that took."""
        again = 0
        while True:
            indexer = self.plugin._indexer
            if indexer is not None and indexer.thread is not None:
                indexer.thread.join()
            if self.plugin._served is not None:
                self.plugin._served.wait()
            self.plugin._wait_saved()
            if not self.plugin.stale:
                return again
            again += 1
            self.build()

    def stop(self) -> None:
        self.settle()
        self.plugin.on_shutdown()


def main(argv=None) -> int:
    project, site, steps, copies = (Path(a).resolve() for a in (argv or sys.argv[1:]))
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    serve = ServeLike(project, site)
    print(json.dumps(serve.build()), flush=True)
    try:
        for n, step in enumerate(json.loads(steps.read_text(encoding="utf-8")), start=1):
            for rel, text in (step.get("write") or {}).items():
                path = project / "content" / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            for rel in step.get("remove") or []:
                (project / "content" / rel).unlink()
            report = serve.build()
            report["again"] = serve.settle()
            shutil.copytree(site, copies / str(n), symlinks=True)
            print(json.dumps(report), flush=True)
    finally:
        serve.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
