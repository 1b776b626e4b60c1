"""``make site`` never leaves a failed build in site/: it builds in a temporary folder and moves
it into place only on success."""
from __future__ import annotations

import pytest

import shutil
import subprocess
import sys

from pdz_dev.project import FIXTURES, ROOT, make_project, write

pytestmark = pytest.mark.build   # runs make site


def make_site(project):
    return subprocess.run([sys.executable, "-P", "-m", "pdz.commands.site", "--root", str(project), "--site", "site"],
                          cwd=project, capture_output=True, text=True, timeout=1200,
                          env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"})


def test_a_failed_build_leaves_the_previous_site_untouched(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    (project / "docs").unlink()            # a docs/ of its own, to cause a strict-mode warning
    shutil.copytree(ROOT / "docs", project / "docs")
    first = make_site(project)
    assert first.returncode == 0, first.stderr[-3000:]
    site = project / "site"
    page = site / "prova" / "2021-2023" / "obiettivi" / "01-casa" / "index.html"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert page.exists() and oct(site.stat().st_mode & 0o777) == "0o755"

    # 1. a strict-mode failure: MkDocs has written every page when the warning stops it
    (project / "docs" / "pagina-con-link-rotto.md").write_text("# Prova\n\n[rotto](non-esiste.md)\n", encoding="utf-8")
    write(project, "ambiti/prova/2021-2023/obiettivi/02-nuovo.md",
          (project / "content/ambiti/prova/2021-2023/obiettivi/01-casa.md").read_text(encoding="utf-8"))
    failed = make_site(project)
    assert failed.returncode != 0 and "site/ non è stato modificato" in failed.stderr
    # 2. invalid content: the build stops at the start
    (project / "docs" / "pagina-con-link-rotto.md").unlink()
    write(project, "ambiti/prova/2021-2023/obiettivi/03-rotto.md", "---\ntitolo: [\n---\n")
    failed = make_site(project)
    assert failed.returncode != 0 and "site/ non è stato modificato" in failed.stderr

    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in project.iterdir() if "site" in p.name) == ["site"], "temporary folders left"

    (project / "content/ambiti/prova/2021-2023/obiettivi/03-rotto.md").unlink()
    again = make_site(project)
    assert again.returncode == 0, again.stderr[-3000:]
    assert (site / "prova" / "2021-2023" / "obiettivi" / "02-nuovo" / "index.html").exists()
    assert sorted(p.name for p in project.iterdir() if "site" in p.name) == ["site"]


def test_a_key_repeated_in_mkdocs_yml_stops_the_build(tmp_path):
    """YAML keeps only the last of two equal keys, without a word: a second extra_javascript list
    once dropped the scripts of the first. The build names the key and its line instead."""
    from pdz.content.yamlsafe import duplicate_keys
    assert duplicate_keys((ROOT / "mkdocs.yml").read_text(encoding="utf-8")) == []
    project = make_project(tmp_path, FIXTURES / "valid")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").unlink()
    (project / "mkdocs.yml").write_text(config + "\nextra_javascript:\n  - assets/altro.js\n", encoding="utf-8")
    result = make_site(project)
    output = result.stdout + result.stderr   # MkDocs prints its Abort message on standard output
    assert result.returncode != 0 and "Traceback" not in output
    line = config.count("\n") + 2
    assert "chiavi ripetute" in output and f"'extra_javascript' alla riga {line}" in output, output[-2000:]
