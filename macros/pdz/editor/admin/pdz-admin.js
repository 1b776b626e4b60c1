/* pdz-site web editor: file formats that change only what the editor changed, previews in the
   site's layout, start-up of Decap CMS with the configuration generated from schemas/.
   No inline script (the page's Content-Security-Policy forbids it). */
import { parse, stringify } from "./yaml/index.js";

const RAW = "__pdz_file";            // the file as read, kept with the entry to write a minimal change
const YAML_OPTIONS = { version: "1.1", lineWidth: 0, indentSeq: false };   // like PyYAML reads and writes
const page = document.querySelector("script[data-pdz-config]");
const BODY_FIELD = page.dataset.pdzBody || "descrizione";

/* ---- reading and writing files -------------------------------------------------------- */

function splitFrontMatter(text) {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (!lines.length || lines[0].trim() !== "---") return null;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === "---") return { front: lines.slice(1, i).join("\n"), body: lines.slice(i + 1).join("\n") };
  }
  return null;
}

function readFile(text, markdown) {
  let data;
  if (markdown) {
    const split = splitFrontMatter(text) || { front: "", body: text };
    data = parse(split.front, { version: "1.1" }) || {};
    const body = split.body.replace(/^\n+|\n+$/g, "");
    if (body && data[BODY_FIELD] === undefined) data[BODY_FIELD] = body;
  } else {
    data = parse(text, { version: "1.1" }) || {};
  }
  data[RAW] = text;
  return data;
}

