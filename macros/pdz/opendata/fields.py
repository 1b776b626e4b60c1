"""The columns of the open-data tables: the one place where they are defined.

The CSV files take their header from here (``macros/pdz/export.py``), and the Table Schemas of
the Data Package are generated from here; the rows are built by the exporters. A column that an
exporter produces and this module does not define stops the build (``check_columns``), so a new
column cannot be published undocumented.

Each column: (name, Table Schema type, Italian description, unit or ""). Units follow the
``unit`` property of the column (EUR, percent) or, for indicators, the ``unita`` column.
"""
from __future__ import annotations

from pdz.domain.monitoring import scale_text

LIST = " Più valori separati da «|»."
SOURCE = ("fonte", "string", "Documento di origine e righe da cui è tratto il record (identificativo del "
          "documento, pagina «Documenti di origine» del sito).", "")
AMBITO = ("ambito", "string", "Identificativo dell'Ambito territoriale (per esempio «corsico»).", "")
ID = ("id", "string", "Identificativo permanente del record: Ambito, cartella e nome del file.", "")
PERMALINK = ("permalink", "string", "Indirizzo permanente della pagina del record sul sito.", "")
PERIOD = ("periodo", "string", "Periodo del Piano di Zona a cui appartiene il record (AAAA-AAAA).", "")
ANSWER = "Risposta della fonte: si, no, in_parte, non_indicato."
OBJECTIVE = ("obiettivo", "string", "Identificativo dell'obiettivo (colonna id di obiettivi.csv).", "")
COMPARISON = ("confronto", "string", "Termine di confronto indicato dalla fonte.", "")
TARGET = ("valore_obiettivo", "number", "Valore da raggiungere, solo se la fonte lo scrive (unità nella colonna unita).", "")
UNIT = ("unita", "string", "Unità di misura del valore, come scritta nella fonte.", "")
INDICATOR = "Descrizione dell'indicatore, testo della fonte."
ITEM = "Che cosa conta la cifra, quando la frase della fonte ne contiene più di una."


def numbered(of: str) -> list[tuple[str, str, str, str]]:
    """Number and title of an objective, as the plan writes them (``of``: "dell'obiettivo"...)."""
    return [("numero", "string", f"Numero {of} nel piano, come scritto nella fonte.", ""),
            ("titolo", "string", f"Titolo {of}.", "")]


def measured(name: str, prefix: str = "") -> list[tuple[str, str, str, str]]:
    """The columns of one measured value (``pdz/values.py``): the number, or the qualifier the
    source writes, or the two ends of the range it gives, and whether it is an average or a partial
    figure. ``prefix`` names all but the first."""
    return [(name, "number", "Valore misurato (unità nella colonna unita); vuoto se la fonte dà un intervallo.", ""),
            (prefix + "qualificatore", "string", "Qualificatore del valore scritto dalla fonte: circa, oltre, più di, "
             "almeno, meno di.", ""),
            (prefix + "minimo", "number", "Estremo inferiore, se la fonte dà un intervallo.", ""),
            (prefix + "massimo", "number", "Estremo superiore, se la fonte dà un intervallo.", ""),
            (prefix + "media", "string", "si se la fonte dà il valore come media (per esempio «una media di 10 "
             "incontri annuali»), altrimenti vuoto.", ""),
            (prefix + "parziale_al", "string", "Se la fonte dà un dato parziale, la data a cui è aggiornato (AAAA-MM-GG).", "")]


