// Saves every click of the questionnaire at once; the form still works without it.
(function () {
  "use strict";
  var form = document.getElementById("questionnaire");
  if (!form || form.dataset.writable !== "true") { return; }
  var status = document.getElementById("save-status");
  var bar = document.getElementById("survey-progress");
  var label = document.getElementById("survey-progress-label");
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.content : "";
  var unsaved = {};  // item code -> value not yet on the server

  function mark(code, state) {
    var box = document.getElementById("item-" + code);
    if (!box) { return; }
    box.dataset.save = state;
    var text = { saving: form.dataset.msgSaving, saved: form.dataset.msgSaved, unsaved: form.dataset.msgUnsaved }[state];
    box.querySelector("[data-state-for]").textContent = text || "";
  }

  function say(message, withLogin) {
    status.textContent = message || "";
    status.className = message ? "save-status alert error" : "save-status";
    if (withLogin) {
      var link = document.createElement("a");
      link.href = form.dataset.loginUrl;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = form.dataset.msgLogin;
      status.appendChild(document.createTextNode(" "));
      status.appendChild(link);
    }
  }

  function progress(answered, total) {
    bar.max = total;
    bar.value = answered;
    label.textContent = label.dataset.template.replace("{a}", answered).replace("{t}", total);
  }

  function currentStep() {
    // The marker of this page in the steps above it: its small bar and its words for a screen reader.
    var steps = document.querySelector(".page-steps");
    var link = steps && steps.querySelector('a[aria-current="page"]');
    if (!link) { return; }
    var items = form.querySelectorAll("fieldset.item");
    var done = form.querySelectorAll("fieldset.item input:checked").length;
    var total = items.length;
    var state = done === total ? "done" : (done ? "partial" : "todo");
    link.parentNode.className = "step step-" + state + " step-current";
    link.querySelector(".step-bar span").className = "w-" + (total ? Math.round(done / total * 20) * 5 : 0);
    var words = link.querySelector("[data-step-label]");
    var text = { done: steps.dataset.msgDone, todo: steps.dataset.msgTodo,
                 partial: steps.dataset.msgPartial.replace("{a}", done).replace("{t}", total) }[state];
    words.textContent = words.dataset.stepLabel + ", " + text;
  }

  function freshToken() {
    // After logging in again the old token no longer matches: take one from a fresh page.
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var found = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
        if (found) { token = found[1]; }
        return Boolean(found);
      });
  }

  function send(code, value, retried) {
    mark(code, "saving");
    return fetch(form.dataset.autosaveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRFToken": token, "X-Autosave": "1" },
      body: JSON.stringify({ item: code, value: value })
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (r.ok) {
          delete unsaved[code];
          mark(code, "saved");
          progress(data.answered, data.total);
          currentStep();
          if (!Object.keys(unsaved).length) { say(""); }
          return;
        }
        unsaved[code] = value;
        mark(code, "unsaved");
        if (r.status === 401) { say(data.message || form.dataset.msgExpired, true); return; }
        if (r.status === 400 && data.error === "csrf" && !retried) {
          return freshToken().then(function (ok) { if (ok) { return send(code, value, true); } });
        }
        say(data.message || form.dataset.msgRefused, false);
      });
    }).catch(function () {
      unsaved[code] = value;
      mark(code, "unsaved");
      say(form.dataset.msgOffline, false);
    });
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "radio" || input.name.indexOf("item-") !== 0) { return; }
    var code = input.name.slice(5);
    // Anything left unsaved goes along with this click.
    Object.keys(unsaved).forEach(function (other) {
      if (other !== code) { send(other, unsaved[other]); }
    });
    send(code, parseInt(input.value, 10));
  });
  window.addEventListener("beforeunload", function (event) {
    if (Object.keys(unsaved).length) { event.preventDefault(); event.returnValue = ""; }
  });
}());
