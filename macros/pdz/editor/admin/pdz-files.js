/* pdz-site web editor: reading and writing content files so that a save changes only the lines
   of the values that changed, nested ones included (a measurement inside an indicator inside a
   section), and leaves everything else (order, comments, quotes, number formats) as it was.
   Plain module without the DOM: tests/editor/test_form_files.py runs it under Node. */
import { Document, parse, parseDocument, isMap, isScalar, isSeq } from "./yaml/index.js";

export const RAW = "__pdz_file";   // the file as read, kept with the entry to write a minimal change
const READ = { version: "1.1" };   // as PyYAML reads the files
const WRITE = { lineWidth: 0, flowCollectionPadding: false };

/* ---- reading ------------------------------------------------------------------------------- */

function splitFrontMatter(text) {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (!lines.length || lines[0].trim() !== "---") return null;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === "---") return { front: lines.slice(1, i).join("\n"), body: lines.slice(i + 1).join("\n") };
  }
  return null;
}

/* The fields the form asks afresh at every save (the reason of the change, pdz_ask_each_save in
   the generated configuration): read as empty, so that no earlier reason is saved again unseen. */
const askedEachSave = (fields) => (fields || []).filter((f) => f.pdz_ask_each_save).map((f) => f.name);

export function readFile(text, markdown, bodyField, fields) {
  let data;
  if (markdown) {
    const split = splitFrontMatter(text) || { front: "", body: text };
    data = parse(split.front, READ) || {};
    const body = split.body.replace(/^\n+|\n+$/g, "");
    if (body && data[bodyField] === undefined) data[bodyField] = body;
  } else {
    data = parse(text, READ) || {};
  }
  for (const name of askedEachSave(fields)) delete data[name];
  data[RAW] = text;
  return data;
}

/* ---- values ---------------------------------------------------------------------------------- */

/* Empty values (a field the form left blank) are not written: the schemas want them absent.
   A list in a list is a table row: its empty cells stay, as null, so the columns keep their place. */
export function clean(value) {
  if (Array.isArray(value)) {
    const items = value.map((v) => (Array.isArray(v) ? row(v) : clean(v))).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (value instanceof Date) return value;
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

function row(cells) {
  const kept = cells.map((cell) => (cell === undefined || (typeof cell === "string" && cell.trim() === "") ? null : cell));
  return kept.some((cell) => cell !== null) ? kept : undefined;
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date);

/* Equal as data: the order of a group's fields does not matter, the order of a list does. */
export function same(a, b) {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && same(a[k], b[k]));
  }
  return a === b;
}

/* ---- writing: line edits on the previous text ------------------------------------------------ */

class Fallback extends Error {}   // this level cannot be edited in place: rewrite the enclosing one

