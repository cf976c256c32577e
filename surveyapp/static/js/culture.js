// A culture-map page: a live "7 of 10 chosen" counter, and every tick saved at once.
// Without it the form still works: the ticked boxes are saved with the page's buttons.
(function () {
  "use strict";
  var form = document.getElementById("culture-form");
  if (!form) { return; }
  var counter = document.getElementById("culture-count");
  var status = document.getElementById("save-status");
  var bar = document.getElementById("survey-progress");
  var label = document.getElementById("survey-progress-label");
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.content : "";
  var pick = parseInt(form.dataset.pick, 10);

  function chosen() { return form.querySelectorAll('input[name="choice"]:checked').length; }

  function show() {
    var c = chosen();
    counter.textContent = form.dataset.msgCount.replace("{c}", c).replace("{p}", pick);
    counter.dataset.state = c === pick ? "done" : (c > pick ? "over" : "todo");
    var steps = document.querySelector(".page-steps");
    var link = steps && steps.querySelector('a[aria-current="page"]');
    if (link) {
      var state = c >= pick ? "done" : (c ? "partial" : "todo");
      link.parentNode.className = "step step-" + state + " step-current";
      link.querySelector(".step-bar span").className = "w-" + Math.round(Math.min(c, pick) / pick * 20) * 5;
    }
  }

  function say(message) {
    status.textContent = message || "";
    status.className = message ? "save-status alert error" : "save-status";
  }

  function send(input) {
    return fetch(form.dataset.autosaveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRFToken": token, "X-Autosave": "1" },
      body: JSON.stringify({ lens: form.dataset.lens, behaviour: input.value, chosen: input.checked })
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (r.ok) {
          say("");
          bar.max = data.total;
          bar.value = data.answered;
          label.textContent = label.dataset.template.replace("{a}", data.answered).replace("{t}", data.total);
          return;
        }
        input.checked = !input.checked;  // the server kept the old state: show it
        show();
        say(data.message || form.dataset.msgRefused);
      });
    }).catch(function () {
      input.checked = !input.checked;
      show();
      say(form.dataset.msgOffline);
    });
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.name !== "choice") { return; }
    if (input.checked && chosen() > pick) {
      input.checked = false;
      say(form.dataset.msgFull);
      show();
      return;
    }
    show();
    if (form.dataset.writable === "true") { send(input); }
  });
  show();
}());
