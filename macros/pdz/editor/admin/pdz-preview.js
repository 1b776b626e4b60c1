/* pdz-site web editor: the preview beside the form, in the site's layout and with the site's
   words: names instead of codes (the area's name, not "D"), labels of the closed lists, and the
   Markdown of the texts rendered as the site renders it (markdown-it, the library that
   markdown-it-py ports, with the site's options and its allow-list of tags: see
   macros/pdz/html/text.py), so a bulleted description stays a list. */
import DOMPurify from "./purify.es.mjs";
import { describeValue, formatNumber } from "./pdz-widgets.js";

const h = window.h;
const MISSING = "Non indicato nella scheda.";

let PREVIEW = { nomi: {}, plurali: {}, etichette: {}, html: { tags: [], attributes: [] }, campo_testo: 3 };
let MARKDOWN = null;

export function setUp(preview, markdownit) {
  PREVIEW = preview;
  PREVIEW.qualificatori = Object.entries(preview.etichette.qualificatore || {}).map(([value, text]) => ({ value, label: text }));
  // as the site: CommonMark with tables, raw HTML passed on to the sanitiser (html/text.py)
  MARKDOWN = markdownit("commonmark", { html: true }).enable("table");
}

/* A contributor's headings start at h3 under the page's h2 sections (never moved up). */
function shiftHeadings(html, top) {
  const levels = [...html.matchAll(/<h([1-6])[\s>]/gi)].map((m) => Number(m[1]));
  const delta = levels.length ? Math.max(0, top - Math.min(...levels)) : 0;
  return delta ? html.replace(/<(\/?)h([1-6])(?=[\s/>])/gi, (_, slash, n) => `<${slash}h${Math.min(6, Number(n) + delta)}`) : html;
}

export function markdownHtml(text) {
  const top = PREVIEW.campo_testo;
  const tags = [...PREVIEW.html.tags, ...[1, 2, 3, 4, 5, 6].filter((n) => n >= top).map((n) => `h${n}`)];
  const html = shiftHeadings(MARKDOWN.render(String(text)), top);
  return DOMPurify.sanitize(html, { ALLOWED_TAGS: tags, ALLOWED_ATTR: PREVIEW.html.attributes });
}

function markdown(text, key) {
  if (!text) return h("p", { key, className: "pdz-missing" }, MISSING);
  return h("div", { key, dangerouslySetInnerHTML: { __html: markdownHtml(text) } });
}

const name = (kind, id) => ((PREVIEW.nomi[kind] || {})[id]) || id;
const label = (list, value) => ((PREVIEW.etichette[list] || {})[value]) || value;

function list(items, render = (x) => x) {
  return items && items.length ? h("ul", null, items.map((x, i) => h("li", { key: i }, render(x)))) : null;
}

function section(title, id, children) {
  return [h("h2", { id, key: id + "-h" }, title), h("div", { className: "pdz-block", key: id }, children)];
}

/* Indicators grouped by type under the site's headings ("Indicatori di input"), each with its
   value as the plan writes it ("circa 300"). */
function indicators(items) {
  if (!items || !items.length) return null;
  const groups = {};
  for (const item of items) (groups[item.tipo] = groups[item.tipo] || []).push(item);
  return Object.entries(groups).map(([type, group]) => h("div", { key: type },
    h("h3", null, (PREVIEW.plurali.tipo_indicatore || {})[type] || label("tipo_indicatore", type)),
    list(group, (item) => {
      const value = item.valore_rilevato !== undefined ? withUnit(item.valore_rilevato, item.unita)
        : item.valore_obiettivo !== undefined ? `${label("confronto", item.confronto || "")} ${formatNumber(item.valore_obiettivo)} ${item.unita || ""}`.trim() : "";
      const measured = (item.misurazioni || []).map((m) => `${m.periodo}: ${withUnit(m.valore, m.unita || item.unita)}`);
      return [h("span", { key: "d", dangerouslySetInnerHTML: { __html: inline(item.descrizione) } }),
        value ? ` – ${value}` : "",
        measured.length ? h("ul", { key: "m" }, measured.map((m, i) => h("li", { key: i }, m))) : null];
    })));
}

