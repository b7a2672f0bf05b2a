// The live room's shared helpers: the page's configuration and translated strings (from its
// json_script blocks), element building, announcements for screen readers, number and time
// formats in the page's language. Every other room script hangs off window.VirageRoom.
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("room-config").textContent);
  const strings = JSON.parse(document.getElementById("room-strings").textContent);
  const language = document.documentElement.lang || "fr";
  // Moroccan Arabic writes numbers with Western digits.
  const locale = language === "ar" ? "ar-MA" : language;
  const numbers = new Intl.NumberFormat(locale);
  const percents = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const clock = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" });
  // The room's limits: the page's values until `welcome` gives the room's own.
  const limits = Object.assign({}, config.limits);
  // Refusals of a frame the room could not read: a fault of the page, one message for all.
  const PROTOCOL_ERRORS = ["not_text", "bad_json", "bad_frame", "unknown_type", "unknown_field"];

  // A translated string with its %(name)s placeholders filled.
  function t(key, values) {
    const text = Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : key;
    if (!values) return text;
    return text.replace(/%\((\w+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  // An element with text (never HTML), attributes, dataset and listeners.
  function el(tag, options, children) {
    const node = document.createElement(tag);
    const opts = options || {};
    if (opts.className) node.className = opts.className;
    if (opts.text !== undefined) node.textContent = opts.text;
    if (opts.attrs) {
      Object.keys(opts.attrs).forEach(function (name) {
        const value = opts.attrs[name];
        if (value === false || value === null || value === undefined) return;
        node.setAttribute(name, value === true ? "" : String(value));
      });
    }
    if (opts.data) Object.assign(node.dataset, opts.data);
    if (opts.on) {
      Object.keys(opts.on).forEach(function (name) {
        node.addEventListener(name, opts.on[name]);
      });
    }
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    });
    return node;
  }

  // Updates a list in place: one child per item, found again by key, so that a re-render keeps
  // the element that has focus (and nodes are moved only when the order changed).
  function syncList(container, items, keyOf, create, update) {
    const existing = new Map();
    Array.from(container.children).forEach(function (child) {
      existing.set(child.dataset.key, child);
    });
    let previous = null;
    items.forEach(function (item) {
      const key = String(keyOf(item));
      let node = existing.get(key);
      if (node) {
        existing.delete(key);
      } else {
        node = create(item);
        node.dataset.key = key;
      }
      update(node, item);
      const expected = previous ? previous.nextElementSibling : container.firstElementChild;
      if (node !== expected) container.insertBefore(node, expected);
      previous = node;
    });
    existing.forEach(function (node) {
      node.remove();
    });
  }

  const announcer = document.getElementById("room-announcer");

  // Says something to screen readers without moving focus. Each announcement is a new node
  // of the polite live region; old ones go after a while so the region stays short.
  function announce(text) {
    if (!text) return;
    const line = el("p", { text: text });
    announcer.append(line);
    window.setTimeout(function () {
      line.remove();
    }, 8000);
  }

  // The plain text of safe HTML (for announcements of chat messages).
  function plainText(html) {
    const holder = document.createElement("template");
    holder.innerHTML = html;
    return holder.content.textContent;
  }

  function showError(node, message) {
    if (!node) return;
    node.textContent = message || "";
    node.hidden = !message;
  }

  // The translated reason of an `error` frame; a code the page does not know gets a general
  // message (the code itself means nothing to the person).
  function errorMessage(frame) {
    if (PROTOCOL_ERRORS.indexOf(frame.code) >= 0) return t("error_protocol");
    const key = "error_" + frame.code;
    if (!Object.prototype.hasOwnProperty.call(strings, key)) return t("error_generic");
    return t(key, { size: numbers.format(limits.call_size) });
  }

  // Takes the room's limits from `welcome` (only the values it gives).
  function setLimits(given) {
    Object.keys(given || {}).forEach(function (name) {
      if (typeof given[name] === "number") limits[name] = given[name];
    });
  }

  function formatTime(iso) {
    const date = new Date(iso);
    return isNaN(date) ? "" : clock.format(date);
  }

  // Times of the page in the viewer's time zone (the server writes them in the platform's).
  function localiseTimes() {
    const full = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short" });
    const short = new Intl.DateTimeFormat(locale, { timeStyle: "short" });
    document.querySelectorAll("time[data-room-time]").forEach(function (node) {
      const date = new Date(node.getAttribute("datetime"));
      if (isNaN(date)) return;
      node.textContent = (node.dataset.roomTime === "time" ? short : full).format(date);
    });
  }

  let confirmResolve = null;
  const dialog = document.getElementById("room-confirm");
  if (dialog) {
    dialog.addEventListener("close", function () {
      if (confirmResolve) confirmResolve(dialog.returnValue === "confirm");
      confirmResolve = null;
    });
  }

  // A modal question ("remove this person?"); resolves to true when confirmed.
  function confirmAction(message) {
    return new Promise(function (resolve) {
      document.getElementById("room-confirm-text").textContent = message;
      dialog.returnValue = "";
      confirmResolve = resolve;
      dialog.showModal();
      dialog.querySelector("button[value=cancel]").focus();
    });
  }

  window.VirageRoom = {
    config: config,
    t: t,
    el: el,
    syncList: syncList,
    announce: announce,
    plainText: plainText,
    showError: showError,
    errorMessage: errorMessage,
    limits: limits,
    setLimits: setLimits,
    formatTime: formatTime,
    localiseTimes: localiseTimes,
    confirmAction: confirmAction,
    number: function (value) {
      return numbers.format(value);
    },
    percent: function (value) {
      return percents.format(value);
    },
  };
})();
