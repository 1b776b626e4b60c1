/* "Trova il tuo Comune" on the home page and on comuni/ (macros/pdz/render/comuni.py writes the
   list): a filter box over the list of Comuni, filled from ?q= (the box of a regional home
   page). Without JavaScript the whole list is there and the box stays hidden. The count is
   announced through the role="status" paragraph. */
(function () {
  "use strict";
  var box = document.querySelector("[data-pdz-comuni]");
  if (!box) return;
  var input = box.querySelector("input"), status = box.querySelector("[role=status]");
  var items = box.querySelectorAll("li[data-nome]"), total = items.length, timer = 0;

  function fold(text) {   // as fold() in comuni.py: no accents, lower case, punctuation as spaces
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  function count(shown, query) {
    if (!query) return total + " Comuni nominati nei piani.";
    if (!shown) return "Nessun Comune dei piani contiene «" + query + "».";
    return shown === 1 ? "1 Comune trovato su " + total + "." : shown + " Comuni trovati su " + total + ".";
  }

  function update() {
    var query = fold(input.value), shown = 0;
    for (var i = 0; i < items.length; i++) {
      var match = items[i].getAttribute("data-nome").indexOf(query) !== -1;
      items[i].hidden = !match;
      if (match) shown++;
    }
    box.setAttribute("data-shown", String(shown));
    // the status is announced: once the reader pauses, not at every key
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { status.textContent = count(shown, input.value.trim()); }, 400);
  }

  box.querySelector(".pdz-comuni-filter").hidden = false;
  input.addEventListener("input", update);
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked && !input.value) input.value = asked;
  if (input.value) update();   // asked in the address, or restored by the browser (back button)
})();