COLUMNS: dict[str, list[tuple[str, str, str, str]]] = {
    "obiettivi": [
        ID, PERMALINK, AMBITO, PERIOD,
        *numbered("dell'obiettivo"),
        ("area", "string", "Lettera della macro-area di policy regionale (A-J).", ""),
        ("gruppo_piano", "string", "Raggruppamento dell'obiettivo nel piano.", ""),
        ("target", "string", "Destinatari, come descritti nella fonte.", ""),
        ("categorie_target", "string", "Categorie di destinatari (vocabolario del sito)." + LIST, ""),
        ("risorse_testo", "string", "Risorse economiche preventivate, testo della fonte.", ""),
        ("risorse_euro", "number", "Risorse economiche preventivate: l'importo che il piano indica; se la scheda elenca "
         "più voci senza un totale, la somma delle voci calcolata dal sito (vedi risorse_somma_calcolata).", "EUR"),
        ("risorse_somma_calcolata", "string", "si se risorse_euro è una somma calcolata dal sito delle voci indicate "
         "nel piano, no se è l'importo scritto nel piano.", ""),
        ("risorse_tipi", "string", "Tipi delle voci comprese in risorse_euro (colonna tipo di risorse.csv)." + LIST, ""),
        ("aree_trasversali", "string", "Altre aree di policy con cui l'obiettivo si integra." + LIST, ""),
        ("trasversale", "string", "Integrazione con altre aree di policy. " + ANSWER, ""),
        ("integrazione_sociosanitaria", "string", "Integrazione sociosanitaria. " + ANSWER, ""),
        ("continuita", "string", "Continuità con la programmazione precedente. " + ANSWER, ""),
        ("coprogettazione", "string", "Co-progettazione con la rete. " + ANSWER, ""),
        ("partner", "string", "Identificativi degli attori della rete che co-progettano (file partner.csv)." + LIST, ""),
        ("stato", "string", "Stato di attuazione più recente: dichiarato nella scheda, scritto nella valutazione "
         "del piano successivo o ricavato dal grado di raggiungimento che essa indica (per esempio raggiunto, parziale).", ""),
        ("stato_data", "string", "Data o periodo a cui si riferisce lo stato di attuazione.", ""),
        ("stato_da_valutazione", "string", "Identificativo della valutazione da cui è tratto lo stato (file valutazioni.csv), "
         "se non è dichiarato nella scheda.", ""),
        ("stato_da_grado", "number", "Grado di raggiungimento (da 0 a 100) da cui il sito ricava lo stato con la sua scala "
         f"({scale_text()}), se lo stato viene da lì.", "percent"),
        SOURCE,
    ],
    "misurazioni": [
        OBJECTIVE, PERMALINK, AMBITO,
        ("periodo_piano", "string", "Periodo del Piano di Zona dell'obiettivo (AAAA-AAAA).", ""),
        ("indicatore", "string", INDICATOR, ""),
        ("indicatore_n", "integer", "Numero dell'indicatore nella scheda dell'obiettivo.", ""),
        ("tipo_indicatore", "string", "Tipo di indicatore (input, processo, output, outcome).", ""),
        ("periodo", "string", "Anno o periodo della misurazione (AAAA o AAAA-AAAA).", ""),
        ("voce", "string", ITEM, ""),
        *measured("valore"),
        UNIT, COMPARISON, TARGET,
        ("scritto_in", "string", "Identificativo del record in cui è scritta la misurazione (l'obiettivo o una valutazione successiva).", ""),
        SOURCE,
        ("nota", "string", "Nota redazionale sulla misurazione.", ""),
    ],
    "indicatori": [
        ("record", "string", "Identificativo del record a cui appartiene l'indicatore (obiettivo, monitoraggio o valutazione).", ""),
        ("tipo_record", "string", "Tipo del record: obiettivo, monitoraggio, valutazione.", ""),
        AMBITO, PERIOD,
        ("sezione", "string", "Sezione dell'obiettivo: bisogni, modalita, risultati, impatto (vuota per gli altri record).", ""),
        ("tipo", "string", "Tipo di indicatore (input, output, outcome...).", ""),
        ("descrizione", "string", INDICATOR, ""),
        COMPARISON, TARGET,
        *measured("valore_rilevato", "valore_rilevato_"),
        ("valore_n", "integer", "Numero della cifra, quando una frase della fonte ne contiene più di una (una riga per cifra).", ""),
        ("valore_voce", "string", ITEM, ""),
        UNIT,
        ("anno", "string", "Anno o periodo del valore (AAAA o AAAA-AAAA).", ""),
        ("fonte_dato", "string", "Fonte del dato indicata dal piano.", ""),
        ("frequenza", "string", "Frequenza di rilevazione indicata dal piano.", ""),
    ],
    "valutazioni": [
        ID, PERMALINK, AMBITO, PERIOD,
        ("obiettivo_valutato", "string", "Identificativo dell'obiettivo del piano precedente che viene valutato "
         "(colonna id di obiettivi.csv), se è sul sito.", ""),
        *numbered("dell'obiettivo valutato"),
        ("formato", "string", "Formato della scheda di valutazione nella fonte.", ""),
        ("tipo_oggetto", "string", "Tipo dell'oggetto valutato.", ""),
        ("gruppo", "string", "Raggruppamento nel piano.", ""),
        ("raggiungimento_percentuale", "number", "Grado di raggiungimento dell'obiettivo.", "percent"),
        ("coincidenza_risorse_percentuale", "number", "Coincidenza tra risorse preventivate e impiegate.", "percent"),
        ("bisogno_risposto", "string", "Il bisogno ha avuto risposta. " + ANSWER, ""),
        ("riproposto", "string", "L'obiettivo è riproposto nel piano successivo. " + ANSWER, ""),
        ("riproposto_in", "string", "Identificativi degli obiettivi del piano successivo che lo ripropongono (file obiettivi.csv)." + LIST, ""),
        ("stato_attuazione", "string", "Stato di attuazione.", ""),
        ("categoria_criticita", "string", "Categoria delle criticità incontrate.", ""),
        SOURCE,
    ],
    "risorse": [
        OBJECTIVE, AMBITO, PERIOD,
        ("area", "string", "Lettera della macro-area di policy dell'obiettivo.", ""),
        ("voce_n", "integer", "Numero progressivo della voce di spesa nell'obiettivo.", ""),
        ("voce", "string", "Voce di spesa, testo della fonte.", ""),
        ("tipo", "string", "Tipo di risorsa, con le parole del piano: risorse_ambito, risorse_preventivate, "
         "costo_personale, altri_fondi_pubblici, progetti_terzi.", ""),
        ("tipo_descrizione", "string", "Il tipo di risorsa in italiano.", ""),
        ("importo_euro", "number", "Importo preventivato della voce.", "EUR"),
    ],
    "partner": [
        ID, PERMALINK,
        ("nome", "string", "Nome dell'attore della rete.", ""),
        ("tipo", "string", "Tipo di attore (ente pubblico, terzo settore...).", ""),
        ("ambiti", "string", "Ambiti territoriali in cui è presente." + LIST, ""),
        ("obiettivi_coprogettati", "string", "Identificativi degli obiettivi che co-progetta (file obiettivi.csv)." + LIST, ""),
        SOURCE,
    ],
    "modifiche": [
        ("data", "date", "Data della modifica sul ramo pubblicato del sito (per una proposta di modifica unita al ramo, "
         "la data dell'unione, mai una data futura).", ""),
        ("modifica", "string", "Identificativo della modifica nella storia del repository (commit git).", ""),
        ("azione", "string", "Che cosa è successo alla scheda: pubblicata, modificata, spostata (nuovo indirizzo), rimossa.", ""),
        ("tipo_record", "string", "Tipo della scheda (obiettivo, valutazione, piano, partner...).", ""),
        ("id", "string", "Identificativo della scheda dopo la modifica (per una scheda rimossa, l'ultimo che ha avuto).", ""),
        ("id_precedente", "string", "Per una scheda spostata, il suo identificativo di prima.", ""),
        PERMALINK, AMBITO, PERIOD,
        ("titolo", "string", "Titolo della scheda dopo la modifica (per una scheda rimossa, prima).", ""),
        ("campo", "string", "Il campo cambiato: i nomi dei campi del file separati da punti, le posizioni negli elenchi "
         "contate da 1 (per esempio risorse_economiche.componenti.1.importo); vuoto per una scheda pubblicata, "
         "spostata senza altri cambiamenti o rimossa.", ""),
        ("etichetta", "string", "Il campo in parole, come sulla pagina.", ""),
        ("valore_precedente", "string", "Il valore di prima, scritto come sul sito (€ 3.500.000,00; 25%); vuoto se il "
         "campo non c'era.", ""),
        ("valore_nuovo", "string", "Il valore nuovo, scritto come sul sito; vuoto se il campo è stato tolto.", ""),
        ("dato_precedente", "string", "Il valore di prima come è scritto nel file, in JSON.", ""),
        ("dato_nuovo", "string", "Il valore nuovo come è scritto nel file, in JSON.", ""),
        ("motivo", "string", "Il motivo della modifica: la riga «Motivo:» del messaggio della modifica, o il titolo della "
         "proposta di modifica (pull request), o il messaggio stesso.", ""),
    ],
}
# Keys of each table, and references between tables of the same scope (all Ambiti, one Ambito).
PRIMARY_KEYS = {"obiettivi": ["id"], "valutazioni": ["id"], "partner": ["id"], "risorse": ["obiettivo", "voce_n"]}
FOREIGN_KEYS = {"risorse": [("obiettivo", "obiettivi", "id")], "misurazioni": [("obiettivo", "obiettivi", "id")], "valutazioni": [("obiettivo_valutato", "obiettivi", "id")]}


