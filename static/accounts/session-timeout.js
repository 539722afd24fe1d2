/* The two-minute warning before a session ends (R-SEC-4). Asking how long is left is a background request
   (X-Background-Poll), so it never extends the session; only "Stay signed in" does. */
(function () {
  var box = document.getElementById("session-timeout");
  if (!box) { return; }
  var statusUrl = box.dataset.statusUrl, keepaliveUrl = box.dataset.keepaliveUrl, loginUrl = box.dataset.loginUrl;
  var csrf = box.dataset.csrf, timer = null;
  var left = box.querySelector("[data-seconds-left]");

  function signIn() {
    window.location.href = loginUrl + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
  }
  function schedule(seconds) {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(1, seconds) * 1000);
  }
  function show(seconds) {
    left.textContent = Math.max(0, Math.ceil(seconds / 60)) + " minute" + (seconds > 60 ? "s" : "");
    box.hidden = false;
    box.querySelector("button[data-stay]").focus();
  }
  function check() {
    fetch(statusUrl, {headers: {"X-Background-Poll": "1"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (!s.authenticated || s.seconds_left <= 0) { signIn(); return; }
        if (s.seconds_left <= s.warning_seconds) { show(s.seconds_left); schedule(Math.min(30, s.seconds_left)); }
        else { box.hidden = true; schedule(s.seconds_left - s.warning_seconds); }
      })
      .catch(function () { schedule(60); });
  }
  box.querySelector("button[data-stay]").addEventListener("click", function () {
    fetch(keepaliveUrl, {method: "POST", headers: {"X-CSRFToken": csrf}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (s) { box.hidden = true; schedule(s.seconds_left - s.warning_seconds); });
  });
  schedule(Number(box.dataset.warnAfter));
})();
