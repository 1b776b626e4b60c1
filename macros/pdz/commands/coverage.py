"""make coverage: compare the content with the inventories of the sources (../shared/seed-notes)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pdz.content import rootguard
from pdz.content.loader import load_content
from pdz.domain.coverage import coverage


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make coverage")
    parser.add_argument("--root", default=".")
    args = parser.parse_args(argv)
    rootguard.refuse_to_start(args.root)
    catalog, problems = load_content(Path(args.root))
    if any(p.severity == "errore" for p in problems):
        print("Ci sono errori nei contenuti: esegui prima 'make check'.", file=sys.stderr)
        return 1
    lines = coverage(catalog)
    width = max((len(l.voce) for l in lines), default=10)
    current = None
    for line in lines:
        if line.document != current:
            current = line.document
            print(f"\n{catalog.get('documento', current).title}")
        mark = "ok" if line.ok else "DIVERSO"
        print(f"  {line.voce:<{width}}  {line.found:>5} / {line.expected:<5} {mark:<8} ({line.reference})")
    wrong = [l for l in lines if not l.ok]
    print(f"\n{len(lines) - len(wrong)} voci su {len(lines)} corrispondono all'inventario.")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
