"""Open data: JSON and CSV of objectives, indicators, evaluations, budgets and partners.

Files are produced from the loaded catalog as bytes (generator-neutral); the MkDocs glue
publishes them under ``dati/``. Output is deterministic: sorted keys, stable order.
"""
from __future__ import annotations

import csv
import io
import json

from pdz.domain.budget import item_kinds, headline, items
from pdz.domain.changes import GROUPS, History, describe
from pdz.content.catalog import Catalog
from pdz.content import schemas
from pdz.opendata.fields import check_columns, names
from pdz.content.urls import page_url
from pdz.domain.monitoring import monitoring_of
from pdz.content.values import measured_values, qualifier_label

LICENSE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/deed.it)"
EXPORT_DIR = "dati"


def _permalink(site_url: str, kind: str, record_id: str) -> str:
    return site_url.rstrip("/") + "/" + page_url(kind, record_id)


def _sources(record) -> str:
    return "; ".join(s["documento"] + (f" righe {s['righe'][0]}-{s['righe'][1]}" if s.get("righe") else "")
                     for s in record.data.get("fonti", []))


def objective_rows(catalog: Catalog, site_url: str, ambito: str | None = None) -> list[dict]:
    rows = []
    for o in catalog.all("obiettivo"):
        if ambito and o.ambito != ambito:
            continue
        d = o.data
        money = headline(o)
        rows.append({
            "id": o.id, "permalink": _permalink(site_url, "obiettivo", o.id), "ambito": o.ambito, "periodo": o.period,
            "numero": d.get("numero", ""), "titolo": d["titolo"], "area": d.get("area", ""),
            "gruppo_piano": d.get("gruppo_piano", ""), "target": d.get("target", ""),
            "categorie_target": "|".join(d.get("categorie_target") or []),
            "risorse_testo": (d.get("risorse_economiche") or {}).get("testo", ""),
            # the plan's figure, or else the site's sum of the items (risorse_somma_calcolata says which)
            "risorse_euro": money.amount if money else "",
            "risorse_somma_calcolata": ("si" if money.computed else "no") if money else "",
            "risorse_tipi": "|".join(money.kinds) if money else "",
            "aree_trasversali": "|".join((d.get("trasversale") or {}).get("aree") or []),
            "trasversale": (d.get("trasversale") or {}).get("risposta", ""),
            "integrazione_sociosanitaria": (d.get("integrazione_sociosanitaria") or {}).get("risposta", ""),
            "continuita": (d.get("continuita") or {}).get("risposta", ""),
            "coprogettazione": (d.get("coprogettazione") or {}).get("risposta", ""),
            "partner": "|".join((d.get("coprogettazione") or {}).get("partner") or []),
            **_state_columns(monitoring_of(catalog).state(o)),
            "fonte": _sources(o),
        })
    return rows


def _state_columns(state) -> dict:
    return {"stato": state.value if state else "", "stato_data": state.date if state else "",
            "stato_da_valutazione": state.evaluation.id if state and state.evaluation else "",
            "stato_da_grado": state.grade if state and state.grade is not None else ""}


def budget_rows(catalog: Catalog, ambito: str | None = None) -> list[dict]:
    rows = []
    for o in catalog.all("obiettivo"):
        if ambito and o.ambito != ambito:
            continue
        for i, part in enumerate(items(o)):
            rows.append({"obiettivo": o.id, "ambito": o.ambito, "periodo": o.period, "area": o.data.get("area", ""),
                         "voce_n": i + 1, "voce": part.get("voce", ""), "tipo": part["tipo"],
                         "tipo_descrizione": item_kinds()[part["tipo"]], "importo_euro": part["importo"]})
    return rows


def indicator_rows(catalog: Catalog, ambito: str | None = None) -> list[dict]:
    rows = []
    for kind, sections in (("obiettivo", ("bisogni", "modalita", "risultati", "impatto")), ("monitoraggio", (None,)),
                           ("valutazione", (None,))):
        for record in catalog.all(kind):
            if ambito and record.ambito != ambito:
                continue
            for section in sections:
                items = (record.data.get(section) or {}).get("indicatori") if section else record.data.get("indicatori")
                for item in items or []:
                    figures = measured_values(item.get("valore_rilevato"))
                    for n, figure in enumerate(figures or [{}], start=1):
                        rows.append({"record": record.id, "tipo_record": kind, "ambito": record.ambito, "periodo": record.period,
                                     "sezione": section or "", "tipo": item["tipo"], "descrizione": item["descrizione"],
                                     "confronto": item.get("confronto", ""), "valore_obiettivo": item.get("valore_obiettivo", ""),
                                     **_measured_columns(figure, n if len(figures) > 1 else ""),
                                     "unita": figure.get("unita") or item.get("unita", ""),
                                     "anno": item.get("anno", ""), "fonte_dato": item.get("fonte_dato", ""),
                                     "frequenza": item.get("frequenza", "")})
    return rows


