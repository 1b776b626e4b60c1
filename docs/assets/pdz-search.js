/* Site search with Pagefind (issues #15, #25). Loaded on every page (a few KB); the engine, its
   index and the citizen vocabulary are downloaded only when someone searches. Markup:
   overrides/partials/search.html.

   A query is read as a citizen writes it ("badante per mia madre anziana"):
   - Italian stop words are left out ("per", "mia"), and the words of a request ("aiuto",
     "vorrei", "cerco");
   - phrases of the citizen vocabulary (vocabolario/parole.json, from content/vocabolario/) are
     found in it, accents, case and word endings aside ("badante" and "badanti" alike: the same
     comparison as pdz.content.vocabulary.key), and stand for the plans' terms and acronyms
     ("assistenti familiari"); the panel says so ("Nei piani si dice «assistenti familiari»");
   - each remaining word, and each vocabulary entry found (searched through its plans' terms
     and acronyms), is one concept searched on its own.
   A page scores the sum of the weights of the concepts it holds, each scaled by how strongly
   it holds it: a concept held by few pages weighs more than one held by many (a word that most
   pages share, or that many match as a prefix, weighs little), an entry of the vocabulary counts
   twice; ties go to Pagefind's score. So pages about several of the meaningful words come before
   pages about one, and before pages that merely mention them.

   State for tests and for the shareable address:
     #pdz-search[data-state]  idle | loading | done | error
     #pdz-search[data-query]  the query the results on screen answer
   The address carries ?cerca= and the filters (ambito, tipo, area, periodo), so a search can be
   shared; opening such an address shows the same results. The old ?q= still opens a search,
   except on the Comune finder (comuni/), which reads ?q= itself. */
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL("../", script.src);          // the site root: this file is assets/pdz-search.js
  var PARAM = "cerca", OLD_PARAM = "q";
  var FILTERS = ["ambito", "tipo", "area", "periodo"];
  var PAGE = 10;
  var ENTRY_WEIGHT = 2;      // a vocabulary entry found in the query counts as two words
  // Italian function words, the forms of essere/avere/fare/stare, the words of a request
  // ("come si chiede", "non riesco") and of number and time ("due anni", "stanotte"): they say
  // nothing of what is looked for.
  var STOP = {};
  ("a ad al allo ai agli all alla alle col coi con da dal dallo dai dagli dall dalla dalle di del dello dei " +
   "degli dell della delle in nel nello nei negli nell nella nelle su sul sullo sui sugli sull sulla sulle " +
   "per tra fra il lo la i gli le l un uno una d c e ed o od ma se che chi cui non ne ci vi si mi ti " +
   "io tu lui lei noi voi loro mio mia miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra nostri " +
   "nostre vostro vostra vostri vostre questo questa questi queste quello quella quelli quelle come dove " +
   "quando quale quali quanto quanta quanti quante cosa perche anche piu molto poco tutto tutti gia ancora " +
   "sono sei e siamo siete era erano sara stato stata essere ho hai ha abbiamo avete hanno avere avuto " +
   "faccio fai fa facciamo fanno fare sto sta stanno posso puo possono potete vorrei voglio vuole serve " +
   "servono bisogno cerco cercare cerchiamo aiuto aiuta aiutare aiutami chiedere chiedo sapere info qualcuno " +
   "trovare trovo trova uno due tre quattro cinque sei sette otto nove dieci anno anni mese mesi giorno " +
   "giorni settimana settimane oggi ieri domani stanotte sempre mai adesso ora " +
   "qualcosa devo deve dobbiamo chiede chiedi chiedono chiediamo riesco riesci riesce riusciamo riescono riuscire").split(" ").forEach(function (w) { STOP[w] = true; });

  var box = document.getElementById("pdz-search");
  if (!box) return;
  var opener = box.querySelector(".pdz-search__open");
  var form = box.querySelector(".pdz-search__form");
  var input = box.querySelector(".pdz-search__input");
  var panel = box.querySelector(".pdz-search__panel");
  var status = box.querySelector(".pdz-search__status");
  var note = box.querySelector(".pdz-search__vocab");
  var toggle = box.querySelector(".pdz-search__filters-toggle");
  var list = box.querySelector(".pdz-search__results");
  var more = box.querySelector(".pdz-search__more");
  var close = box.querySelector(".pdz-search__close");
  var selects = {};
  FILTERS.forEach(function (name) { selects[name] = box.querySelector('select[name="' + name + '"]'); });

  var engine = null;        // promise of the Pagefind module
  var vocabulary = null;    // promise of the vocabulary's phrases, longest first
  var filtersReady = null;  // promise: the filter menus are filled (on first need: see filtersNeeded)
  var pageCount = null;     // promise: the pages in the index, the scale of a concept's weight
  var latest = 0;           // number of the latest search: older answers are dropped
  var results = [];         // results of the current search, best first
  var shown = 0;
  var timer = 0;

  /* --- words --------------------------------------------------------------------------- */
  function fold(text) {   // as pdz.content.vocabulary.words: no accents, lower case
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function tokens(text) {   // [{word: as written, key: folded, start, end: where in text}]
    var out = [], pattern = /[\p{L}\p{N}]+/gu, match;
    while ((match = pattern.exec(text))) {
      var key = fold(match[0]).replace(/[^a-z0-9]+/g, "");
      if (key) out.push({ word: match[0], key: key, start: match.index, end: match.index + match[0].length });
    }
    return out;
  }

  function stem(word) {     // as pdz.content.vocabulary.stem: "badante", "badanti" -> "badant"
    if (word.length <= 3) return word;
    var cut = word.replace(/[aeiou]+$/, "");
    return cut.length >= 3 ? cut : word.slice(0, 3);
  }

  function meaningful(key) {   // not a stop word, and not a lone short number ("16 anni")
    return !STOP[key] && key.length > 1 && !/^[0-9]{1,3}$/.test(key);
  }

  /* --- loading ------------------------------------------------------------------------- */
  function load() {
    if (!engine) {
      box.dataset.state = "loading";
      engine = import(new URL("pagefind/pagefind.js", root).href).then(function (pagefind) {
        // noWorker: Pagefind searches on the page's thread instead of a worker of its own, whose
        // script (41 kB) a search would download besides pagefind.js, which holds the same engine
        return pagefind.options({ baseUrl: root.pathname, excerptLength: 24, noWorker: true }).then(function () {
          return pagefind;
        });
      });
      vocabulary = fetch(new URL("vocabolario/parole.json", root).href)
        .then(function (answer) { return answer.ok ? answer.json() : { voci: [] }; })
        .catch(function () { return { voci: [] }; })   // without it the search still works
        .then(phrases);
      // Pagefind's entry file (which it reads first itself) says how many pages it indexed
      pageCount = fetch(new URL("pagefind/pagefind-entry.json", root).href)
        .then(function (answer) { return answer.json(); })
        .then(function (entry) {
          var languages = Object.keys(entry.languages || {});
          return Math.max(1, languages.length ? entry.languages[languages[0]].page_count || 1 : 1);
        })
        .catch(function () { return 1; });
      engine.catch(function () {
        box.dataset.state = "error";
        status.textContent = "La ricerca non è disponibile in questo momento.";
      });
    }
    var ready = [engine, vocabulary, pageCount];
    if (filtersNeeded()) ready.push(loadFilters());
    return Promise.all(ready).then(function (loaded) {
      return { pagefind: loaded[0], phrases: loaded[1], pages: loaded[2] };
    });
  }

  function phrases(data) {
    var out = [];
    (data.voci || []).forEach(function (entry) {
      entry.parole.forEach(function (phrase) {
        var stems = tokens(phrase).map(function (t) { return stem(t.key); });
        if (stems.length) out.push({ entry: entry, stems: stems });
      });
    });
    return out.sort(function (a, b) { return b.stems.length - a.stems.length; });
  }

  /* The filter menus list every value with its count: Pagefind reads all its filter files for
     them, which grow with the site (64 kB at 100 Ambiti). A search without filters needs none
     of them, so they are read when the menus can be seen or used: on a wide screen, where
     they are always shown; on a phone, when the reader opens them; or when the address asks
     for a filter. */
  function filtersNeeded() {
    return box.classList.contains("pdz-search--filters") || matchMedia("screen and (min-width: 60em)").matches ||
      Object.keys(chosenFilters()).length > 0;
  }

  function loadFilters() {
    if (!filtersReady) {
      filtersReady = engine.then(function (pagefind) { return pagefind.filters(); }).then(fillFilters);
    }
    return filtersReady;
  }

  function fillFilters(all) {
    FILTERS.forEach(function (name) {
      var select = selects[name];
      var wanted = select.dataset.wanted || select.value;
      Object.keys(all[name] || {}).sort(function (a, b) { return a.localeCompare(b, "it"); })
        .forEach(function (value) {
          var option = document.createElement("option");
          option.value = value;
          option.textContent = value;
          select.appendChild(option);
        });
      select.value = wanted;
      if (select.value !== wanted) select.value = "";
    });
    updateToggle();
  }

  /* --- the query: concepts ------------------------------------------------------------- */
  /* Each concept is a list of Pagefind queries, any of which it accepts: an entry of the
     vocabulary (the reader's words, the plans' terms, the acronyms) or one word. */
  function concepts(query, known) {
    var found = tokens(query);
    var stems = found.map(function (t) { return stem(t.key); });
    var used = found.map(function () { return false; });
    var entries = [];
    known.forEach(function (phrase) {
      var size = phrase.stems.length;
      for (var i = 0; i + size <= stems.length; i++) {
        var fits = true;
        for (var j = 0; j < size && fits; j++) fits = !used[i + j] && stems[i + j] === phrase.stems[j];
        if (!fits) continue;
        var words = found.slice(i, i + size);
        for (j = 0; j < size; j++) used[i + j] = true;
        var entry = entries.filter(function (e) { return e.entry === phrase.entry; })[0];
        if (!entry) entries.push(entry = { entry: phrase.entry, said: [], own: [], at: i });
        entry.at = Math.min(entry.at, i);
        entry.said.push(query.slice(words[0].start, words[size - 1].end));   // as typed: "l'affitto"
        words.forEach(function (t) { if (meaningful(t.key)) entry.own.push(t.word); });
        break;
      }
    });
    entries.sort(function (a, b) { return a.at - b.at; });   // in the order of the query
    var out = entries.map(function (e) {   // the plans' words stand for the reader's
      var queries = e.entry.termini.concat(e.entry.sigle);
      return { entry: e, weight: ENTRY_WEIGHT, queries: unique(queries.length ? queries : [e.own.join(" ")]) };
    });
    found.forEach(function (t, i) {
      if (!used[i] && meaningful(t.key)) out.push({ weight: 1, queries: [t.word] });
    });
    if (!out.length && query.trim()) out.push({ weight: 1, queries: [query.trim()] });
    return out;
  }

  function unique(items) {
    var seen = {};
    return items.filter(function (item) {
      var k = fold(item);
      if (seen[k]) return false;
      seen[k] = true;
      return true;
    });
  }

  /* The pages of each concept, then each page's score: the sum, over the concepts it holds, of
     the concept's weight (rarer is heavier) times its share of the best page's score for that
     concept, two fifths of the weight being earned by holding it at all: a page that names a
     concept once, in passing (a long survey, a list of other pages), earns little more than two
     fifths; one that is about it earns all of it. At a half, pages mentioning two rare words of
     a sentence in passing ("paura", "perderla") came before the page about its need; below two
     fifths, a page about one word came before pages holding two. */
  function rank(pagefind, list, filters, pageCount) {
    var searches = [];
    list.forEach(function (concept) {
      concept.queries.forEach(function (q) {
        searches.push(pagefind.search(q, { filters: filters }).then(function (answer) {
          return { concept: concept, results: answer.results };
        }));
      });
    });
    return Promise.all(searches).then(function (answers) {
      // for each concept, each page's share: the sum over the concept's queries of its score
      // relative to the best page of that query (a page holding several of an entry's terms
      // comes first), and the result to show (the query it scored best on)
      var byConcept = list.map(function () { return {}; });
      answers.forEach(function (answer) {
        var pages = byConcept[list.indexOf(answer.concept)];
        var best = Math.max.apply(null, answer.results.map(function (r) { return r.score; }).concat([0])) || 1;
        answer.results.forEach(function (r) {
          var page = pages[r.id] || (pages[r.id] = { result: r, share: 0 });
          page.share += r.score / best;
          if (r.score > page.result.score) page.result = r;
        });
      });
      var pages = {};
      var held = 0;
      byConcept.forEach(function (found, c) {
        var ids = Object.keys(found);
        if (!ids.length) return;
        held++;
        var best = Math.max.apply(null, ids.map(function (id) { return found[id].share; })) || 1;
        var weight = list[c].weight * Math.log(1 + pageCount / ids.length);
        ids.forEach(function (id) {
          var r = found[id].result;
          var page = pages[id] || (pages[id] = { result: r, score: 0, raw: 0, concepts: 0 });
          page.score += weight * (0.4 + 0.6 * found[id].share / best);
          page.raw += r.score;
          page.concepts++;
          if (r.score > page.result.score) page.result = r;
        });
      });
      var ordered = Object.keys(pages).map(function (id) { return pages[id]; }).sort(function (a, b) {
        return b.score - a.score || b.raw - a.raw;
      });
      var complete = ordered.filter(function (p) { return p.concepts === held; }).length;
      return { results: ordered.map(function (p) { return p.result; }),
               partial: held > 1 ? ordered.length - complete : 0 };
    });
  }

  /* "Nei piani si dice «assistenti familiari» per «badante»": the entries that rewrote the query. */
  function rewritten(list) {
    var parts = [];
    list.forEach(function (concept) {
      if (!concept.entry) return;
      var said = concept.entry.said;
      var own = said.map(function (s) { return tokens(s).map(function (t) { return stem(t.key); }).join(" "); });
      var term = concept.entry.entry.termini.filter(function (t) {
        return own.indexOf(tokens(t).map(function (x) { return stem(x.key); }).join(" ")) < 0;
      })[0];
      if (term) parts.push({ term: term, said: said.join(", "), url: concept.entry.entry.url });
    });
    return parts;
  }

  function showNote(parts) {
    note.textContent = "";
    note.hidden = !parts.length;
    if (!parts.length) return;
    note.appendChild(document.createTextNode("Nei piani si dice "));
    parts.forEach(function (part, i) {
      if (i) note.appendChild(document.createTextNode(i === parts.length - 1 ? " e " : ", "));
      var strong = document.createElement("strong");
      strong.textContent = "«" + part.term + "»";
      note.appendChild(strong);
      note.appendChild(document.createTextNode(" per «" + part.said + "»"));
    });
    note.appendChild(document.createTextNode(": la ricerca comprende anche queste parole ("));
    var link = document.createElement("a");
    link.href = new URL(parts[0].url, root).href;
    link.textContent = "le parole per cercare";
    note.appendChild(link);
    note.appendChild(document.createTextNode(")."));
  }

  /* --- panel ----------------------------------------------------------------------------- */
  function chosenFilters() {
    var out = {};
    FILTERS.forEach(function (name) {
      var value = selects[name].value || selects[name].dataset.wanted;
      if (value) out[name] = [value];
    });
    return out;
  }

  function updateToggle() {
    var count = Object.keys(chosenFilters()).length;
    toggle.textContent = "Filtra i risultati" + (count ? " (" + (count === 1 ? "1 filtro scelto" : count + " filtri scelti") + ")" : "");
  }

  function open(focus) {
    box.classList.add("pdz-search--open");
    opener.setAttribute("aria-expanded", "true");
    if (focus) input.focus();
  }

  function shut() {
    box.classList.remove("pdz-search--open");
    opener.setAttribute("aria-expanded", "false");
    panel.hidden = true;
    box.dataset.state = "idle";
    delete box.dataset.query;
    history.replaceState(null, "", location.pathname);
  }

  function remember(query, filters) {
    var params = new URLSearchParams(location.search);
    params.delete(PARAM);
    FILTERS.forEach(function (name) { params.delete(name); });
    if (!finderReadsQ) params.delete(OLD_PARAM);   // an old shared address becomes a new one
    if (query) params.set(PARAM, query);
    FILTERS.forEach(function (name) { if (filters[name]) params.set(name, filters[name][0]); });
    var search = params.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
  }

  /* Pagefind's excerpt is text with <mark> around the matches: rebuilt as text nodes and
     <mark> elements, never parsed as HTML. */
  function excerpt(html) {
    var p = document.createElement("p");
    p.className = "pdz-search__excerpt";
    html.split(/(<mark>|<\/mark>)/).reduce(function (marked, part) {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      var text = document.createTextNode(decode(part));
      if (marked) {
        var mark = document.createElement("mark");
        mark.appendChild(text);
        p.appendChild(mark);
      } else {
        p.appendChild(text);
      }
      return marked;
    }, false);
    return p;
  }

  var decoder = document.createElement("textarea");
  function decode(text) {            /* entities only: a textarea's content is never markup */
    decoder.innerHTML = text;
    return decoder.value;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "pdz-search__result";
    var a = document.createElement("a");
    a.className = "pdz-search__link";
    a.href = data.url;
    a.textContent = (data.meta && data.meta.title) || data.url;
    var heading = document.createElement("p");
    heading.className = "pdz-search__title";
    heading.appendChild(a);
    li.appendChild(heading);
    var about = [data.meta && data.meta.tipo, data.meta && data.meta.ambito].filter(Boolean).join(" · ");
    if (about) {
      var meta = document.createElement("p");
      meta.className = "pdz-search__meta";
      meta.textContent = about;
      li.appendChild(meta);
    }
    if (data.excerpt) li.appendChild(excerpt(data.excerpt));
    return li;
  }

  function showMore(number) {
    var slice = results.slice(shown, shown + PAGE);
    return Promise.all(slice.map(function (r) { return r.data(); })).then(function (items) {
      if (number !== latest) return;
      items.forEach(function (data) { list.appendChild(item(data)); });
      shown += items.length;
      more.hidden = shown >= results.length;
    });
  }

  function summary(query, total, partial, filtered) {
    var complete = total - partial;
    var quoted = query ? " per «" + query + "»" : "";
    var filters = filtered ? " con i filtri scelti" : "";
    if (!total) return "Nessun risultato" + quoted + filters;
    if (!complete) {
      return (total === 1 ? "1 risultato" : total + " risultati") + " con solo alcune delle parole di «" + query + "»" +
        filters + ", prima quelli che ne hanno di più";
    }
    return (complete === 1 ? "1 risultato" : complete + " risultati") + quoted + filters +
      (partial ? (partial === 1 ? "; segue 1 risultato" : "; seguono " + partial + " risultati") +
       " con solo alcune delle parole" : "");
  }

  function search() {
    var query = input.value.trim();
    var filters = chosenFilters();
    var number = ++latest;
    updateToggle();
    if (!query && !Object.keys(filters).length) {
      panel.hidden = true;
      box.dataset.state = "idle";
      remember("", {});
      return Promise.resolve();
    }
    panel.hidden = false;
    open(false);
    box.dataset.state = "loading";
    remember(query, filters);
    var rewrite = [];
    return load().then(function (loaded) {
      if (!query) {
        return loaded.pagefind.search(null, { filters: filters }).then(function (answer) {
          return { results: answer.results, partial: 0 };
        });
      }
      var list = concepts(query, loaded.phrases);
      rewrite = rewritten(list);
      return rank(loaded.pagefind, list, filters, loaded.pages);
    }).then(function (found) {
      if (number !== latest) return;
      results = found.results;
      shown = 0;
      list.textContent = "";
      return showMore(number).then(function () {
        if (number !== latest) return;
        status.textContent = summary(query, results.length, found.partial, Object.keys(filters).length);
        showNote(rewrite);
        box.dataset.query = query;
        box.dataset.state = "done";
      });
    }).catch(function () {
      if (number !== latest) return;
      box.dataset.state = "error";
      status.textContent = "La ricerca non è disponibile in questo momento.";
    });
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a.pdz-search__link")); }

  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); search(); });
  input.addEventListener("focus", function () { load(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 200); });
  FILTERS.forEach(function (name) {
    selects[name].addEventListener("change", function () { delete selects[name].dataset.wanted; search(); });
  });
  toggle.addEventListener("click", function () {
    var opened = box.classList.toggle("pdz-search--filters");
    toggle.setAttribute("aria-expanded", String(opened));
    if (opened && engine) loadFilters();
  });
  opener.addEventListener("click", function () {
    if (box.classList.contains("pdz-search--open")) { shut(); opener.focus(); } else { open(true); load(); }
  });
  close.addEventListener("click", function () { shut(); input.value = ""; input.focus(); });
  more.addEventListener("click", function () {
    var first = shown;
    showMore(latest).then(function () { var all = links(); if (all[first]) all[first].focus(); });
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && (!panel.hidden || box.classList.contains("pdz-search--open"))) {
      event.preventDefault();
      shut();
      input.focus();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (document.activeElement === input && event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      all[0].focus();
    } else if (at >= 0) {
      event.preventDefault();
      var next = at + (event.key === "ArrowDown" ? 1 : -1);
      if (next < 0) input.focus(); else if (all[next]) all[next].focus();
    }
  });

  /* An address with ?cerca= or filters (a shared search) shows its results on arrival; so does
     an old one with ?q=, except where the Comune finder reads it. */
  var params = new URLSearchParams(location.search);
  var finderReadsQ = !!document.querySelector("[data-pdz-comuni-q]");
  var asked = params.get(PARAM) || (finderReadsQ ? "" : params.get(OLD_PARAM)) || "";
  var anyFilter = false;
  FILTERS.forEach(function (name) {
    var value = params.get(name);
    if (value) { selects[name].dataset.wanted = value; anyFilter = true; }
  });
  updateToggle();
  if (asked || anyFilter) {
    input.value = asked;
    open(false);
    search();
  }
})();
