/* pdz-site web editor: the form's own widgets, in plain JavaScript on Decap's globals (no build
   step, no inline script). Every word they show comes from the generated configuration, i.e.
   from the schemas' titles and descriptions (macros/pdz/editor/decap.py), except the few
   buttons and messages below.
   - lists count their items in Italian ("Nessun elemento", "1 indicatore", "3 indicatori") and
     sum each item up with the values of its summary fields, by their labels ("Sfratti · Input");
   - pdz-valore: a measured value as the plan writes it: "300", "circa 300", "tra 10 e 15", or
     several numbers of one sentence;
   - pdz-tabella: a table's rows, one input per cell under the table's own columns. */

const h = window.h;
const createClass = window.createClass;

const NONE = "Nessun elemento";
const ADD_NUMBER = "Aggiungi un altro numero della stessa frase";
const REMOVE = "Togli";
const FORM = "Forma";
const NO_QUALIFIER = "(nessuno)";
const ADD_ROW = "Aggiungi una riga";
const MORE = "Altri dati di questo numero";
const CORE = new Set(["valore", "qualificatore", "minimo", "massimo"]);   // the number itself, by its form
const EMPTY_ITEM = "Elemento da compilare";

let NAMES = {};   // kind -> id -> name (admin/anteprima.json): what a relation's value is called

const plain = (value) => (value && typeof value.toJS === "function" ? value.toJS() : value);
const lowerFirst = (text) => (text ? text[0].toLowerCase() + text.slice(1) : text);

/* ---- numbers as editors type and read them ------------------------------------------------- */

/* As the site writes numbers (render/base.py number()): 1.500 and 1,5. */
export function formatNumber(value) {
  if (typeof value !== "number") return String(value);
  const [whole, decimals] = String(Math.abs(value)).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return (value < 0 ? "-" : "") + (decimals ? `${grouped},${decimals}` : grouped);
}

/* "1500", "1,5" or "1.5" -> a number; "1.500" (a thousands point) and "4mila" are refused. */
export function parseNumber(text) {
  const t = String(text).trim();
  if (t === "") return { empty: true };
  if (/^-?\d+\.\d{3}$/.test(t)) return { error: "scrivi il numero senza i punti delle migliaia (1500, non 1.500)" };
  if (!/^-?\d+([.,]\d+)?$/.test(t)) return { error: "scrivi il numero in cifre (4mila si scrive 4000)" };
  return { value: parseFloat(t.replace(",", ".")) };
}

/* A measured value as the site writes it (render/base.py measured()): "circa 300",
   "tra 10 e 15 %", "nuove assunzioni: 12". */
export function describeValue(value, qualifiers) {
  const labels = Object.fromEntries((qualifiers || []).map((o) => [o.value, o.label]));
  const one = (v) => {
    if (typeof v === "number") return formatNumber(v);
    if (!v || typeof v !== "object") return "";
    const figure = v.valore === undefined && (v.minimo !== undefined || v.massimo !== undefined)
      ? `tra ${formatNumber(v.minimo ?? "…")} e ${formatNumber(v.massimo ?? "…")}`
      : v.valore === undefined ? "" : formatNumber(v.valore);
    return [v.voce ? `${v.voce}:` : "", labels[v.qualificatore] || v.qualificatore, figure, v.unita,
      v.media ? "in media" : "", v.parziale_al ? `(dato parziale al ${italianDate(v.parziale_al)})` : ""].filter(Boolean).join(" ");
  };
  const v = plain(value);
  return Array.isArray(v) ? v.map(one).filter(Boolean).join("; ") : one(v);
}

