"""Checks that need more than one record: references, duplicates, source lines, table shapes."""
from __future__ import annotations

import datetime
from pathlib import Path

from pdz.content.catalog import Catalog
from pdz.content.lineage import check_denied, links
from pdz.content.model import KINDS, Record
from pdz.content.problems import WARNING, Problem, field_path
from pdz.content.sourcetext import TEXT_FOLDER, contains_quote
from pdz.content.vocabulary import check_vocabulary


def check_integrity(catalog: Catalog, root: Path,
                    today: datetime.date | None = None, placeholders: dict | None = None) -> list[Problem]:
    """``placeholders``: id(record) -> ``check_placeholders(record)`` made when the record was
    read (``mkdocs serve`` keeps it with the record: at N=100 walking every record's data again
    was 0.3 s of an edit's rebuild); a record not in it is walked here."""
    problems: list[Problem] = []
    for first, second in catalog.duplicates:
        problems.append(Problem(second.path, 1, "", f"identificativo '{second.id}' già usato da {first.path}",
                                "rinomina o elimina uno dei due file"))
    ambiti = {r.id for r in catalog.all("ambito")} | {i for k, i in catalog.invalid if k == "ambito"}
    plans = {r.id for r in catalog.all("piano")} | {i for k, i in catalog.invalid if k == "piano"}
    unknown = _unknown_targets(catalog)
    for record in catalog.by_key.values():
        problems.extend(unknown.get(id(record), ()))
        problems.extend(_check_sources(catalog, record))
        problems.extend(_check_review(record, today or datetime.date.today()))
        if record.ambito and record.kind != "ambito" and record.ambito not in ambiti:
            problems.append(Problem(record.path, 1, "", f"l'Ambito '{record.ambito}' non ha il file ambito.yaml",
                                    f"crea content/ambiti/{record.ambito}/ambito.yaml"))
        if record.piano and record.kind != "piano" and record.piano not in plans:
            problems.append(Problem(record.path, 1, "", f"il piano '{record.piano}' non ha il file piano.yaml",
                                    f"crea content/ambiti/{record.piano}/piano.yaml con 'make nuovo TIPO=piano "
                                    f"AMBITO={record.ambito} NOME={record.period}'"))
        found = placeholders.get(id(record)) if placeholders is not None else None
        problems.extend(check_placeholders(record) if found is None else found)
        checker = _KIND_CHECKS.get(record.kind)
        if checker:
            problems.extend(checker(catalog, record))
    problems.extend(_check_acronyms(catalog))
    problems.extend(_check_lineage(catalog))
    quote_found = _quote_finder(catalog, root)
    problems.extend(check_denied(catalog, quote_found))
    problems.extend(check_vocabulary(catalog, quote_found, PLACEHOLDER))
    return problems


def _check_lineage(catalog: Catalog) -> list[Problem]:
    """Each link between plans points the right way in time, and its lines exist."""
    out = []
    for link in links(catalog):
        holder, field = link.holder, link.field
        if link.lines:
            out.extend(_check_lines(catalog, holder, field + ("righe",), link.document, list(link.lines)))
        target = catalog.get("obiettivo", link.later if field[0] == "riproposto" else link.earlier)
        if field[:2] == ("continuita", "valutazioni") and link.evaluation and link.evaluation.period != holder.period:
            out.append(Problem(holder.path, holder.line(field), field_path(field),
                               f"la valutazione '{link.evaluation.id}' è scritta nel piano {link.evaluation.period}, "
                               f"non in quello di questo obiettivo ({holder.period})",
                               "indica la valutazione scritta in questo piano dell'obiettivo precedente che l'obiettivo prosegue"))
        elif field[:2] == ("continuita", "obiettivi") and target and target.period >= holder.period:
            out.append(Problem(holder.path, holder.line(field), field_path(field),
                               f"l'obiettivo '{target.id}' appartiene al piano {target.period}, che non precede questo ({holder.period})",
                               "un obiettivo prosegue obiettivi di piani precedenti"))
        elif field[0] == "riproposto" and target and target.period != holder.period:
            out.append(Problem(holder.path, holder.line(field), field_path(field),
                               f"l'obiettivo '{target.id}' appartiene al piano {target.period}, non a questo ({holder.period})",
                               "indica l'obiettivo di questo piano in cui l'obiettivo valutato è riproposto"))
    return out


def _quote_finder(catalog: Catalog, root: Path):
    """quote_found(document, lines, quote) for check_denied: reads a source text only when asked."""
    cache: dict = {}

    def found(document, lines, quote):
        if document not in cache:
            record = catalog.get("documento", document) if document else None
            path = Path(root) / TEXT_FOLDER / record.data["file"] if record and record.data.get("file") else None
            cache[document] = path.read_text(encoding="utf-8", errors="replace").split("\n") \
                if path and path.is_file() else None
        text = cache[document]
        return None if text is None else contains_quote(text, lines[0], lines[1], quote)
    return found


