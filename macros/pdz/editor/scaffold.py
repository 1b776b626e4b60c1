"""``make nuovo``: create a new, already valid record with every field present and commented.

The template is derived from the kind's JSON Schema (field order, Italian descriptions), so it
cannot drift from the contract. Placeholders read ``DA COMPILARE``; ``make check`` warns about
them until they are filled in.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from pdz.content import schemas, yamlsafe
from pdz.content.loader import read_text
from pdz.content.model import AMBITI_FOLDER, KINDS, PLAN_FILE_STEM
from pdz.content.schemacheck import RIGA_PATTERN

PLACEHOLDER = "DA COMPILARE"
SCAFFOLD_KINDS = ("piano", "obiettivo", "valutazione", "partner", "tabella", "sezione", "organo", "progetto",
                  "monitoraggio", "voce")
PERIOD = re.compile(r"^[0-9]{4}-[0-9]{4}$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class _Writer:
    def __init__(self, kind: str, values: dict):
        self.kind, self.values = kind, values
        self.body_field = ""
        self.lines: list[str] = []

    def emit(self, schema: dict, indent: int = 0, required: tuple = (), top: bool = False):
        pad = " " * indent
        for name, raw in schema.get("properties", {}).items():
            prop = schemas.expand_named(raw, self.kind)
            desc = schemas.file_hint(prop)
            if desc:
                self.lines.append(f"{pad}# {desc}")
            if top and name == self.body_field:   # written below the front matter, as the body
                self.lines.append(f"{pad}# ({name}: il testo sotto la seconda riga '---')")
                continue
            if top and name in self.values:
                value = self.values[name]   # "# ..." leaves the field commented out
                self.lines.append(f"{pad}# {name}: {value[2:]}" if value.startswith("# ") else f"{pad}{name}: {value}")
                continue
            self.value(name, prop, indent, name in required or name in schema.get("required", ()))

    def value(self, name: str, prop: dict, indent: int, required: bool):
        pad = " " * indent
        kind = prop.get("type")
        if "enum" in prop and not required and name != "risposta":
            options = ", ".join(map(str, prop["enum"]))
            self.lines.append(f'{pad}# {name}: "{prop["enum"][0]}"   (togli il # se serve; valori ammessi: {options})')
        elif "enum" in prop:
            choice = "non_indicato" if "non_indicato" in prop["enum"] else prop["enum"][0]
            options = ", ".join(map(str, prop["enum"]))
            self.lines.append(f'{pad}{name}: "{choice}"   # valori ammessi: {options}')
        elif kind == "object" and not required and self._needs_real_values(prop):
            # an optional object whose required fields have no valid placeholder (the lines of a
            # quotation): offered commented out
            fields = ", ".join(f"{k}: ..." for k in prop.get("properties", {}))
            self.lines.append(f"{pad}# {name}: {{{fields}}}   (togli il # se serve)")
        elif kind == "object":
            self.lines.append(f"{pad}{name}:")
            sub = {k: v for k, v in prop.items()}
            self.emit(sub, indent + 2, tuple(prop.get("required", ())))
        elif kind == "array":
            items = schemas.expand_named(prop.get("items", {}), self.kind)
            if items.get("type") == "object" and required:
                self.lines.append(f"{pad}{name}:")
                self.lines.append(f"{pad}  -")
                start = len(self.lines)
                self.emit(items, indent + 4, tuple(items.get("required", ())))
                self.lines[start] = self.lines[start].replace(" " * (indent + 4), f"{pad}  - ", 1) \
                    if not self.lines[start].lstrip().startswith("#") else self.lines[start]
            elif items.get("type") == "object":
                fields = ", ".join(f"{k}: ..." for k in items.get("properties", {}))
                self.lines.append(f"{pad}{name}: []   # elenco di elementi: - {{{fields}}}")
            elif "enum" in items:
                options = ", ".join(map(str, items["enum"]))
                self.lines.append(f"{pad}{name}: []   # valori ammessi: {options}")
            elif required and prop.get("minItems") and items.get("pattern") in (None, RIGA_PATTERN):
                self.lines.append(f'{pad}{name}: ["{PLACEHOLDER}"]   # uno o più: ["...", "..."]')
            else:
                self.lines.append(f"{pad}{name}: []")
        elif kind in ("number", "integer"):
            self.lines.append(f"{pad}# {name}: 0   (togli il # e scrivi il numero, se indicato)")
        elif kind == "boolean":
            self.lines.append(f"{pad}# {name}: false")
        elif "pattern" in prop and prop["pattern"] != RIGA_PATTERN and not required:   # e.g. an identifier:
            # the placeholder would not match (a single-line text takes it)
            self.lines.append(f'{pad}# {name}: ""   (togli il # se serve)')
        else:
            self.lines.append(f'{pad}{name}: "{PLACEHOLDER}"')

    def _needs_real_values(self, prop: dict) -> bool:
        for key in prop.get("required", ()):
            sub = schemas.expand_named(prop.get("properties", {}).get(key, {}), self.kind)
            if sub.get("type") == "array" and sub.get("minItems"):
                return True
        return False


def template(kind_name: str, values: dict) -> str:
    kind = KINDS[kind_name]
    root = schemas.kind_schema(kind_name)
    writer = _Writer(kind_name, values)
    writer.body_field = kind.body_field
    writer.emit(root, 0, tuple(root.get("required", ())), top=True)
    lines = [l for l in writer.lines if l.strip() != "-"]
    front = "\n".join(_fix_list_items(lines))
    depth = 5 if kind.scoped else 4 if kind_name == "piano" else 2   # content/ambiti/<a>/<periodo>/<cartella>/
    header = f"# yaml-language-server: $schema={'../' * depth}schemas/{kind_name}.schema.json\n"
    if not kind.markdown:
        return header + front + "\n"
    # objectives and evaluations: the description is the body ("DA COMPILARE" until written)
    body = f"\n{PLACEHOLDER}\n" if kind.body_field else "\nScrivi qui il testo della sezione.\n"
    return "---\n" + header + front + "\n---\n" + body


def _fix_list_items(lines: list[str]) -> list[str]:
    """Join a lone '-' line with the first field line below it (YAML list of objects)."""
    out, pending = [], None
    for line in lines:
        if line.rstrip().endswith("  -") and line.strip() == "-":
            pending = line.rstrip()
            continue
        if pending is not None and not line.lstrip().startswith("#"):
            out.append(pending + " " + line.lstrip())
            pending = None
            continue
        out.append(line)
    return out


def create(root: Path, args) -> int:
    usage = ("uso: make nuovo TIPO=obiettivo AMBITO=corsico NOME=12-centro-famiglie [PIANO=2025-2027] "
             "(per un nuovo piano: make nuovo TIPO=piano AMBITO=corsico NOME=2025-2027; "
             "per un partner: make nuovo TIPO=partner NOME=associazione-esempio; "
             "per una voce del vocabolario: make nuovo TIPO=voce NOME=affitto)")
    if args.tipo not in SCAFFOLD_KINDS:
        print(f"tipo '{args.tipo or ''}' non valido: usa uno tra {', '.join(SCAFFOLD_KINDS)}\n{usage}", file=sys.stderr)
        return 2
    kind = KINDS[args.tipo]
    name = args.nome if kind.scoped else (args.nome or args.ambito)
    if not name or not SLUG.match(name):
        print(f"nome '{name or ''}' non valido: solo lettere minuscole, numeri e trattini\n{usage}", file=sys.stderr)
        return 2
    content = root / "content"
    if kind.scoped or args.tipo == "piano":
        # only the name of an existing Ambito folder: never a path ("../../..") or a link out of content/
        folder = content / AMBITI_FOLDER
        ambiti = sorted(p.name for p in folder.iterdir() if SLUG.match(p.name) and p.is_dir() and not p.is_symlink()) \
            if folder.is_dir() else []
        if args.ambito not in ambiti:
            print(f"Ambito '{args.ambito or ''}' non trovato in content/{AMBITI_FOLDER}/. "
                  f"Ambiti esistenti: {', '.join(ambiti) or 'nessuno'}\n{usage}", file=sys.stderr)
            return 2
        ambito_dir = folder / args.ambito
    if args.tipo == "piano":
        if not PERIOD.match(name):
            print(f"periodo '{name}' non valido: scrivi anno di inizio e anno di fine, per esempio 2025-2027\n{usage}",
                  file=sys.stderr)
            return 2
        target = ambito_dir / name / f"{PLAN_FILE_STEM}.yaml"
    elif kind.scoped:
        periods = sorted(p.name for p in ambito_dir.iterdir() if p.is_dir() and PERIOD.match(p.name))
        period = args.piano or (periods[-1] if periods else "")
        if period not in periods:
            print(f"piano '{period}' non trovato in content/ambiti/{args.ambito}/ (piani esistenti: "
                  f"{', '.join(periods) or 'nessuno'})\ncrea prima il piano: make nuovo TIPO=piano AMBITO={args.ambito} "
                  f"NOME={period or '2025-2027'}", file=sys.stderr)
            return 2
        # Only sections have a Markdown body; everything else is plain YAML, which editors validate.
        target = ambito_dir / period / kind.folder / f"{name}.{'md' if kind.markdown else 'yaml'}"
    else:
        target = root / "content" / kind.folder / f"{name}.yaml"
    if not _inside(target.parent, content):
        print(f"la cartella {target.parent.relative_to(root)} porta fuori da content/ (collegamento?): "
              "nessun file creato", file=sys.stderr)
        return 2
    if any(target.with_suffix(s).exists() for s in (".md", ".yaml")):
        print(f"esiste già un file con questo nome: {target.relative_to(root)}", file=sys.stderr)
        return 1
    values = _initial_values(root, args.tipo, args.ambito, name)
    text = template(args.tipo, values)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"Creato {target.relative_to(root)}: compila i campi DA COMPILARE, poi esegui 'make check'.")
    print(commit_hint(target.relative_to(root).as_posix(), getattr(args, "motivo", None)))
    return 0


def commit_hint(rel: str, reason: str | None) -> str:
    """The commit that publishes the new file, with its reason as the ``Motivo:`` line the site
    shows in the record's history and in the feeds (asked for when not given and a person is at
    the terminal)."""
    import shlex
    if not reason and sys.stdin.isatty():
        try:
            reason = input("Motivo della nuova scheda (compare nella cronologia pubblica e nei feed): ")
        except EOFError:
            reason = ""
    reason = " ".join((reason or "").split())
    if not reason:
        return ("Quando fai il commit, scrivi il motivo in una riga 'Motivo: ...' del messaggio "
                "(compare nella cronologia pubblica della scheda e nei feed; vedi la guida, «Proporre la modifica»).")
    return ("Poi pubblica la scheda con il suo motivo:\n    git add " + shlex.quote(rel) + " && git commit -m "
            + shlex.quote(f"Nuova scheda {rel}") + " -m " + shlex.quote(f"Motivo: {reason}"))


def _inside(folder: Path, base: Path) -> bool:
    """True when ``folder`` (or, if it does not exist yet, its nearest existing parent) really is
    inside ``base`` once links are followed."""
    while not (folder.exists() or folder.is_symlink()) and folder != folder.parent:
        folder = folder.parent
    return folder.resolve().is_relative_to(base.resolve())


def _read_document(path: Path, rel: str) -> dict:
    """The source document's fields, read like content; a broken file is reported, not fatal."""
    text, problem = read_text(path, rel)
    parsed = yamlsafe.load(text) if problem is None else None
    if parsed is None or parsed.issues or not isinstance(parsed.data, dict):
        print(f"avviso: il documento di origine {rel} non è valido ('make check' dice perché): "
              "la nuova scheda non indica le righe della fonte", file=sys.stderr)
        return {}
    return parsed.data