/* A measured value with its unit, as the site writes it: the figure's own unit, or the indicator's. */
function withUnit(value, unit) {
  const plain = value && typeof value === "object" && !Array.isArray(value) && !value.unita && unit ? { ...value, unita: unit }
    : typeof value === "number" && unit ? { valore: value, unita: unit } : value;
  return describeValue(plain, PREVIEW.qualificatori);
}

function inline(text) {   // a short text without its paragraph, as the site's lists show it
  const html = markdownHtml(text || "").trim();
  return html.startsWith("<p>") && html.endsWith("</p>") && html.split("<p>").length === 2 ? html.slice(3, -4) : html;
}

function formSection(value) {
  if (!value) return h("p", { className: "pdz-missing" }, MISSING);
  return [value.testo ? markdown(value.testo, "t") : null,
    list(value.elenco, (x) => h("span", { dangerouslySetInnerHTML: { __html: inline(x) } })),
    indicators(value.indicatori)];
}

/* A linked record by name; a link between plans also says what justifies it: the plan's lines,
   or the editors' reason. */
function linked(kind, item) {
  if (item === null || typeof item !== "object") return name(kind, item);
  const lines = Array.isArray(item.righe) ? `righe ${item.righe.join("–")}` : "";
  const basis = item.dedotto ? `collegamento dedotto dalla redazione: ${item.dedotto}${lines ? ` (${lines})` : ""}` : lines;
  const target = name(kind, item[kind]);
  return basis ? `${target} – ${basis}` : target;
}

function answer(value, kind, ids) {
  if (!value || !value.risposta) return h("p", { className: "pdz-missing" }, MISSING);
  return [h("p", { key: "a" }, h("strong", null, label("risposta_valore", value.risposta)),
    value.nota ? ` – ${value.nota}` : ""), list(ids, (item) => linked(kind, item))];
}

function euro(n) {
  return Number(n).toLocaleString("it-IT", { style: "currency", currency: "EUR" });
}

function budget(money) {
  if (!money) return h("p", { className: "pdz-missing" }, MISSING);
  const parts = money.componenti || [];
  const rows = parts.map((p, i) => h("tr", { key: i }, h("td", null, p.voce || "–"),
    h("td", null, label("tipo_voce_risorse", p.tipo)), h("td", null, euro(p.importo || 0))));
  return [h("p", { key: "t", className: "pdz-verbatim" }, money.testo || ""),
    parts.length ? h("table", { key: "v" }, h("caption", null, "Voci di spesa"),
      h("thead", null, h("tr", null, h("th", null, "Voce"), h("th", null, "Tipo di risorsa"), h("th", null, "Importo"))),
      h("tbody", null, rows)) : null,
    money.nota ? markdown(money.nota, "n") : null];
}

