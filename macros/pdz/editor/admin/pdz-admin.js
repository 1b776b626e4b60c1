/* pdz-site web editor: start-up of Decap CMS with the configuration generated from schemas/
   (admin/config.json), the file formats that change only what the editor changed
   (pdz-files.js), the form's own widgets (pdz-widgets.js) and the previews in the site's
   layout (pdz-preview.js). No inline script (the page's Content-Security-Policy forbids it). */
import { readFile, writeFile } from "./pdz-files.js";
import { registerWidgets } from "./pdz-widgets.js";
import { GenericPreview, ObjectivePreview, setUp } from "./pdz-preview.js";

const page = document.querySelector("script[data-pdz-config]");
const BODY_FIELD = page.dataset.pdzBody || "descrizione";
const CMS = window.CMS;

function load(url) {   // a script of this site (Content-Security-Policy: 'self')
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`${url} non caricato`));
    document.head.append(script);
  });
}

const style = document.createElement("link");
style.rel = "stylesheet";
style.href = "pdz-admin.css";
document.head.append(style);
for (const url of (page.dataset.pdzStyles || "").split(" ").filter(Boolean)) CMS.registerPreviewStyle(url);

/* One file format per collection: it knows the collection's fields, so that a new value nested
   in a group goes where the form puts it. */
function registerFormat(collection) {
  const markdown = collection.format === "pdz-md";
  const name = `${collection.format}-${collection.name}`;
  const fields = collection.fields || collection.files[0].fields;   // the files of a collection are of one kind
  CMS.registerCustomFormat(name, collection.extension, {
    fromFile: (text) => readFile(text, markdown, BODY_FIELD, fields),
    toFile: (data) => writeFile(data, fields, markdown, BODY_FIELD),
  });
  return { ...collection, format: name };
}

Promise.all([fetch(page.dataset.pdzConfig), fetch(page.dataset.pdzPreview)].map((p) => p.then((r) => r.json()))
  .concat([load("markdown-it.min.js")]))
.then(([config, preview]) => {
  setUp(preview, window.markdownit);
  registerWidgets(CMS, preview.nomi);
  const collections = config.collections.map(registerFormat);
  for (const collection of collections) {
    const kind = collection.label_singular || "";
    const preview = kind.startsWith("Obiettivo") ? ObjectivePreview : GenericPreview;
    // a folder collection's entries take its template; a file collection's, their file's
    for (const name of [collection.name, ...(collection.files || []).map((f) => f.name)]) {
      CMS.registerPreviewTemplate(name, preview);
    }
  }
  CMS.init({ config: { ...config, collections, load_config_file: false } });
});