/* Empty values (a field the form left blank) are not written: the schemas want them absent. */
function clean(value) {
  if (Array.isArray(value)) {
    const items = value.map(clean).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (value && typeof value === "object") {
    const out = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === RAW) continue;
      const kept = clean(item);
      if (kept !== undefined) out[key] = kept;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (value === null || value === undefined || (typeof value === "string" && value.trim() === "")) return undefined;
  return value;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function serialise(key, value) {
  return stringify({ [key]: value }, YAML_OPTIONS).replace(/\n$/, "").split("\n");
}

/* Top-level blocks of a YAML text: a key line and its indented lines; other lines (comments,
   blank lines) are kept as they are. */
function blocks(text) {
  const lines = text.split("\n");
  const out = [];
  for (const line of lines) {
    const key = /^([A-Za-z_][\w-]*)\s*:/.exec(line);
    if (key) out.push({ key: key[1], lines: [line] });
    else if (out.length && out[out.length - 1].key && (/^\s/.test(line) || line === "") ) out[out.length - 1].lines.push(line);
    else out.push({ key: null, lines: [line] });
  }
  // trailing blank lines of a block belong to the text between blocks
  for (let i = 0; i < out.length; i++) {
    const block = out[i];
    if (!block.key) continue;
    const tail = [];
    while (block.lines.length > 1 && block.lines[block.lines.length - 1] === "") tail.unshift(block.lines.pop());
    if (tail.length) out.splice(i + 1, 0, { key: null, lines: tail });
  }
  return out;
}

function writeYaml(previousText, previous, current, order) {
  if (previousText === null) {
    const sorted = {};
    for (const key of order) if (current[key] !== undefined) sorted[key] = current[key];
    for (const key of Object.keys(current)) if (sorted[key] === undefined) sorted[key] = current[key];
    return Object.keys(sorted).length ? stringify(sorted, YAML_OPTIONS).replace(/\n$/, "") : "";
  }
  const parts = blocks(previousText);
  const seen = new Set();
  const out = [];
  for (const part of parts) {
    if (!part.key) { out.push(part.lines); continue; }
    seen.add(part.key);
    if (same(previous[part.key], current[part.key])) out.push(part.lines);   // untouched: as it was
    else if (current[part.key] !== undefined) out.push(serialise(part.key, current[part.key]));
  }
  // new fields: before the first existing field that comes after them in the form's order
  for (const key of Object.keys(current)) {
    if (seen.has(key)) continue;
    const rank = order.indexOf(key);
    let at = out.length;
    for (let i = 0; i < parts.length; i++) {
      const k = parts[i].key;
      if (k && rank >= 0 && order.indexOf(k) > rank && seen.has(k)) {
        at = out.indexOf(parts[i].lines);
        if (at < 0) at = out.length;
        break;
      }
    }
    // never insert inside the end-of-file blank lines
    if (at === out.length) while (at > 0 && out[at - 1].every((l) => l === "")) at--;
    out.splice(at, 0, serialise(key, current[key]));
  }
  return out.flat().join("\n");
}

function writeFile(data, order, markdown) {
  const previousText = data[RAW] === undefined ? null : data[RAW];
  const current = clean(data) || {};
  let previous = {};
  let previousFront = previousText;
  let previousBody = "";
  if (previousText !== null) {
    previous = clean(readFile(previousText, markdown)) || {};
    if (markdown) {
      const split = splitFrontMatter(previousText) || { front: "", body: "" };
      previousFront = split.front;
      previousBody = split.body;
    }
  }
  if (!markdown) {
    const text = writeYaml(previousText, previous, current, order);
    return text.endsWith("\n") ? text : text + "\n";
  }
  const body = current[BODY_FIELD];
  const front = { ...current };
  delete front[BODY_FIELD];
  const before = { ...previous };
  delete before[BODY_FIELD];
  const yamlText = writeYaml(previousText === null ? null : previousFront, before, front, order);
  let bodyText;
  if (previousText !== null && same(previous[BODY_FIELD], body)) bodyText = previousBody;
  else bodyText = body ? `\n${body}\n` : "";
  return `---\n${yamlText.replace(/\n+$/, "")}\n---\n${bodyText}`;
}

/* ---- previews in the site's layout ------------------------------------------------------ */

const h = window.h;
const MISSING = "Non indicato nella scheda.";
// The labels of every closed list of values, from the schemas (admin/vocabolario.json, written
// by macros/pdz/editor/admin.py): the same words as the site's pages.
let VOCABULARY = {};

function paragraphs(text) {
  if (!text) return [h("p", { className: "pdz-missing" }, MISSING)];
  return String(text).split(/\n\s*\n/).map((p, i) => h("p", { key: i }, p));
}

// A link between plans is an object: the record it points at and what justifies it.
function itemText(x) {
  if (x === null || typeof x !== "object") return String(x);
  const target = x.valutazione || x.obiettivo || "";
  const lines = Array.isArray(x.righe) ? `righe ${x.righe.join("–")}` : "";
  const basis = x.dedotto ? `collegamento dedotto dalla redazione: ${x.dedotto}${lines ? ` (${lines})` : ""}` : lines;
  return basis ? `${target} – ${basis}` : target;
}

function list(items) {
  return items && items.length ? h("ul", null, items.map((x, i) => h("li", { key: i }, itemText(x)))) : null;
}

function section(title, id, children) {
  return [h("h2", { id, key: id + "-h" }, title), h("div", { className: "pdz-block", key: id }, children)];
}

function formSection(value) {
  if (!value) return paragraphs("");
  const indicators = (value.indicatori || []).map((x, i) => h("li", { key: i }, `${x.tipo || ""}: ${x.descrizione || ""}`));
  return [paragraphs(value.testo), list(value.elenco), indicators.length ? h("ul", null, indicators) : null];
}

function answer(value, refsKey) {
  if (!value || !value.risposta) return paragraphs("");
  return [h("p", { key: "a" }, h("strong", null, (VOCABULARY.risposta_valore || {})[value.risposta] || value.risposta),
    value.nota ? ` – ${value.nota}` : ""), list(value[refsKey])];
}

function euro(n) {
  return Number(n).toLocaleString("it-IT", { style: "currency", currency: "EUR" });
}

function budget(money) {
  if (!money) return paragraphs("");
  const parts = money.componenti || [];
  const rows = parts.map((p, i) => h("tr", { key: i }, h("td", null, p.voce || "–"), h("td", null, euro(p.importo || 0))));
  return [h("p", { key: "t", className: "pdz-verbatim" }, money.testo || ""),
    parts.length ? h("table", { key: "v" }, h("caption", null, "Voci di spesa"),
      h("thead", null, h("tr", null, h("th", null, "Voce"), h("th", null, "Importo"))), h("tbody", null, rows)) : null,
    money.nota ? paragraphs(money.nota) : null];
}

function ObjectivePreview({ entry }) {
  const d = clean(entry.get("data").toJS()) || {};
  const staff = d.risorse_personale || {};
  return h("article", { className: "md-content__inner md-typeset pdz-preview" },
    h("p", { className: "pdz-kicker" }, "Obiettivo 2021-2023"),
    h("h1", null, d.titolo || "(senza titolo)"),
    h("dl", { className: "pdz-facts pdz-summary" },
      h("dt", null, "Area di policy"), h("dd", null, d.area || "–")),
    section("Descrizione", "descrizione", paragraphs(d.descrizione)),
    section("Destinatari (target)", "target", paragraphs(d.target)),
    section("Risorse economiche preventivate", "risorse-economiche", budget(d.risorse_economiche)),
    section("Risorse di personale dedicate", "risorse-personale",
      [paragraphs(staff.testo), staff.mesi_lavoro !== undefined ? h("p", { key: "m" }, `Mesi di lavoro nel triennio: ${staff.mesi_lavoro}`) : null]),
    section("Integrazione con altre aree di policy", "trasversale", answer(d.trasversale, "aree")),
    section("Integrazione sociosanitaria", "integrazione-sociosanitaria", answer(d.integrazione_sociosanitaria, "progetti")),
    section("Continuità con la programmazione 2018-2020", "continuita", answer(d.continuita, "valutazioni")),
    section("Co-progettazione con la rete", "coprogettazione", answer(d.coprogettazione, "partner")),
    section("Bisogni a cui risponde", "bisogni", formSection(d.bisogni)),
    section("Come sarà realizzato", "modalita", [formSection(d.modalita),
      d.azioni ? h("ul", { key: "az" }, d.azioni.map((a, i) => h("li", { key: i }, `${a.codice ? a.codice + " " : ""}${a.testo || ""}`))) : null]),
    section("Risultati attesi", "risultati", formSection(d.risultati)),
    section("Impatto atteso", "impatto", formSection(d.impatto)));
}

function GenericPreview({ entry, collection }) {
  const d = clean(entry.get("data").toJS()) || {};
  const titleField = collection.get("identifier_field");
  const rows = [];
  for (const field of collection.get("fields").toJS()) {
    if (field.name === titleField || d[field.name] === undefined) continue;
    const value = d[field.name];
    rows.push(h("dt", { key: field.name + "-t" }, field.label));
    rows.push(h("dd", { key: field.name }, typeof value === "object" ? h("pre", null, stringify(value, YAML_OPTIONS)) : String(value)));
  }
  return h("article", { className: "md-content__inner md-typeset pdz-preview" },
    h("p", { className: "pdz-kicker" }, collection.get("label_singular")),
    h("h1", null, d[titleField] || "(senza titolo)"), h("dl", { className: "pdz-facts" }, rows));
}

/* ---- start ------------------------------------------------------------------------------ */

const CMS = window.CMS;
for (const url of (page.dataset.pdzStyles || "").split(" ").filter(Boolean)) CMS.registerPreviewStyle(url);
CMS.registerCustomFormat("pdz-md", "md", {
  fromFile: (text) => readFile(text, true),
  toFile: (data, order = []) => writeFile(data, order, true),
});
CMS.registerCustomFormat("pdz-yaml", "yaml", {
  fromFile: (text) => readFile(text, false),
  toFile: (data, order = []) => writeFile(data, order, false),
});

Promise.all([fetch(page.dataset.pdzConfig), fetch(page.dataset.pdzVocabulary)].map((p) => p.then((r) => r.json())))
.then(([config, vocabulary]) => {
  VOCABULARY = vocabulary;
  for (const collection of config.collections) {
    const kind = collection.label_singular || "";
    CMS.registerPreviewTemplate(collection.name, kind.startsWith("Obiettivo") ? ObjectivePreview : GenericPreview);
  }
  CMS.init({ config: { ...config, load_config_file: false } });
});

export { readFile, writeFile };
