/* "Ask the Council": the Council's own script, no third-party code. It checks the form, writes the
   labelled message that `council request import` reads (one "Label: value" line per field, labels
   taken from the form itself), opens the reader's mail program with a mailto: link, and shows the
   same message to copy in case no mail program opens. Without this script the page offers the blank
   template and a plain mailto: link instead. */
(function () {
  "use strict";
  var form = document.getElementById("ask-form");
  if (!form || !form.dataset.address) { return; }
  var summary = document.getElementById("ask-error-summary");
  var summaryList = summary.querySelector("ul");
  var result = document.getElementById("ask-result");
  var LINE_BREAK = "\r\n";
  var EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
  var DAY = /^\d{4}-\d{2}-\d{2}$/;

  form.hidden = false;
  document.getElementById("ask-no-script").hidden = true;

  function oneLine(text) { return text.replace(/\s+/g, " ").trim(); }

  function fieldValue(field) {
    if (field.dataset.kind === "priority") {
      var checked = field.querySelector("input:checked");
      return checked ? checked.value : "";
    }
    return oneLine(field.querySelector("input, textarea").value);
  }

  function problem(field, value) {
    var label = field.dataset.label;
    if (field.dataset.required === "true" && !value) {
      return field.dataset.kind === "priority" ? "Choose a priority" : "Enter your " + label.toLowerCase();
    }
    if (value && field.dataset.kind === "email" && !EMAIL.test(value)) {
      return "Enter an email address in the correct format, like name@example.gov.uk";
    }
    if (value && field.dataset.kind === "date" && !DAY.test(value)) {
      return "Enter the deadline as a date, like 2027-01-31";
    }
    return "";
  }

  function showError(field, message) {
    var control = field.querySelector("input, textarea");
    var error = document.getElementById(field.dataset.errorId);
    error.hidden = !message;
    error.querySelector(".ask-error-text").textContent = message;
    field.classList.toggle("council-field--error", Boolean(message));
    field.querySelectorAll("input, textarea").forEach(function (input) {
      if (message) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    });
    return control;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var fields = form.querySelectorAll("[data-label]");
    var lines = [];
    var errors = [];
    var question = "";
    fields.forEach(function (field) {
      var value = fieldValue(field);
      var message = problem(field, value);
      var control = showError(field, message);
      if (message) { errors.push([control.id, message]); }
      if (field.dataset.name === "question") { question = value; }
      lines.push(field.dataset.label + ": " + value);
    });
    summaryList.textContent = "";
    if (errors.length) {
      errors.forEach(function (item) {
        var link = document.createElement("a");
        link.href = "#" + item[0];
        link.textContent = item[1];
        var entry = document.createElement("li");
        entry.appendChild(link);
        summaryList.appendChild(entry);
      });
      summary.hidden = false;
      result.hidden = true;
      summary.focus();
      return;
    }
    summary.hidden = true;
    var subject = form.dataset.subjectPrefix + " " + (question.length > 150 ? question.slice(0, 149) + "\u2026" : question);
    var body = lines.map(function (line) { return line.replace(/\s+$/, ""); }).join("\n");
    var url = "mailto:" + form.dataset.address + "?subject=" + encodeURIComponent(subject) +
      "&body=" + encodeURIComponent(body.replace(/\n/g, LINE_BREAK));
    document.getElementById("ask-result-subject").textContent = subject;
    document.getElementById("ask-result-body").textContent = body;
    document.getElementById("ask-result-link").href = url;
    result.hidden = false;
    document.getElementById("ask-result-heading").focus();
    window.location.href = url;
  });

  summary.addEventListener("click", function (event) {
    var target = event.target.closest("a");
    if (!target) { return; }
    var control = document.getElementById(target.getAttribute("href").slice(1));
    if (control) { event.preventDefault(); control.focus(); }
  });

  var copy = document.getElementById("ask-copy");
  copy.hidden = !(navigator.clipboard && window.isSecureContext);
  copy.addEventListener("click", function () {
    var text = "To: " + form.dataset.address + "\nSubject: " +
      document.getElementById("ask-result-subject").textContent + "\n\n" +
      document.getElementById("ask-result-body").textContent;
    navigator.clipboard.writeText(text).then(function () {
      document.getElementById("ask-copy-status").textContent = "Copied.";
    });
  });
}());