def _measured_columns(figure: dict, n) -> dict:
    """A measured figure in its own columns: number, qualifier, range, what it counts. Indicators
    whose sentence holds several figures give one row per figure, numbered in valore_n."""
    return {"valore_rilevato": figure.get("valore", ""),
            "valore_rilevato_qualificatore": qualifier_label(figure),
            "valore_rilevato_minimo": figure.get("minimo", ""), "valore_rilevato_massimo": figure.get("massimo", ""),
            "valore_rilevato_media": "si" if figure.get("media") else "",
            "valore_rilevato_parziale_al": figure.get("parziale_al", ""),
            "valore_n": n, "valore_voce": figure.get("voce", "")}


def measurement_rows(catalog: Catalog, site_url: str, ambito: str | None = None) -> list[dict]:
    """Measurements in long format: one row per figure, with its period, indicator and objective."""
    rows = []
    for m in monitoring_of(catalog).all_measurements():
        o = m.objective
        if ambito and o.ambito != ambito:
            continue
        source = m.source or {}
        lines = source.get("righe")
        rows.append({
            "obiettivo": o.id, "permalink": _permalink(site_url, "obiettivo", o.id), "ambito": o.ambito,
            "periodo_piano": o.period, "indicatore": m.indicator["descrizione"], "indicatore_n": m.index,
            "tipo_indicatore": m.indicator["tipo"], "periodo": m.period, "voce": m.value.get("voce", ""),
            "valore": m.value.get("valore", ""), "qualificatore": qualifier_label(m.value),
            "minimo": m.value.get("minimo", ""), "massimo": m.value.get("massimo", ""),
            "media": "si" if m.value.get("media") else "", "parziale_al": m.value.get("parziale_al", ""), "unita": m.unit,
            "confronto": m.indicator.get("confronto", ""), "valore_obiettivo": m.indicator.get("valore_obiettivo", ""),
            "scritto_in": m.record.id,
            "fonte": (f"{source['documento']}" + (f" righe {lines[0]}-{lines[1]}" if lines else "")) if source else _sources(m.record),
            "nota": m.note,
        })
    return rows


def evaluation_rows(catalog: Catalog, site_url: str, ambito: str | None = None) -> list[dict]:
    rows = []
    for e in catalog.all("valutazione"):
        if ambito and e.ambito != ambito:
            continue
        d = e.data
        rows.append({
            "id": e.id, "permalink": _permalink(site_url, "valutazione", e.id), "ambito": e.ambito, "periodo": e.period,
            "obiettivo_valutato": d.get("obiettivo_valutato", ""),
            "numero": d.get("numero", ""), "titolo": d["titolo"], "formato": d["formato"],
            "tipo_oggetto": d.get("tipo_oggetto", ""), "gruppo": d.get("gruppo", ""),
            "raggiungimento_percentuale": (d.get("grado_raggiungimento") or {}).get("percentuale", ""),
            "coincidenza_risorse_percentuale": (d.get("coincidenza_risorse") or {}).get("percentuale", ""),
            "bisogno_risposto": (d.get("bisogno_risposto") or {}).get("risposta", ""),
            "riproposto": (d.get("riproposto") or {}).get("risposta", ""),
            "riproposto_in": "|".join(item["obiettivo"] for item in (d.get("riproposto") or {}).get("obiettivi") or []),
            "stato_attuazione": d.get("stato_attuazione", ""), "categoria_criticita": d.get("categoria_criticita", ""),
            "fonte": _sources(e),
        })
    return rows


def change_rows(catalog: Catalog, site_url: str, ambito: str | None = None, history: History | None = None) -> list[dict]:
    """Every change of a record on the published branch, newest first (``pdz.domain.changes``):
    one row per field changed, with its values before and after as the site writes them and as
    the file does; one row for a record published, moved without other changes, or removed."""
    rows: list[dict] = []
    for event in (history.events if history is not None else []):
        if event.action in GROUPS or ambito and event.ambito != ambito:
            continue
        base = {"data": event.day, "modifica": event.commit, "azione": event.action, "tipo_record": event.kind,
                "id": event.record_id, "id_precedente": event.moved_from,
                "permalink": _permalink(site_url, event.kind, event.record_id), "ambito": event.ambito or "",
                "periodo": event.plan.rsplit("/", 1)[-1] if event.plan else "", "titolo": event.title}
        empty = {"campo": "", "etichetta": "", "valore_precedente": "", "valore_nuovo": "", "dato_precedente": "",
                 "dato_nuovo": ""}
        for change in event.fields or [None]:
            if change is None:
                rows.append({**base, **empty, "motivo": event.reason})
                continue
            said = describe(event.kind, change, catalog)
            rows.append({**base, "campo": ".".join(str(p + 1) if isinstance(p, int) else p for p in change.path),
                         "etichetta": said.label, "valore_precedente": said.old, "valore_nuovo": said.new,
                         "dato_precedente": _raw(change.old), "dato_nuovo": _raw(change.new), "motivo": event.reason})
    return rows


