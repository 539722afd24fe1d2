// The person picker (common/widgets.py PersonSearch, issue 23): typing asks people:search (htmx) for at most
// 20 matches; a click, or arrow keys and Enter, chooses one. Single: a hidden input holds the person's pk.
// Multiple: each chosen person becomes a ticked checkbox with the field's name. No inline script (CSP).
(function () {
  "use strict";
  var timers = new WeakMap();

  function parts(el) {
    var root = el.closest("[data-person-search]");
    return root && {
      root: root,
      input: root.querySelector("[data-person-search-input]"),
      list: root.querySelector("[data-person-search-list]"),
      value: root.querySelector("[data-person-search-value]"),
      chosen: root.querySelector("[data-person-search-chosen]")
    };
  }

  function close(p) {
    p.list.hidden = true;
    p.input.setAttribute("aria-expanded", "false");
  }

  function search(p) {
    var query = p.input.value.trim();
    if (!query) { p.list.innerHTML = ""; close(p); return; }
    var url = p.root.dataset.searchUrl + "?q=" + encodeURIComponent(query) +
      "&scope=" + encodeURIComponent(p.root.dataset.scope || "");
    window.htmx.ajax("GET", url, {target: p.list, swap: "innerHTML"}).then(function () {
      var any = p.list.children.length > 0;
      p.list.hidden = !any;
      p.input.setAttribute("aria-expanded", any ? "true" : "false");
    });
  }

  function choose(p, option) {
    if (!option || !option.dataset.value) return;
    if (p.chosen) {
      var name = p.root.dataset.name;
      if (!p.chosen.querySelector('input[value="' + option.dataset.value + '"]')) {
        var id = p.input.id + "-chosen-" + option.dataset.value;
        var li = document.createElement("li");
        li.innerHTML = '<div class="usa-checkbox"><input class="usa-checkbox__input" type="checkbox" checked></div>';
        var box = li.querySelector("input");
        box.name = name; box.value = option.dataset.value; box.id = id;
        var label = document.createElement("label");
        label.className = "usa-checkbox__label"; label.htmlFor = id; label.textContent = option.dataset.label;
        li.firstChild.appendChild(label);
        p.chosen.appendChild(li);
      }
      p.input.value = "";
    } else {
      p.value.value = option.dataset.value;
      p.input.value = option.dataset.label;
      p.value.dispatchEvent(new Event("change", {bubbles: true}));  // a filter form refreshes (hx-trigger)
    }
    close(p);
    p.input.focus();
  }

  document.addEventListener("input", function (event) {
    var p = event.target.matches && event.target.matches("[data-person-search-input]") && parts(event.target);
    if (!p) return;
    if (p.value) p.value.value = "";  // typing again un-chooses
    clearTimeout(timers.get(p.input));
    timers.set(p.input, setTimeout(function () { search(p); }, 250));
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-person-search-list] [data-value]");
    if (option) { choose(parts(option), option); return; }
    document.querySelectorAll("[data-person-search-list]:not([hidden])").forEach(function (list) {
      if (!list.parentNode.contains(event.target)) close(parts(list));
    });
  });

  document.addEventListener("keydown", function (event) {
    var p = event.target.closest && parts(event.target);
    if (!p || !event.target.closest("[data-person-search]")) return;
    var options = Array.prototype.slice.call(p.list.querySelectorAll("[data-value]"));
    var at = options.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && options.length) {
      event.preventDefault(); p.list.hidden = false; options[Math.min(at + 1, options.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault(); (at === 0 ? p.input : options[at - 1]).focus();
    } else if (event.key === "Enter" && at >= 0) {
      event.preventDefault(); choose(p, options[at]);
    } else if (event.key === "Escape") {
      close(p); p.input.focus();
    }
  });
})();
