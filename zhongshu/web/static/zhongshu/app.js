/* 中枢 page behaviour without inline scripts (Content-Security-Policy: script-src 'self').
   data-confirm="问题"            on a <form>: ask before submitting
   data-autosubmit               on a form control: submit its form on change
   data-print                    on a button: window.print()
   data-check-all="selector"     on a checkbox: (un)check every box matching selector
   .count, .u-stat               a figure that reads 0 (“0”, “0%”, “0 件”) gets .is-zero: muted, never alarm red
*/
(function () {
  "use strict";
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { e.preventDefault(); e.stopImmediatePropagation(); return; }
  }, true);
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
  });
  document.addEventListener("click", function (e) {
    var el = e.target.closest ? e.target.closest("[data-print],[data-check-all]") : null;
    if (!el) return;
    if (el.hasAttribute("data-print")) { window.print(); return; }
    var selector = el.getAttribute("data-check-all");
    document.querySelectorAll(selector).forEach(function (c) { if (c !== el) c.checked = el.checked; });
  });
  function markZero() {
    document.querySelectorAll(".count, .u-stat").forEach(function (el) {
      el.classList.toggle("is-zero", /^0(\.0+)?\s*(%|件|个|条|天|个工作日)?$/.test(el.textContent.trim()));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", markZero); else markZero();
  document.addEventListener("htmx:afterSwap", markZero);
})();
