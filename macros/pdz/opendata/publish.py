"""Everything published about the open data beside the tables: the Data Package, the DCAT-AP_IT
catalogue and the zip of all data, from the tables ``export.py`` produced."""
from __future__ import annotations

import io
import zipfile

from ..catalog import Catalog
from ..export import EXPORT_DIR, published_tables
from .datapackage import data_package
from .dcat import LOMBARDIA, TABLE_THEMES, CatalogueBuilder

ZIP = f"{EXPORT_DIR}/dati-aperti-piani-di-zona.zip"
PACKAGE = f"{EXPORT_DIR}/datapackage.json"
TURTLE = f"{EXPORT_DIR}/catalogo.ttl"
JSONLD = f"{EXPORT_DIR}/catalogo.jsonld"
# Content kinds each table is made of (its date of last change is the newest of their files).
TABLE_KINDS = {"obiettivi": ("obiettivo",), "risorse": ("obiettivo",), "valutazioni": ("valutazione",),
               "indicatori": ("obiettivo", "monitoraggio", "valutazione"), "partner": ("partner", "obiettivo")}
DESCRIPTIONS = {
    "obiettivi": "Gli obiettivi del Piano di Zona (Tabella 3 regionale): titolo, area di policy, destinatari, "
                 "risorse economiche preventivate, integrazione, continuità e co-progettazione con la rete.",
    "indicatori": "Gli indicatori degli obiettivi, del sistema di monitoraggio e delle valutazioni, con i valori "
                  "rilevati, i loro qualificatori (circa, oltre...) e le unità di misura scritte nella fonte.",
    "valutazioni": "La valutazione degli obiettivi del triennio precedente (Tabella 2 regionale): grado di "
                   "raggiungimento, coincidenza delle risorse, riproposizione nel nuovo piano.",
    "risorse": "Le voci di spesa preventivate per ogni obiettivo, con il loro importo in euro.",
    "partner": "Gli attori della rete (enti pubblici, terzo settore...) citati dai piani, con gli Ambiti in cui "
               "sono presenti e gli obiettivi che co-progettano.",
}


def _periods(catalog: Catalog, ambito: str | None) -> list[tuple[int, int]]:
    ambiti = [catalog.get("ambito", ambito)] if ambito else catalog.all("ambito")
    periods = []
    for a in ambiti:
        start, _, end = str(a.data.get("periodo", "")).partition("-")
        if start.isdigit() and end.isdigit():
            periods.append((int(start), int(end)))
    return periods


def _coverage(name: str, periods: list[tuple[int, int]]) -> tuple[int, int]:
    """Years covered: the plan's period; evaluations cover the three years before it."""
    if name == "valutazioni":
        periods = [(s - 3, s - 1) for s, _ in periods]
    elif name == "indicatori":
        periods = periods + [(s - 3, s - 1) for s, _ in periods]
    return min(s for s, _ in periods), max(e for _, e in periods)


def _modified(catalog: Catalog, updated: dict, name: str, ambito: str | None, fallback: str) -> str:
    paths = [r.path for kind in TABLE_KINDS[name] for r in catalog.all(kind)
             if ambito is None or kind == "partner" or r.ambito == ambito]
    if ambito:
        paths.append(catalog.get("ambito", ambito).path)
    return max((updated[p] for p in paths if p in updated), default=fallback)


def _zip(files: dict[str, bytes], date: str) -> bytes:
    """All open-data files in one zip, byte-identical on every build (fixed order and timestamps)."""
    stamp = tuple(int(x) for x in date.split("-")) + (0, 0, 0)
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
                       updated: dict, contact_email: str = "") -> dict[str, bytes]:
    """The Data Package, the catalogue (Turtle and JSON-LD) and the zip: site path → bytes."""
    newest = max(updated.values(), default="1980-01-01")
    tables = published_tables(catalog)
    out = {PACKAGE: data_package(tables, site_url, owner.get("nome") or "")}
    builder = CatalogueBuilder(site_url, owner, contact_email)
    datasets = []
    all_periods = _periods(catalog, None) or [(int(newest[:4]), int(newest[:4]))]
    for table in tables:
        name, ambito = table["name"], table["ambito"]
        periods = _periods(catalog, ambito) or all_periods
        places = [builder.place(ambito, catalog.get("ambito", ambito).title)] if ambito else []
        slug = (f"{ambito}-" if ambito else "") + name
        datasets.append(builder.dataset(
            slug, table["title"], DESCRIPTIONS[name] + (f" Ambito: {catalog.get('ambito', ambito).title}." if ambito else ""),
            TABLE_THEMES[name], _modified(catalog, updated, name, ambito, newest),
            builder.period(*_coverage(name, periods)), places + [LOMBARDIA],
            [(table["csv"], "csv", table["title"] + " (CSV)", len(exports[table["csv"]])),
             (table["json"], "json", table["title"] + " (JSON)", len(exports[table["json"]]))]))
    datasets.append(builder.dataset(
        "tutti-i-dati", "Tutti i dati aperti dei Piani di Zona della Lombardia",
        "In un unico archivio zip tutte le tabelle (CSV e JSON), il Data Package con gli schemi delle tabelle, "
        "gli schemi JSON dei contenuti e questo catalogo.", TABLE_THEMES["tutti"], newest,
        builder.period(*_coverage("indicatori", all_periods)), [LOMBARDIA],
        [(ZIP, "zip", "Archivio zip di tutti i dati aperti", None)]))
    builder.catalogue(datasets, newest)
    out[TURTLE], out[JSONLD] = builder.serialise()
    bundle = {p: b for p, b in {**exports, **out}.items() if p.startswith(f"{EXPORT_DIR}/")}
    out[ZIP] = _zip(bundle, newest)
    return out
