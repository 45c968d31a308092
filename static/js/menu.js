// The phone menu: a real button that shows and hides the main navigation.
// base.html renders the button hidden and the menu open, so without JavaScript every link
// stays reachable; this file shows the button and folds the menu behind it.
(function () {
  "use strict";

  var button = document.querySelector(".nav-toggle[aria-controls]");
  if (!button) { return; }
  var menu = document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) { return; }

  function isOpen() { return button.getAttribute("aria-expanded") === "true"; }
  function setOpen(open) { button.setAttribute("aria-expanded", open ? "true" : "false"); }

  setOpen(false);
  button.hidden = false;

  button.addEventListener("click", function () { setOpen(!isOpen()); });

  // Escape closes the open menu and puts the focus back on its button.
  document.addEventListener("keydown", function (event) {
    if ((event.key === "Escape" || event.key === "Esc") && isOpen()) {
      setOpen(false);
      button.focus();
    }
  });
})();
