// The room's socket: connecting (wss on https pages), reconnecting with exponential backoff and
// jitter, a heartbeat every 20 s that also notices a dead connection, and sending at the pace
// the server accepts (its token buckets: frames in general as announced in `welcome.limits`,
// WebRTC signals on a budget of their own), so that a burst of the page's own frames (a quick
// series of clicks, the candidates of a call) is delayed, not refused.
//
// After a close code the protocol calls final (4400–4429, docs/room-protocol.md) it does not
// reconnect; 4401 (logged out) waits for the person to log in again, 4406 (refused at the
// waiting room) for the person to ask again. Any other close (the network, a restart, 4500:
// the server failed to let the socket in) is followed by a new try after the backoff.
(function (Room) {
  "use strict";

  const HEARTBEAT_MS = 20000;
  const SILENCE_LIMIT_MS = 10000; // no answer this long after a ping: the connection is dead
  const BACKOFF_FIRST_MS = 1000;
  const BACKOFF_MAX_MS = 30000;

  function isFinal(code) {
    return code >= 4400 && code <= 4429;
  }

  function Connection(options) {
    this.url = options.url;
    this.onFrame = options.onFrame;
    this.onState = options.onState; // (state, details): connecting|open|reconnecting|offline|closed
    this.socket = null;
    this.attempt = 0;
    this.retryTimer = null;
    this.heartbeatTimer = null;
    this.silenceTimer = null;
    this.stopped = false;
    const send = this.sendNow.bind(this);
    // The room's budgets (docs/room-protocol.md, "Limits"), as the page was given them.
    const limits = Room.config.limits;
    this.lanes = {
      frames: new Lane(send, { burst: limits.burst, per_second: limits.per_second }),
      signals: new Lane(send, {
        burst: limits.signal_burst,
        per_second: limits.signal_per_second,
      }),
    };
    const connection = this;
    window.addEventListener("offline", function () {
      connection.networkLost();
    });
    window.addEventListener("online", function () {
      connection.networkBack();
    });
  }

  // The frames' budget as `welcome` gives it (the signals' budget is not in `welcome`).
  Connection.prototype.setLimits = function (limits) {
    this.lanes.frames.setLimits(limits || {});
  };

  Connection.prototype.open = function () {
    this.clearRetry();
    if (this.stopped) return;
    if (navigator.onLine === false) {
      this.onState("offline");
      return;
    }
    this.onState(this.attempt === 0 ? "connecting" : "reconnecting");
    const socket = new WebSocket(this.url);
    const connection = this;
    this.socket = socket;
    socket.onopen = function () {
      connection.startHeartbeat();
    };
    socket.onmessage = function (message) {
      connection.heard();
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch (error) {
        return;
      }
      if (frame && typeof frame.type === "string") connection.onFrame(frame);
    };
    socket.onclose = function (event) {
      if (connection.socket === socket) connection.closed(event.code);
    };
  };

  Connection.prototype.isOpen = function () {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  };

  // The server said welcome: the next drop starts the backoff from its first step again.
  Connection.prototype.welcomed = function () {
    this.attempt = 0;
    this.onState("open");
  };

  Connection.prototype.closed = function (code) {
    this.detach();
    if (this.stopped) return;
    if (isFinal(code)) {
      this.stopped = true;
      this.onState("closed", { code: code });
      return;
    }
    this.scheduleRetry(code);
  };

  Connection.prototype.detach = function () {
    const socket = this.socket;
    this.socket = null;
    this.stopHeartbeat();
    // What waited for a token belonged to this socket (a sync, signals to its peers).
    this.lanes.frames.clear();
    this.lanes.signals.clear();
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
        socket.close();
      }
    }
  };

  // `code` says why the last socket closed (4500: the server failed to let it in).
  Connection.prototype.scheduleRetry = function (code) {
    if (navigator.onLine === false) {
      this.onState("offline");
      return;
    }
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * Math.pow(2, this.attempt));
    // "Equal jitter": half the step for sure, the other half at random, so that a room full of
    // people cut off at once does not come back at once.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.attempt += 1;
    this.onState("reconnecting", { seconds: Math.max(1, Math.round(delay / 1000)), code: code });
    const connection = this;
    this.retryTimer = window.setTimeout(function () {
      connection.retryTimer = null;
      connection.open();
    }, delay);
  };

  Connection.prototype.clearRetry = function () {
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  };

  // "Reconnect now" and the network coming back skip the wait.
  Connection.prototype.retryNow = function () {
    if (this.stopped || this.socket) return;
    this.open();
  };

  Connection.prototype.networkLost = function () {
    if (this.stopped) return;
    // The browser knows the network is gone; the socket may take minutes to notice.
    this.detach();
    this.clearRetry();
    this.onState("offline");
  };

  Connection.prototype.networkBack = function () {
    if (this.stopped || this.socket) return;
    this.attempt = Math.max(this.attempt, 1);
    this.open();
  };

  // Closes for good (the person was refused, or left on purpose).
  Connection.prototype.stop = function () {
    this.stopped = true;
    this.clearRetry();
    this.detach();
  };

  // Opens again after stop() (asking again to be let in).
  Connection.prototype.restart = function () {
    this.stopped = false;
    this.attempt = 0;
    this.open();
  };

  Connection.prototype.startHeartbeat = function () {
    this.stopHeartbeat();
    const connection = this;
    this.heartbeatTimer = window.setInterval(function () {
      connection.send({ type: "ping" });
      if (connection.silenceTimer === null) {
        connection.silenceTimer = window.setTimeout(function () {
          connection.silenceTimer = null;
          connection.detach();
          connection.scheduleRetry();
        }, SILENCE_LIMIT_MS);
      }
    }, HEARTBEAT_MS);
  };

  Connection.prototype.heard = function () {
    if (this.silenceTimer !== null) window.clearTimeout(this.silenceTimer);
    this.silenceTimer = null;
  };

  Connection.prototype.stopHeartbeat = function () {
    if (this.heartbeatTimer !== null) window.clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    this.heard();
  };

  // Sends a frame when a token is free; returns false when there is no open socket (the frame
  // is dropped: callers keep what must survive a reconnection).
  Connection.prototype.send = function (frame) {
    if (!this.isOpen()) return false;
    (frame.type === "rtc_signal" ? this.lanes.signals : this.lanes.frames).push(frame);
    return true;
  };

  Connection.prototype.sendNow = function (frame) {
    if (!this.isOpen()) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  };

  // A token bucket like the server's: frames wait for a token instead of being refused.
  function Lane(send, limits) {
    this.send = send;
    this.queue = [];
    this.timer = null;
    this.burst = 1;
    this.rate = 0.5;
    this.setLimits(limits);
    this.tokens = this.burst;
    this.refilledAt = Date.now();
  }

  // Takes the budget given (`burst` frames at once, then `per_second`); a value missing or
  // not a positive number keeps the one before.
  Lane.prototype.setLimits = function (limits) {
    if (limits.burst > 0) this.burst = limits.burst;
    // A little under the server's rate, so clock differences never cost a refusal.
    if (limits.per_second > 0) this.rate = limits.per_second * 0.9;
    this.tokens = Math.min(this.tokens === undefined ? this.burst : this.tokens, this.burst);
  };

  Lane.prototype.clear = function () {
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
  };

  Lane.prototype.push = function (frame) {
    this.queue.push(frame);
    this.drain();
  };

  Lane.prototype.drain = function () {
    if (this.timer !== null) return;
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.rate);
    this.refilledAt = now;
    while (this.queue.length && this.tokens >= 1) {
      this.tokens -= 1;
      if (!this.send(this.queue.shift())) {
        this.queue = []; // the socket closed: what waited belonged to it
        return;
      }
    }
    if (this.queue.length) {
      const lane = this;
      const wait = ((1 - this.tokens) / this.rate) * 1000;
      this.timer = window.setTimeout(function () {
        lane.timer = null;
        lane.drain();
      }, Math.max(20, wait));
    }
  };

  Room.Connection = Connection;
})(window.VirageRoom);
