"""python -P -m pdz.commands.to_markdown: convert objectives and evaluations from .yaml to front-matter Markdown (re-runnable)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pdz.content import rootguard
from pdz.content.loader import place
from pdz.content.model import KINDS
from pdz.content.problems import Problem
from pdz.editor.to_markdown import convert_file


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Convert objectives and evaluations to front-matter Markdown.")
    parser.add_argument("--root", default=".")
    args = parser.parse_args(argv)
    rootguard.refuse_to_start(args.root)
    root = Path(args.root).resolve()
    done, failed = 0, 0
    for path in sorted((root / "content").rglob("*.yaml")):
        placed = place(path.relative_to(root / "content"))   # the loader decides kind and id
        if isinstance(placed, Problem) or not KINDS[placed[0]].body_field:
            continue
        try:
            convert_file(path, root, *placed)
            done += 1
        except ValueError as exc:
            print(f"{path.relative_to(root)}: non convertito: {exc}", file=sys.stderr)
            failed += 1
    print(f"{done} file convertiti in .md, {failed} non convertiti.")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
