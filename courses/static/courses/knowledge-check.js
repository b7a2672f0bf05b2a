// Knowledge checks without leaving the lesson: the form is sent in the background and the reply,
// the check's form as the server shows it to this learner, is shown in place. Its feedback goes
// into the live region, which screen readers announce; when some questions could not be graded,
// those questions come marked and an error summary takes the focus. Without this script the form
// posts as usual and the lesson shows the same when it comes back.
(function () {
  "use strict";

  function showReply(form, region, html) {
    var reply = document.createElement("div");
    reply.innerHTML = html;
    var fresh = reply.querySelector("form.knowledge-check");
    if (!fresh) throw new Error("no form in the reply");
    // An answer the learner sent the form from keeps the focus once its question is replaced.
    var active = document.activeElement;
    var focused = active && active.name && form.contains(active.closest("fieldset"))
      ? 'input[name="' + active.name + '"][value="' + active.value + '"]'
      : null;
    // Each question as the server marked it (error message, aria-invalid) and ticked it.
    Array.prototype.forEach.call(fresh.querySelectorAll("fieldset[id]"), function (fieldset) {
      var shown = document.getElementById(fieldset.id);
      if (shown && form.contains(shown)) shown.replaceWith(fieldset);
    });
    var oldSummary = form.querySelector(".error-summary");
    if (oldSummary) oldSummary.remove();
    var summary = fresh.querySelector(".error-summary");
    if (summary) {
      region.innerHTML = ""; // the summary speaks for itself: no second announcement
      form.insertBefore(summary, form.querySelector("fieldset"));
      summary.focus();
    } else {
      var feedback = fresh.querySelector(".question-feedback-region");
      region.innerHTML = feedback ? feedback.innerHTML : "";
      var answer = focused && form.querySelector(focused);
      if (answer) answer.focus();
    }
  }

  document.querySelectorAll("form.knowledge-check[data-feedback]").forEach(function (form) {
    var region = document.getElementById(form.getAttribute("data-feedback"));
    if (!region || !window.fetch) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var token = form.querySelector("input[name=csrfmiddlewaretoken]");
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: {
          "Accept": "application/json",
          "X-CSRFToken": token ? token.value : "",
        },
      })
        .then(function (response) {
          // 400 carries the form with the questions to answer marked; anything else unexpected
          // (a lost session, a server error) falls back to the ordinary form post.
          if (!response.ok && response.status !== 400) throw new Error(response.statusText);
          return response.json();
        })
        .then(function (data) {
          showReply(form, region, data.html);
        })
        .catch(function () {
          HTMLFormElement.prototype.submit.call(form);
        })
        .finally(function () {
          if (button) button.disabled = false;
        });
    });
  });
})();
