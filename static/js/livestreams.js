// Live sessions: small enhancements; the pages work without them.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // The product on air shows how long it has been on, so the host keeps to the cap.
  document.querySelectorAll("[data-on-air-since]").forEach(function (element) {
    var since = new Date(element.getAttribute("data-on-air-since"));
    function tick() {
      var seconds = Math.max(0, Math.floor((Date.now() - since.getTime()) / 1000));
      var minutes = Math.floor(seconds / 60);
      element.textContent = minutes + ":" + String(seconds % 60).padStart(2, "0");
    }
    tick();
    window.setInterval(tick, 1000);
  });
})();