class Lines {
  constructor(text) {
    this.lines = text.split("\n");
    this.starts = [];
    let offset = 0;
    for (const line of this.lines) { this.starts.push(offset); offset += line.length + 1; }
  }
  line(offset) {   // the line holding a character
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  column(offset) { return offset - this.starts[this.line(offset)]; }
  /* The last line of a node, without the blank lines that may follow it inside its range. */
  lastLine(node, first) {
    let last = this.line(Math.max(node.range[0], node.range[1] - 1));
    while (last > first && this.lines[last].trim() === "") last--;
    return last;
  }
}

function sequencesIndented(text) {
  // how the file writes a list under a key: "key:\n  - item" (indented) or "key:\n- item"
  const found = /^( *)[^\s#-][^:\n]*:[ \t]*\n(?:[ \t]*(?:#.*)?\n)*( *)- /m.exec(text);
  return found ? found[2].length > found[1].length : true;
}

/* The new node written like the one it replaces: flow or block collections, quotes, decimals
   ("250000.00"), down to the values that match by key or position. */
function copyStyle(node, like) {
  if (!like || !node) return;
  if ((isMap(node) || isSeq(node)) && (isMap(like) || isSeq(like))) {
    if (like.flow) node.flow = true;
    if (isMap(node) && isMap(like)) {
      for (const pair of node.items) {
        const match = like.items.find((p) => isScalar(p.key) && isScalar(pair.key) && p.key.value === pair.key.value);
        if (match) copyStyle(pair.value, match.value);
      }
    } else if (isSeq(node) && isSeq(like)) {
      node.items.forEach((item, i) => copyStyle(item, like.items[Math.min(i, like.items.length - 1)]));   // a new item like the last
    }
  }
  if (isScalar(node) && isScalar(like)) {
    if (typeof node.value === "string" && typeof like.value === "string" && !node.value.includes("\n")
        && (like.type === "QUOTE_DOUBLE" || like.type === "QUOTE_SINGLE")) node.type = like.type;
    if (typeof node.value === "number" && typeof like.value === "number" && like.minFractionDigits) {
      node.minFractionDigits = like.minFractionDigits;
    }
  }
}

class Writer {
  constructor(text, options) {
    this.text = text;
    this.at = new Lines(text);
    this.options = { ...WRITE, ...options, indentSeq: sequencesIndented(text) };
  }

  dump(value, like) {   // YAML lines of a value, in the style of the node it replaces
    const doc = new Document(value, READ);
    copyStyle(doc.contents, like);
    return doc.toString(this.options).replace(/\n$/, "").split("\n");
  }

  dumpPair(key, value, like) {
    const doc = new Document({ [key]: value }, READ);
    copyStyle(doc.contents.items[0].value, like);
    return doc.toString(this.options).replace(/\n$/, "").split("\n");
  }

  /* Lines at a column: the first after the text before the column (indent, or "- " of a list
     item), the others indented to the column. */
  place(dumped, firstLine, column) {
    const prefix = this.at.lines[firstLine].slice(0, column);
    return dumped.map((l, i) => (i === 0 ? prefix : " ".repeat(column)) + l);
  }

  pairSpan(pair) {
    const first = this.at.line(pair.key.range[0]);
    const value = pair.value;
    const last = value && value.range ? Math.max(first, this.at.lastLine(value, first)) : first;
    return { first, last, column: this.at.column(pair.key.range[0]) };
  }

  itemSpan(item) {
    const first = this.at.line(item.range[0]);
    const column = this.at.column(item.range[0]);
    const before = this.at.lines[first].slice(0, column);
    if (!before.trimEnd().endsWith("-")) throw new Fallback("list item not on its dash line");
    return { first, last: this.at.lastLine(item, first), column, dash: before.lastIndexOf("-") };
  }

  /* ---- maps ---- */
  map(node, prev, cur, fields) {
    if (!isMap(node) || node.flow) throw new Fallback("not a block map");
    const edits = [];
    const inFile = new Set();
    const pairs = node.items.filter((p) => p.key && isScalar(p.key));
    if (pairs.length !== node.items.length) throw new Fallback("complex keys");
    pairs.forEach((pair, index) => {
      const key = String(pair.key.value);
      inFile.add(key);
      const before = prev[key];
      const now = cur[key];
      if (now === undefined) {
        if (before !== undefined) edits.push(this.removePair(pairs, index));
        return;
      }
      if (before !== undefined && same(before, now)) return;
      edits.push(...this.value({ pair }, before, now, childFields(fields, key)));
    });
    const order = (fields || []).map((f) => f.name);
    for (const key of Object.keys(cur)) {
      if (!inFile.has(key)) edits.push(this.insertPair(pairs, key, cur[key], order));
    }
    return edits;
  }

  removePair(pairs, index) {
    const span = this.pairSpan(pairs[index]);
    if (this.at.lines[span.first].slice(0, span.column).includes("-")) throw new Fallback("first field of a list item");
    return { first: span.first, last: span.last, lines: [] };
  }

  insertPair(pairs, key, value, order) {
    if (!pairs.length) throw new Fallback("empty map");
    const rank = order.indexOf(key);
    const next = rank < 0 ? undefined : pairs.find((p) => order.indexOf(String(p.key.value)) > rank);
    const column = this.pairSpan(pairs[0]).column;
    const lines = this.dumpPair(key, value).map((l) => " ".repeat(column) + l);
    if (next) {
      const span = this.pairSpan(next);
      if (this.at.lines[span.first].slice(0, span.column).includes("-")) throw new Fallback("before a list item's dash");
      return { first: span.first, last: span.first - 1, lines };
    }
    const last = this.pairSpan(pairs[pairs.length - 1]).last;
    return { first: last + 1, last, lines };
  }

  /* ---- the value of a field or of a list item ---- */
  value(owner, before, now, field) {
    const node = owner.pair ? owner.pair.value : owner.item;
    try {
      if (isMap(node) && !node.flow && isObject(before) && isObject(now)) {
        return this.map(node, before, now, field && field.fields);
      }
      if (isSeq(node) && !node.flow && Array.isArray(before) && Array.isArray(now)) {
        return this.seq(node, before, now, field);
      }
    } catch (error) {
      if (!(error instanceof Fallback)) throw error;
    }
    return [this.replace(owner, now, node)];
  }

  replace(owner, now, like) {
    if (owner.pair) {
      const span = this.pairSpan(owner.pair);
      return { first: span.first, last: span.last,
               lines: this.place(this.dumpPair(String(owner.pair.key.value), now, like), span.first, span.column) };
    }
    const span = this.itemSpan(owner.item);
    return { first: span.first, last: span.last, lines: this.place(this.dump(now, like), span.first, span.column) };
  }

  /* ---- lists: one item added or removed anywhere, or items changed in place and the list
     lengthened or shortened at its end (the form adds at the end) ---- */
  seq(node, before, now, field) {
    const items = node.items;
    if (items.length !== before.length) throw new Fallback("empty items in the file");
    if (!items.length) throw new Fallback("empty list");
    const itemField = field && (field.fields ? { fields: field.fields } : field.field);
    const spans = items.map((item) => this.itemSpan(item));
    // a new item is written like its neighbour (a table row in brackets, a group in braces)
    const newItem = (value, near) => this.dump(value, items[near]).map((l, i) => " ".repeat(spans[near].dash + (i ? 2 : 0)) + (i ? "" : "- ") + l);
    const insert = (index, values) => {
      const where = index < spans.length ? spans[index].first : spans[spans.length - 1].last + 1;
      return { first: where, last: where - 1, lines: values.flatMap((v) => newItem(v, Math.min(index, spans.length - 1))) };
    };
    const remove = (index) => ({ first: spans[index].first, last: spans[index].last, lines: [] });
    if (now.length === before.length + 1) {   // one item added, the others unchanged
      const at = before.findIndex((item, i) => !same(item, now[i]));
      const index = at < 0 ? before.length : at;
      if (same(before.slice(index), now.slice(index + 1))) return [insert(index, [now[index]])];
    }
    if (now.length === before.length - 1) {   // one item removed, the others unchanged
      const at = now.findIndex((item, i) => !same(item, before[i]));
      const index = at < 0 ? now.length : at;
      if (same(before.slice(index + 1), now.slice(index))) return [remove(index)];
    }
    const edits = [];
    const common = Math.min(before.length, now.length);
    for (let i = 0; i < common; i++) {
      if (!same(before[i], now[i])) edits.push(...this.value({ item: items[i] }, before[i], now[i], itemField));
    }
    if (now.length > common) edits.push(insert(before.length, now.slice(common)));
    for (let i = common; i < before.length; i++) edits.push(remove(i));
    return edits;
  }

  apply(edits) {
    const lines = [...this.at.lines];
    // from the bottom up, so that earlier line numbers stay valid; at one line, a replacement
    // before an insertion (the inserted lines end up above the replaced ones)
    edits.sort((a, b) => b.first - a.first || (b.last - b.first) - (a.last - a.first));
    for (const edit of edits) lines.splice(edit.first, edit.last - edit.first + 1, ...edit.lines);
    return lines.join("\n");
  }
}

function childFields(fields, name) {
  return (fields || []).find((f) => f.name === name);
}

function ordered(current, fields) {
  const sorted = {};
  for (const f of fields || []) if (current[f.name] !== undefined) sorted[f.name] = current[f.name];
  for (const key of Object.keys(current)) if (sorted[key] === undefined) sorted[key] = current[key];
  return sorted;
}

/* The YAML text of ``current``: the previous text with only the changed values' lines edited;
   a new file (or one that cannot be edited in place) is written whole, in the form's order. */
export function writeYaml(previousText, previous, current, fields) {
  const whole = () => (Object.keys(current).length ? new Document(ordered(current, fields), READ).toString(WRITE).replace(/\n$/, "") : "");
  if (previousText === null) return whole();
  try {
    const doc = parseDocument(previousText, READ);
    if (doc.errors.length || !isMap(doc.contents) || doc.contents.flow) throw new Fallback("not a block map");
    const writer = new Writer(previousText);
    const text = writer.apply(writer.map(doc.contents, previous, current, fields));
    if (same(clean(parse(text, READ)) || {}, current)) return text;
  } catch (error) {
    if (!(error instanceof Fallback)) throw error;
  }
  return whole();
}

export function writeFile(data, fields, markdown, bodyField) {
  const previousText = data[RAW] === undefined ? null : data[RAW];
  const current = clean(data) || {};
  let previous = {};
  let previousFront = previousText;
  let previousBody = "";
  if (previousText !== null) {
    previous = clean(readFile(previousText, markdown, bodyField, fields)) || {};
    if (markdown) {
      const split = splitFrontMatter(previousText) || { front: "", body: "" };
      previousFront = split.front;
      previousBody = split.body;
    }
  }
  if (!markdown) {
    const text = writeYaml(previousText, previous, current, fields);
    return text.endsWith("\n") ? text : text + "\n";
  }
  if (previousText !== null && (parse(previousFront, READ) || {})[bodyField] !== undefined) {
    // the text is written in the front matter (a file not yet moved to the body): it stays there
    return `---\n${writeYaml(previousFront, previous, current, fields).replace(/\n+$/, "")}\n---\n${previousBody}`;
  }
  const body = current[bodyField];
  const front = { ...current };
  delete front[bodyField];
  const before = { ...previous };
  delete before[bodyField];
  const yamlText = writeYaml(previousText === null ? null : previousFront, before, front, fields);
  let bodyText;
  if (previousText !== null && same(previous[bodyField], body)) bodyText = previousBody;
  else bodyText = body ? `\n${body}\n` : "";
  return `---\n${yamlText.replace(/\n+$/, "")}\n---\n${bodyText}`;
}
