"""Open data that portals harvest: the DCAT-AP_IT catalogue (rdflib + pyshacl against the shapes
pinned in tests/shacl/: SEMIC's DCAT-AP shapes, extended with DCAT-AP_IT's mandatory properties),
the Frictionless Data Package (``frictionless validate``), the zip."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS as DCT, RDF

from pdz.opendata.fields import COLUMNS, check_columns
from pdz_dev.project import DEPLOYED_URL, OWNER_ENV, ROOT, SUMMARY

DCAT = Namespace("http://www.w3.org/ns/dcat#")   # a plain namespace: pytest probes module attributes

SHACL = ROOT / "tests" / "shacl"
SEMIC = [SHACL / "semic" / "dcat-ap.shapes.ttl", SHACL / "semic" / "dcat-ap-mandatory-classes.shapes.ttl",
         SHACL / "semic" / "dcat-ap.imports.ttl"]
SHAPES = SEMIC + [SHACL / "dcat-ap_it.shapes.ttl"]
SITE_URL = DEPLOYED_URL   # the address of the configured build
FRICTIONLESS = Path(sys.executable).parent / "frictionless"
DCATAPIT = Namespace("http://dati.gov.it/onto/dcatapit#")


def catalogue(site: Path) -> Graph:
    return Graph().parse(site / "dati" / "catalogo.ttl", format="turtle")


def shacl(graph: Graph, paths: list[Path] = SHAPES) -> tuple[bool, Graph, str]:
    shapes = Graph()
    for path in paths:
        shapes.parse(path, format="turtle")
    return validate(graph, shacl_graph=shapes, inference="none")


def local(site: Path, iri) -> Path:
    assert str(iri).startswith(SITE_URL), iri
    path = site / str(iri)[len(SITE_URL):]
    return path / "index.html" if str(iri).endswith("/") else path


def test_configured_catalogue_conforms_to_dcat_ap_it(configured_site):
    g = catalogue(configured_site)
    assert isomorphic(g, Graph().parse(configured_site / "dati" / "catalogo.jsonld", format="json-ld"))
    conforms, _, report = shacl(g)
    assert conforms, report
    assert shacl(g, SEMIC)[0]   # SEMIC's DCAT-AP shapes alone (the damage test shows they do check)
    datasets = set(g.subjects(RDF.type, DCAT.Dataset))
    distributions = set(g.subjects(RDF.type, DCAT.Distribution))
    tables = json.loads((configured_site / "dati" / "datapackage.json").read_text())["resources"]
    assert len(datasets) == len(tables) + 1          # every table, and the zip of all data
    assert len(distributions) == 2 * len(tables) + 1   # CSV and JSON of each, the zip
    SUMMARY["catalogo DCAT-AP_IT"] = (f"{len(datasets)} insiemi di dati, {len(distributions)} distribuzioni, "
                                      "SHACL conforme (ente configurato)")
    for dist in distributions:
        for prop in (DCAT.downloadURL, DCAT.accessURL):
            for url in g.objects(dist, prop):
                assert local(configured_site, url).is_file(), url
        size = g.value(dist, DCAT.byteSize)
        if size is not None:
            assert int(size.toPython()) == local(configured_site, g.value(dist, DCAT.downloadURL)).stat().st_size
    agent = g.value(next(iter(datasets)), DCT.rightsHolder)
    assert str(g.value(agent, DCT.identifier)) == OWNER_ENV["PDZ_ENTE_IPA"]
    for d in datasets:
        assert str(g.value(d, DCT.identifier)).startswith(OWNER_ENV["PDZ_ENTE_IPA"] + ":")
        assert g.value(d, DCT.license) is None and g.value(g.value(d, DCAT.distribution), DCT.license) == \
            URIRef("https://creativecommons.org/licenses/by/4.0/")


def test_dataset_dates_and_coverage_come_from_git_and_plans(configured_site):
    g = catalogue(configured_site)
    corsico = URIRef(SITE_URL + "dati/catalogo#corsico-risorse")
    files = [str(p.relative_to(ROOT)) for p in (ROOT / "content/ambiti/corsico").glob("*/obiettivi/*")]
    files.append("content/ambiti/corsico/ambito.yaml")   # the Ambito's own file dates its tables too
    newest = max(subprocess.run(["git", "log", "-1", "--format=%cs", "--", f], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.strip() for f in files)
    assert str(g.value(corsico, DCT.modified)) == newest
    periods = sorted(p.name for p in (ROOT / "content/ambiti/corsico").iterdir() if (p / "obiettivi").is_dir())
    period = g.value(corsico, DCT.temporal)
    assert (str(g.value(period, DCAT.startDate)), str(g.value(period, DCAT.endDate))) == \
        (f"{periods[0][:4]}-01-01", f"{periods[-1][-4:]}-12-31")


def test_unconfigured_catalogue_fails_only_for_the_missing_ipa_code(real_site):
    conforms, results, _ = shacl(catalogue(real_site))
    assert not conforms
    SH = Namespace("http://www.w3.org/ns/shacl#")
    paths = {results.value(r, SH.resultPath) for r in results.subjects(RDF.type, SH.ValidationResult)}
    assert paths == {DCT.identifier}


# The first four are rules of DCAT-AP_IT or of this project; the others are DCAT-AP's, which SEMIC's
# shapes must catch on their own (so the pinned shapes do apply to our catalogue).
SEMIC_DAMAGE = {"no description", "no access URL", "size as text", "two licences", "no dataset"}


@pytest.mark.parametrize("damage", ["no licence", "english title only", "theme outside the EU vocabulary",
                                    "no temporal coverage", *sorted(SEMIC_DAMAGE)])
def test_the_shapes_catch_a_missing_mandatory_property(configured_site, damage):
    g = catalogue(configured_site)
    dataset = URIRef(SITE_URL + "dati/catalogo#obiettivi")
    distribution = g.value(dataset, DCAT.distribution)
    if damage == "no description":
        g.remove((dataset, DCT.description, None))
    elif damage == "no access URL":
        g.remove((distribution, DCAT.accessURL, None))
    elif damage == "size as text":
        g.set((distribution, DCAT.byteSize, Literal("12 KB")))
    elif damage == "two licences":
        g.add((distribution, DCT.license, URIRef("https://creativecommons.org/publicdomain/zero/1.0/")))
    elif damage == "no dataset":
        for node in set(g.subjects(RDF.type, DCAT.Dataset)):
            g.remove((node, RDF.type, DCAT.Dataset))
    elif damage == "no licence":
        g.remove((g.value(dataset, DCAT.distribution), DCT.license, None))
    elif damage == "english title only":
        title = g.value(dataset, DCT.title)
        g.remove((dataset, DCT.title, None))
        g.add((dataset, DCT.title, type(title)(str(title), lang="en")))
    elif damage == "theme outside the EU vocabulary":
        g.add((dataset, DCAT.theme, URIRef("https://example.org/tema")))
    else:
        g.remove((dataset, DCT.temporal, None))
    assert not shacl(g)[0]
    if damage in SEMIC_DAMAGE:
        assert not shacl(g, SEMIC)[0]


def run_frictionless(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(FRICTIONLESS), "validate", "--json", "datapackage.json"], cwd=folder,
                          capture_output=True, text=True, timeout=600)


def test_data_package_is_valid_and_covers_every_csv(real_site):
    data = real_site / "dati"
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    csvs = sorted(str(p.relative_to(data)) for p in data.rglob("*.csv"))
    assert sorted(r["path"] for r in package["resources"]) == csvs
    for resource in package["resources"]:
        header = next(csv.reader(io.StringIO((data / resource["path"]).read_text(encoding="utf-8"))))
        assert header == [f["name"] for f in resource["schema"]["fields"]], resource["path"]
    names = {f["name"]: f for f in next(r for r in package["resources"] if r["name"] == "indicatori")["schema"]["fields"]}
    assert names["valore_rilevato"]["type"] == "number" and "valore_rilevato_qualificatore" in names
    risorse = next(r for r in package["resources"] if r["name"] == "corsico-risorse")["schema"]
    assert risorse["foreignKeys"] == [{"fields": "obiettivo", "reference": {"resource": "corsico-obiettivi", "fields": "id"}}]
    assert {f["name"]: f.get("unit") for f in risorse["fields"]}["importo_euro"] == "EUR"
    result = run_frictionless(data)
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"], result.stdout[-3000:]
    SUMMARY["Data Package (frictionless validate)"] = f"{len(package['resources'])} tabelle, valido"


def test_frictionless_catches_a_broken_reference_and_a_wrong_type(real_site, tmp_path):
    data = tmp_path / "dati"
    shutil.copytree(real_site / "dati", data)
    risorse = data / "corsico" / "risorse.csv"
    lines = risorse.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("/obiettivi/", "/obiettivi/non-esiste-", 1)
    lines[2] = lines[2].rsplit(",", 1)[0] + ",molti"
    risorse.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_frictionless(data)
    errors = {e["type"] for task in json.loads(result.stdout)["tasks"] for e in task["errors"]}
    assert result.returncode != 0 and {"foreign-key", "type-error"} <= errors, errors


def test_zip_holds_every_open_data_file_with_fixed_timestamps(real_site):
    data = real_site / "dati"
    archive = zipfile.ZipFile(data / "dati-aperti-piani-di-zona.zip")
    expected = sorted(str(p.relative_to(data)) for p in data.rglob("*") if p.is_file() and p.suffix != ".zip")
    assert archive.namelist() == expected
    for info in archive.infolist():
        assert archive.read(info) == (data / info.filename).read_bytes(), info.filename
    assert len({info.date_time for info in archive.infolist()}) == 1


def test_an_undeclared_column_stops_the_export():
    row = {name: "" for name, *_ in COLUMNS["risorse"]}
    check_columns("risorse", [row])
    with pytest.raises(ValueError, match="colonne non definite.*nuova"):
        check_columns("risorse", [{**row, "nuova": 1}])
