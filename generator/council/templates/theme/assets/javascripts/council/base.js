/* council: mkdocs-material 9.8.1 partials/javascripts/base.html (MIT licence, (c) Martin Donath), moved
   from an inline script to this file so that the Content-Security-Policy allows scripts from the site only.
   The page's scope comes from the script element's data-md-scope, which the template fills. */
__md_scope=new URL(document.currentScript.dataset.mdScope,location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