export function ObjectivePreview({ entry, collection }) {
  const d = entry.get("data").toJS();
  const staff = d.risorse_personale || {};
  const period = (collection.get("folder") || "").match(/\d{4}-\d{4}/);
  const area = d.area ? `${d.area}. ${name("area", d.area)}` : d.gruppo_piano || "–";
  return page(h("article", { className: "md-content__inner md-typeset pdz-preview" },
    h("p", { className: "pdz-kicker" }, period ? `Obiettivo ${period[0]}` : "Obiettivo"),
    h("h1", null, d.titolo || "(senza titolo)"),
    h("dl", { className: "pdz-facts pdz-summary" },
      h("dt", null, "Area di policy"), h("dd", null, area),
      d.stato && d.stato.valore ? [h("dt", { key: "s" }, "Stato di attuazione"),
        h("dd", { key: "sv" }, `${label("stato_attuazione", d.stato.valore)}${d.stato.data ? " al " + d.stato.data : ""}`)] : null),
    section("Descrizione", "descrizione", [list(d.obiettivi_trasformativi), markdown(d.descrizione, "d")]),
    section("Destinatari (target)", "target", markdown(d.target, "t")),
    section("Risorse economiche preventivate", "risorse-economiche", budget(d.risorse_economiche)),
    section("Risorse di personale dedicate", "risorse-personale",
      [staff.testo ? markdown(staff.testo, "t") : null, list(staff.voci),
        staff.mesi_lavoro !== undefined ? h("p", { key: "m" }, `Mesi di lavoro nel triennio: ${formatNumber(staff.mesi_lavoro)}`) : null]),
    section("Integrazione con altre aree di policy", "trasversale", answer(d.trasversale, "area", (d.trasversale || {}).aree)),
    section("Integrazione sociosanitaria", "integrazione-sociosanitaria",
      answer(d.integrazione_sociosanitaria, "progetto", (d.integrazione_sociosanitaria || {}).progetti)),
    section("Continuità con la programmazione precedente", "continuita",
      answer(d.continuita, "valutazione", (d.continuita || {}).valutazioni)),
    section("Co-progettazione con la rete", "coprogettazione", answer(d.coprogettazione, "partner", (d.coprogettazione || {}).partner)),
    section("Bisogni a cui risponde", "bisogni", formSection(d.bisogni)),
    section("Come sarà realizzato", "modalita", [formSection(d.modalita),
      d.azioni ? h("ul", { key: "az" }, d.azioni.map((a, i) => h("li", { key: i },
        h("strong", null, [a.codice ? `Azione ${a.codice}` : "", a.titolo || ""].filter(Boolean).join(" ")), " ",
        h("span", { dangerouslySetInnerHTML: { __html: inline(a.testo) } })))) : null]),
    section("Risultati attesi", "risultati", formSection(d.risultati)),
    section("Impatto atteso", "impatto", formSection(d.impatto))));
}

/* The site's stylesheets lay lists out under [dir=ltr], which the site's <html> carries. */
function page(article) {
  return h("div", { dir: "ltr" }, article);
}

/* Any other kind: its fields by their labels, values in words (nested groups as nested lists). */
function table(rows, data, field) {
  const columns = data[field.pdz_columns] || [];
  return h("table", null,
    h("thead", null, h("tr", null, columns.map((c, i) => h("th", { key: i }, c.unita ? `${c.nome} (${c.unita})` : c.nome)))),
    h("tbody", null, rows.map((row, r) => h("tr", { key: r }, (row || []).map((cell, c) => h("td", { key: c },
      cell === null || cell === undefined ? "" : typeof cell === "number" ? formatNumber(cell) : String(cell)))))));
}

function show(value, field, data) {
  const widget = field.widget || "string";
  if (value === undefined || value === null || value === "") return null;
  if (widget === "select") {
    const labels = Object.fromEntries((field.options || []).map((o) => [o.value, o.label]));
    return [].concat(value).map((v) => labels[v] || v).join(", ");
  }
  if (widget === "relation") return [].concat(value).map((v) => name(field.pdz_kind, v)).join(", ");
  if (widget === "pdz-valore") return describeValue(value, field.pdz_qualifiers);
  if (widget === "text") return markdown(value);
  if (widget === "object") return facts(value, field.fields || []);
  if (widget === "pdz-tabella") return table(value, data, field);
  if (widget === "list") {
    return list(value, (item) => (field.fields ? facts(item, field.fields) : show(item, field.field || {})));
  }
  return typeof value === "number" ? formatNumber(value) : String(value);
}

function facts(data, fields) {
  const rows = [];
  for (const field of fields) {
    const shown = show(data[field.name], field, data);
    if (shown === null || (Array.isArray(shown) && !shown.length)) continue;
    rows.push(h("dt", { key: field.name + "-t" }, field.label), h("dd", { key: field.name }, shown));
  }
  return h("dl", { className: "pdz-facts" }, rows);
}

export function GenericPreview({ entry, collection, fields }) {
  const d = entry.get("data").toJS();
  // what the page shows: not the reason of the change (the record's history shows it)
  const all = (fields || collection.get("fields")).toJS().filter((f) => !f.pdz_ask_each_save);
  const titleField = collection.get("identifier_field") || all[0].name;   // a file collection: its first field
  const title = d[titleField] || "(senza titolo)";
  return page(h("article", { className: "md-content__inner md-typeset pdz-preview" },
    h("p", { className: "pdz-kicker" }, collection.get("label_singular")),
    h("h1", null, title), facts(d, all.filter((f) => f.name !== titleField))));
}
