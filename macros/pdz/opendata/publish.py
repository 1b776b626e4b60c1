"""Everything published about the open data beside the tables: the Data Package, the DCAT-AP_IT
catalogue and the zip of all data, from the tables ``export.py`` produced."""
from __future__ import annotations

import io
import zipfile

from pdz.content.catalog import Catalog
from pdz.opendata.tables import EXPORT_DIR, published_tables
from pdz.opendata.datapackage import data_package
from pdz.opendata.dcat import LOMBARDIA, TABLE_THEMES, CatalogueBuilder

ZIP = f"{EXPORT_DIR}/dati-aperti-piani-di-zona.zip"
PACKAGE = f"{EXPORT_DIR}/datapackage.json"
TURTLE = f"{EXPORT_DIR}/catalogo.ttl"
JSONLD = f"{EXPORT_DIR}/catalogo.jsonld"
METADATA_PATHS = (PACKAGE, TURTLE, JSONLD, ZIP)   # what open_data_metadata makes, in its order
# Content kinds each table is made of (its date of last change is the newest of their files).
TABLE_KINDS = {"obiettivi": ("obiettivo",), "misurazioni": ("obiettivo", "valutazione"), "risorse": ("obiettivo",), "valutazioni": ("valutazione",),
               "indicatori": ("obiettivo", "monitoraggio", "valutazione"), "partner": ("partner", "obiettivo"),
               "modifiche": ("piano", "obiettivo", "valutazione", "progetto", "organo", "tabella", "monitoraggio", "sezione")}
DESCRIPTIONS = {
    "obiettivi": "Gli obiettivi del Piano di Zona (Tabella 3 regionale): titolo, area di policy, destinatari, "
                 "risorse economiche preventivate, integrazione, continuità e co-progettazione con la rete.",
    "indicatori": "Gli indicatori degli obiettivi, del sistema di monitoraggio e delle valutazioni, con i valori "
                  "rilevati, i loro qualificatori (circa, oltre...) e le unità di misura scritte nella fonte.",
    "valutazioni": "La valutazione degli obiettivi del triennio precedente (Tabella 2 regionale): grado di "
                   "raggiungimento, coincidenza delle risorse, riproposizione nel nuovo piano.",
    "risorse": "Le voci di spesa preventivate per ogni obiettivo, con il loro importo in euro.",
    "misurazioni": "Le misurazioni degli indicatori degli obiettivi nel tempo, una riga per cifra (formato lungo): "
                   "periodo, valore, qualificatore, unità di misura e record in cui sono scritte.",
    "partner": "Gli attori della rete (enti pubblici, terzo settore...) citati dai piani, con gli Ambiti in cui "
               "sono presenti e gli obiettivi che co-progettano.",
    "modifiche": "Ogni modifica pubblicata delle schede: quando (la data di pubblicazione sul sito), quale campo, "
                 "il valore di prima e quello nuovo, e il motivo. Le schede pubblicate, spostate o rimosse hanno una riga "
                 "ciascuna; i cambi di solo formato dei file non sono modifiche.",
}