def _raw(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def partner_rows(catalog: Catalog, site_url: str) -> list[dict]:
    rows = []
    for p in catalog.all("partner"):
        coprogetta = sorted({l.source.id for l in catalog.referrers(p, "obiettivo")})
        rows.append({"id": p.id, "permalink": _permalink(site_url, "partner", p.id), "nome": p.data["nome"],
                     "tipo": p.data["tipo"], "ambiti": "|".join(sorted({a["ambito"] for a in p.data.get("ambiti") or []})),
                     "obiettivi_coprogettati": "|".join(coprogetta), "fonte": _sources(p)})
    return rows


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A CSV cell that no spreadsheet takes for a formula (OWASP): a text starting with = + - @,
    tab or carriage return gets a leading single quote. Only texts: numbers (negative ones too)
    stay numbers. Every text cell is written between double quotes (``_csv``)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(rows: list[dict], dataset: str) -> bytes:
    """The table with its header (also when empty), columns as defined in opendata/fields.py.
    Texts quoted, numbers bare: a spreadsheet reads numbers as numbers and texts as texts."""
    check_columns(dataset, rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names(dataset), lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8")


def _json(rows, title: str) -> bytes:
    """Strict JSON (no NaN or Infinity, which the loader refuses anyway) with the values as
    written: the spreadsheet protection is for CSV only."""
    payload = {"titolo": title, "licenza": LICENSE, "numero_elementi": len(rows), "elementi": rows}
    return (json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=False, allow_nan=False) + "\n").encode("utf-8")


DATASETS = {
    "obiettivi": ("Obiettivi dei Piani di Zona", lambda c, url, a, h: objective_rows(c, url, a)),
    "indicatori": ("Indicatori", lambda c, url, a, h: indicator_rows(c, a)),
    "valutazioni": ("Valutazioni degli obiettivi dei piani precedenti", lambda c, url, a, h: evaluation_rows(c, url, a)),
    "risorse": ("Risorse economiche preventivate per obiettivo", lambda c, url, a, h: budget_rows(c, a)),
    "misurazioni": ("Misurazioni degli indicatori nel tempo (formato lungo)", lambda c, url, a, h: measurement_rows(c, url, a)),
    "modifiche": ("Modifiche delle schede (cronologia)", lambda c, url, a, h: change_rows(c, url, a, h)),
}


def published_tables(catalog: Catalog) -> list[dict]:
    """Every published table: name (as in opendata/fields.py), scope (an Ambito id or None for
    all Ambiti), Italian title and the site paths of its CSV and JSON files."""
    tables = []
    scopes = [(None, f"{EXPORT_DIR}/")] + [(a.id, f"{EXPORT_DIR}/{a.id}/") for a in catalog.all("ambito")]
    for ambito, prefix in scopes:
        for name, (title, _) in DATASETS.items():
            label = title + (f" – {catalog.get('ambito', ambito).title}" if ambito else " – tutti gli Ambiti")
            tables.append({"name": name, "ambito": ambito, "title": label,
                           "csv": f"{prefix}{name}.csv", "json": f"{prefix}{name}.json"})
    tables.append({"name": "partner", "ambito": None, "title": "Attori della rete",
                   "csv": f"{EXPORT_DIR}/partner.csv", "json": f"{EXPORT_DIR}/partner.json"})
    return tables


def export_files(catalog: Catalog, site_url: str, history: History | None = None) -> dict[str, bytes]:
    """All open-data files: path under the site root → bytes (``history``: the records' changes),
    in the order of ``export_paths``."""
    files: dict[str, bytes] = {}
    for table in published_tables(catalog):
        if table["name"] == "partner":
            rows = partner_rows(catalog, site_url)
        else:
            rows = DATASETS[table["name"]][1](catalog, site_url, table["ambito"], history)
        files[table["json"]] = _json(rows, table["title"])
        files[table["csv"]] = _csv(rows, table["name"])
    for schema in schemas.schema_files():
        files[f"{EXPORT_DIR}/schemi/{schema.name}"] = schema.read_bytes()
    return files


def export_paths(catalog: Catalog) -> list[str]:
    """The site paths ``export_files`` makes, in its order, without making them."""
    paths = [path for table in published_tables(catalog) for path in (table["json"], table["csv"])]
    return paths + [f"{EXPORT_DIR}/schemi/{schema.name}" for schema in schemas.schema_files()]
