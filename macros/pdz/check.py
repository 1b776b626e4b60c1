"""``make check``: validate the whole content tree and print every problem in Italian.

Besides the records it checks what the build checks on the whole site: addresses taken twice,
``redirects.yaml``, and the ``docs/`` pages that ask for macros. Exit status: 0 when there are no
errors (warnings are printed but allowed), 1 otherwise. It never writes anything and never shows
a traceback. Under GitHub Actions (``GITHUB_ACTIONS=true``) every problem is also printed as a
workflow command (``::error file=...,line=...,title=<campo>::<messaggio>``), so a pull request
shows it on its line.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .loader import load_content
from .model import AMBITI_FOLDER
from .problems import ERROR
from .publish import generate, site_problems
from .redirects import load_redirects
from .render import text_renderer


def check(root: Path, ambito: str | None = None):
    """(number of valid records, problems)."""
    catalog, problems = load_content(root, ambito_filter=ambito)
    redirects, more = load_redirects(root)
    problems = problems + more
    if not any(p.severity == ERROR for p in problems):   # the site-wide checks need valid records
        pages, exports = generate(catalog, {}, text_renderer(catalog), "/", preview=ambito, documents=False)
        problems += site_problems(root, catalog, pages, exports, redirects, preview=ambito)
    return len(catalog.by_key), problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make check", description="Controlla i contenuti del sito.")
    parser.add_argument("--root", default=".", help="cartella principale del progetto")
    parser.add_argument("--ambito", default=None, help="controlla un solo Ambito (più i dati comuni)")
    args = parser.parse_args(argv)
    root = Path(args.root)
    if args.ambito is not None:
        ambiti = sorted(p.name for p in (root / "content" / AMBITI_FOLDER).glob("*/") if p.is_dir()
                        and not p.name.startswith("."))
        if args.ambito not in ambiti:
            print(f"L'Ambito '{args.ambito}' non esiste (nessuna cartella content/{AMBITI_FOLDER}/{args.ambito}/).\n"
                  f"Ambiti esistenti: {', '.join(ambiti) or 'nessuno'}.\n"
                  "Esempio: make check AMBITO=" + (ambiti[0] if ambiti else "corsico"), file=sys.stderr)
            return 2
    try:
        count, problems = check(root, args.ambito)
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
    if errors:
        print(f"\n{len(errors)} errori in {len({p.path for p in errors})} file "
              f"({count} contenuti validi). Correggi e riprova.", file=sys.stderr)
        return 1
    warnings = len(problems) - len(errors)
    print(f"Contenuti a posto: {count} file controllati, 0 errori, {warnings} avvisi.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
