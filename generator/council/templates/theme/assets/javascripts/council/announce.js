/* council: mkdocs-material 9.8.1 partials/javascripts/announce.html (MIT licence, (c) Martin Donath), moved
   from an inline script to this file so that the Content-Security-Policy allows scripts from the site only. */
var el=document.querySelector("[data-md-component=announce]");if(el){var content=el.querySelector(".md-typeset");__md_hash(content.innerHTML)===__md_get("__announce")&&(el.hidden=!0)}
