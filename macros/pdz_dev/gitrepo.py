"""Scripted git histories for tests (main-line dates, change history): git with a fixed identity
and chosen dates, and one-line edits of a file."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="Redazione", GIT_AUTHOR_EMAIL="r@example.org", GIT_COMMITTER_NAME="Redazione",
               GIT_COMMITTER_EMAIL="r@example.org", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def edit(repo: Path, rel: str, old: str, new: str) -> None:
    """Replace the first ``old`` of a file with ``new`` (the test fails when it is not there)."""
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
