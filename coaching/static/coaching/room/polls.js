// Polls: coaches write one and launch it now or keep it for later, launch a prepared one, and
// close it; everyone answers (and may change their answer while it is open); results are live
// bars with their numbers, newest poll first.
(function (Room) {
  "use strict";

  const t = Room.t;
  const el = Room.el;

  function Polls(room) {
    this.room = room;
    this.list = document.getElementById("poll-list");
    this.empty = document.getElementById("poll-empty");
    this.form = document.getElementById("poll-form");
    this.drafts = document.getElementById("poll-drafts");
    this.draftsBox = document.getElementById("poll-drafts-box");
    // poll id → question of the drafts on screen: a withdrawn draft has already left the state
    // when it is announced, and its event carries only its id.
    this.draftQuestions = new Map();
    const polls = this;
    this.list.addEventListener("click", function (event) {
      const button = event.target.closest("button[data-action]");
      if (!button) return;
      const poll = Number(button.dataset.poll);
      if (button.dataset.action === "vote") {
        const option = Number(button.dataset.option);
        const before = room.state.myVotes.get(poll);
        room.state.myVotes.set(poll, option);
        room.command({ type: "poll_vote", poll: poll, option: option }, function (message) {
          if (before === undefined) room.state.myVotes.delete(poll);
          else room.state.myVotes.set(poll, before);
          room.toast(message);
          room.render();
        });
        room.render();
      } else if (button.dataset.action === "close") {
        room.command({ type: "poll_close", poll: poll });
      }
    });
    if (this.form) {
      this.form.addEventListener("submit", function (event) {
        event.preventDefault();
        const open = !event.submitter || event.submitter.dataset.open !== "false";
        polls.create(open);
      });
      this.drafts.addEventListener("click", function (event) {
        const button = event.target.closest("button[data-poll]");
        if (button) polls.launch(Number(button.dataset.poll));
      });
    }
  }

  // Opens a prepared poll. A draft the room no longer has (deleted from the session's page,
  // or launched by another coach a moment ago) leaves the list.
  Polls.prototype.launch = function (pollId) {
    const room = this.room;
    room.command({ type: "poll_open", poll: pollId }, function (message, error) {
      if (error && (error.code === "no_such_poll" || error.code === "poll_not_draft")) {
        room.state.drafts = room.state.drafts.filter(function (draft) {
          return draft.poll !== pollId;
        });
        room.render();
      }
      room.toast(message);
    });
  };

  Polls.prototype.create = function (open) {
    const error = document.getElementById("poll-error");
    const question = document.getElementById("poll-question");
    const inputs = Array.from(this.form.querySelectorAll(".poll-option-input"));
    const options = inputs
      .map(function (input) {
        return input.value.trim();
      })
      .filter(Boolean);
    Room.showError(error, "");
    question.removeAttribute("aria-invalid");
    if (!question.value.trim()) {
      question.setAttribute("aria-invalid", "true");
      Room.showError(error, t("error_missing_field"));
      question.focus();
      return;
    }
    const limits = Room.limits;
    if (options.length < limits.poll_min_options) {
      Room.showError(
        error,
        t("poll_options_needed", {
          min: Room.number(limits.poll_min_options),
          max: Room.number(limits.poll_max_options),
        })
      );
      const empty = inputs.find(function (input) {
        return !input.value.trim();
      });
      (empty || inputs[0]).focus();
      return;
    }
    const sent = this.room.command(
      { type: "poll_create", question: question.value.trim(), options: options, open: open },
      function (message) {
        Room.showError(error, message);
      }
    );
    if (sent) {
      this.form.reset();
      question.focus();
    }
  };

  Polls.prototype.render = function (state) {
    const polls = Array.from(state.polls.values()).sort(function (a, b) {
      return b.seq - a.seq;
    });
    this.empty.hidden = polls.length > 0;
    const moderator = state.me.moderator;
    Room.syncList(
      this.list,
      polls,
      function (poll) {
        return poll.id;
      },
      function (poll) {
        const headingId = "poll-" + poll.id + "-question";
        return el("article", { className: "poll", attrs: { "aria-labelledby": headingId } }, [
          el("h3", { className: "poll-question", text: poll.question, attrs: { id: headingId } }),
          el("p", { className: "poll-status meta" }),
          el("ul", { className: "poll-options", attrs: { role: "list" } }),
          el("p", { className: "poll-tools" }),
        ]);
      },
      function (node, poll) {
        node.classList.toggle("is-closed", !poll.open);
        node.querySelector(".poll-status").textContent =
          (poll.open ? t("poll_open") : t("poll_closed")) +
          " · " +
          t("poll_total", { count: Room.number(poll.total) });
        renderOptions(node.querySelector(".poll-options"), poll, state.myVotes.get(poll.id));
        const tools = node.querySelector(".poll-tools");
        if (moderator && poll.open && !tools.firstChild) {
          tools.append(
            el("button", {
              className: "button button-secondary button-small",
              text: t("poll_close"),
              attrs: { type: "button" },
              data: { action: "close", poll: poll.id },
            })
          );
        } else if (!poll.open) {
          tools.replaceChildren();
        }
      }
    );
    if (this.drafts) this.renderDrafts(state);
  };

  function renderOptions(list, poll, myVote) {
    const total = poll.total || 0;
    Room.syncList(
      list,
      poll.options.map(function (text, index) {
        return { text: text, index: index, count: poll.counts[index] || 0 };
      }),
      function (option) {
        return option.index;
      },
      function () {
        return el("li", { className: "poll-option" }, [
          el(
            "button",
            { className: "poll-choice", attrs: { type: "button" }, data: { action: "vote" } },
            [
              el("span", { className: "poll-choice-text" }),
              el("span", { className: "poll-bar", attrs: { "aria-hidden": "true" } }, [
                el("span", { className: "poll-bar-fill" }),
              ]),
              el("span", { className: "poll-figure" }),
            ]
          ),
        ]);
      },
      function (node, option) {
        const button = node.querySelector("button");
        const share = total ? option.count / total : 0;
        const chosen = myVote === option.index;
        button.dataset.poll = poll.id;
        button.dataset.option = option.index;
        button.disabled = !poll.open;
        button.setAttribute("aria-pressed", chosen ? "true" : "false");
        button.classList.toggle("is-chosen", chosen);
        node.querySelector(".poll-choice-text").textContent =
          option.text + (chosen ? " (" + t("poll_your_answer") + ")" : "");
        node.querySelector(".poll-bar-fill").style.inlineSize = Math.round(share * 100) + "%";
        node.querySelector(".poll-figure").textContent =
          Room.number(option.count) + " · " + Room.percent(share);
        button.setAttribute(
          "aria-label",
          t("poll_option_result", {
            option: option.text,
            count: Room.number(option.count),
            percent: Room.percent(share),
          })
        );
      }
    );
  }

  Polls.prototype.renderDrafts = function (state) {
    this.draftsBox.hidden = state.drafts.length === 0;
    this.draftQuestions = new Map(
      state.drafts.map(function (draft) {
        return [draft.poll, draft.question];
      })
    );
    Room.syncList(
      this.drafts,
      state.drafts,
      function (draft) {
        return draft.poll;
      },
      function (draft) {
        return el("li", { className: "draft" }, [
          el("span", { className: "draft-question", text: draft.question }),
          el("button", {
            className: "button button-small",
            text: t("btn_launch"),
            attrs: { type: "button", "aria-label": t("poll_launch", { question: draft.question }) },
            data: { poll: draft.poll },
          }),
        ]);
      },
      function () {}
    );
  };

  Polls.prototype.announce = function (event, state) {
    if (event.type === "poll_prepared") {
      this.draftQuestions.set(event.poll, event.question);
      Room.announce(t("announce_poll_prepared", { question: event.question }));
      return;
    }
    if (event.type === "poll_withdrawn") {
      // A draft this page never showed is no news.
      const question = this.draftQuestions.get(event.poll);
      if (question !== undefined) {
        Room.announce(t("announce_poll_withdrawn", { question: question }));
      }
      return;
    }
    const poll = state.polls.get(event.poll);
    if (!poll) return;
    if (event.type === "poll_opened") Room.announce(t("announce_poll_opened", { question: poll.question }));
    if (event.type === "poll_closed") Room.announce(t("announce_poll_closed", { question: poll.question }));
  };

  Room.Polls = Polls;
})(window.VirageRoom);
