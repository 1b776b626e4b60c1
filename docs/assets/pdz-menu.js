/* The menu button of the header (overrides/partials/header.html: a real <button>, where
   Material has a <label>, unreachable with the Tab key on narrow screens and not allowed to
   carry role="button") opens and closes Material's drawer (a checkbox): Enter and Space open
   it and move the focus into it, Esc closes it and gives the focus back to the button.
   Loaded from a file (extra_javascript), never inline: the Content-Security-Policy allows no
   inline script that is not the theme's own. */
(function () {
  var toggle = document.getElementById("__drawer");
  var button = document.querySelector(".md-header .pdz-menu-button");
  var drawer = document.querySelector(".md-sidebar--primary");
  if (!toggle || !button || !drawer) return;
  drawer.id = "pdz-menu";
  button.setAttribute("aria-controls", "pdz-menu");
  var sync = function () { button.setAttribute("aria-expanded", String(toggle.checked)); };
  toggle.addEventListener("change", sync);
  sync();
  button.addEventListener("click", function (event) {
    toggle.checked = !toggle.checked;
    toggle.dispatchEvent(new Event("change"));
    if (toggle.checked && event.detail === 0) {   /* keyboard: go into the menu */
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
