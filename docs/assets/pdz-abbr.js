/* Acronyms of the glossary (ADI, SAD, FNA...): the page has <abbr title="…" data-glossario="id">
   (macros/pdz/html/text.py), whose title only a mouse shows. Each becomes a disclosure: a button
   (the acronym, aria-expanded) and, below it, its expansion with a link to its glossary entry.
   It opens on a tap or a click, and when the keyboard brings the focus to it (Tab); Escape, a
   tap elsewhere or moving the focus away closes it. Without JavaScript (and in the caption of a
   table) the <abbr> stays as is. */
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL("../", script.src);          // the site root: this file is assets/pdz-abbr.js
  var opened = null;

  function show(wrap, open) {
    var button = wrap.firstChild, tip = wrap.lastChild;
    button.setAttribute("aria-expanded", String(open));
    tip.hidden = !open;
    tip.style.left = "";
    if (!open) {
      if (opened === wrap) opened = null;
      return;
    }
    if (opened && opened !== wrap) show(opened, false);
    opened = wrap;
    var box = tip.getBoundingClientRect(), room = document.documentElement.clientWidth - 8;
    if (box.right > room) tip.style.left = Math.min(0, room - box.right) + "px";   // stays on screen
  }

  function disclosure(abbr, n) {
    var wrap = document.createElement("span");
    wrap.className = "pdz-abbr";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "pdz-abbr__button";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", "pdz-sigla-" + n);
    var tip = document.createElement("span");
    tip.className = "pdz-abbr__tip";
    tip.id = "pdz-sigla-" + n;
    tip.hidden = true;
    tip.appendChild(document.createTextNode(abbr.title + " "));
    var link = document.createElement("a");
    link.href = new URL("glossario/#" + abbr.getAttribute("data-glossario"), root).href;
    link.textContent = "nel glossario";
    tip.appendChild(link);
    abbr.parentNode.insertBefore(wrap, abbr);
    button.appendChild(abbr);
    wrap.appendChild(button);
    wrap.appendChild(tip);

    button.addEventListener("click", function () { show(wrap, button.getAttribute("aria-expanded") !== "true"); });
    button.addEventListener("focus", function () { if (button.matches(":focus-visible")) show(wrap, true); });
    wrap.addEventListener("focusout", function (event) {
      if (!wrap.contains(event.relatedTarget)) show(wrap, false);
    });
    wrap.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        event.stopPropagation();
        show(wrap, false);
        button.focus();
      }
    });
  }

  // not in a table's caption: on a phone a table is shown as cards, and the caption of cards is
  // no caption any more for the browser, so a button there would sit in the table itself
  var all = document.querySelectorAll("abbr[data-glossario]:not(caption abbr)");
  for (var i = 0; i < all.length; i++) disclosure(all[i], i);
  document.addEventListener("click", function (event) {
    if (opened && !opened.contains(event.target)) show(opened, false);
  });
})();