/* As the site writes a date (render/base.py italian_date()): "10 novembre 2021". */
function italianDate(iso) {
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso
    : new Intl.DateTimeFormat("it-IT", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(date);
}

/* ---- what a field's value reads like in a summary ------------------------------------------ */

function describe(value, field) {
  const v = plain(value);
  if (v === undefined || v === null || v === "") return "";
  const widget = field ? field.get("widget") : "";
  if (widget === "pdz-valore") return describeValue(v, plain(field.get("pdz_qualifiers")));
  if (widget === "select") {
    const labels = Object.fromEntries((plain(field.get("options")) || []).map((o) => [o.value, o.label]));
    return [].concat(v).map((x) => labels[x] || x).join(", ");
  }
  if (widget === "relation") {
    const names = NAMES[field.get("pdz_kind")] || {};
    return [].concat(v).map((x) => names[x] || x).join(", ");
  }
  if (Array.isArray(v)) {
    const parts = v.map((x) => (typeof x === "number" ? formatNumber(x) : String(x)));
    const range = v.length === 2 && v.every((x) => typeof x === "number");
    return `${lowerFirst(field ? field.get("label") : "")} ${range ? parts.join("–") : parts.join(", ")}`.trim();
  }
  if (typeof v === "object") return "";
  if (typeof v === "number") return formatNumber(v);
  const line = String(v).split("\n").find((l) => l.trim()) || "";
  const text = line.replace(/^[-*]\s+/, "").replace(/\*\*/g, "");
  return text.length > 90 ? text.slice(0, 89).trimEnd() + "…" : text;
}

/* ---- lists --------------------------------------------------------------------------------- */

function listControl(Base) {
  return class PdzListControl extends Base {
    /* "Nessun elemento", "1 indicatore", "3 indicatori": the count with the items' title (the
       schema's singular) or the list's title (plural), as written, not lowercased. */
    renderListControl() {
      const element = super.renderListControl();
      const field = this.props.field;
      const count = (this.props.value && this.props.value.size) || 0;
      const singular = field.get("label_singular") || field.get("label", field.get("name"));
      const plural = field.get("label", field.get("name"));
      const heading = count === 0 ? NONE : `${count} ${lowerFirst(count === 1 ? singular : plural)}`;
      const render = element.props.children;   // Decap 3.16: <ClassNames>{(classes) => <div>{topBar}{items}</div>}</ClassNames>
      if (typeof render !== "function") return element;
      return h(element.type, { ...element.props, children: (classes) => {
        const box = render(classes);
        const [bar, ...rest] = [].concat(box.props.children);
        if (!bar || !bar.props || !("heading" in bar.props)) return box;
        const renamed = h(bar.type, { ...bar.props, heading, label: lowerFirst(singular) });
        return h(box.type, { ...box.props, children: undefined }, renamed, ...rest);
      } });
    }

    /* The collapsed bar of an item: its summary fields' values, by their labels; a button that
       opens the item (Decap's own is an unnamed arrow). */
    objectLabel(item) {
      const field = this.props.field;
      const names = field.get("pdz_summary");
      const fields = field.get("fields");
      if (!names || !fields || !item || typeof item.get !== "function") return super.objectLabel(item);
      const parts = plain(names).map((name) => describe(item.get(name), fields.find((f) => f.get("name") === name)));
      const text = parts.filter(Boolean).join(" · ") || EMPTY_ITEM;
      const index = this.props.value ? this.props.value.indexOf(item) : -1;
      if (index < 0) return text;
      return h("button", { type: "button", className: "pdz-sommario", onClick: (e) => this.handleItemCollapseToggle(index, e) }, text);
    }
  };
}

/* ---- groups of fields: open, except an optional one still empty (one click opens it) ---------- */

function objectControl(Base) {
  return class PdzObjectControl extends Base {
    constructor(props) {
      super(props);
      const value = plain(props.value);
      const empty = !value || (typeof value === "object" && !Object.keys(value).length);
      if (!props.forList && props.field.get("required") === false && empty) this.state = { ...this.state, collapsed: true };
    }
  };
}

/* ---- pdz-valore: a measured value ---------------------------------------------------------- */

function toRows(value) {
  const v = plain(value);
  if (typeof v === "number") return [{ valore: v }];
  if (Array.isArray(v)) return v.length ? v.map((r) => ({ ...r })) : [{}];
  if (v && typeof v === "object") return [{ ...v }];
  return [{}];
}

/* The simplest form the schema allows: a number, a group of fields, or a list of groups. The
   rows' own state (the form chosen, the text being typed) starts with "_" and is not data. */
function fromRows(rows) {
  const kept = rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k, x]) => !k.startsWith("_") && x !== undefined && x !== "")))
    .filter((r) => Object.keys(r).length);
  if (!kept.length) return null;
  if (kept.length > 1) return kept;
  const [only] = kept;
  return Object.keys(only).length === 1 && typeof only.valore === "number" ? only.valore : only;
}

const signature = (value) => JSON.stringify(plain(value) ?? null);

