/* Web Analytics Italia (Matomo), only on sites that configure it (extra.pdz_statistiche in
   mkdocs.yml); otherwise this file is not even published. Privacy-respecting by construction:
   no cookies at all (so no consent banner is needed, as the Garante allows for anonymous
   statistics), the browser's Do Not Track is honoured, and the visitor's address is anonymised
   by the Matomo server of Web Analytics Italia. The configuration comes from the data-
   attributes of this script's own tag: no inline script, compatible with the site's CSP. */
(function () {
  var tag = document.currentScript;
  if (!tag) return;
  var url = tag.getAttribute("data-matomo-url");
  var site = tag.getAttribute("data-matomo-site");
  if (!url || !site) return;
  if (url.slice(-1) !== "/") url += "/";
  var _paq = (window._paq = window._paq || []);
  _paq.push(["disableCookies"]);
  _paq.push(["setDoNotTrack", true]);
  _paq.push(["setTrackerUrl", url + "matomo.php"]);
  _paq.push(["setSiteId", site]);
  _paq.push(["trackPageView"]);
  _paq.push(["enableLinkTracking"]);
  var script = document.createElement("script");
  script.async = true;
  script.src = url + "matomo.js";
  document.head.appendChild(script);
})();
