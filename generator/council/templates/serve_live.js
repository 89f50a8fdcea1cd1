// `council serve` only: added to pages as they are served, never written into a build.
// It asks the server what the last build did: a new build reloads the page; a build that failed
// shows its problems over the page, until a save fixes them.
(() => {
  const STATE = "/__council__/state";
  let seen = null;
  let overlay = null;

  function problemItem(problem) {
    const item = document.createElement("li");
    const where = document.createElement("code");
    where.textContent = problem.where;  // text only: an author's words are never run as markup
    const message = document.createElement("span");
    message.textContent = (problem.where ? ": " : "") + problem.message;
    item.append(where, message);
    if (problem.hint) {
      const hint = document.createElement("div");
      hint.textContent = "hint: " + problem.hint;
      item.append(hint);
    }
    return item;
  }

  function show(problems) {
    if (overlay) overlay.remove();
    overlay = null;
    if (!problems.length) return;
    overlay = document.createElement("section");
    overlay.id = "council-problems";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:#fff;color:#1a1a1a;font:16px/1.5 system-ui,sans-serif";
    const title = document.createElement("h1");
    title.textContent = "The preview could not be rebuilt";
    const advice = document.createElement("p");
    advice.textContent = "Fix these problems and save: this page comes back by itself.";
    const list = document.createElement("ul");
    list.append(...problems.map(problemItem));
    overlay.append(title, advice, list);
    document.body.append(overlay);
  }

  async function poll() {
    try {
      const response = await fetch(STATE, {cache: "no-store"});
      const state = await response.json();
      if (seen !== null && state.version !== seen && !state.problems.length) {
        location.reload();
        return;
      }
      seen = state.version;
      show(state.problems);
    } catch (error) {
      // the server is restarting or stopped: ask again shortly
    }
    setTimeout(poll, 300);
  }
  poll();
})();
