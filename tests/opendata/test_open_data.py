"""Open data that portals harvest: the DCAT-AP_IT catalogue (rdflib + pyshacl against the shapes
pinned in tests/shacl/: SEMIC's DCAT-AP 3.0.1 core and range shapes, unchanged, and the project's
shapes for DCAT-AP_IT's mandatory and recommended properties), the Frictionless Data Package
(``frictionless validate``), the zip."""
from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS as DCT, RDF, SKOS, XSD

from pdz.opendata.fields import COLUMNS, check_columns
from pdz_dev.project import DEPLOYED_URL, OWNER_ENV, ROOT, SUMMARY

DCAT = Namespace("http://www.w3.org/ns/dcat#")   # a plain namespace: pytest probes module attributes

SHACL = ROOT / "tests" / "shacl"
PINNED = SHACL / "semic-3.0.1"
SEMIC_COMMIT = "7c531da7f154794da620fd0e57a3e8afe0286c0f"
# git blob ids of SEMICeu/DCAT-AP releases/3.0.1/html/shacl/ at SEMIC_COMMIT (semic-3.0.1/README.md)
SEMIC_BLOBS = {"shapes.ttl": "550615d7479d59627d8122f0424a1eabb5bd2f55",
               "range.ttl": "56440f2fe72b82c46ffbddac4b871f9dc66888ad",
               "shapes_recommended.ttl": "07f55954f3a49dbba47f2131f5ddf7afbad0c590",
               "deprecateduris.ttl": "c02a5bd853e97a475f364869ccb183c451f3017c",
               "mdr-vocabularies.shape.ttl": "2b0663bb50000a0f1115e061f09247abc4f92a3b",
               "mdr_imports.ttl": "a5363b31df83864bbdd9153602a21721a4ed5083",
               "imports.ttl": "47cc2efc350094f60db29d0edbafd9bd2071285f"}
