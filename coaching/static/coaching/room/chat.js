// The chat panel: the history (appended as events arrive, never re-rendered), the form with
// its recipient (everyone, the coaches in private, or — for a coach — one participant) and its
// length counter. Message text is the server's sanitised HTML; it is the only HTML the room
// inserts from a frame.
(function (Room) {
  "use strict";

  const t = Room.t;
  const el = Room.el;
  const NEAR_BOTTOM_PX = 80;

  function Chat(room) {
    this.room = room;
    this.log = document.getElementById("chat-log");
    this.form = document.getElementById("chat-form");
    this.text = document.getElementById("chat-text");
    this.to = document.getElementById("chat-to");
    this.count = document.getElementById("chat-count");
    this.error = document.getElementById("chat-error");
    this.mutedNote = document.getElementById("chat-muted");
    this.rendered = 0;
    this.max = Room.limits.chat_max_chars;
    const chat = this;
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      chat.submit();
    });
    this.text.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        chat.submit();
      }
    });
    this.text.addEventListener("input", function () {
      chat.updateCount();
      Room.showError(chat.error, "");
    });
    this.updateCount();
  }

  // The longest message the room takes (`welcome.limits.chat_max_chars`).
  Chat.prototype.setMax = function (max) {
    if (!(max > 0)) return;
    this.max = max;
    this.text.maxLength = max;
    this.updateCount();
  };

  Chat.prototype.updateCount = function () {
    const left = this.max - this.text.value.length;
    this.count.textContent = t("chars_left", { count: Room.number(left) });
  };

  Chat.prototype.submit = function () {
    const text = this.text.value.trim();
    if (!text) return;
    const recipient = this.to.value;
    let frame;
    if (recipient === "") {
      frame = { type: "chat", text: text };
    } else if (recipient === "coaches") {
      frame = { type: "dm", text: text };
    } else {
      frame = { type: "dm", text: text, to: Number(recipient) };
    }
    const chat = this;
    if (
      this.room.command(frame, function (message) {
        Room.showError(chat.error, message);
      })
    ) {
      this.text.value = "";
      this.updateCount();
    }
  };

  // Coaches reply to one participant: the recipients are the room's participants.
  Chat.prototype.renderRecipients = function (state) {
    if (!state.me.moderator) return;
    const people = Array.from(state.people.values())
      .filter(function (someone) {
        return someone.role !== "moderator" && !someone.removed;
      })
      .sort(function (a, b) {
        return a.name.localeCompare(b.name);
      });
    const keep = this.to.value;
    const options = [this.to.options[0]];
    people.forEach(function (someone) {
      options.push(el("option", { text: t("to_person", { name: someone.name }), attrs: { value: someone.id } }));
    });
    const same =
      this.to.options.length === options.length &&
      people.every(function (someone, index) {
        return this.to.options[index + 1].value === String(someone.id);
      }, this);
    if (!same) {
      this.to.replaceChildren.apply(this.to, options);
      this.to.value = keep;
      if (this.to.value !== keep) this.to.value = "";
    }
  };

  Chat.prototype.render = function (state) {
    this.renderRecipients(state);
    const muted = state.me.muted;
    this.mutedNote.hidden = !muted;
    this.mutedNote.textContent = muted ? t("chat_muted") : "";
    this.text.disabled = muted;
    this.form.querySelector("button[type=submit]").disabled = muted;
    const nearBottom =
      this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < NEAR_BOTTOM_PX;
    const fresh = state.chat.slice(this.rendered);
    const chat = this;
    fresh.forEach(function (entry) {
      chat.log.append(chat.entry(entry, state));
    });
    this.rendered = state.chat.length;
    if (fresh.length && nearBottom) this.log.scrollTop = this.log.scrollHeight;
  };

  Chat.prototype.clear = function () {
    this.log.replaceChildren();
    this.rendered = 0;
  };

  Chat.prototype.entry = function (entry, state) {
    const mine = entry.by === state.me.id;
    const text = el("div", { className: "chat-text" });
    text.innerHTML = entry.text; // sanitised by the server (bleach) before it was stored
    let privacy = null;
    if (entry.private) {
      privacy = el("span", {
        className: "chat-private",
        text: entry.to ? t("to_person", { name: entry.toName || "" }) : t("to_coaches"),
      });
    }
    const meta = el("p", { className: "chat-meta" }, [
      el("span", { className: "chat-name", text: mine ? t("you") : entry.name }),
      privacy,
      el("time", { text: Room.formatTime(entry.at), attrs: { datetime: entry.at } }),
    ]);
    const item = el(
      "li",
      {
        className:
          "chat-entry" + (entry.private ? " is-private" : "") + (mine ? " is-mine" : ""),
        data: { seq: entry.seq },
      },
      [meta, text]
    );
    if (state.me.moderator && entry.private && !mine && entry.by) {
      const chat = this;
      item.append(
        el("button", {
          className: "link-button",
          text: t("reply_privately"),
          attrs: { type: "button" },
          on: {
            click: function () {
              chat.renderRecipients(chat.room.state);
              chat.to.value = String(entry.by);
              chat.text.focus();
            },
          },
        })
      );
    }
    return item;
  };

  // What a screen reader hears when a message arrives (not one's own).
  Chat.prototype.announce = function (event, state) {
    if (event.by === state.me.id) return;
    const text = Room.plainText(event.text || "");
    Room.announce(
      event.type === "dm"
        ? t("announce_dm", { name: event.name, text: text })
        : t("announce_chat", { name: event.name, text: text })
    );
  };

  Room.Chat = Chat;
})(window.VirageRoom);
