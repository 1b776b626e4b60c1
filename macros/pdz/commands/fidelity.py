"""python -P -m pdz.commands.fidelity: every long text compared word by word with its cited lines."""
from __future__ import annotations

from pathlib import Path

from pdz.content import rootguard
from pdz.content.loader import load_content
from pdz.content.sourcetext import load_texts
from pdz.domain.fidelity import MIN_CHARS, check_all


def main(argv=None) -> int:
    root = Path.cwd()
    rootguard.refuse_to_start(root)
    catalog, _ = load_content(root)
    texts = load_texts(root, catalog)
    compared, findings = check_all(catalog, texts)
    for f in findings:
        print(f.format())
    print(f"{compared} testi di almeno {MIN_CHARS} caratteri confrontati con le righe citate: "
          f"{len(findings)} differenze non segnalate.")
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
