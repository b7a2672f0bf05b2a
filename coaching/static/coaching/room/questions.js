// Questions and answers: anyone asks and upvotes the others' questions (a second vote withdraws
// the first; the room refuses a vote for one's own question, so the page offers none); coaches
// mark a question answered, or not answered again. Open questions come first, the most voted
// at the top.
(function (Room) {
  "use strict";

  const t = Room.t;
  const el = Room.el;

  function Questions(room) {
    this.room = room;
    this.list = document.getElementById("question-list");
    this.empty = document.getElementById("question-empty");
    this.form = document.getElementById("question-form");
    this.text = document.getElementById("question-text");
    this.error = document.getElementById("question-error");
    const questions = this;
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      const text = questions.text.value.trim();
      if (!text) {
        Room.showError(questions.error, t("error_missing_field"));
        questions.text.focus();
        return;
      }
      const sent = room.command({ type: "question_ask", text: text }, function (message) {
        Room.showError(questions.error, message);
      });
      if (sent) {
        questions.text.value = "";
        Room.showError(questions.error, "");
      }
    });
    this.list.addEventListener("click", function (event) {
      const button = event.target.closest("button[data-action]");
      if (!button) return;
      const id = Number(button.dataset.question);
      if (button.dataset.action === "upvote") {
        room.command({ type: "question_upvote", question: id });
      } else if (button.dataset.action === "answered") {
        const question = room.state.questions.get(id);
        room.command({
          type: "question_answered",
          question: id,
          answered: !(question && question.answered),
        });
      }
    });
  }

  function order(a, b) {
    if (a.answered !== b.answered) return a.answered ? 1 : -1;
    if (a.votes !== b.votes) return b.votes - a.votes;
    return a.seq - b.seq;
  }

  Questions.prototype.render = function (state) {
    const questions = Array.from(state.questions.values()).sort(order);
    this.empty.hidden = questions.length > 0;
    const moderator = state.me.moderator;
    Room.syncList(
      this.list,
      questions,
      function (question) {
        return question.id;
      },
      function (question) {
        const upvote =
          question.by === state.me.id
            ? null
            : el(
                "button",
                {
                  className: "button button-secondary button-small",
                  attrs: { type: "button", "aria-pressed": "false" },
                  data: { action: "upvote", question: question.id },
                },
                [el("span", { text: "▲ ", attrs: { "aria-hidden": "true" } }), t("btn_upvote")]
              );
        return el("li", { className: "question" }, [
          el("p", { className: "question-text", text: question.text }),
          el("p", { className: "question-meta meta" }),
          el("p", { className: "question-tools" }, [upvote]),
        ]);
      },
      function (node, question) {
        node.classList.toggle("is-answered", question.answered);
        const facts = [
          t("question_by", { name: question.name }),
          t("question_votes", { count: Room.number(question.votes) }),
        ];
        if (question.answered) facts.push(t("question_answered"));
        node.querySelector(".question-meta").textContent = facts.join(" · ");
        const upvote = node.querySelector("button[data-action=upvote]");
        if (upvote) {
          upvote.setAttribute("aria-pressed", question.upvoted ? "true" : "false");
          upvote.setAttribute("title", t("question_upvote"));
        }
        let answered = node.querySelector("button[data-action=answered]");
        if (moderator && !answered) {
          answered = el("button", {
            className: "button button-secondary button-small",
            attrs: { type: "button" },
            data: { action: "answered", question: question.id },
          });
          node.querySelector(".question-tools").append(answered);
        }
        if (answered) {
          answered.textContent = t(
            question.answered ? "question_mark_open" : "question_mark_answered"
          );
        }
      }
    );
  };

  Questions.prototype.announce = function (event, state) {
    if (event.by === state.me.id) return;
    Room.announce(t("announce_question", { name: event.name, text: event.text }));
  };

  Room.Questions = Questions;
})(window.VirageRoom);
