// Who is in the session: the raised hands in the order they were raised, the list of people
// with their presence (and, for coaches, the controls to lower a hand, mute, remove, and open
// a person's details), the person's own hand button, and the coaches' engagement figures.
(function (Room) {
  "use strict";

  const t = Room.t;
  const el = Room.el;

  function People(room) {
    this.room = room;
    this.queue = document.getElementById("hand-queue");
    this.handEmpty = document.getElementById("hand-empty");
    this.list = document.getElementById("people-list");
    this.count = document.getElementById("people-count");
    this.handButton = document.getElementById("hand-button");
    this.handText = document.getElementById("hand-button-text");
    this.engagement = document.getElementById("engagement-body");
    const people = this;
    this.handButton.addEventListener("click", function () {
      const me = room.state.people.get(room.state.me.id);
      const raised = Boolean(me && me.handSeq !== null);
      room.command({ type: "hand", raised: !raised });
    });
    this.list.addEventListener("click", function (event) {
      const button = event.target.closest("button[data-action]");
      if (button) people.act(button.dataset.action, Number(button.dataset.user), button);
    });
    this.queue.addEventListener("click", function (event) {
      const button = event.target.closest("button[data-action]");
      if (button) people.act(button.dataset.action, Number(button.dataset.user), button);
    });
  }

  People.prototype.act = async function (action, userId, button) {
    const someone = this.room.state.people.get(userId);
    if (!someone) return;
    if (action === "lower") {
      this.room.command({ type: "lower_hand", user: userId });
    } else if (action === "mute") {
      this.room.command({ type: "mute", user: userId, muted: !someone.muted });
    } else if (action === "remove") {
      if (await Room.confirmAction(t("confirm_remove", { name: someone.name }))) {
        this.room.command({ type: "remove", user: userId });
      } else {
        button.focus();
      }
    } else if (action === "details") {
      this.room.panel.open(someone, button);
    }
  };

  function sortedPeople(state) {
    return Array.from(state.people.values())
      .filter(function (someone) {
        return !someone.removed;
      })
      .sort(function (a, b) {
        if ((a.role === "moderator") !== (b.role === "moderator")) {
          return a.role === "moderator" ? -1 : 1;
        }
        if (a.present !== b.present) return a.present ? -1 : 1;
        return a.name.localeCompare(b.name);
      });
  }

  People.prototype.render = function (state) {
    const moderator = state.me.moderator;
    const inCall = new Set();
    state.call.forEach(function (member) {
      inCall.add(member.user);
    });

    const me = state.people.get(state.me.id);
    const raised = Boolean(me && me.handSeq !== null);
    this.handText.textContent = raised ? t("lower_my_hand") : t("raise_hand");
    this.handButton.classList.toggle("is-active", raised);

    const queue = Room.state.handQueue(state);
    this.handEmpty.hidden = queue.length > 0;
    Room.syncList(
      this.queue,
      queue,
      function (someone) {
        return someone.id;
      },
      function () {
        return el("li", { className: "hand-entry" }, [el("span", { className: "hand-name" })]);
      },
      function (node, someone) {
        node.querySelector(".hand-name").textContent =
          someone.id === state.me.id ? someone.name + " (" + t("you") + ")" : someone.name;
        let lower = node.querySelector("button");
        if (moderator && !lower) {
          lower = el("button", {
            className: "button button-secondary button-small",
            text: t("btn_lower"),
            attrs: { type: "button" },
            data: { action: "lower", user: someone.id },
          });
          node.append(lower);
        }
        if (lower) lower.setAttribute("aria-label", t("lower_hand", { name: someone.name }));
      }
    );

    const people = sortedPeople(state);
    const present = people.filter(function (someone) {
      return someone.present;
    }).length;
    this.count.textContent = "(" + Room.number(present) + ")";
    const panelReady = Boolean(this.room.config.panel_url);
    Room.syncList(
      this.list,
      people,
      function (someone) {
        return someone.id;
      },
      function (someone) {
        const node = el("li", { className: "person" }, [
          el("span", { className: "presence-dot", attrs: { "aria-hidden": "true" } }),
          el("span", { className: "person-text" }, [
            el("span", { className: "person-name" }),
            el("span", { className: "person-tags" }),
          ]),
        ]);
        if (moderator && someone.role !== "moderator") {
          const tools = el("span", { className: "person-tools" });
          if (panelReady) tools.append(toolButton("details", someone.id, t("btn_details")));
          tools.append(toolButton("mute", someone.id, ""));
          tools.append(toolButton("remove", someone.id, t("btn_remove")));
          node.append(tools);
        }
        return node;
      },
      function (node, someone) {
        node.classList.toggle("is-absent", !someone.present);
        node.querySelector(".person-name").textContent =
          someone.id === state.me.id ? someone.name + " (" + t("you") + ")" : someone.name;
        const tags = [];
        if (someone.role === "moderator") tags.push(t("coach"));
        if (someone.company) tags.push(someone.company);
        tags.push(someone.present ? t("online") : t("offline_person"));
        if (someone.handSeq !== null) tags.push(t("hand_raised"));
        if (inCall.has(someone.id)) tags.push(t("in_call"));
        if (someone.muted) tags.push(t("muted"));
        node.querySelector(".person-tags").textContent = tags.join(" · ");
        const buttons = {
          details: t("details", { name: someone.name }),
          mute: t(someone.muted ? "unmute" : "mute", { name: someone.name }),
          remove: t("remove", { name: someone.name }),
        };
        node.querySelectorAll("button[data-action]").forEach(function (button) {
          button.setAttribute("aria-label", buttons[button.dataset.action]);
          if (button.dataset.action === "mute") {
            button.textContent = t(someone.muted ? "btn_allow" : "btn_mute");
          }
        });
      }
    );

    if (this.engagement) this.renderEngagement(state, people);
  };

  function toolButton(action, userId, text) {
    return el("button", {
      className: "button button-secondary button-small",
      text: text,
      attrs: { type: "button" },
      data: { action: action, user: userId },
    });
  }

  // Counts per participant, from the room's events (BigBlueButton's learning dashboard shows
  // the same figures).
  People.prototype.renderEngagement = function (state, people) {
    const now = Date.now();
    const participants = people.filter(function (someone) {
      return someone.role !== "moderator";
    });
    document.getElementById("engagement-empty").hidden = participants.length > 0;
    Room.syncList(
      this.engagement,
      participants,
      function (someone) {
        return someone.id;
      },
      function () {
        const row = el("tr");
        row.append(el("th", { attrs: { scope: "row" } }));
        for (let column = 0; column < 5; column += 1) row.append(el("td"));
        return row;
      },
      function (row, someone) {
        const cells = row.children;
        cells[0].textContent = someone.name;
        [
          someone.messages,
          someone.hands,
          someone.polls.size,
          someone.questions,
          Room.state.minutesPresent(someone, now),
        ].forEach(function (value, index) {
          cells[index + 1].textContent = Room.number(value);
        });
      }
    );
  };

  Room.People = People;
})(window.VirageRoom);
