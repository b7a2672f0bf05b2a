// The coaches' controls of the room itself: lock it, turn the waiting room on or off, let in or
// refuse who is waiting, end the session. The server enforces who may do this; the page only
// shows these controls to coaches.
(function (Room) {
  "use strict";

  const t = Room.t;
  const el = Room.el;

  function Moderation(room) {
    this.room = room;
    this.lock = document.getElementById("mod-lock");
    this.waiting = document.getElementById("mod-waiting");
    this.knocks = document.getElementById("knock-list");
    this.knockEmpty = document.getElementById("knock-empty");
    this.end = document.getElementById("mod-end");
    this.lock.addEventListener("click", function () {
      room.command({ type: "lock", locked: !room.state.room.locked });
    });
    this.waiting.addEventListener("click", function () {
      room.command({ type: "waiting_room", enabled: !room.state.room.waitingRoom });
    });
    const end = this.end;
    this.end.addEventListener("click", async function () {
      if (await Room.confirmAction(t("confirm_end"))) {
        room.command({ type: "end" });
      } else {
        end.focus();
      }
    });
    this.knocks.addEventListener("click", function (event) {
      const button = event.target.closest("button[data-action]");
      if (!button) return;
      room.command({ type: button.dataset.action, user: Number(button.dataset.user) });
    });
  }

  Moderation.prototype.render = function (state) {
    this.lock.setAttribute("aria-pressed", state.room.locked ? "true" : "false");
    this.waiting.setAttribute("aria-pressed", state.room.waitingRoom ? "true" : "false");
    const knocks = Array.from(state.knocks.values()).sort(function (a, b) {
      return a.seq - b.seq;
    });
    this.knockEmpty.hidden = knocks.length > 0;
    Room.syncList(
      this.knocks,
      knocks,
      function (knock) {
        return knock.id;
      },
      function (knock) {
        return el("li", { className: "knock" }, [
          el("span", { className: "knock-name", text: knock.name }),
          el("span", { className: "knock-tools" }, [
            el("button", {
              className: "button button-small",
              text: t("btn_admit"),
              attrs: { type: "button", "aria-label": t("admit", { name: knock.name }) },
              data: { action: "admit", user: knock.id },
            }),
            el("button", {
              className: "button button-secondary button-small",
              text: t("btn_deny"),
              attrs: { type: "button", "aria-label": t("deny", { name: knock.name }) },
              data: { action: "deny", user: knock.id },
            }),
          ]),
        ]);
      },
      function () {}
    );
    return knocks.length;
  };

  Room.Moderation = Moderation;
})(window.VirageRoom);
