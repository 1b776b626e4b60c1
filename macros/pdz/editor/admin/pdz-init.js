/* Loaded before decap-cms.js: the page starts Decap itself (pdz-admin.js), after registering
   the file formats and the previews that the generated configuration names. */
window.CMS_MANUAL_INIT = true;
