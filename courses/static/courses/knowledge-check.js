// Knowledge checks without leaving the lesson: the form is sent in the background and the
// feedback shown in its live region, which screen readers announce. Without this script the
// form posts as usual and the lesson shows the feedback when it comes back.
(function () {
  "use strict";
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
          // 400 carries a message for the learner; anything else unexpected (a lost session,
          // a server error) falls back to the ordinary form post.
          if (!response.ok && response.status !== 400) throw new Error(response.statusText);
          return response.json();
        })
        .then(function (data) {
          region.innerHTML = data.html;
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
