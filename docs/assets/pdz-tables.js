/* Tables that fit (issue #17). On phones, tables of three or more columns are cards by CSS
   alone (pdz-tables.css). Here: a table still wider than its box, at any width, is shown as
   cards too (data-cards), so that no table scrolls sideways; without JavaScript it scrolls in
   its box. macros/pdz/render/tables.py writes the roles and labels this relies on. */
(function () {
  "use strict";
  var root = document.documentElement, width = -1, pending = false;

  function tooWide(table) {
    if (!table.getClientRects().length) return false;   // hidden (closed details, print-only)
    if (table.scrollWidth > table.clientWidth + 1) return true;   // a table that scrolls itself
    for (var box = table.parentElement; box && box !== document.body; box = box.parentElement) {
      var overflow = getComputedStyle(box).overflowX;   // the box that would scroll (Material's wrapper)
      if (overflow !== "visible") return box.scrollWidth > box.clientWidth + 1;
    }
    return table.getBoundingClientRect().right > root.clientWidth + 1;
  }

  function fit() {
    pending = false;
    var tables = document.querySelectorAll("table[role=table]"), wide = [], i;
    for (i = 0; i < tables.length; i++) tables[i].removeAttribute("data-cards");
    for (i = 0; i < tables.length; i++) if (tooWide(tables[i])) wide.push(tables[i]);   // read, then write
    for (i = 0; i < wide.length; i++) wide[i].setAttribute("data-cards", "");
    root.setAttribute("data-pdz-tables", "ok");
  }

  function schedule() {
    if (!pending) { pending = true; window.requestAnimationFrame(fit); }
  }

  function start() {
    fit();
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(schedule);
    window.addEventListener("load", schedule);   // after Material has wrapped Markdown tables
    document.addEventListener("toggle", schedule, true);   // an opened <details> may be wider
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        if (root.clientWidth !== width) { width = root.clientWidth; schedule(); }
      }).observe(root);
    } else {
      window.addEventListener("resize", schedule);
    }
  }

  window.pdzTables = {fit: fit};
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
