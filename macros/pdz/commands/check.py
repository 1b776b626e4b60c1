"""``make check``: assemble the whole site as the build does, write nothing, and print every
problem in Italian.

It calls the build's own assembly (``pdz.site.assembly.assemble``) with the settings the build
reads from mkdocs.yml, so it refuses exactly what the build refuses: content errors, addresses
taken twice, ``redirects.yaml``, ``docs/`` pages that ask for macros, a configuration that cannot
be applied. Exit status: 0 when there are no errors (warnings are printed but allowed), 1
otherwise. It never shows a traceback. Under GitHub Actions (``GITHUB_ACTIONS=true``) every
problem is also printed as a workflow command (``::error file=...,line=...,title=<campo>::...``),
so a pull request shows it on its line.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import secrets
import sys
from pathlib import Path

from pdz.content import rootguard
from pdz.content import mainline
from pdz.content.model import AMBITI_FOLDER
from pdz.content.problems import ERROR, Problem
from pdz.plugin.plugin import load_settings
from pdz.render import italian
from pdz.site.assembly import assemble
from pdz.site.publication import is_publication_problem, refusal


def check(root: Path, ambito: str | None = None, base: str | None = None):
    """(number of valid records, problems). ``base``: also check the commits after it (a pull
    request's, in CI): a format-only trailer on a commit that changes records, a future date."""
    stray = rootguard.problems(root)
    if stray:   # nothing else is read while code sits at the root
        return 0, stray
    settings, config_problems = load_settings(Path(root) / "mkdocs.yml")
    if settings is None:
        return 0, [Problem("mkdocs.yml", 0, "", message.removeprefix("mkdocs.yml: "), "") for message in config_problems]
    site = assemble(dataclasses.replace(settings, preview=ambito))
    history = mainline.problems_between(root, base) if base else []
    return len(site.catalog.by_key), site.problems + history


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make check", description="Controlla i contenuti del sito.")
    parser.add_argument("--root", default=".", help="cartella principale del progetto")
    parser.add_argument("--ambito", default=None, help="controlla un solo Ambito (più i dati comuni)")
    parser.add_argument("--base", default=None,
                        help="controlla anche i commit successivi a questo (in CI: la base della pull request)")
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
        count, problems = check(root, args.ambito, args.base)
    except Exception as exc:  # last resort: an editor must never see a traceback
        print(f"errore interno del controllo: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        print("Segnala il problema agli sviluppatori indicando il file che hai modificato.", file=sys.stderr)
        return 2
    errors = [p for p in problems if p.severity == ERROR]
    actions = os.environ.get("GITHUB_ACTIONS") == "true"
    if actions:   # GitHub reads no workflow command in the lines that quote content until the token
        token = secrets.token_hex(16)
        print(f"::stop-commands::{token}", flush=True)
    for line in refusal(problems):   # a build for publication lacking its settings: said first, together
        print(line, file=sys.stderr)
    for problem in problems:
        if not is_publication_problem(problem):
            print(problem.format(), file=sys.stderr if problem.severity == ERROR else sys.stdout)
    if actions:
        sys.stderr.flush()
        print(f"::{token}::")
        for problem in problems:
            print(problem.annotation())
        sys.stdout.flush()
    if errors:
        print(f"\n{italian.count(len(errors), 'errore', 'errori')} in {len({p.path for p in errors})} file "
              f"({italian.count(count, 'contenuto valido', 'contenuti validi')}). Correggi e riprova.",
              file=sys.stderr)
        return 1
    warnings = len(problems) - len(errors)
    print(f"Contenuti a posto: {italian.count(count, 'file controllato', 'file controllati')}, 0 errori, "
          f"{italian.count(warnings, 'avviso', 'avvisi')}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
