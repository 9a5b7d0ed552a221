/* PayAtlas layout: a table that scrolls sideways inside its own box (a .table-scroll wrapper, or on
   a phone the table itself) must be reachable by keyboard, so it gets tabindex="0" when it scrolls
   and holds nothing focusable of its own. */
(function () {
  "use strict";
  function keyboardScrollable() {
    document.querySelectorAll("main table, .table-scroll").forEach((el) => {
      if (el.hasAttribute("tabindex") || el.scrollWidth <= el.clientWidth + 1) return;
      if (el.querySelector("a[href], button, input, select, textarea, [tabindex]")) return;
      el.setAttribute("tabindex", "0");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", keyboardScrollable);
  else keyboardScrollable();
  window.addEventListener("resize", keyboardScrollable);
})();
