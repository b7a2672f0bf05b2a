// The live room's page: connects the socket, applies the room's numbered events in order to
// one state (room/state.js, room/sequence.js) and renders every panel from it. Frames and
// their rules are in docs/room-protocol.md; the other scripts of room/ are the parts.
(function (Room) {
  "use strict";

  const config = Room.config;
  const t = Room.t;
  const REF_TTL_MS = 30000;
  const TOAST_MS = 6000;
  const REACTION_MS = 2600;
  const SYNC_REF = "sync";
  const SYNC_RETRY_MS = 2000;
  const SYNC_BUDGET_WAIT_MS = 10000;

  const nodes = {
    root: document.getElementById("room"),
    status: document.getElementById("room-status"),
    retry: document.getElementById("room-retry"),
    notice: document.getElementById("room-notice"),
    noticeText: document.getElementById("room-notice-text"),
    noticeLogin: document.getElementById("room-notice-login"),
    knockAgain: document.getElementById("room-knock-again"),
    summary: document.getElementById("room-notice-summary"),
    waiting: document.getElementById("room-waiting"),
    waitingText: document.getElementById("room-waiting-text"),
    body: document.getElementById("room-body"),
    toast: document.getElementById("room-toast"),
    stage: document.getElementById("reaction-stage"),
    callJoin: document.getElementById("call-join"),
    callMic: document.getElementById("call-mic"),
    callCamera: document.getElementById("call-camera"),
    callLeave: document.getElementById("call-leave"),
    callCount: document.getElementById("call-count"),
  };

  const room = {
    config: config,
    state: Room.state.create(config),
    waiting: true,
    everCaughtUp: false,
    pending: new Map(), // ref → what to do with an error about that frame
    nextRef: 0,
    renderTimer: null,
    toastTimer: null,
  };

  const sequence = new Room.Sequence({
    storageKey: "virage-room-" + config.session + "-" + config.user,
    apply: function (event, live) {
      Room.state.apply(room.state, event);
      afterEvent(event, live);
      room.render();
    },
    requestSync: function (since) {
      connection.send({ type: "sync", since: since, ref: SYNC_REF });
    },
  });

  const protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
  const connection = new Room.Connection({
    url: protocol + "//" + window.location.host + config.socket_path,
    onFrame: onFrame,
    onState: showConnectionState,
  });

  const call = new Room.Call({
    send: function (frame) {
      return connection.send(frame);
    },
    state: function () {
      return room.state;
    },
    meId: function () {
      return config.user;
    },
    onChange: function () {
      room.render();
    },
  });

  // Sends a command of the person; `onError` receives the translated reason (and the error
  // frame) if the room refuses it. Returns false (and says why) when there is no connection
  // to send it on.
  room.command = function (frame, onError) {
    const report = onError || room.toast;
    if (!connection.isOpen() || room.waiting) {
      report(t("reconnecting"));
      return false;
    }
    room.nextRef += 1;
    const ref = String(room.nextRef);
    room.pending.set(ref, report);
    window.setTimeout(function () {
      room.pending.delete(ref);
    }, REF_TTL_MS);
    connection.send(Object.assign({}, frame, { ref: ref }));
    return true;
  };

  room.toast = function (message) {
    nodes.toast.textContent = message;
    nodes.toast.hidden = false;
    window.clearTimeout(room.toastTimer);
    room.toastTimer = window.setTimeout(function () {
      nodes.toast.hidden = true;
    }, TOAST_MS);
  };

  // Renders once for a burst of events (a replay applies hundreds at once).
  room.render = function () {
    if (room.renderTimer !== null) return;
    room.renderTimer = window.setTimeout(function () {
      room.renderTimer = null;
      renderAll();
    }, 16);
  };

  const chat = new Room.Chat(room);
  const people = new Room.People(room);
  const polls = new Room.Polls(room);
  const questions = new Room.Questions(room);
  const actions = new Room.Actions(room);
  const moderation = config.moderator ? new Room.Moderation(room) : null;
  room.panel = new Room.Panel(room);
  const tabs = new Room.Tabs(document.querySelector(".room-tabs"));
  tabs.onSelect = room.render;

  function renderAll() {
    const state = room.state;
    chat.render(state);
    people.render(state);
    polls.render(state);
    questions.render(state);
    actions.render(state);
    if (moderation) tabs.setCount("tab-moderation", moderation.render(state), "waiting_badge");
    renderCall(state);
  }

  function renderCall(state) {
    const active = Boolean(call.stream);
    nodes.callJoin.hidden = active;
    nodes.callMic.hidden = nodes.callCamera.hidden = nodes.callLeave.hidden = !active;
    nodes.callMic.setAttribute("aria-pressed", call.micMuted ? "true" : "false");
    nodes.callCamera.setAttribute("aria-pressed", call.cameraOff ? "true" : "false");
    const size = Room.state.callSize(state);
    nodes.callCount.textContent = size
      ? t("call_count", { count: Room.number(size), size: Room.number(Room.limits.call_size) })
      : "";
  }

  // Frames from the server.

  function onFrame(frame) {
    switch (frame.type) {
      case "welcome":
        return welcome(frame);
      case "replay":
        return replay(frame);
      case "error":
        return refused(frame);
      case "pong":
        return undefined;
      case "reaction":
        return reaction(frame);
      case "rtc_signal":
        return call.signal(frame);
      case "ice_servers":
        // Let in from the waiting room: the relay servers for the call come now.
        return call.setIceServers(frame.ice_servers);
      default:
        break;
    }
    if (typeof frame.seq !== "number") return undefined;
    if (room.waiting) return lobby(frame);
    return sequence.receive(frame);
  }

  function welcome(frame) {
    Room.setLimits(frame.limits);
    connection.setLimits(frame.limits);
    chat.setMax(Room.limits.chat_max_chars);
    connection.welcomed();
    if (sequence.last > frame.last_seq) resetRoom(); // the room is behind what this tab kept
    sequence.reconnected();
    const info = frame.room || {};
    Object.assign(room.state.room, {
      opened: Boolean(info.opened),
      locked: Boolean(info.locked),
      waitingRoom: Boolean(info.waiting_room),
      ended: Boolean(info.ended),
    });
    const you = frame.you || {};
    room.state.me.muted = Boolean(you.muted);
    if (you.company !== undefined) room.state.me.company = you.company;
    // The person's answers as the room stored them (an answer this page sent on a socket
    // that then dropped may not have arrived): the options shown as chosen after a reload.
    room.state.myVotes = new Map(
      (Array.isArray(you.votes) ? you.votes : []).map(function (vote) {
        return [vote.poll, vote.option];
      })
    );
    if (Array.isArray(frame.drafts)) {
      room.state.drafts = frame.drafts.slice();
      room.state.draftsAsOf = frame.last_seq;
    }
    call.connected(frame.connection, frame.ice_servers);
    if (you.status === "admitted") {
      enterRoom();
    } else {
      room.waiting = true;
      showWaiting();
    }
    room.render();
  }

  function enterRoom() {
    room.waiting = false;
    nodes.waiting.hidden = true;
    nodes.body.hidden = false;
    nodes.root.dataset.phase = "room";
    sequence.sync();
  }

  function showWaiting() {
    nodes.body.hidden = true;
    nodes.waiting.hidden = false;
    nodes.root.dataset.phase = "waiting";
    nodes.waitingText.textContent = room.state.room.opened ? t("waiting_admit") : t("waiting_open");
  }

  // While waiting, the server sends only what concerns the waiting: the room opening, and the
  // decision about this person. Any other event means the server let this socket in (a sweep
  // may do so without an `admitted` frame to it): the replay after `sync` brings the room.
  function lobby(frame) {
    const me = config.user;
    if (frame.type === "skip") return; // a number for the admitted, not for the waiting
    if (frame.type === "room_opened") {
      room.state.room.opened = true;
      showWaiting();
    } else if (frame.type === "denied" && frame.user === me) {
      connection.stop();
      closedFor(4406);
    } else {
      enterRoom();
    }
  }

  function replay(frame) {
    if (!sequence.replay(frame)) return;
    call.caughtUp();
    if (room.everCaughtUp) Room.announce(t("reconnected"));
    room.everCaughtUp = true;
    nodes.root.dataset.synced = String(sequence.last);
  }

  function refused(frame) {
    if (frame.ref === SYNC_REF) {
      // The server could not replay just now (busy, a moment too early, or this person's
      // resyncs are over their budget of one every 10 seconds): ask again.
      const delay = frame.code === "rate_limited" ? SYNC_BUDGET_WAIT_MS : SYNC_RETRY_MS;
      window.setTimeout(function () {
        if (connection.isOpen() && !room.waiting) sequence.sync();
      }, delay);
      return;
    }
    const message = Room.errorMessage(frame);
    const report = frame.ref !== undefined ? room.pending.get(String(frame.ref)) : null;
    if (frame.ref !== undefined) room.pending.delete(String(frame.ref));
    if (frame.code === "call_full") {
      call.failed(message);
      return;
    }
    // A signal or `call_leave` that crossed this connection's leaving the call: the
    // `call_left` event already said so.
    if (frame.code === "not_in_call" && !report) return;
    (report || room.toast)(message, frame);
  }

  function reaction(frame) {
    const known = config.reactions.find(function (choice) {
      return choice.emoji === frame.emoji;
    });
    if (!known) return;
    const bubble = Room.el("span", { className: "reaction-bubble", text: frame.emoji });
    bubble.style.insetInlineStart = Math.round(10 + Math.random() * 80) + "%";
    nodes.stage.append(bubble);
    window.setTimeout(function () {
      bubble.remove();
    }, REACTION_MS);
    if (frame.by !== config.user) {
      Room.announce(t("announce_reaction", { name: frame.name, label: known.label }));
    }
  }

  // What an event means beyond the state: the call, announcements, unread counts. Events of a
  // replay are history: they are not announced.
  function afterEvent(event, live) {
    call.event(event);
    const state = room.state;
    const mine = event.by === config.user;
    if (event.type === "removed" && event.user === config.user) {
      showNotice(t("close_4408"));
    } else if (event.type === "room_ended") {
      showNotice(t("close_4410"), { summary: true });
    }
    if (!live) return;
    switch (event.type) {
      case "chat":
      case "dm":
        chat.announce(event, state);
        if (!mine) tabs.notify("tab-chat");
        break;
      case "hand_raised":
        if (state.me.moderator && event.user !== config.user) {
          Room.announce(t("announce_hand", { name: nameOf(event.user) }));
        }
        break;
      case "hand_lowered":
        if (event.user === config.user && event.by !== config.user) {
          Room.announce(t("announce_my_hand_lowered"));
        }
        break;
      case "knock":
        if (state.me.moderator) Room.announce(t("announce_knock", { name: event.name }));
        break;
      case "poll_prepared":
      case "poll_withdrawn":
        // Private: only moderators receive them; another coach's change to the drafts is news.
        if (!mine) {
          polls.announce(event, state);
          tabs.notify("tab-polls");
        }
        break;
      case "poll_opened":
      case "poll_closed":
        polls.announce(event, state);
        tabs.notify("tab-polls");
        break;
      case "question_asked":
        questions.announce(event, state);
        if (!mine) tabs.notify("tab-questions");
        break;
      case "action_added":
        actions.announce(event, state);
        if (!mine) tabs.notify("tab-actions");
        break;
      case "chat_muted":
        if (event.user === config.user) {
          Room.announce(t(event.muted ? "announce_muted" : "announce_unmuted"));
        }
        break;
      case "room_locked":
        Room.announce(t(event.locked ? "announce_locked" : "announce_unlocked"));
        break;
      case "waiting_room":
        if (state.me.moderator) {
          Room.announce(t(event.enabled ? "announce_waiting_on" : "announce_waiting_off"));
        }
        break;
      case "call_joined":
      case "call_left":
        if (call.inCall && event.user !== config.user) {
          const key = event.type === "call_joined" ? "announce_call_joined" : "announce_call_left";
          Room.announce(t(key, { name: event.name || nameOf(event.user) }));
        }
        break;
      default:
        break;
    }
  }

  function nameOf(userId) {
    const someone = room.state.people.get(userId);
    return someone ? someone.name : "";
  }

  function resetRoom() {
    sequence.reset();
    room.state = Room.state.create(config);
    chat.clear();
  }

  // Connection states, shown in the status line (a polite live region).
  function showConnectionState(state, details) {
    nodes.status.dataset.state = state;
    nodes.root.dataset.connection = state;
    nodes.retry.hidden = !(state === "reconnecting" || state === "offline");
    if (state === "connecting") {
      nodes.status.textContent = t("connecting");
    } else if (state === "open") {
      nodes.status.textContent = t("connected");
    } else if (state === "reconnecting") {
      const key = details && details.code === 4500 ? "reconnecting_server_error" : "reconnecting_in";
      nodes.status.textContent =
        details && details.seconds
          ? t(key, { seconds: Room.number(details.seconds) })
          : t("reconnecting");
    } else if (state === "offline") {
      nodes.status.textContent = t("offline");
    } else if (state === "closed") {
      nodes.status.textContent = "";
      closedFor(details.code);
    }
  }

  // A final close: the reason, and what the person can do next (log in, knock again, read the
  // summary); the room's history stays on the page, its controls do not answer any more.
  function closedFor(code) {
    call.end();
    const key = "close_" + code;
    const message = t(key) === key ? t("close_other") : t(key);
    showNotice(message, { login: code === 4401, knockAgain: code === 4406, summary: code === 4410 });
    nodes.root.dataset.phase = "closed";
    nodes.root.dataset.closeCode = String(code);
    nodes.waiting.hidden = true;
    nodes.body.inert = true;
  }

  function showNotice(message, options) {
    const opts = options || {};
    nodes.noticeText.textContent = message;
    nodes.noticeLogin.hidden = !opts.login;
    if (opts.login) nodes.noticeLogin.href = config.login_url;
    nodes.knockAgain.hidden = !opts.knockAgain;
    nodes.summary.hidden = !opts.summary;
    if (opts.summary) nodes.summary.href = config.summary_url;
    nodes.notice.hidden = false;
  }

  // Controls of the page itself.

  nodes.retry.addEventListener("click", function () {
    connection.retryNow();
  });
  nodes.knockAgain.addEventListener("click", function () {
    nodes.notice.hidden = true;
    nodes.body.inert = false;
    connection.restart();
  });
  nodes.callJoin.addEventListener("click", function () {
    call.join();
  });
  nodes.callLeave.addEventListener("click", function () {
    call.leave();
    nodes.callJoin.focus();
  });
  nodes.callMic.addEventListener("click", function () {
    call.toggleMic();
  });
  nodes.callCamera.addEventListener("click", function () {
    call.toggleCamera();
  });
  document.querySelectorAll(".reaction-button").forEach(function (button) {
    button.addEventListener("click", function () {
      room.command({ type: "react", emoji: button.dataset.emoji });
    });
  });
  // Minutes present go on while nothing happens.
  if (moderation) window.setInterval(room.render, 30000);

  Room.localiseTimes();
  sequence.restore();
  room.render();
  connection.open();
  // For people who read the page's state with tools (and for the page's own tests).
  Room.page = { room: room, sequence: sequence, connection: connection, call: call };
})(window.VirageRoom);
