// The room's activities as tabs (WAI-ARIA tabs pattern): one tab stop, arrow keys move between
// tabs (mirrored in right-to-left pages), Home and End jump to the ends. A tab that is not
// shown counts what arrived in it since.
(function (Room) {
  "use strict";

  function Tabs(list) {
    this.list = list;
    this.tabs = Array.from(list.querySelectorAll("[role=tab]"));
    this.unread = new Map();
    this.labels = new Map(); // tab id → the string key of its badge
    const tabs = this;
    this.tabs.forEach(function (tab) {
      tab.addEventListener("click", function () {
        tabs.select(tab);
      });
    });
    list.addEventListener("keydown", function (event) {
      const index = tabs.tabs.indexOf(document.activeElement);
      if (index < 0) return;
      const rtl = document.documentElement.dir === "rtl";
      const step = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[event.key];
      let next = null;
      if (step) next = tabs.tabs[(index + step + tabs.tabs.length) % tabs.tabs.length];
      if (event.key === "Home") next = tabs.tabs[0];
      if (event.key === "End") next = tabs.tabs[tabs.tabs.length - 1];
      if (!next) return;
      event.preventDefault();
      tabs.select(next);
      next.focus();
    });
  }

  Tabs.prototype.select = function (chosen) {
    const tabs = this;
    this.tabs.forEach(function (tab) {
      const selected = tab === chosen;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !selected;
    });
    this.unread.set(chosen.id, 0);
    this.showBadge(chosen);
    if (tabs.onSelect) tabs.onSelect(chosen.id);
  };

  Tabs.prototype.isShown = function (tabId) {
    const tab = document.getElementById(tabId);
    return Boolean(tab) && tab.getAttribute("aria-selected") === "true";
  };

  // Something new arrived in a tab: counted while the tab is not shown.
  Tabs.prototype.notify = function (tabId) {
    const tab = document.getElementById(tabId);
    if (!tab || this.isShown(tabId)) return;
    this.unread.set(tabId, (this.unread.get(tabId) || 0) + 1);
    this.showBadge(tab);
  };

  // A count that is not about news (people waiting): shown whether the tab is shown or not.
  Tabs.prototype.setCount = function (tabId, count, label) {
    const tab = document.getElementById(tabId);
    if (!tab) return;
    this.unread.set(tabId, count);
    this.labels.set(tabId, label);
    this.showBadge(tab);
  };

  Tabs.prototype.showBadge = function (tab) {
    const badge = tab.querySelector(".badge");
    const count = this.unread.get(tab.id) || 0;
    const label = this.labels.get(tab.id) || "new_badge";
    badge.hidden = count === 0;
    badge.textContent = count ? Room.t(label, { count: Room.number(count) }) : "";
  };

  Room.Tabs = Tabs;
})(window.VirageRoom);
