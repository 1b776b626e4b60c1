"""``make site``: build the site in strict mode without ever leaving a half-built or failed site.

MkDocs writes into its site folder as it goes, and a strict-mode failure (a warning) is only
known at the end, after every page was written. So the build goes to a temporary folder next to
``site/``; only when it succeeds does that folder replace ``site/`` (a rename on the same
filesystem). When it fails, ``site/`` is left exactly as it was and the temporary folder is removed.
MkDocs runs as a separate process: nothing here imports it.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pdz.content import rootguard


def build_site(root: Path, site: Path, extra_args=()) -> int:
    site = site if site.is_absolute() else root / site
    site.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{site.name}-nuovo-", dir=site.parent))
    old = site.with_name(f".{site.name}-vecchio-{os.getpid()}")
    try:
        result = subprocess.run([sys.executable, "-P", "-m", "mkdocs", "build", "--strict", "--site-dir", str(fresh),
                                 *extra_args], cwd=root)
        if result.returncode != 0:
            print(f"\nCostruzione non riuscita: {site.name}/ non è stato modificato.", file=sys.stderr)
            return result.returncode or 1
        fresh.chmod(0o755)   # mkdtemp makes it private; a published folder is readable
        if site.exists():
            site.rename(old)
        fresh.rename(site)
        print(f"Sito costruito in {site.name}/.")
        return 0
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make site", description="Costruisce il sito in modalità rigorosa.")
    parser.add_argument("--root", default=".")
    parser.add_argument("--site", default="site")
    args = parser.parse_args(argv)
    rootguard.refuse_to_start(args.root)
    return build_site(Path(args.root), Path(args.site))


if __name__ == "__main__":
    sys.exit(main())
