/* The menu icon of the header as a real button (overrides/main.html): in Material it is a
   <label>, unreachable with the Tab key on narrow screens, where the navigation is a drawer.
   Loaded from a file, never inline: the Content-Security-Policy allows no inline script
   that is not the theme's own. */
/* The menu icon as a real button: Tab reaches it, Enter and Space open the drawer and
   move the focus into it, Esc closes it and gives the focus back to the button. */
(function () {
  var toggle = document.getElementById("__drawer");
  var button = document.querySelector('.md-header label[for="__drawer"]');
  var drawer = document.querySelector(".md-sidebar--primary");
  if (!toggle || !button || !drawer) return;
  drawer.id = "pdz-menu";
  button.setAttribute("role", "button");
  button.setAttribute("tabindex", "0");
  button.setAttribute("aria-label", "Apri il menu di navigazione");
  button.setAttribute("aria-controls", "pdz-menu");
  var sync = function () { button.setAttribute("aria-expanded", String(toggle.checked)); };
  toggle.addEventListener("change", sync);
  sync();
  button.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    event.stopPropagation();   /* Material's own Enter handler would toggle it back */
    button.click();
    if (toggle.checked) {
      var first = drawer.querySelector("a[href]");
      if (first) setTimeout(function () { first.focus(); }, 50);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !toggle.checked) return;
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
    button.focus();
  });
})();
