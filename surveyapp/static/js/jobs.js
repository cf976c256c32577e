// The job page's progress bar: polls the status endpoint until the job ends.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var bar = document.getElementById("job-progress");
  var part = function (name) { return box.querySelector('[data-job="' + name + '"]'); };
  var lang = document.documentElement.lang || "id";
  var texts = {
    id: { rows: " dari ", left: "sisa waktu kira-kira ", min: " menit", sec: " detik" },
    en: { rows: " of ", left: "about ", min: " min left", sec: " s left" }
  }[lang === "en" ? "en" : "id"];
  var number = function (n) { return Number(n).toLocaleString(lang === "en" ? "en" : "id-ID"); };

  function show(data) {
    if (data.percent !== null && data.percent !== undefined) {
      bar.value = data.percent;
      part("percent").textContent = data.percent + " %";
    }
    if (data.total) {
      // The sentence comes from the page, translated on the server: "38 dari 38 baris".
      var rows = part("rows").dataset.text || "{done}" + texts.rows + "{total}";
      part("rows").textContent = rows.replace("{done}", number(data.done)).replace("{total}", number(data.total));
    }
    if (data.eta_seconds) {
      part("eta").textContent = data.eta_seconds >= 90
        ? texts.left + Math.round(data.eta_seconds / 60) + texts.min
        : texts.left + data.eta_seconds + texts.sec;
    } else {
      part("eta").textContent = "";
    }
    if (data.state === "done" && box.dataset.reloadWhenDone !== undefined) {
      window.location.reload();  // a finished check: the same address now shows its preview
      return;
    }
    box.dataset.state = data.state;
    part("label").hidden = !(data.state === "queued" || data.state === "running");
    part("done").hidden = data.state !== "done";
    part("failed").hidden = data.state !== "failed";
    if (data.state === "failed" && data.message) { part("message").textContent = data.message; }
  }

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        show(data);
        if (data.state === "queued" || data.state === "running") { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  if (box.dataset.state === "queued" || box.dataset.state === "running") { poll(); }
}());