def _initial_values(root: Path, kind: str, ambito: str | None, name: str) -> dict:
    import datetime
    words = name.split("-")
    if len(words) > 1 and words[0].isdigit():   # "12-centro-famiglie": the number only orders files
        words = words[1:]
    title = " ".join(words).capitalize()
    docs = sorted(p.stem for p in (root / "content" / "fonti").glob("*.yaml"))
    doc = next((d for d in docs if ambito and d.endswith(ambito)), docs[0] if docs else "documento")
    doc_path = root / "content" / "fonti" / f"{doc}.yaml"
    doc_data = _read_document(doc_path, f"content/fonti/{doc}.yaml") if doc_path.exists() else {}
    lines = "\n    righe: [1, 1]   # prima e ultima riga nel documento" if "righe_totali" in (doc_data or {}) else ""
    values = {"fonti": f"\n  - documento: {doc}   # documento di origine (file in content/fonti/){lines}"}
    due = (datetime.date.today() + datetime.timedelta(days=365)).isoformat()
    values["revisione"] = f'\n  entro: "{due}"   # data entro cui rivedere (AAAA-MM-GG)\n  ufficio: "Ufficio di Piano"'
    values["note_fonte"] = "[]   # lacune o contraddizioni della fonte: - {tipo: dato_mancante, campo: ..., nota: ...}"
    for reason in schemas.reason_fields(kind):   # make nuovo asks for the reason of the commit (commit_hint)
        values[reason] = '# ""   (togli il # per scrivere qui il motivo)'
    title_field = KINDS[kind].title_field
    values[title_field] = f'"{title}"' if kind != "piano" else f'"{PLACEHOLDER}"   # titolo del documento di piano'
    if kind == "tabella":
        values["colonne"] = '\n  - nome: "Voce"\n    tipo: testo\n  - nome: "Valore"\n    tipo: numero'
        values["righe"] = '\n  - ["DA COMPILARE", null]'
    if kind == "obiettivo":
        values["stato"] = ('# {valore: "in-corso", data: "AAAA-MM-GG", nota: "..."}   (togli il # quando lo stato è '
                           'noto; valori: raggiunto, parziale, non-raggiunto, in-corso, avviato, non-avviato, non-attuato)')
    if kind == "piano":
        values["periodo"] = f'"{name}"   # uguale al nome della cartella'
        values["proroga"] = '# {fino_al: "2028", atto: "DGR ..."}   (togli il # solo se un atto proroga il piano)'
    if kind == "valutazione":
        values["formato"] = '"tabella-2"   # valori ammessi: tabella-2, scheda-ambito, riga-di-tabella, finalita-generale'
    if kind == "partner":
        values["tipo"] = '"terzo-settore"   # valori ammessi: ' + ", ".join(schemas.vocabulary("tipo_partner"))
    return values
