/* Source texts (fonti/<documento>/testo/...): a link "?righe=1003-1015#r1003" highlights lines
   1003 to 1015. Without this script the fragment still scrolls to line 1003 and marks it. */
(function () {
  "use strict";
  function highlight() {
    var match = /^(\d+)-(\d+)$/.exec(new URLSearchParams(window.location.search).get("righe") || "");
    if (!match) { return; }
    var first = parseInt(match[1], 10), last = parseInt(match[2], 10);
    if (last < first || last - first > 5000) { return; }
    for (var n = first; n <= last; n++) {
      var line = document.getElementById("r" + n);
      if (line && line.classList.contains("pdz-line")) { line.classList.add("pdz-hl"); }
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", highlight);
  } else {
    highlight();
  }
})();
