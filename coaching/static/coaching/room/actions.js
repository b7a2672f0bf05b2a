// Action items decided in the session, for a company's action plan: a participant adds them for
// their own company, a coach for any company of the cohort; each may be tied to a course module
// of the session, given an owner and a date, and ticked off when done.
(function (Room) {
  "use strict";

  const t = Room.t;
  const el = Room.el;

  function Actions(room) {
    this.room = room;
    this.config = room.config;
    this.list = document.getElementById("action-list");
    this.empty = document.getElementById("action-empty");
    this.form = document.getElementById("action-form");
    this.error = document.getElementById("action-error");
    this.text = document.getElementById("action-text");
    this.company = document.getElementById("action-company");
    this.module = document.getElementById("action-module");
    this.owner = document.getElementById("action-owner");
    this.due = document.getElementById("action-due");
    this.pending = new Map(); // item id → done, while the room has not answered
    this.fillChoices();
    const actions = this;
    this.company.addEventListener("change", function () {
      actions.fillOwners();
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      actions.submit();
    });
    this.list.addEventListener("change", function (event) {
      const box = event.target.closest("input[data-item]");
      if (!box) return;
      const item = Number(box.dataset.item);
      // The box shows the click at once; the room's event confirms it, a refusal undoes it.
      actions.pending.set(item, box.checked);
      room.command({ type: "action_done", item: item, done: box.checked }, function (message) {
        actions.pending.delete(item);
        room.toast(message);
        room.render();
      });
    });
  }

  Actions.prototype.fillChoices = function () {
    const config = this.config;
    this.company.replaceChildren.apply(
      this.company,
      config.companies.map(function (company) {
        return el("option", { text: company.name, attrs: { value: company.id } });
      })
    );
    if (config.company) this.company.value = String(config.company);
    this.company.disabled = config.companies.length < 2;
    const modules = [el("option", { text: t("no_module"), attrs: { value: "" } })];
    config.modules.forEach(function (module) {
      modules.push(el("option", { text: module.title, attrs: { value: module.id } }));
    });
    this.module.replaceChildren.apply(this.module, modules);
    this.fillOwners();
  };

  Actions.prototype.fillOwners = function () {
    const company = Number(this.company.value);
    const owners = [el("option", { text: t("no_owner"), attrs: { value: "" } })];
    this.config.members.forEach(function (member) {
      if (member.company === company) {
        owners.push(el("option", { text: member.name, attrs: { value: member.id } }));
      }
    });
    this.owner.replaceChildren.apply(this.owner, owners);
  };

  Actions.prototype.submit = function () {
    const text = this.text.value.trim();
    Room.showError(this.error, "");
    this.text.removeAttribute("aria-invalid");
    if (!text || !this.company.value) {
      this.text.setAttribute("aria-invalid", "true");
      Room.showError(this.error, t("error_missing_field"));
      this.text.focus();
      return;
    }
    const frame = { type: "action_add", text: text, company: Number(this.company.value) };
    if (this.module.value) frame.module = Number(this.module.value);
    if (this.owner.value) frame.owner = Number(this.owner.value);
    if (this.due.value) frame.due_on = this.due.value;
    const actions = this;
    const sent = this.room.command(frame, function (message) {
      Room.showError(actions.error, message);
    });
    if (sent) {
      this.text.value = "";
      this.due.value = "";
      this.text.focus();
    }
  };

  Actions.prototype.mayEdit = function (item, state) {
    return state.me.moderator || item.company === state.me.company;
  };

  Actions.prototype.render = function (state) {
    const items = Array.from(state.actions.values()).sort(function (a, b) {
      return a.seq - b.seq;
    });
    this.empty.hidden = items.length > 0;
    const actions = this;
    Room.syncList(
      this.list,
      items,
      function (item) {
        return item.id;
      },
      function (item) {
        const id = "action-done-" + item.id;
        return el("li", { className: "action-item" }, [
          el("input", { attrs: { type: "checkbox", id: id }, data: { item: item.id } }),
          el("div", { className: "action-body" }, [
            el("label", { className: "action-text", text: item.text, attrs: { for: id } }),
            el("p", { className: "action-meta meta" }),
          ]),
        ]);
      },
      function (node, item) {
        const box = node.querySelector("input");
        if (actions.pending.get(item.id) === item.done) actions.pending.delete(item.id);
        box.checked = actions.pending.has(item.id) ? actions.pending.get(item.id) : item.done;
        box.disabled = !actions.mayEdit(item, state);
        box.setAttribute("aria-label", t("action_done", { text: item.text }));
        node.classList.toggle("is-done", item.done);
        const facts = [item.companyName];
        if (item.moduleTitle) facts.push(t("action_module", { title: item.moduleTitle }));
        if (item.ownerName) facts.push(t("action_owner", { name: item.ownerName }));
        if (item.dueOn) facts.push(t("action_due", { date: formatDate(item.dueOn) }));
        node.querySelector(".action-meta").textContent = facts.join(" · ");
      }
    );
  };

  function formatDate(iso) {
    const date = new Date(iso + "T12:00:00");
    if (isNaN(date)) return iso;
    const locale = document.documentElement.lang === "ar" ? "ar-MA" : document.documentElement.lang;
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(date);
  }

  Actions.prototype.announce = function (event, state) {
    if (event.by === state.me.id) return;
    Room.announce(t("announce_action", { company: event.company_name, text: event.text }));
  };

  Room.Actions = Actions;
})(window.VirageRoom);