const ValueControl = createClass({
  getInitialState() { return { rows: toRows(this.props.value), emitted: signature(this.props.value) }; },
  componentDidUpdate() {   // a value changed from outside (another entry, a reset): start again from it
    const now = signature(this.props.value);
    if (now !== this.state.emitted) this.setState({ rows: toRows(this.props.value), emitted: now });
  },

  config(key) { return plain(this.props.field.get(key)); },
  form(row) { return row._forma || (row.minimo !== undefined || row.massimo !== undefined ? "intervallo" : "numero"); },
  update(i, change) {
    const rows = this.state.rows.map((r, j) => (j === i ? change({ ...r }) : r));
    this.emit(rows);
  },
  emit(rows) {
    const value = fromRows(rows);
    this.setState({ rows, emitted: signature(value) });
    this.props.onChange(value);
  },

  setForm(i, form) {
    this.update(i, (row) => {
      for (const key of form === "intervallo" ? ["valore", "qualificatore"] : ["minimo", "massimo"]) delete row[key];
      row._testi = {};
      return { ...row, _forma: form };
    });
  },
  setNumber(i, key, text) {
    this.update(i, (row) => {
      const parsed = parseNumber(text);
      row._testi = { ...row._testi, [key]: text };
      if (parsed.value !== undefined) row[key] = parsed.value;
      else delete row[key];   // empty, or refused by isValid while the text stays as typed
      return row;
    });
  },
  setWord(i, key, text) { this.update(i, (row) => ({ ...row, [key]: text || undefined })); },
  add() { this.emit([...this.state.rows, { _forma: "numero" }]); },
  remove(i) { this.emit(this.state.rows.filter((_, j) => j !== i)); },

  /* Called by Decap before saving: an Italian message for what cannot be written. */
  isValid() {
    const fields = this.config("pdz_fields");
    for (const row of this.state.rows) {
      for (const [key, text] of Object.entries(row._testi || {})) {
        const parsed = parseNumber(text);
        if (parsed.error) return { error: { type: "CUSTOM", message: `${fields[key].label}: ${parsed.error}.` } };
      }
      if (this.form(row) === "intervallo") {
        if ((row.minimo === undefined) !== (row.massimo === undefined)) {
          return { error: { type: "CUSTOM", message: `Scrivi ${lowerFirst(fields.minimo.label)} e ${lowerFirst(fields.massimo.label)}.` } };
        }
        if (row.minimo > row.massimo) {
          return { error: { type: "CUSTOM", message: `${fields.minimo.label}: deve essere minore di ${lowerFirst(fields.massimo.label)}.` } };
        }
      } else if (row.valore === undefined && (row.qualificatore || row.unita || row.voce)) {
        return { error: { type: "CUSTOM", message: `${fields.valore.label}: scrivi il numero.` } };
      }
    }
    return true;
  },

  numberInput(i, key, id) {
    const row = this.state.rows[i];
    const typed = (row._testi || {})[key];
    const text = typed !== undefined ? typed : row[key] === undefined ? "" : formatNumber(row[key]).replace(/\./g, "");
    return h("label", { className: "pdz-valore-campo", key }, h("span", null, this.config("pdz_fields")[key].label),
      h("input", { type: "text", inputMode: "decimal", id, value: text, autoComplete: "off",
                   onChange: (e) => this.setNumber(i, key, e.target.value),
                   onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle }));
  },
  /* One of the other fields of a figure (its unit, what it refers to, an average, a partial
     figure...), asked for as the schema types it. */
  detailInput(i, key, field) {
    const row = this.state.rows[i];
    if (field.kind === "boolean") {
      return h("label", { className: "pdz-valore-campo pdz-valore-scelta", key },
        h("input", { type: "checkbox", checked: row[key] === true,
                     onChange: (e) => this.update(i, (r) => ({ ...r, [key]: e.target.checked || undefined })) }),
        h("span", null, field.label));
    }
    return h("label", { className: `pdz-valore-campo${field.kind === "text" ? " pdz-valore-parole" : ""}`, key },
      h("span", null, field.label),
      h("input", { type: field.kind === "date" ? "date" : "text", value: row[key] || "",
                   onChange: (e) => this.setWord(i, key, e.target.value) }));
  },

  render() {
    const { rows } = this.state;
    const fields = this.config("pdz_fields");
    const many = rows.length > 1;
    const { forID, classNameWrapper } = this.props;
    return h("div", { className: `${classNameWrapper} pdz-valore` }, rows.map((row, i) => {
      const form = this.form(row);
      const id = i === 0 ? forID : `${forID}-${i}`;
      const parts = [
        h("label", { className: "pdz-valore-campo", key: "forma" }, h("span", null, FORM),
          h("select", { value: form, onChange: (e) => this.setForm(i, e.target.value) },
            this.config("pdz_forms").map((o) => h("option", { key: o.value, value: o.value }, o.label)))),
      ];
      if (form === "intervallo") {
        parts.push(this.numberInput(i, "minimo", id), this.numberInput(i, "massimo"));
      } else {
        parts.push(h("label", { className: "pdz-valore-campo", key: "qualificatore" }, h("span", null, fields.qualificatore.label),
          h("select", { value: row.qualificatore || "", onChange: (e) => this.setWord(i, "qualificatore", e.target.value) },
            [h("option", { key: "", value: "" }, NO_QUALIFIER)].concat(
              this.config("pdz_qualifiers").map((o) => h("option", { key: o.value, value: o.value }, o.label))))));
        parts.push(this.numberInput(i, "valore", id));
      }
      const details = Object.entries(fields).filter(([key]) => !CORE.has(key));
      if (many || row._altri || details.some(([key]) => row[key] !== undefined)) {
        parts.push(...details.map(([key, field]) => this.detailInput(i, key, field)));
      } else {
        parts.push(h("button", { type: "button", key: "altri", className: "pdz-valore-aggiungi",
          onClick: () => this.update(i, (r) => ({ ...r, _altri: true })) },
          `${MORE} (${details.map(([, field]) => lowerFirst(field.label)).join(", ")})`));
      }
      if (many) parts.push(h("button", { type: "button", key: "togli", className: "pdz-valore-togli", onClick: () => this.remove(i) }, REMOVE));
      return h("fieldset", { key: i, className: "pdz-valore-riga" },
        many ? h("legend", null, `${this.config("pdz_item")} ${i + 1}`) : null, parts);
    }), h("button", { type: "button", className: "pdz-valore-aggiungi", onClick: this.add }, ADD_NUMBER));
  },
});

