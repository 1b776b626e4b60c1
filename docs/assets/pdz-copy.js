/* "Copia il codice" under the embed code of an objective ("Cita o incorpora", macros/pdz/render/embed.py):
   copies the code to the clipboard and says so in the status beside the button, which screen
   readers announce. The button is hidden until this script runs: without JavaScript the code is
   still there to select. A file, not inline code: the Content-Security-Policy allows no inline script. */
(() => {
  "use strict";
  const COPIED = "Codice copiato negli appunti: incollalo nella pagina del tuo sito.";
  const SELECTED = "Non è stato possibile copiare da qui: il codice è selezionato, premi Ctrl+C (Cmd+C su Mac).";

  function select(node) {
    const range = document.createRange();
    range.selectNodeContents(node);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  async function copy(button, box, status) {
    const source = box.parentElement.querySelector(button.dataset.pdzCopy);
    if (!source) return;
    status.textContent = "";   // a new message each time, so that it is announced again
    try {
      await navigator.clipboard.writeText(source.textContent);
      status.textContent = COPIED;
    } catch (error) {   // no clipboard access (an old browser, a page not on https)
      select(source);
      let copied = false;
      try { copied = document.execCommand("copy"); } catch (ignored) { copied = false; }
      status.textContent = copied ? COPIED : SELECTED;
    }
  }

  for (const button of document.querySelectorAll("button[data-pdz-copy]")) {
    const box = button.closest(".pdz-copy");
    const status = box.querySelector(".pdz-copy__status");
    button.addEventListener("click", () => copy(button, box, status));
    box.hidden = false;
  }
})();
