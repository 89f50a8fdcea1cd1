/* council: mkdocs-material 9.8.1 partials/javascripts/content.html (MIT licence, (c) Martin Donath), moved
   from an inline script to this file so that the Content-Security-Policy allows scripts from the site only. */
var tabs=__md_get("__tabs");if(Array.isArray(tabs))e:for(var set of document.querySelectorAll(".tabbed-set")){var labels=set.querySelector(".tabbed-labels");for(var tab of tabs)for(var label of labels.getElementsByTagName("label"))if(label.innerText.trim()===tab){var input=document.getElementById(label.htmlFor);input.checked=!0;continue e}}
