"""Lighthouse mobile scores of a built site (issue #15): performance, accessibility, best
practices, with npm ``lighthouse`` (pinned in package-lock.json, ``npm ci``) driving Debian's
chromium against the site served on 127.0.0.1.

    .venv/bin/python -P -m pdz_dev.bench.lighthouse --site site
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path


from pdz_dev.browser import CHROMIUM, serve
from pdz_dev.project import ROOT

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")
TARGETS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 0.95}
# home, an Ambito, an objective (the longest), a policy area: the pages citizens land on
PAGES = {"home": "", "ambito": "corsico/", "obiettivo": "crema/2021-2023/obiettivi/04-domiciliarita-anziani/",
         "area": "aree/b/"}


def scores(base: str, url: str) -> dict:
    """One Lighthouse run (mobile form factor, simulated slow 4G and CPU slowdown: its defaults)."""
    cmd = [str(LIGHTHOUSE), base + url, "--quiet", "--output=json", "--output-path=stdout",
           "--only-categories=" + ",".join(CATEGORIES),
           "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"]
    env = dict(os.environ, CHROME_PATH=str(CHROMIUM))
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    if out.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url!r}: {out.stderr[-1500:]}")
    report = json.loads(out.stdout)
    result = {c: report["categories"][c]["score"] for c in CATEGORIES}
    result["failed"] = sorted(
        audit_id for audit_id, audit in report["audits"].items()
        if audit.get("score") is not None and audit["score"] < 0.9 and audit.get("scoreDisplayMode") in ("binary", "numeric")
        and any(audit_id == ref["id"] for c in CATEGORIES for ref in report["categories"][c]["auditRefs"]
                if ref.get("weight")))
    return result


def site_scores(site: Path, pages: dict | None = None) -> dict:
    server, base = serve(site, compress=True)   # as a static host serves it
    try:
        return {name: scores(base, url) for name, url in (pages or PAGES).items()}
    finally:
        server.shutdown()
        server.server_close()


def version() -> str:
    package = ROOT / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text(encoding="utf-8"))["version"] if package.exists() else "?"


def meets(result: dict) -> bool:
    return all(result[c] is not None and result[c] >= TARGETS[c] for c in CATEGORIES)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True)
    args = parser.parse_args(argv)
    results = site_scores(args.site)
    for name, r in results.items():
        print(f"{name:<10} " + "  ".join(f"{c} {r[c]:.2f}" for c in CATEGORIES) + f"  {r['failed']}")
    return 0 if all(meets(r) for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
