"""Python dependencies install with --require-hashes: every pinned package, the transitive ones
included, carries the sha256 of the files pip may install, so a file replaced on the index (or a
look-alike served to CI) is refused instead of run.

The attack: requirements.txt pinned versions without hashes, so pip installed whatever file the
index served for that version.
"""
from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import zipfile

from pdz_dev.project import ROOT

REQUIREMENT = re.compile(r"^([A-Za-z0-9_.-]+)(\[[a-z,]+\])?==([^\s\\]+)")


def requirements() -> dict[str, tuple[str, list[str]]]:
    """name → (version, hashes), from requirements.txt with its line continuations joined."""
    return _pins("requirements.txt")


def _pins(filename: str) -> dict[str, tuple[str, list[str]]]:
    text = (ROOT / filename).read_text(encoding="utf-8").replace("\\\n", " ")
    found = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = REQUIREMENT.match(line)
        assert match, f"not a pinned requirement: {line}"
        name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
        assert name not in found, f"listed twice: {name}"
        found[name] = (match.group(3), re.findall(r"--hash=sha256:([0-9a-f]{64})\b", line))
    return found


def test_every_pinned_package_has_hashes_and_the_install_requires_them():
    pins = requirements()
    assert len(pins) > 80
    assert [name for name, (_, hashes) in pins.items() if not hashes] == []
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = re.findall(r"pip install .*", makefile)
    dependencies = [line for line in installs if "-r " in line]
    assert dependencies and all("--require-hashes" in line for line in dependencies)
    # install_env's $(1) is one of the two pinned files
    assert set(re.findall(r"\$\(call install_env,([^)]*)\)", makefile)) == {"requirements.txt", "requirements-check.txt"}
    # the only other install is the project's own package, without any dependency
    assert [line for line in installs if line not in dependencies] == [
        "pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e ."]


def test_every_installed_distribution_is_pinned():
    """Nothing pip installed came from outside the list (which --require-hashes would refuse)."""
    pins = requirements()
    installed = {re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower(): d.version
                 for d in importlib.metadata.distributions()}
    missing = {name: version for name, version in installed.items()
               if name not in pins and name not in ("pip", "wheel", "pdz-site")}
    assert missing == {}
    assert {name: (installed.get(name), version) for name, (version, _) in pins.items()
            if installed.get(name) != version} == {}


def test_a_file_that_does_not_match_its_hash_is_refused(tmp_path):
    """Offline: a look-alike wheel of a pinned package, offered by a local index, is refused."""
    version, hashes = requirements()["mergedeep"]
    wheels = tmp_path / "indice"
    wheels.mkdir()
    with zipfile.ZipFile(wheels / f"mergedeep-{version}-py3-none-any.whl", "w") as fake:
        fake.writestr("mergedeep/__init__.py", "import os  # codice non verificato\n")
    pinned = tmp_path / "requirements.txt"
    pinned.write_text(f"mergedeep=={version} " + " ".join(f"--hash=sha256:{h}" for h in hashes) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-P", "-m", "pip", "install", "--require-hashes", "--no-index",
                             "--no-deps", "--dry-run", "--ignore-installed", "--find-links", str(wheels), "-r", str(pinned)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0 and "DO NOT MATCH THE HASHES" in result.stderr, result.stderr[-2000:]


def test_the_checks_requirements_are_those_of_requirements_txt_that_make_check_needs():
    """requirements-check.txt (what ``make check`` installs) is made from requirements.txt, with
    every package the roots require, and is up to date."""
    from pdz_dev import check_requirements
    assert (ROOT / "requirements-check.txt").read_text(encoding="utf-8") == check_requirements.text(), \
        "requirements-check.txt is out of date: run .venv/bin/python -P -m pdz_dev.check_requirements"
    pinned = requirements()
    for name, pin in _pins("requirements-check.txt").items():
        assert pinned[name] == pin and pin[1], name