def _check_acronyms(catalog: Catalog) -> list[Problem]:
    """One glossary entry per acronym: two would give the same word two tooltips."""
    out: list[Problem] = []
    seen: dict[str, Record] = {}
    for record in catalog.all("sigla"):
        word = str(record.data.get("sigla", "")).strip()
        if word in seen:
            out.append(Problem(record.path, record.line(("sigla",)), "sigla",
                               f"la sigla '{word}' è già spiegata in {seen[word].path}",
                               "tieni una sola scheda per sigla: unisci le spiegazioni ed elimina questo file"))
        else:
            seen[word] = record
    return out


def _unknown_targets(catalog: Catalog) -> dict[int, list[Problem]]:
    """id(record) -> a problem for each reference of the record to a record that does not exist,
    in the order of its fields. The catalog's links are every reference of its records, found
    when it was made (its refs' paths walked once per build, not twice)."""
    out: dict[int, list[Problem]] = {}
    for link in catalog.links:
        if catalog.exists(link.target_kind, link.target_id):
            continue
        record, target, field = link.source, KINDS[link.target_kind], link.field
        out.setdefault(id(record), []).append(Problem(record.path, record.line(field), field_path(field),
                                                      f"{target.label} '{link.target_id}' inesistente",
                                                      _where_hint(target, link.target_id)))
    return out


def _where_hint(kind, value) -> str:
    if kind.scoped:
        return f"usa l'identificativo completo '<ambito>/<periodo>/{kind.folder}/<nome file>' di un file esistente"
    if kind.name == "ambito":
        return "usa il nome di una cartella in content/ambiti/"
    return f"usa il nome (senza estensione) di un file in content/{kind.folder}/"


def _check_sources(catalog: Catalog, record) -> list[Problem]:
    out = []
    sources = record.data.get("fonti") or []
    for i, source in enumerate(sources):
        document = catalog.get("documento", source.get("documento"))
        if document and "righe_totali" in document.data and "righe" not in source:
            out.append(Problem(record.path, record.line(("fonti", i)), f"fonti[{i}]",
                               "mancano le righe del documento di origine",
                               "aggiungi 'righe: [prima, ultima]': il documento è trascritto riga per riga"))
        out.extend(_check_lines(catalog, record, ("fonti", i, "righe"), source.get("documento"),
                                source.get("righe")))
    default_doc = sources[0].get("documento") if sources else None
    for i, note in enumerate(record.data.get("note_fonte") or []):
        if "righe" in note:
            out.extend(_check_lines(catalog, record, ("note_fonte", i, "righe"), default_doc, note["righe"]))
    for key in ("obiettivi_dichiarati", "esito_complessivo"):   # a plan's own words, quoted with their lines
        if isinstance(record.data.get(key), dict):
            out.extend(_check_lines(catalog, record, (key, "righe"), default_doc, record.data[key].get("righe")))
    return out


def _check_lines(catalog, record, field, doc_id, lines) -> list[Problem]:
    if not lines or len(lines) != 2:
        return []
    start, end = lines
    if start > end:
        return [Problem(record.path, record.line(field), field_path(field),
                        f"la prima riga ({start}) viene dopo l'ultima ({end})", "scrivi [prima, ultima]")]
    document = catalog.get("documento", doc_id) if doc_id else None
    if document and "righe_totali" in document.data and end > document.data["righe_totali"]:
        return [Problem(record.path, record.line(field), field_path(field),
                        f"la riga {end} non esiste: il documento '{doc_id}' ha "
                        f"{document.data['righe_totali']} righe", "controlla il numero di riga nella fonte")]
    return []


PLACEHOLDER = "DA COMPILARE"


def check_placeholders(record) -> list[Problem]:
    """Scaffolded fields still to be filled in: a warning, so a draft can be previewed."""
    out = []

    def walk(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, path + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, path + (i,))
        elif value == PLACEHOLDER:
            out.append(Problem(record.path, record.line(path), field_path(path), "campo ancora da compilare",
                               "scrivi il contenuto oppure togli il campo se la fonte non lo indica", WARNING))
    walk(record.data, ())
    return out


def _check_review(record, today) -> list[Problem]:
    review = record.data.get("revisione")
    if not review:
        return []
    try:
        due = datetime.date.fromisoformat(review["entro"])
    except ValueError:
        return [Problem(record.path, record.line(("revisione", "entro")), "revisione.entro",
                        f"la data '{review['entro']}' non esiste", "usa una data reale nel formato AAAA-MM-GG")]
    if due < today:
        return [Problem(record.path, record.line(("revisione", "entro")), "revisione.entro",
                        f"revisione scaduta il {due.strftime('%d/%m/%Y')} (ufficio: {review['ufficio']})",
                        "aggiorna il contenuto e sposta la data di revisione", WARNING)]
    return []


