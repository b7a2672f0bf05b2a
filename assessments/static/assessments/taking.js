// Taking an assessment: enhancements only, every step works as a plain form without this file.
// - conditional questions show and hide as the answers they depend on change;
// - an exclusive option ("none of these") unticks the others, and the others untick it;
// - answers save as they change (debounced), with a status read out by screen readers.
(function () {
  "use strict";
  var form = document.querySelector("form.assessment-form[data-autosave-url]");
  if (!form) return;
  var status = document.getElementById("autosave-status");
  var SAVE_DELAY = 800;
  var TYPING_DELAY = 1500;

  function ticked(name) {
    var values = [];
    form.querySelectorAll("input").forEach(function (input) {
      // :disabled, not .disabled: an input in a disabled fieldset is disabled too.
      if (input.name === name && input.checked && !input.matches(":disabled")) {
        values.push(input.value);
      }
    });
    return values;
  }

  // In document order, so a question depending on a hidden question is hidden too.
  function applyConditions() {
    form.querySelectorAll("fieldset[data-condition-field]").forEach(function (fieldset) {
      var wanted = fieldset.getAttribute("data-condition-options").split(" ");
      var met = ticked(fieldset.getAttribute("data-condition-field")).some(function (value) {
        return wanted.indexOf(value) !== -1;
      });
      fieldset.hidden = !met;
      // A disabled fieldset's answers are not sent, so a hidden question's answer is cleared.
      fieldset.disabled = !met;
    });
  }

  function keepExclusive(changed) {
    if (changed.type !== "checkbox" || !changed.checked) return;
    var group = form.querySelectorAll('input[type="checkbox"]');
    group.forEach(function (other) {
      if (other === changed || other.name !== changed.name) return;
      if (changed.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive")) {
        other.checked = false;
      }
    });
  }

  function say(text, failed) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("is-failed", !!failed);
  }

  var timer = null;
  var pending = null;
  function save() {
    timer = null;
    if (pending) {
      pending.then(save);
      return;
    }
    say(status && status.getAttribute("data-saving"));
    pending = fetch(form.getAttribute("data-autosave-url"), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (response.ok && data.saved) {
            var time = new Date().toLocaleTimeString(document.documentElement.lang, {
              hour: "2-digit",
              minute: "2-digit",
            });
            say(status.getAttribute("data-saved") + " · " + time);
          } else {
            say(data.message || status.getAttribute("data-failed"), true);
          }
        });
      })
      .catch(function () {
        say(status && status.getAttribute("data-failed"), true);
      })
      .then(function () {
        pending = null;
      });
  }

  function schedule(delay) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  form.addEventListener("change", function (event) {
    keepExclusive(event.target);
    applyConditions();
    schedule(SAVE_DELAY);
  });
  form.addEventListener("input", function (event) {
    if (event.target.type === "number" || event.target.tagName === "TEXTAREA") {
      schedule(TYPING_DELAY);
    }
  });
  // A step submitted by its buttons saves by itself: no autosave racing it. An autosave
  // already on its way is let through first, so its older answers cannot land after the
  // step's own.
  form.addEventListener("submit", function (event) {
    if (timer) clearTimeout(timer);
    if (pending && !form.hasAttribute("data-waited")) {
      event.preventDefault();
      form.setAttribute("data-waited", "");
      var submitter = event.submitter;
      pending.then(function () {
        if (form.requestSubmit) form.requestSubmit(submitter || undefined);
        else form.submit();
      });
    }
  });
  applyConditions();
})();
