"""python -P -m pdz.commands.derived: every statement the site derives from the plans (histories,
states, roll-ups, measurement series) checked against its basis; each violation and the time."""
from __future__ import annotations

import time
from pathlib import Path

from pdz.content.loader import load_content
from pdz.content.sourcetext import load_texts
from pdz.domain.derived import check


def main(argv=None) -> int:
    started = time.perf_counter()
    root = Path.cwd()
    catalog, _ = load_content(root)
    catalog.texts = load_texts(root, catalog)
    loaded = time.perf_counter()
    problems, counts = check(catalog)
    done = time.perf_counter()
    for problem in problems:
        print(problem.format())
    print("Affermazioni derivate controllate: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + ".")
    print(f"{len(problems)} violazioni. Tempo: {done - loaded:.2f} s per il controllo "
          f"({done - started:.2f} s compreso il caricamento dei contenuti).")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
