/* council: mkdocs-material 9.8.1 partials/javascripts/outdated.html (MIT licence, (c) Martin Donath), moved
   from an inline script to this file so that the Content-Security-Policy allows scripts from the site only.
   The site's base comes from the script element's data-md-base, which the template fills. */
var el=document.querySelector("[data-md-component=outdated]"),base=new URL(document.currentScript.dataset.mdBase,location),outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1)