class _Records:
    """The records each table is made of, for all Ambiti or one: the records of each kind are
    grouped by Ambito once (at N=100, filtering every kind for each of the 600 tables took
    more than a second)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.by_ambito: dict = {}
        for kind in dict.fromkeys(k for kinds in TABLE_KINDS.values() for k in kinds):
            groups: dict = {}
            for record in catalog.all(kind):
                groups.setdefault(record.ambito, []).append(record)
            self.by_ambito[kind] = groups

    def of(self, name: str, ambito: str | None) -> list:
        return [r for kind in TABLE_KINDS[name]
                for r in (self.catalog.all(kind) if ambito is None or kind == "partner"
                          else self.by_ambito[kind].get(ambito, ()))]


def _coverage(catalog: Catalog, records: _Records, name: str, ambito: str | None) -> tuple[int, int] | None:
    """Years covered: the periods of the plans of the table's records, and for evaluations the
    periods of the objectives they evaluate; None when the table has no dated record."""
    dated = [r for r in records.of(name, ambito) if r.kind != "partner"]
    periods = {r.period for r in dated}
    for r in dated:
        evaluated = catalog.get("obiettivo", r.data.get("obiettivo_valutato") or "") if r.kind == "valutazione" else None
        if evaluated is not None:
            periods.add(evaluated.period)
    years = [int(y) for p in periods if p for y in p.split("-") if y.isdigit()]
    return (min(years), max(years)) if years else None


def _modified(catalog: Catalog, records: _Records, updated: dict, name: str, ambito: str | None, fallback: str,
              changed: dict | None = None) -> str:
    if name == "modifiche" and changed is not None:   # as new as its newest change (a removal too)
        return changed.get(ambito, fallback)
    paths = [r.path for r in records.of(name, ambito)]
    if ambito:
        paths.append(catalog.get("ambito", ambito).path)
    return max((updated[p] for p in paths if p in updated), default=fallback)


def _zip(files: dict[str, bytes], date: str) -> bytes:
    """All open-data files in one zip, byte-identical on every build (fixed order and timestamps)."""
    year, month, day = (int(x) for x in date.split("-"))
    stamp = (year, month, day, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(path.removeprefix(f"{EXPORT_DIR}/"), date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, files[path])
    return buffer.getvalue()


def open_data_metadata(catalog: Catalog, exports: dict[str, bytes], site_url: str, owner: dict,
                       updated: dict, contact_email: str = "", changed: dict | None = None,
                       memo: dict | None = None) -> dict[str, bytes]:
    """The Data Package, the catalogue (Turtle and JSON-LD) and the zip: site path → bytes
    (``METADATA_PATHS``, in that order).
    ``changed``: the day of the newest change of the records of each Ambito (None: of all).
    ``memo``: kept by ``mkdocs serve`` from one build to the next (``CatalogueBuilder``)."""
    newest = max(updated.values(), default="1980-01-01")
    tables = published_tables(catalog)
    out = {PACKAGE: data_package(tables, site_url, owner.get("nome") or "")}
    builder = CatalogueBuilder(site_url, owner, contact_email, memo)
    datasets = []
    records = _Records(catalog)
    plan_years = [int(y) for p in catalog.all("piano") for y in (p.period or "").split("-") if y.isdigit()]
    whole = (min(plan_years), max(plan_years)) if plan_years else (int(newest[:4]), int(newest[:4]))
    for table in tables:
        name, ambito = table["name"], table["ambito"]
        places = [builder.place(ambito, catalog.get("ambito", ambito).title)] if ambito else []
        slug = (f"{ambito}-" if ambito else "") + name
        datasets.append(builder.dataset(
            slug, table["title"], DESCRIPTIONS[name] + (f" Ambito: {catalog.get('ambito', ambito).title}." if ambito else ""),
            TABLE_THEMES[name], _modified(catalog, records, updated, name, ambito, newest, changed),
            builder.period(*(_coverage(catalog, records, name, ambito) or whole)), places + [LOMBARDIA],
            [(table["csv"], "csv", table["title"] + " (CSV)", len(exports[table["csv"]])),
             (table["json"], "json", table["title"] + " (JSON)", len(exports[table["json"]]))],
            keywords=[name] + ([catalog.get("ambito", ambito).title] if ambito else [])))
    datasets.append(builder.dataset(
        "tutti-i-dati", "Tutti i dati aperti dei Piani di Zona della Lombardia",
        "In un unico archivio zip tutte le tabelle (CSV e JSON), il Data Package con gli schemi delle tabelle, "
        "gli schemi JSON dei contenuti e questo catalogo.", TABLE_THEMES["tutti"], newest,
        builder.period(*whole), [LOMBARDIA],
        [(ZIP, "zip", "Archivio zip di tutti i dati aperti", None)]))
    builder.catalogue(datasets, newest)
    out[TURTLE], out[JSONLD] = builder.serialise()
    bundle = {p: b for p, b in {**exports, **out}.items() if p.startswith(f"{EXPORT_DIR}/")}
    out[ZIP] = _zip(bundle, newest)
    return out
