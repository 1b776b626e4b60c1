"""The Frictionless Data Package of the open data (``dati/datapackage.json``): every CSV file
as a resource with its Table Schema, generated from ``fields.py``."""
from __future__ import annotations

import json

from pdz.opendata.fields import table_schema

LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribuzione 4.0 Internazionale"}


def resource_name(table: dict) -> str:
    return (f"{table['ambito']}-" if table["ambito"] else "") + table["name"]


def data_package(tables: list[dict], site_url: str, owner_name: str, base: str = "dati/") -> bytes:
    """``tables`` as returned by ``export.published_tables``; paths are relative to ``base``."""
    resources = []
    for table in tables:
        prefix = f"{table['ambito']}-" if table["ambito"] else ""
        resources.append({
            "name": resource_name(table), "title": table["title"], "path": table["csv"].removeprefix(base),
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "profile": "tabular-data-resource",
            "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
            "schema": table_schema(table["name"], prefix),
        })
    package = {
        "profile": "tabular-data-package",
        "name": "piani-di-zona-lombardia",
        "title": "Piani di Zona della Lombardia – dati aperti",
        "description": "Obiettivi, indicatori, valutazioni, risorse economiche preventivate e attori della rete dei "
                       "Piani di Zona degli Ambiti territoriali lombardi, trascritti dai documenti originali.",
        "homepage": site_url.rstrip("/") + "/dati-aperti/",
        "licenses": [LICENSE],
        "contributors": [{"title": owner_name, "role": "publisher"}] if owner_name else [],
        "keywords": ["piani di zona", "welfare", "programmazione sociale", "Lombardia"],
        "resources": resources,
    }
    return (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
