// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";
  // Load a video player only when the learner asks for it, so lesson pages stay light.
  document.querySelectorAll(".video-facade[data-embed]").forEach(function (facade) {
    var embed = facade.getAttribute("data-embed");
    if (!embed) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = facade.getAttribute("data-play-label");
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = embed + "?autoplay=1";
      frame.title = facade.getAttribute("data-title") || "";
      frame.allow = "autoplay; encrypted-media; picture-in-picture";
      frame.allowFullscreen = true;
      frame.className = "video-frame";
      facade.replaceChildren(frame);
      frame.focus();
    });
    facade.prepend(button);
  });
})();
