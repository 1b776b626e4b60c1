/* Site search with Pagefind (issue #15). Loaded on every page (a few KB); the engine and its
   index are downloaded only when someone searches. Markup: overrides/partials/search.html.
   State for tests and for the shareable address:
     #pdz-search[data-state]  idle | loading | done | error
     #pdz-search[data-query]  the query the results on screen answer
   The address carries ?q= and the filters (ambito, tipo, area, periodo), so a search can be
   shared; opening such an address shows the same results. */
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL("../", script.src);          // the site root: this file is assets/pdz-search.js
  var FILTERS = ["ambito", "tipo", "area", "periodo"];
  var PAGE = 10;

  var box = document.getElementById("pdz-search");
  if (!box) return;
  var opener = box.querySelector(".pdz-search__open");
  var form = box.querySelector(".pdz-search__form");
  var input = box.querySelector(".pdz-search__input");
  var panel = box.querySelector(".pdz-search__panel");
  var status = box.querySelector(".pdz-search__status");
  var list = box.querySelector(".pdz-search__results");
  var more = box.querySelector(".pdz-search__more");
  var close = box.querySelector(".pdz-search__close");
  var selects = {};
  FILTERS.forEach(function (name) { selects[name] = box.querySelector('select[name="' + name + '"]'); });

  var engine = null;        // promise of the Pagefind module
  var filtersReady = null;  // promise: the filter menus are filled
  var latest = 0;           // number of the latest search: older answers are dropped
  var results = [];         // results of the current search
  var shown = 0;
  var timer = 0;

  function load() {
    if (!engine) {
      box.dataset.state = "loading";
      engine = import(new URL("pagefind/pagefind.js", root).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: root.pathname, excerptLength: 24 }).then(function () {
          return pagefind;
        });
      });
      filtersReady = engine.then(function (pagefind) { return pagefind.filters(); }).then(fillFilters);
      engine.catch(function () {
        box.dataset.state = "error";
        status.textContent = "La ricerca non è disponibile in questo momento.";
      });
    }
    return engine;
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
  }

  function chosenFilters() {
    var out = {};
    FILTERS.forEach(function (name) {
      var value = selects[name].value || selects[name].dataset.wanted;
      if (value) out[name] = [value];
    });
    return out;
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
    var params = new URLSearchParams();
    if (query) params.set("q", query);
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

  function search() {
    var query = input.value.trim();
    var filters = chosenFilters();
    var number = ++latest;
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
    var partial = 0;
    return load().then(function (pagefind) {
      return pagefind.search(query || null, { filters: filters }).then(function (answer) {
        return widen(pagefind, query, filters, answer.results);
      });
    }).then(function (found) {
      if (number !== latest) return;
      results = found.results;
      partial = found.partial;
      shown = 0;
      list.textContent = "";
      return showMore(number).then(function () {
        if (number !== latest) return;
        var count = results.length - partial;
        var words = count === 0 ? "Nessun risultato" : count === 1 ? "1 risultato" : count + " risultati";
        status.textContent = words + (query ? " per «" + query + "»" : "") +
          (Object.keys(filters).length ? " con i filtri scelti" : "") +
          (partial ? (partial === 1 ? "; segue 1 risultato" : "; seguono " + partial + " risultati") +
           " con solo alcune delle parole" : "");
        box.dataset.query = query;
        box.dataset.state = "done";
      });
    }).catch(function () {
      if (number !== latest) return;
      box.dataset.state = "error";
      status.textContent = "La ricerca non è disponibile in questo momento.";
    });
  }

  /* Pagefind finds the pages that hold every word. When a query of several words finds few,
     the pages holding some of its words follow, best first ("neuropsichiatria bambini"). */
  function widen(pagefind, query, filters, all) {
    var words = query.split(/\s+/).filter(function (w) { return w.length > 2; });
    if (all.length >= PAGE || words.length < 2) return { results: all, partial: 0 };
    return Promise.all(words.map(function (w) { return pagefind.search(w, { filters: filters }); }))
      .then(function (answers) {
        var seen = {};
        all.forEach(function (r) { seen[r.id] = true; });
        var extra = [];
        answers.forEach(function (answer) {
          answer.results.forEach(function (r) { if (!seen[r.id]) { seen[r.id] = true; extra.push(r); } });
        });
        extra.sort(function (a, b) { return b.score - a.score; });
        return { results: all.concat(extra), partial: extra.length };
      });
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a.pdz-search__link")); }

  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); search(); });
  input.addEventListener("focus", function () { load(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 200); });
  FILTERS.forEach(function (name) {
    selects[name].addEventListener("change", function () { delete selects[name].dataset.wanted; search(); });
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

  /* An address with ?q= or filters (a shared search) shows its results on arrival. */
  var params = new URLSearchParams(location.search);
  var asked = params.get("q") || "";
  var anyFilter = false;
  FILTERS.forEach(function (name) {
    var value = params.get(name);
    if (value) { selects[name].dataset.wanted = value; anyFilter = true; }
  });
  if (asked || anyFilter) {
    input.value = asked;
    open(false);
    search();
  }
})();