def names(dataset: str) -> list[str]:
    return [c[0] for c in COLUMNS[dataset]]


def check_columns(dataset: str, rows: list[dict]) -> None:
    """Every produced column is defined here, and every defined column is produced."""
    declared = names(dataset)
    for row in rows[:1]:
        if list(row) != declared:
            missing = [c for c in row if c not in declared]
            extra = [c for c in declared if c not in row]
            raise ValueError(f"dati aperti, tabella {dataset}: colonne non definite in macros/pdz/opendata/fields.py "
                             f"{missing}, definite ma non prodotte {extra} (o in altro ordine): aggiorna COLUMNS")


def table_schema(dataset: str, same_scope_prefix: str = "") -> dict:
    """The Frictionless Table Schema of one table; foreign keys point at the resources of the
    same scope (``same_scope_prefix`` + table name)."""
    fields = []
    for name, type_, description, unit in COLUMNS[dataset]:
        field = {"name": name, "type": type_, "description": description}
        if unit:
            field["unit"] = unit
        if type_ == "number":
            field["decimalChar"] = "."
        fields.append(field)
    schema: dict = {"fields": fields, "missingValues": [""]}
    if dataset in PRIMARY_KEYS:
        schema["primaryKey"] = PRIMARY_KEYS[dataset]
    if dataset in FOREIGN_KEYS:
        schema["foreignKeys"] = [{"fields": column, "reference": {"resource": same_scope_prefix + table, "fields": target}}
                                 for column, table, target in FOREIGN_KEYS[dataset]]
    return schema
