// Follows a background job on its page: asks the job's status every second, moves the progress
// bar, and reloads the page once the job has ended so that its report shows.
(function () {
  "use strict";
  const section = document.querySelector("[data-job-status-url]");
  if (!section) {
    return;
  }
  const url = section.dataset.jobStatusUrl;
  const state = section.querySelector("[data-job-state]");
  const text = section.querySelector("[data-job-progress-text]");
  const POLL_MS = 1000;

  function show(data) {
    const bar = section.querySelector("progress");
    if (bar && data.total) {
      bar.max = 100;
      bar.value = data.percent;
      bar.textContent = data.percent + " %";
    }
    text.textContent = data.progress_text;
    // The state is a live region: touched only when it changes, so screen readers announce
    // "Running" once rather than every second.
    if (state.textContent !== data.status_label) {
      state.textContent = data.status_label;
    }
  }

  async function poll() {
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) {
        const data = await response.json();
        if (data.finished) {
          window.location.reload();
          return;
        }
        show(data);
      }
    } catch (error) {
      // A network blip: the next round tries again.
    }
    window.setTimeout(poll, POLL_MS);
  }

  window.setTimeout(poll, POLL_MS);
})();