def _check_area(catalog, record) -> list[Problem]:
    if record.data["lettera"] != record.id:
        return [Problem(record.path, record.line(("lettera",)), "lettera",
                        f"la lettera '{record.data['lettera']}' non coincide con il nome del file '{record.id}'",
                        f"rinomina il file in {record.data['lettera']}.yaml o correggi la lettera")]
    return []


def _check_table(catalog, record) -> list[Problem]:
    out = []
    columns = record.data["colonne"]
    for r, row in enumerate(record.data["righe"]):
        field = ("righe", r)
        if len(row) != len(columns):
            out.append(Problem(record.path, record.line(field), field_path(field),
                               f"la riga ha {len(row)} valori ma le colonne sono {len(columns)}",
                               "aggiungi null per le celle vuote o togli i valori in più"))
            continue
        for c, (cell, column) in enumerate(zip(row, columns)):
            if column["tipo"] != "testo" and cell is not None and \
                    (isinstance(cell, bool) or not isinstance(cell, (int, float))):
                out.append(Problem(record.path, record.line(field + (c,)), field_path(field + (c,)),
                                   f"la colonna '{column['nome']}' è numerica ma il valore è '{cell}'",
                                   "scrivi il numero con il punto decimale (1234.5) o null se la cella è vuota"))
    return out


def _check_objective(catalog, record) -> list[Problem]:
    out, seen = [], set()
    if record.data.get("altre_aree") and not record.data.get("area"):
        out.append(Problem(record.path, record.line(("altre_aree",)), "altre_aree",
                           "altre aree indicate senza l'area principale",
                           "scrivi in 'area' l'area principale e lascia in 'altre_aree' solo le altre"))
    for i, action in enumerate(record.data.get("azioni") or []):
        code = action.get("codice")
        if code and code in seen:
            out.append(Problem(record.path, record.line(("azioni", i, "codice")), f"azioni[{i}].codice",
                               f"il codice di azione '{code}' è ripetuto", "ogni azione ha un codice diverso"))
        seen.add(code)
    for i, action in enumerate(record.data.get("azioni") or []):
        for j, target in enumerate(action.get("integra_con") or []):
            if "azione" not in target:
                continue
            other = catalog.get("obiettivo", target.get("obiettivo", record.id))
            codes = {a.get("codice") for a in (other.data.get("azioni") or [])} if other else None
            if codes is not None and target["azione"] not in codes:
                field = ("azioni", i, "integra_con", j, "azione")
                out.append(Problem(record.path, record.line(field), field_path(field),
                                   f"l'azione '{target['azione']}' non esiste in {other.id}",
                                   "usa il codice di un'azione di quell'obiettivo"))
    return out


def _check_plan(catalog, record) -> list[Problem]:
    if record.data["periodo"] != record.period:
        return [Problem(record.path, record.line(("periodo",)), "periodo",
                        f"il periodo '{record.data['periodo']}' non coincide con la cartella del piano '{record.period}'",
                        f"scrivi periodo: \"{record.period}\" oppure sposta il file nella cartella del suo periodo")]
    out = []
    groups = {e.data.get("gruppo") for e in catalog.of_plan(record.id, "valutazione")}
    if any(kind == "valutazione" and id_.startswith(record.id + "/") for kind, id_ in catalog.invalid):
        groups = None   # an evaluation of the plan is not valid (already reported): its group is unknown
    sources = record.data.get("fonti") or []
    document = sources[0].get("documento") if sources else None
    for i, entry in enumerate(record.data.get("aree_dei_gruppi") or []):
        field = ("aree_dei_gruppi", i, "gruppo")
        if groups is not None and entry["gruppo"] not in groups:
            out.append(Problem(record.path, record.line(field), field_path(field),
                               f"nessuna valutazione di questo piano ha il gruppo «{entry['gruppo']}»",
                               "scrivi il gruppo esattamente come nel campo 'gruppo' delle valutazioni del piano"))
        out.extend(_check_lines(catalog, record, ("aree_dei_gruppi", i, "righe"), document, entry.get("righe")))
    return out


def _check_evaluation(catalog, record) -> list[Problem]:
    """An evaluation looks back: the objective it evaluates belongs to an earlier plan."""
    target = catalog.get("obiettivo", record.data.get("obiettivo_valutato", ""))
    if target and target.period >= record.period:
        field = ("obiettivo_valutato",)
        return [Problem(record.path, record.line(field), "obiettivo_valutato",
                        f"l'obiettivo valutato appartiene al piano {target.period}, che non precede questo ({record.period})",
                        "una valutazione riguarda un obiettivo di un piano precedente: indica quell'obiettivo")]
    return []


_KIND_CHECKS = {"area": _check_area, "tabella": _check_table, "obiettivo": _check_objective,
                "piano": _check_plan, "valutazione": _check_evaluation}
