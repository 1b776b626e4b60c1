/* "Trova il tuo Comune" on the home page and on comuni/ (macros/pdz/render/comuni.py writes the
   list): a filter box over the list of Comuni. The list also holds the Ambiti and subambiti
   (li[data-luogo], hidden): they show when the typed name matches one of their names
   (data-nome: folded names apart by "|"). On comuni/ ([data-pdz-comuni-q]) the box starts from
   ?q=, what the box of a regional home sends; the site search uses ?cerca=, so it never opens
   here. Without JavaScript the whole list of Comuni is there and the box stays hidden. The
   count is announced through the role="status" paragraph.
   A regional comuni/ has no list of its own (one page per initial letter instead): its box
   (data-pdz-comuni-dati) loads every name from comuni.json on the first keystroke and lists
   the matches, built as text nodes (never as markup). */
(function () {
  "use strict";
  var box = document.querySelector("[data-pdz-comuni]");
  if (!box) return;
  var input = box.querySelector("input"), status = box.querySelector("[role=status]");
  var list = box.querySelector(".pdz-comuni-list"), source = box.getAttribute("data-pdz-comuni-dati");
  var items = box.querySelectorAll("li[data-nome]");
  var total = Number(status.getAttribute("data-total")) || box.querySelectorAll("li[data-nome]:not([data-luogo])").length;
  var timer = 0, names = null, loading = null;

  function fold(text) {   // as fold() in comuni.py: no accents, lower case, punctuation as spaces
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  function several(n, one, many) { return n === 1 ? "1 " + one : n + " " + many; }

  function count(comuni, ambiti, subambiti, query) {
    if (!query) return total + " Comuni nominati nei piani.";
    var found = [ambiti ? several(ambiti, "Ambito", "Ambiti") : "", subambiti ? several(subambiti, "subambito", "subambiti") : ""]
      .filter(Boolean).join(" e ");
    if (!comuni && !found) return "Nessun Comune, Ambito o subambito dei piani contiene «" + query + "».";
    if (!comuni) return "Nessun Comune dei piani contiene «" + query + "»; trovati: " + found + ".";
    return (comuni === 1 ? "1 Comune trovato su " : comuni + " Comuni trovati su ") + total +
      (found ? "; trovati anche: " + found : "") + ".";
  }

  function announce(shown, comuni, ambiti, subambiti) {
    box.setAttribute("data-shown", String(shown));
    // the status is announced: once the reader pauses, not at every key
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { status.textContent = count(comuni, ambiti, subambiti, input.value.trim()); }, 400);
  }

  function item(row) {   // [folded name, name, address of its Ambito, Ambito]
    var li = document.createElement("li"), link = document.createElement("a"), ambito = document.createElement("span");
    li.setAttribute("data-nome", row[0]);
    link.href = row[2];
    link.textContent = row[1];
    ambito.className = "pdz-muted";
    ambito.textContent = "(" + row[3] + ")";
    li.append(link, " ", ambito);
    return li;
  }

  function showRemote(query) {
    var found = query ? names.filter(function (row) { return row[0].indexOf(query) !== -1; }) : [];
    list.replaceChildren.apply(list, found.map(item));
    var shown = query ? found.length : total;
    announce(shown, shown, 0, 0);
  }

  function update() {
    var query = fold(input.value), shown = 0, found = { comune: 0, ambito: 0, subambito: 0 };
    if (source) {
      if (names) return showRemote(query);
      if (!loading) {
        loading = fetch(source).then(function (answer) { return answer.json(); })
          .then(function (data) { names = data.comuni; showRemote(fold(input.value)); })
          .catch(function () { loading = null; status.textContent = "Elenco dei Comuni non disponibile: usa le iniziali qui sotto."; });
      }
      return;
    }
    for (var i = 0; i < items.length; i++) {
      var place = items[i].getAttribute("data-luogo");
      var match = items[i].getAttribute("data-nome").split("|").some(function (name) {
        return name.indexOf(query) !== -1;
      });
      if (place && !query) match = false;   // Ambiti and subambiti only answer a typed name
      items[i].hidden = !match;
      if (match) { shown++; found[place || "comune"]++; }
    }
    announce(shown, found.comune, found.ambito, found.subambito);
  }

  box.querySelector(".pdz-comuni-filter").hidden = false;
  input.addEventListener("input", update);
  var asked = box.hasAttribute("data-pdz-comuni-q") ? new URLSearchParams(window.location.search).get("q") : "";
  if (asked && !input.value) input.value = asked;
  if (input.value) update();   // asked in the address, or restored by the browser (back button)
})();
