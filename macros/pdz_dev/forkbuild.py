"""``mkdocs build`` for the tests without starting Python again for each build (issue #24).

About half the CPU of a build of a small fixture tree was Python importing MkDocs, Material, the
macros plugin and the package (0.9 s of 2.0 s). A server process imports them once; for each
build it forks a child, which takes the build's working folder, environment and output files and
runs MkDocs' own command line (``mkdocs build ...``), as ``python -m mkdocs`` does, then exits as
a process does (its exit handlers run). Each build is still a process of its own that starts
from nothing built: the server never builds. What differs from a new Python: the modules are
imported before the build's environment is set (the package reads its environment when it
builds, never when imported), the children of one server share its hash seed (a build that
must run under another seed, or with other code on PYTHONPATH, starts Python: ``forkable``),
and in a test run (``TEMPLATES``) the theme's Jinja templates are compiled by the first build
that uses each one and read compiled by the next (as Jinja's own bytecode cache does).

    server = Server(); server.build(project, ["build", "--strict", "--site-dir", site], env)
"""
from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# what a server's child cannot change: the interpreter's start-up settings and the code it imported
NEEDS_NEW_PYTHON = ("PYTHONHASHSEED", "PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH", "PYTHONOPTIMIZE",
                    "PYTHONDONTWRITEBYTECODE", "PYTHONUTF8", "PYTHONIOENCODING", "LANG", "LC_ALL", "LC_CTYPE")


def forkable(env: dict) -> bool:
    """Whether a build with ``env`` can be a server's child: the settings that decide how Python
    starts are those the server started with."""
    return all(env.get(name) == os.environ.get(name) for name in NEEDS_NEW_PYTHON)


class Server:
    """One server process per test process, started when first asked; it ends with it."""

    def __init__(self):
        self.process: subprocess.Popen | None = None

    def build(self, cwd: Path, args: list[str], env: dict) -> subprocess.CompletedProcess:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen([sys.executable, "-P", "-m", "pdz_dev.forkbuild"], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, text=True)
            atexit.register(self.stop)
        with tempfile.TemporaryDirectory(prefix="pdz-forkbuild-") as folder:
            out, err = Path(folder) / "stdout", Path(folder) / "stderr"
            request = {"cwd": str(cwd), "args": list(args), "env": dict(env), "stdout": str(out), "stderr": str(err)}
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            reply = self.process.stdout.readline()
            if not reply:
                raise RuntimeError(f"the build server ended (exit {self.process.wait()})")
            return subprocess.CompletedProcess(["mkdocs", *args], json.loads(reply)["returncode"],
                                               out.read_text(encoding="utf-8", errors="replace"),
                                               err.read_text(encoding="utf-8", errors="replace"))

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=60)


def _child(request: dict) -> None:
    """In the forked child: become the build's process, run MkDocs' command line, exit with its
    status (SystemExit, as ``python -m mkdocs``, so that exit handlers run)."""
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()
    for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
        opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    sys.argv = ["mkdocs", *request["args"]]
    from mkdocs.__main__ import cli
    cli(args=request["args"], prog_name="mkdocs")   # exits (SystemExit) with MkDocs' status


# A folder the children of every server of a test run share (tests/conftest.py names it): each
# Jinja template of the theme compiled once per run, not once per build: about 0.2 s of CPU less
# for each build of the fixture tree (a quarter of one that takes its pages from the cache).
TEMPLATES = "PDZ_FORKBUILD_TEMPLATES"


def _share_compiled_templates(folder: Path) -> None:
    """Give every Jinja environment of MkDocs' theme a cache of compiled templates in ``folder``,
    keyed by what the compiled code is made of: the template's name and source and the settings
    of the environment that compile it (its extensions and syntax), not the template's path (each
    test project has its own, to the same files). A template whose source differs is compiled
    again; a template's errors are still reported with its own path (Jinja takes it from the loader)."""
    import hashlib

    import jinja2
    import mkdocs.theme

    class Cache(jinja2.FileSystemBytecodeCache):
        def get_bucket(self, environment, name, filename, source):
            syntax = [sorted(environment.extensions), environment.block_start_string, environment.block_end_string,
                      environment.variable_start_string, environment.variable_end_string,
                      environment.comment_start_string, environment.comment_end_string,
                      environment.line_statement_prefix, environment.line_comment_prefix, environment.trim_blocks,
                      environment.lstrip_blocks, environment.newline_sequence, environment.keep_trailing_newline,
                      environment.optimized, environment.autoescape if isinstance(environment.autoescape, bool)
                      else environment.autoescape(name), environment.undefined, environment.is_async]
            key = hashlib.sha256(repr((name, source, syntax)).encode("utf-8", "surrogatepass")).hexdigest()
            bucket = jinja2.bccache.Bucket(environment, key, self.get_source_checksum(source))
            self.load_bytecode(bucket)
            return bucket

    folder.mkdir(parents=True, exist_ok=True)
    cache = Cache(str(folder))
    get_env = mkdocs.theme.Theme.get_env

    def get_env_with_cache(self):
        env = get_env(self)
        env.bytecode_cache = cache
        return env
    mkdocs.theme.Theme.get_env = get_env_with_cache  # type: ignore[method-assign]


def serve() -> None:
    # what every build imports (about 0.9 s of CPU), once
    import mkdocs.__main__  # noqa: F401
    import mkdocs.commands.build  # noqa: F401
    import mkdocs_macros.plugin  # noqa: F401
    import material.plugins.search.plugin  # noqa: F401
    import pdz.plugin.plugin  # noqa: F401
    import pdz.site.assembly  # noqa: F401
    import pdz.opendata.publish  # noqa: F401
    import pdz.content.docs_pages  # noqa: F401
    if os.environ.get(TEMPLATES):
        _share_compiled_templates(Path(os.environ[TEMPLATES]))
    requests, replies = sys.stdin, sys.stdout
    for line in iter(requests.readline, ""):
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(request)
            raise SystemExit(0)   # MkDocs returned without exiting
        _, status = os.waitpid(pid, 0)
        replies.write(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}) + "\n")
        replies.flush()


if __name__ == "__main__":
    serve()