function ValuePreview({ value, field }) {
  return h("span", null, describeValue(value, plain(field.get("pdz_qualifiers"))));
}

/* ---- pdz-tabella: a table's rows ------------------------------------------------------------- */

const NUMERIC = new Set(["numero", "percentuale", "euro"]);

const TableControl = createClass({
  getInitialState() { return { texts: {} }; },
  columns() {
    const columns = plain(this.props.entry.getIn(["data", this.props.field.get("pdz_columns")])) || [];
    return columns.map((c) => ({ name: c.nome || "", numeric: NUMERIC.has(c.tipo), unit: c.unita || "" }));
  },
  rows() { return (plain(this.props.value) || []).map((r) => [...(r || [])]); },
  emit(rows) { this.props.onChange(rows.length ? rows : null); },
  setCell(r, c, text, numeric) {
    const rows = this.rows();
    while (rows[r].length <= c) rows[r].push(null);
    this.setState({ texts: { ...this.state.texts, [`${r}.${c}`]: text } });
    if (numeric) {
      const parsed = parseNumber(text);
      if (parsed.error) return;
      rows[r][c] = parsed.empty ? null : parsed.value;
    } else rows[r][c] = text === "" ? null : text;
    this.emit(rows);
  },
  addRow() { this.emit([...this.rows(), this.columns().map(() => null)]); },
  removeRow(r) {
    const rows = this.rows();
    rows.splice(r, 1);
    this.setState({ texts: {} });
    this.emit(rows);
  },
  isValid() {
    const columns = this.columns();
    for (const [key, text] of Object.entries(this.state.texts)) {
      const [r, c] = key.split(".").map(Number);
      const parsed = columns[c] && columns[c].numeric ? parseNumber(text) : {};
      if (parsed.error) return { error: { type: "CUSTOM", message: `Riga ${r + 1}, ${columns[c].name}: ${parsed.error}.` } };
    }
    return true;
  },
  render() {
    const columns = this.columns();
    const rows = this.rows();
    const width = Math.max(columns.length, ...rows.map((r) => r.length));
    const heads = Array.from({ length: width }, (_, c) => columns[c] || { name: `${c + 1}`, numeric: false, unit: "" });
    return h("div", { className: `${this.props.classNameWrapper} pdz-tabella`, id: this.props.forID },
      h("table", null,
        h("thead", null, h("tr", null, heads.map((col, c) => h("th", { key: c, scope: "col" },
          col.unit ? `${col.name} (${col.unit})` : col.name)), h("td", null))),
        h("tbody", null, rows.map((row, r) => h("tr", { key: r }, heads.map((col, c) => {
          const typed = this.state.texts[`${r}.${c}`];
          const cell = row[c];
          const text = typed !== undefined ? typed : cell === null || cell === undefined ? ""
            : typeof cell === "number" ? formatNumber(cell).replace(/\./g, "") : String(cell);
          return h("td", { key: c }, h("input", { type: "text", value: text, inputMode: col.numeric ? "decimal" : undefined,
            "aria-label": `Riga ${r + 1}, ${col.name}`, onChange: (e) => this.setCell(r, c, e.target.value, col.numeric) }));
        }), h("td", null, h("button", { type: "button", onClick: () => this.removeRow(r), "aria-label": `${REMOVE} la riga ${r + 1}` }, REMOVE)))))),
      h("button", { type: "button", className: "pdz-valore-aggiungi", onClick: this.addRow }, ADD_ROW));
  },
});

function TablePreview({ value }) {
  const rows = plain(value) || [];
  return h("span", null, `${rows.length} righe`);
}

/* ---- registration --------------------------------------------------------------------------- */

export function registerWidgets(CMS, names) {
  NAMES = names || {};
  const list = CMS.getWidget("list");
  CMS.registerWidget("list", listControl(list.control), list.preview, list.schema);
  const object = CMS.getWidget("object");
  CMS.registerWidget("object", objectControl(object.control), object.preview, object.schema);
  CMS.registerWidget("pdz-valore", ValueControl, ValuePreview);
  CMS.registerWidget("pdz-tabella", TableControl, TablePreview);
}
