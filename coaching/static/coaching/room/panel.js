// The coach's side panel: a participant's course progress and results, fetched as an HTML
// fragment from the session pages and shown beside the room. Focus moves into the panel when
// it opens and back to the button that opened it when it closes.
(function (Room) {
  "use strict";

  const t = Room.t;

  function Panel(room) {
    this.room = room;
    this.aside = document.getElementById("side-panel");
    this.opener = null;
    this.request = null;
    if (!this.aside) return;
    this.title = document.getElementById("side-panel-title");
    this.body = document.getElementById("side-panel-body");
    const panel = this;
    document.getElementById("side-panel-close").addEventListener("click", function () {
      panel.close();
    });
    this.aside.addEventListener("keydown", function (event) {
      if (event.key === "Escape") panel.close();
    });
  }

  Panel.prototype.url = function (userId) {
    const config = this.room.config;
    return config.panel_url.replace(config.panel_placeholder, String(userId));
  };

  Panel.prototype.open = async function (someone, opener) {
    if (!this.aside || !this.room.config.panel_url) return;
    this.opener = opener || null;
    this.title.textContent = t("panel_title", { name: someone.name });
    this.body.replaceChildren(Room.el("p", { className: "help", text: t("panel_loading") }));
    this.aside.hidden = false;
    this.title.focus();
    if (this.request) this.request.abort();
    const request = new AbortController();
    this.request = request;
    try {
      const response = await fetch(this.url(someone.id), {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
        signal: request.signal,
      });
      if (!response.ok) throw new Error(String(response.status));
      const html = await response.text();
      if (this.request !== request) return;
      // A fragment our own server rendered from its templates (escaped there), same origin.
      const holder = document.createElement("template");
      holder.innerHTML = html;
      this.body.replaceChildren(holder.content);
    } catch (error) {
      if (error.name === "AbortError") return;
      this.body.replaceChildren(Room.el("p", { className: "room-error", text: t("panel_error") }));
    }
  };

  Panel.prototype.close = function () {
    if (!this.aside || this.aside.hidden) return;
    if (this.request) this.request.abort();
    this.request = null;
    this.aside.hidden = true;
    this.body.replaceChildren();
    if (this.opener && this.opener.isConnected) this.opener.focus();
    this.opener = null;
  };

  Room.Panel = Panel;
})(window.VirageRoom);
