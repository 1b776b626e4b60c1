"""make nuovo: create a new record (or plan) that is already valid, every field commented."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pdz.content import rootguard
from pdz.editor.scaffold import SCAFFOLD_KINDS, create


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make nuovo", description="Crea un nuovo contenuto già valido.")
    parser.add_argument("tipo", nargs="?", help="tipo: " + ", ".join(SCAFFOLD_KINDS))
    parser.add_argument("ambito", nargs="?", help="Ambito (cartella in content/ambiti/); non serve per partner e voce")
    parser.add_argument("nome", nargs="?", help="nome del file senza estensione, ad esempio 12-centro-famiglie; "
                        "per un piano, il suo periodo (2025-2027)")
    parser.add_argument("--piano", help="periodo del piano (2025-2027); se manca, il piano più recente dell'Ambito")
    # make nuovo ... MOTIVO="..." reaches here through the environment (make exports its command-line variables)
    parser.add_argument("--motivo", default=os.environ.get("MOTIVO"),
                        help="perché la scheda si aggiunge: la riga 'Motivo:' del commit, mostrata nella "
                        "cronologia pubblica e nei feed (se manca, viene chiesta)")
    parser.add_argument("--root", default=".")
    args = parser.parse_args(argv)
    rootguard.refuse_to_start(args.root)
    try:
        return create(Path(args.root), args)
    except Exception as exc:   # last resort: an editor never sees a traceback
        print(f"errore interno di 'make nuovo': {exc.__class__.__name__}: {exc}\n"
              "Nessun file è stato creato. Segnala il problema agli sviluppatori.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
