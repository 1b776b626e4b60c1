"""make permalinks: add the new addresses of a built site to permalinks.txt."""
from __future__ import annotations

import argparse
from pathlib import Path

from pdz.content import rootguard
from pdz.site.permalinks import LIST_FILE, read_list, site_urls


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make permalinks")
    parser.add_argument("--site", default="site")
    parser.add_argument("--root", default=".")
    args = parser.parse_args(argv)
    rootguard.refuse_to_start(args.root)
    root, site = Path(args.root), Path(args.site)
    known = read_list(root)
    new = [url for url in site_urls(site) if url not in set(known)]
    header = "# Indirizzi pubblicati: non cancellare righe. Un indirizzo può sparire solo con un redirect in redirects.yaml.\n"
    (root / LIST_FILE).write_text(header + "".join(f"/{url}\n" for url in sorted(known + new)), encoding="utf-8")
    print(f"{len(new)} nuovi indirizzi aggiunti a {LIST_FILE} ({len(known) + len(new)} in tutto).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
