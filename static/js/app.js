// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // The language menu submits itself when changed.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Background job pages poll their status URL until the job has finished.
  document.querySelectorAll("[data-job-status-url]").forEach(function (box) {
    var url = box.getAttribute("data-job-status-url");
    var progress = box.querySelector("[data-job-progress]");
    var resultBox = box.querySelector("[data-job-result]");
    function show(state) {
      box.querySelectorAll("[data-job-field]").forEach(function (el) {
        var key = el.getAttribute("data-job-field");
        if (key in state) { el.textContent = state[key]; }
      });
      if (progress) { progress.value = state.percent; progress.textContent = state.percent + "%"; }
      if (state.finished && resultBox) {
        resultBox.hidden = false;
        resultBox.textContent = state.result_text || JSON.stringify(state.result, null, 2);
      }
    }
    function poll() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          show(state);
          if (!state.finished) { window.setTimeout(poll, 700); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    poll();
  });
})();
