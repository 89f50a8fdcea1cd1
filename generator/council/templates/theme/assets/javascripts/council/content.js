/* council: mkdocs-material 9.8.1 partials/javascripts/content.html (MIT licence, (c) Martin Donath), moved
   from an inline script to this file so that the Content-Security-Policy allows scripts from the site only. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
