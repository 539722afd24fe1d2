/* LEDS Admin's own behaviour (a static file: the CSP allows no inline script or event handler).
 *
 * - Focus: the error summary when a form comes back with errors, else the first field of a form marked
 *   data-autofocus; after an htmx swap started by the user, the swapped region's heading or message.
 * - Tables: every cell of a stacked table (usa-table--stacked) gets its column heading as data-label; a table
 *   wider than its column scrolls in its own focusable box instead of widening the page.
 * - data-confirm on a form or button asks before a destructive action; data-autosubmit on a select submits.
 * - Event days: "Add a day" / "Remove this day" in a date list (forms/widgets/date_list.html).
 */
(function () {
  "use strict";

  var FIELD = "input:not([type=hidden]):not([disabled]):not([tabindex='-1']), select:not([disabled]), textarea:not([disabled])";

  function visible(el) {
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  }

  function focusElement(el) {
    if (!el) return false;
    if (!el.matches("a, button, input, select, textarea, [tabindex]")) el.setAttribute("tabindex", "-1");
    el.focus({ preventScroll: false });
    return document.activeElement === el;
  }

  function firstField(root) {
    var fields = root.querySelectorAll(FIELD);
    for (var i = 0; i < fields.length; i++) {
      if (visible(fields[i])) return fields[i];
    }
    return null;
  }

  function focusOnLoad() {
    if (window.location.hash) return;
    var summary = document.querySelector("#error-summary");
    if (summary && focusElement(summary)) return;
    var form = document.querySelector("main form[data-autofocus]");
    if (form) focusElement(firstField(form));
  }

  function focusSwapped(target) {
    if (target && !target.isConnected && target.id) target = document.getElementById(target.id);
    if (!target || !target.querySelector) return;
    var message = target.querySelector("[role=alert], .usa-alert, [role=status]");
    var heading = target.querySelector("h1, h2, h3, h4, legend");
    var el = message || heading || target;
    focusElement(el);
  }

  function labelTables(root) {
    root.querySelectorAll("table.usa-table--stacked").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.replace(/\s+/g, " ").trim();
      });
      if (!heads.length) return;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var col = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          if (!cell.hasAttribute("data-label") && heads[col]) cell.setAttribute("data-label", heads[col]);
          col += cell.colSpan || 1;
        });
      });
    });
  }

  /* A table wider than its column scrolls in its own box (keyboard-focusable, named), not the whole page. */
  function fitTables(root) {
    root.querySelectorAll("table.usa-table").forEach(function (table) {
      var parent = table.parentElement;
      if (!parent || parent.classList.contains("usa-table-container--scrollable")) return;
      if (table.scrollWidth <= parent.clientWidth + 1) return;
      var box = document.createElement("div");
      box.className = "usa-table-container--scrollable leds-table-scroll";
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      var caption = table.querySelector("caption");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table (scrolls sideways)");
      parent.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  /* --- event days --- */
  function renumber(list) {
    var name = list.getAttribute("data-name");
    list.querySelectorAll("[data-date-list-row]").forEach(function (row, index) {
      var id = "id_" + name + (index ? "_" + (index + 1) : "");
      var label = row.querySelector("[data-date-list-label]");
      var input = row.querySelector("input[name]");
      label.textContent = "Day " + (index + 1);
      label.setAttribute("for", id);
      if (input) input.id = id;
    });
  }

  function addDay(list) {
    var rows = list.querySelectorAll("[data-date-list-row]");
    var last = rows[rows.length - 1];
    var row = last.cloneNode(true);
    row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    var picker = row.querySelector(".usa-date-picker");
    if (picker) picker.removeAttribute("data-default-value");
    var calendar = row.querySelector(".usa-date-picker__calendar");
    if (calendar) { calendar.hidden = true; calendar.innerHTML = ""; }
    last.parentNode.insertBefore(row, last.nextSibling);
    renumber(list);
    focusElement(row.querySelector("input[name]"));
  }

  function removeDay(list, row) {
    var rows = list.querySelectorAll("[data-date-list-row]");
    if (rows.length > 1) {
      var index = Array.prototype.indexOf.call(rows, row);
      row.remove();
      renumber(list);
      var remaining = list.querySelectorAll("[data-date-list-row]");
      focusElement(remaining[Math.max(0, index - 1)].querySelector("input[name]"));
    } else {
      row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      focusElement(row.querySelector("input[name]"));
    }
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-date-list-add]");
    if (add) { addDay(add.closest("[data-date-list]")); return; }
    var remove = event.target.closest("[data-date-list-remove]");
    if (remove) { removeDay(remove.closest("[data-date-list]"), remove.closest("[data-date-list-row]")); return; }
    var confirming = event.target.closest("button[data-confirm], input[type=submit][data-confirm], a[data-confirm]");
    if (confirming && !window.confirm(confirming.getAttribute("data-confirm"))) event.preventDefault();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("form[data-confirm]") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    labelTables(event.detail.elt || document);
    fitTables(event.detail.elt || document);
    var config = event.detail.requestConfig || {};
    var trigger = config.triggeringEvent;
    if (trigger && (trigger.type === "submit" || trigger.type === "click")) focusSwapped(event.detail.target);
  });

  function ready() {
    labelTables(document);
    fitTables(document);
    focusOnLoad();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
