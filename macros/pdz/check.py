"""``make check``: validate the whole content tree and print every problem in Italian.

Exit status: 0 when there are no errors (warnings are printed but allowed), 1 otherwise.
It never writes anything and never shows a traceback. Under GitHub Actions
(``GITHUB_ACTIONS=true``) every problem is also printed as a workflow command
(``::error file=...,line=...,title=<campo>::<messaggio>``), so a pull request shows it on its line.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .loader import load_content
from .problems import ERROR


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make check", description="Controlla i contenuti del sito.")
    parser.add_argument("--root", default=".", help="cartella principale del progetto")
    parser.add_argument("--ambito", default=None, help="controlla un solo Ambito (più i dati comuni)")
    args = parser.parse_args(argv)
    try:
        catalog, problems = load_content(Path(args.root), ambito_filter=args.ambito)
    except Exception as exc:  # last resort: an editor must never see a traceback
        print(f"errore interno del controllo: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        print("Segnala il problema agli sviluppatori indicando il file che hai modificato.", file=sys.stderr)
        return 2
    errors = [p for p in problems if p.severity == ERROR]
    for problem in problems:
        print(problem.format(), file=sys.stderr if problem.severity == ERROR else sys.stdout)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        sys.stderr.flush()
        for problem in problems:
            print(problem.annotation())
        sys.stdout.flush()
    count = len(catalog.by_key)
    if errors:
        print(f"\n{len(errors)} errori in {len({p.path for p in errors})} file "
              f"({count} contenuti validi). Correggi e riprova.", file=sys.stderr)
        return 1
    warnings = len(problems) - len(errors)
    print(f"Contenuti a posto: {count} file controllati, 0 errori, {warnings} avvisi.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
