/* Behaviour that used to sit in inline handlers (onsubmit=, onclick=, onchange=), which the
   Content-Security-Policy forbids (issue 17). Served by us; no inline script anywhere.
   - <form data-confirm="Question?">: asks before submitting.
   - <button data-confirm="Question?">: asks before the click submits its form.
   - <select data-autosubmit>: submits its form when the choice changes. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm], input[type=submit][data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("form[data-confirm]") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches("select[data-autosubmit]") && select.form) {
      if (typeof select.form.requestSubmit === "function") { select.form.requestSubmit(); } else { select.form.submit(); }
    }
  });
})();
