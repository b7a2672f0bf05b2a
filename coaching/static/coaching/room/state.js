// The room's state, built only by applying numbered events in order (docs/room-protocol.md):
// the same events give the same state, whether they arrive live or in a replay.
(function (Room) {
  "use strict";

  function createState(config) {
    return {
      // `company`: the person's company in the cohort (from `welcome`; the page's until then).
      me: { id: config.user, moderator: config.moderator, muted: false, company: config.company },
      room: { opened: false, locked: false, waitingRoom: false, ended: false },
      people: new Map(), // user id → person
      chat: [], // public and private messages, in order
      polls: new Map(), // poll id → poll, in the order they opened
      myVotes: new Map(), // poll id → the option this page chose
      questions: new Map(),
      actions: new Map(),
      knocks: new Map(), // user id → someone waiting to be let in (moderators only)
      call: new Map(), // connection id → someone in the call
      // Prepared polls (moderators only, from `welcome`, then `poll_prepared` and
      // `poll_withdrawn`).
      drafts: [],
      // The number of the room's last event when `welcome` listed the drafts: the list holds
      // every draft up to it (a draft deleted before the room opened has no event), so only
      // later `poll_prepared` events add to it.
      draftsAsOf: 0,
    };
  }

  function person(state, id, name) {
    let found = state.people.get(id);
    if (!found) {
      found = {
        id: id,
        name: name || "",
        role: "participant",
        company: "",
        present: false,
        muted: false,
        removed: false,
        handSeq: null,
        since: null, // when the current presence started
        presentMs: 0, // presence before it
        messages: 0,
        hands: 0,
        polls: new Set(),
        questions: 0,
      };
      state.people.set(id, found);
    } else if (name && !found.name) {
      found.name = name;
    }
    return found;
  }

  function stopPresence(someone, at) {
    if (someone.since !== null) {
      someone.presentMs += Math.max(0, Date.parse(at) - Date.parse(someone.since)) || 0;
    }
    someone.since = null;
    someone.present = false;
  }

  function leaveCall(state, userId, connection) {
    state.call.forEach(function (member, key) {
      if (member.user === userId && (!connection || key === connection)) state.call.delete(key);
    });
  }

  const reducers = {
    room_opened: function (state) {
      state.room.opened = true;
    },
    joined: function (state, event) {
      const someone = person(state, event.user, event.name);
      someone.name = event.name;
      someone.role = event.role;
      someone.company = event.company || "";
      someone.muted = Boolean(event.muted);
      someone.removed = false;
      someone.present = true;
      someone.since = event.at;
      if (event.user === state.me.id) state.me.muted = someone.muted;
      state.knocks.delete(event.user);
    },
    left: function (state, event) {
      const someone = person(state, event.user);
      stopPresence(someone, event.at);
      leaveCall(state, event.user);
    },
    knock: function (state, event) {
      state.knocks.set(event.user, { id: event.user, name: event.name, seq: event.seq });
    },
    admitted: function (state, event) {
      (event.users || []).forEach(function (id) {
        state.knocks.delete(id);
      });
    },
    denied: function (state, event) {
      state.knocks.delete(event.user);
    },
    chat: function (state, event) {
      state.chat.push(message(event, false));
      if (event.by) person(state, event.by, event.name).messages += 1;
    },
    dm: function (state, event) {
      state.chat.push(message(event, true));
      if (event.by) person(state, event.by, event.name).messages += 1;
    },
    hand_raised: function (state, event) {
      const someone = person(state, event.user);
      someone.handSeq = event.seq;
      someone.hands += 1;
    },
    hand_lowered: function (state, event) {
      person(state, event.user).handSeq = null;
    },
    poll_prepared: function (state, event) {
      if (event.seq <= state.draftsAsOf) return;
      state.drafts = state.drafts.filter(function (draft) {
        return draft.poll !== event.poll;
      });
      state.drafts.push({ poll: event.poll, question: event.question, options: event.options });
    },
    // Deleted from the session's page. Removing a draft that is not there changes nothing, so
    // the event needs no `draftsAsOf` check.
    poll_withdrawn: function (state, event) {
      state.drafts = state.drafts.filter(function (draft) {
        return draft.poll !== event.poll;
      });
    },
    poll_opened: function (state, event) {
      state.polls.set(event.poll, {
        id: event.poll,
        question: event.question,
        options: event.options || [],
        counts: (event.options || []).map(function () {
          return 0;
        }),
        total: 0,
        open: true,
        seq: event.seq,
      });
      state.drafts = state.drafts.filter(function (draft) {
        return draft.poll !== event.poll;
      });
    },
    poll_results: function (state, event) {
      updatePoll(state, event);
      if (event.by) person(state, event.by).polls.add(event.poll);
    },
    poll_closed: function (state, event) {
      const poll = updatePoll(state, event);
      if (poll) poll.open = false;
    },
    question_asked: function (state, event) {
      state.questions.set(event.question, {
        id: event.question,
        name: event.name,
        text: event.text,
        by: event.by,
        votes: 0,
        answered: false,
        upvoted: false,
        seq: event.seq,
      });
      if (event.by) person(state, event.by, event.name).questions += 1;
    },
    question_votes: function (state, event) {
      const question = state.questions.get(event.question);
      if (!question) return;
      if (event.by === state.me.id) question.upvoted = Boolean(event.voted);
      question.votes = event.votes;
    },
    question_answered: function (state, event) {
      const question = state.questions.get(event.question);
      if (question) question.answered = event.answered !== false;
    },
    action_added: function (state, event) {
      state.actions.set(event.item, {
        id: event.item,
        text: event.text,
        company: event.company,
        companyName: event.company_name || "",
        module: event.module,
        moduleTitle: event.module_title || "",
        owner: event.owner,
        ownerName: event.owner_name || "",
        dueOn: event.due_on || "",
        done: false,
        seq: event.seq,
      });
    },
    action_updated: function (state, event) {
      const item = state.actions.get(event.item);
      if (item) item.done = Boolean(event.done);
    },
    chat_muted: function (state, event) {
      person(state, event.user).muted = Boolean(event.muted);
      if (event.user === state.me.id) state.me.muted = Boolean(event.muted);
    },
    removed: function (state, event) {
      const someone = person(state, event.user);
      stopPresence(someone, event.at);
      someone.removed = true;
      someone.handSeq = null;
      leaveCall(state, event.user);
    },
    room_locked: function (state, event) {
      state.room.locked = Boolean(event.locked);
    },
    waiting_room: function (state, event) {
      state.room.waitingRoom = Boolean(event.enabled);
    },
    call_joined: function (state, event) {
      state.call.set(event.connection, {
        connection: event.connection,
        user: event.user,
        name: event.name || person(state, event.user).name,
      });
    },
    call_left: function (state, event) {
      leaveCall(state, event.user, event.connection);
    },
    room_ended: function (state, event) {
      state.room.ended = true;
      state.people.forEach(function (someone) {
        if (someone.present) stopPresence(someone, event.at);
      });
      state.call.clear();
    },
  };

  function message(event, isPrivate) {
    return {
      seq: event.seq,
      at: event.at,
      by: event.by,
      name: event.name,
      text: event.text,
      private: isPrivate,
      to: event.to,
      toName: event.to_name,
    };
  }

  function updatePoll(state, event) {
    const poll = state.polls.get(event.poll);
    if (!poll) return null;
    if (Array.isArray(event.counts)) poll.counts = event.counts;
    if (typeof event.total === "number") poll.total = event.total;
    return poll;
  }

  // Applies one numbered event. `skip` (a private event of others) and types this page does
  // not know change nothing but the number.
  function apply(state, event) {
    const reducer = reducers[event.type];
    if (reducer) reducer(state, event);
  }

  // The hand queue: people with a raised hand, in the order they raised it.
  function handQueue(state) {
    return Array.from(state.people.values())
      .filter(function (someone) {
        return someone.handSeq !== null;
      })
      .sort(function (a, b) {
        return a.handSeq - b.handSeq;
      });
  }

  function minutesPresent(someone, now) {
    let total = someone.presentMs;
    if (someone.present && someone.since) {
      total += Math.max(0, now - Date.parse(someone.since)) || 0;
    }
    return Math.floor(total / 60000);
  }

  // Distinct people in the call (a person counts once, whatever their tabs).
  function callSize(state) {
    const users = new Set();
    state.call.forEach(function (member) {
      users.add(member.user);
    });
    return users.size;
  }

  Room.state = {
    create: createState,
    apply: apply,
    handQueue: handQueue,
    minutesPresent: minutesPresent,
    callSize: callSize,
    // The numbered events this page applies (its tests compare them with the protocol).
    eventTypes: Object.keys(reducers),
  };
})(window.VirageRoom);
