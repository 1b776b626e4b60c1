/* Tables that fit (issue #17): no table scrolls sideways, and desktops keep real tables.
   On phones (under 45em) every table of three or more columns (data-stack) and every grid of a
   record's fields (.pdz-grid) is shown as cards, one per row (data-cards; pdz-tables.css does it
   without JavaScript too). At any width, a table wider than its box first gets more room,
   then a denser type, and only then becomes cards:
   1. the page lays its content out without the table of contents in the side column
      (data-pdz-roomy on <html>; from 60em on, where that column is shown; the printable plan
      widens on screen);
   2. a table still too wide gets a smaller type and narrower cell padding (data-dense), and on
      a desktop (from 60em) a smaller one still (data-denser: the nine columns of a source's
      evaluation grid, headed by long capitalised questions, stay a table at 1024 px);
   3. a table still too wide is shown as cards.
   pdz-tables.css draws these states, and the phone cards even without JavaScript.
   macros/pdz/render/tables.py writes the roles, labels and data-stack this relies on. */
(function () {
  "use strict";
  var root = document.documentElement, width = -1, pending = false;
  var phone = window.matchMedia("screen and (max-width: 44.9375em)");
  var desktop = window.matchMedia("screen and (min-width: 60em)");

  function tooWide(table) {
    if (!table.getClientRects().length) return false;   // hidden (closed details, print-only)
    if (table.scrollWidth > table.clientWidth + 1) return true;   // a table that scrolls itself
    for (var box = table.parentElement; box && box !== document.body; box = box.parentElement) {
      var overflow = getComputedStyle(box).overflowX;   // the box that would scroll (Material's wrapper)
      if (overflow !== "visible") return box.scrollWidth > box.clientWidth + 1;
    }
    return table.getBoundingClientRect().right > root.clientWidth + 1;
  }

  function wideOnes(tables) {   // reads only: one layout per step
    var wide = [];
    for (var i = 0; i < tables.length; i++) if (tooWide(tables[i])) wide.push(tables[i]);
    return wide;
  }

  function mark(tables, name) {
    for (var i = 0; i < tables.length; i++) tables[i].setAttribute(name, "");
  }

  function fit() {
    pending = false;
    var tables = document.querySelectorAll("table[role=table]"), i;
    for (i = 0; i < tables.length; i++) {
      tables[i].removeAttribute("data-cards"); tables[i].removeAttribute("data-dense"); tables[i].removeAttribute("data-denser");
    }
    root.removeAttribute("data-pdz-roomy");
    if (phone.matches) mark(document.querySelectorAll("table[role=table]:is([data-stack], .pdz-grid)"), "data-cards");
    var wide = wideOnes(tables);
    if (wide.length) { root.setAttribute("data-pdz-roomy", ""); wide = wideOnes(tables); }
    if (wide.length) { mark(wide, "data-dense"); wide = wideOnes(wide); }
    if (wide.length && desktop.matches) { mark(wide, "data-denser"); wide = wideOnes(wide); }
    mark(wide, "data-cards");
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