SEMIC = [PINNED / "shapes.ttl", PINNED / "range.ttl"]   # DCAT-AP 3.0.1: core and range
SHAPES = SEMIC + [SHACL / "dcat-ap_it.shapes.ttl"]
SITE_URL = DEPLOYED_URL   # the address of the configured build
FRICTIONLESS = Path(sys.executable).parent / "frictionless"
DCATAPIT = Namespace("http://dati.gov.it/onto/dcatapit#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SH = Namespace("http://www.w3.org/ns/shacl#")
PDZ_SHAPES = Namespace("https://pdz-site.example.org/shapes#")   # the project's shapes (dcat-ap_it.shapes.ttl)
FOAF_NAME = URIRef("http://xmlns.com/foaf/0.1/name")
EU = "http://publications.europa.eu/resource/authority/"


# Each Turtle file is parsed once (no test writes into a built site or the pinned shapes); every
# caller gets its own copy, which it may change: copying a graph costs a third of parsing it.
@functools.cache
def _parsed(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    copy += graph
    return copy


def catalogue(site: Path) -> Graph:
    return _copy(_parsed(site / "dati" / "catalogo.ttl"))


def shacl(graph: Graph, paths: list[Path] = SHAPES, abort_on_first: bool = False) -> tuple[bool, Graph, str]:
    """(conforms, report graph, report text). ``abort_on_first``: stop at the first violation (the
    same answer to "does it conform?", in a fiftieth of the time; the report then names one only)."""
    return validate(graph, shacl_graph=_copy(_parsed(*paths)), inference="none", abort_on_first=abort_on_first)


def results(report: Graph, severity=SH.Violation) -> list:
    return [r for r in report.subjects(RDF.type, SH.ValidationResult) if report.value(r, SH.resultSeverity) == severity]


def local(site: Path, iri) -> Path:
    assert str(iri).startswith(SITE_URL), iri
    path = site / str(iri)[len(SITE_URL):]
    return path / "index.html" if str(iri).endswith("/") else path


def test_pinned_shapes_are_semics_files_unchanged():
    assert sorted(p.name for p in PINNED.glob("*.ttl")) == sorted(SEMIC_BLOBS)
    for name, blob in SEMIC_BLOBS.items():
        data = (PINNED / name).read_bytes()
        assert hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == blob, name
    assert SEMIC_COMMIT in (PINNED / "README.md").read_text(encoding="utf-8")
    # the project's shapes only add shapes of their own to SEMIC's: with them, a catalogue has
    # every violation it has against SEMIC's alone (test_the_shapes_catch_a_missing_mandatory_property)
    assert set(SEMIC) < set(SHAPES)
    ours = Graph().parse(SHACL / "dcat-ap_it.shapes.ttl", format="turtle")
    assert all(isinstance(s, BNode) or str(s).startswith(str(PDZ_SHAPES)) for s in ours.subjects())
    assert len(ours) > 0 and not set(ours.subjects()) & set(_parsed(*SEMIC).subjects())


def test_configured_catalogue_conforms_to_dcat_ap_3_and_dcat_ap_it(configured_site):
    g = catalogue(configured_site)
    assert isomorphic(g, Graph().parse(configured_site / "dati" / "catalogo.jsonld", format="json-ld"))
    conforms, report, text = shacl(g)
    assert conforms and results(report) == [], text
    conforms, report, text = shacl(g, SEMIC)   # SEMIC's shapes alone (the damage tests show they do check)
    assert conforms and results(report) == [], text
    assert shacl(g, [PINNED / "deprecateduris.ttl"])[0]
    # SEMIC's recommended properties: only what the site has no source for is left (a bounding
    # box and centroid of each place, the date the catalogue was first issued)
    _, report, _ = shacl(g, [PINNED / "shapes_recommended.ttl"])
    warned = {report.value(r, SH.resultPath) for r in results(report, SH.Warning)}
    assert warned == {DCAT.bbox, DCAT.centroid, DCT.issued}, warned
    datasets = set(g.subjects(RDF.type, DCAT.Dataset))
    distributions = set(g.subjects(RDF.type, DCAT.Distribution))
    tables = json.loads((configured_site / "dati" / "datapackage.json").read_text())["resources"]
    assert len(datasets) == len(tables) + 1          # every table, and the zip of all data
    assert len(distributions) == 2 * len(tables) + 1   # CSV and JSON of each, the zip
    SUMMARY["catalogo DCAT-AP 3.0.1 / DCAT-AP_IT"] = (
        f"{len(datasets)} insiemi di dati, {len(distributions)} distribuzioni, {len(g)} triple: 0 violazioni "
        f"(SEMIC DCAT-AP 3.0.1 core e range, commit {SEMIC_COMMIT[:12]}, e DCAT-AP_IT), "
        f"{len(results(report, SH.Warning))} avvisi delle proprietà raccomandate (bbox, centroid, issued)")
    for dist in distributions:
        for prop in (DCAT.downloadURL, DCAT.accessURL):
            for url in g.objects(dist, prop):
                assert local(configured_site, url).is_file(), url
        size = g.value(dist, DCAT.byteSize)
        if size is not None:
            assert size.datatype == XSD.nonNegativeInteger
            assert size.toPython() == local(configured_site, g.value(dist, DCAT.downloadURL)).stat().st_size
        media = g.value(dist, DCAT.mediaType)
        assert (media, RDF.type, DCT.MediaType) in g and str(media).startswith("https://www.iana.org/")


def test_catalogue_names_the_configured_body_contact_and_themes(configured_site):
    """DCAT-AP_IT: publisher and rights holder with the IPA code, identifiers 'IPA:name', contact
    point with name and e-mail, themes and EuroVoc sub-themes with Italian labels."""
    g = catalogue(configured_site)
    ipa = OWNER_ENV["PDZ_ENTE_IPA"]
    catalogue_node = next(g.subjects(RDF.type, DCAT.Catalog))
    assert str(g.value(catalogue_node, DCT.publisher)) == OWNER_ENV["PDZ_ENTE_SITO"]
    for d in g.subjects(RDF.type, DCAT.Dataset):
        assert str(g.value(d, DCT.identifier)) == f"{ipa}:{str(d).rsplit('#', 1)[1]}"
        for role in (DCT.rightsHolder, DCT.publisher):
            agent = g.value(d, role)
            assert str(g.value(agent, DCT.identifier)) == ipa and (agent, RDF.type, DCATAPIT.Agent) in g
            assert str(g.value(agent, FOAF_NAME)) == OWNER_ENV["PDZ_ENTE_NOME"]
        contact = g.value(d, DCAT.contactPoint)
        assert g.value(contact, VCARD.hasEmail) == URIRef("mailto:" + OWNER_ENV["PDZ_ENTE_EMAIL"])
        assert str(g.value(contact, VCARD.fn)) == OWNER_ENV["PDZ_ENTE_NOME"]
        themes = {str(t).rsplit("/", 1)[1] for t in g.objects(d, DCAT.theme)}
        assert "SOCI" in themes
        subjects = set(g.objects(d, DCT.subject))
        assert URIRef("http://eurovoc.europa.eu/100214") in subjects                   # 2836 protezione sociale
        assert (URIRef("http://eurovoc.europa.eu/100169") in subjects) == ("GOVE" in themes)   # 0436, with GOVE
        assert g.value(d, DCT.license) is None and g.value(g.value(d, DCAT.distribution), DCT.license) == \
            URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert {str(label) for label in g.objects(URIRef(EU + "data-theme/SOCI"), SKOS.prefLabel)} == \
        {"Popolazione e società", "Population and society"}
    assert Literal("Governo e settore pubblico", lang="it") in set(g.objects(URIRef(EU + "data-theme/GOVE"), SKOS.prefLabel))


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
    assert g.value(period, DCATAPIT.startDate) == g.value(period, DCAT.startDate)


def test_unconfigured_catalogue_fails_only_for_the_missing_ipa_code_and_e_mail(real_site):
    conforms, report, _ = shacl(catalogue(real_site))
    assert not conforms
    paths = {report.value(r, SH.resultPath) for r in results(report)}
    assert paths == {DCT.identifier, VCARD.hasEmail}
    assert shacl(catalogue(real_site), SEMIC)[0]   # DCAT-AP itself does not need them


# The first ones are rules of DCAT-AP_IT or of this project; those in SEMIC_DAMAGE are DCAT-AP's,
# which SEMIC's shapes must catch on their own (so the pinned shapes do apply to our catalogue).
SEMIC_DAMAGE = {"no description", "no access URL", "size as text", "size as decimal", "two licences", "no dataset",
                "media type only a MediaTypeOrExtent", "theme without label", "licence type not a concept"}


def damage_catalogue(g: Graph, damage: str) -> None:
    dataset = URIRef(SITE_URL + "dati/catalogo#obiettivi")
    distribution = URIRef(SITE_URL + "dati/obiettivi.csv")
    agent = g.value(dataset, DCT.rightsHolder)
    if damage == "no description":
        g.remove((dataset, DCT.description, None))
    elif damage == "no access URL":
        g.remove((distribution, DCAT.accessURL, None))
    elif damage == "size as text":
        g.set((distribution, DCAT.byteSize, Literal("12 KB")))
    elif damage == "size as decimal":   # what DCAT-AP 1.x wanted
        g.set((distribution, DCAT.byteSize, Literal("1200.0", datatype=XSD.decimal)))
    elif damage == "two licences":
        g.add((distribution, DCT.license, URIRef("https://creativecommons.org/publicdomain/zero/1.0/")))
    elif damage == "no dataset":
        for node in set(g.subjects(RDF.type, DCAT.Dataset)):
            g.remove((node, RDF.type, DCAT.Dataset))
    elif damage == "media type only a MediaTypeOrExtent":
        media = g.value(distribution, DCAT.mediaType)
        g.remove((media, RDF.type, DCT.MediaType))
        g.add((media, RDF.type, DCT.MediaTypeOrExtent))
    elif damage == "theme without label":
        g.remove((URIRef(EU + "data-theme/SOCI"), SKOS.prefLabel, None))
    elif damage == "licence type not a concept":
        g.remove((URIRef("http://purl.org/adms/licencetype/Attribution"), RDF.type, SKOS.Concept))
    elif damage == "no licence":
        g.remove((distribution, DCT.license, None))
    elif damage == "english title only":
        title = g.value(dataset, DCT.title)
        g.remove((dataset, DCT.title, None))
        g.add((dataset, DCT.title, Literal(str(title), lang="en")))
    elif damage == "theme outside the EU vocabulary":
        g.add((dataset, DCAT.theme, URIRef("https://example.org/tema")))
    elif damage == "no temporal coverage":
        g.remove((dataset, DCT.temporal, None))
    elif damage == "contact point without e-mail":
        g.remove((g.value(dataset, DCAT.contactPoint), VCARD.hasEmail, None))
    elif damage == "rights holder without IPA code":
        g.remove((agent, DCT.identifier, None))
    elif damage == "identifier without IPA code":
        g.set((dataset, DCT.identifier, Literal("obiettivi")))
    elif damage == "no sub-theme":
        g.remove((dataset, DCT.subject, None))
    elif damage == "sub-theme outside EuroVoc":
        g.add((dataset, DCT.subject, URIRef("https://example.org/sottotema")))
    elif damage == "theme with an English label only":
        g.remove((URIRef(EU + "data-theme/SOCI"), SKOS.prefLabel, Literal("Popolazione e società", lang="it")))
    elif damage == "no Italian start date":
        g.remove((g.value(dataset, DCT.temporal), DCATAPIT.startDate, None))
    else:
        raise AssertionError(damage)


@pytest.mark.parametrize("damage", [
    "no licence", "english title only", "theme outside the EU vocabulary", "no temporal coverage",
    "contact point without e-mail", "rights holder without IPA code", "identifier without IPA code",
    "no sub-theme", "sub-theme outside EuroVoc", "theme with an English label only", "no Italian start date",
    *sorted(SEMIC_DAMAGE)])
def test_the_shapes_catch_a_missing_mandatory_property(configured_site, damage):
    g = catalogue(configured_site)
    damage_catalogue(g, damage)
    # the undamaged catalogue conforms (test_configured_catalogue_conforms_to_dcat_ap_3_and_dcat_ap_it):
    # any violation is the damage's. SEMIC's shapes alone must catch theirs; the whole set
    # (SHAPES: SEMIC's unchanged, and the project's, which only add violations:
    # test_pinned_shapes_are_semics_files_unchanged) then catches it too, and is not run again
    if damage in SEMIC_DAMAGE:
        assert not shacl(g, SEMIC, abort_on_first=True)[0]
    else:
        assert not shacl(g, abort_on_first=True)[0]


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
