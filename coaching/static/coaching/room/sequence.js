// The order of the room's numbered events (docs/room-protocol.md, "Numbered events and
// resync"): a duplicate is ignored, the next number is applied with whatever was waiting
// behind it, a later number waits in a buffer; a gap still open after a second asks the
// server for what is missing. Replays fill gaps and may jump over private events.
//
// What was applied is also kept in the tab's sessionStorage, so that a reload rebuilds the
// room from there and asks the server only for what came after.
(function (Room) {
  "use strict";

  const GAP_WAIT_MS = 1000;
  const SAVE_DELAY_MS = 400;

  function Sequence(options) {
    this.applyEvent = options.apply; // (frame, live) → void
    this.requestSync = options.requestSync; // (since) → void
    this.storageKey = options.storageKey;
    this.last = 0;
    this.buffer = new Map();
    this.gapTimer = null;
    this.syncing = false;
    this.log = [];
    this.saveTimer = null;
  }

  Sequence.prototype.receive = function (frame) {
    if (frame.seq <= this.last) return;
    if (frame.seq === this.last + 1) {
      this.applyOne(frame, true);
      this.drain();
    } else {
      this.buffer.set(frame.seq, frame);
      this.watchGap();
    }
  };

  Sequence.prototype.applyOne = function (frame, live) {
    this.last = frame.seq;
    if (frame.type !== "skip") this.log.push(frame);
    this.applyEvent(frame, live);
    this.scheduleSave();
  };

  Sequence.prototype.drain = function () {
    let next = this.buffer.get(this.last + 1);
    while (next) {
      this.buffer.delete(next.seq);
      this.applyOne(next, true);
      next = this.buffer.get(this.last + 1);
    }
    const last = this.last;
    const buffer = this.buffer;
    buffer.forEach(function (frame, seq) {
      if (seq <= last) buffer.delete(seq);
    });
    if (buffer.size) {
      this.watchGap();
    } else {
      this.clearGap();
    }
  };

  Sequence.prototype.watchGap = function () {
    if (this.gapTimer !== null || this.syncing) return;
    const sequence = this;
    this.gapTimer = window.setTimeout(function () {
      sequence.gapTimer = null;
      if (sequence.buffer.size && !sequence.syncing) sequence.sync();
    }, GAP_WAIT_MS);
  };

  Sequence.prototype.clearGap = function () {
    if (this.gapTimer !== null) window.clearTimeout(this.gapTimer);
    this.gapTimer = null;
  };

  // Asks for everything after the last applied number.
  Sequence.prototype.sync = function () {
    this.clearGap();
    this.syncing = true;
    this.requestSync(this.last);
  };

  // A replay frame: its events in order (they may skip numbers: private events are left out),
  // then the number it brings the client to. Returns true when the replay is complete.
  Sequence.prototype.replay = function (frame) {
    const sequence = this;
    (frame.events || []).forEach(function (event) {
      if (event.seq > sequence.last) sequence.applyOne(event, false);
    });
    if (typeof frame.last_seq === "number" && frame.last_seq > this.last) {
      this.last = frame.last_seq;
      this.scheduleSave();
    }
    if (frame.complete !== false) this.syncing = false;
    this.drain();
    return !this.syncing;
  };

  // A new socket: what was buffered for the old one will come again in the replay.
  Sequence.prototype.reconnected = function () {
    this.buffer.clear();
    this.clearGap();
    this.syncing = false;
  };

  // Forgets everything (the server's room is behind what this tab remembers).
  Sequence.prototype.reset = function () {
    this.reconnected();
    this.last = 0;
    this.log = [];
    this.forget();
  };

  // Events this tab applied before a reload, replayed into a fresh state.
  Sequence.prototype.restore = function () {
    let saved = null;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(this.storageKey) || "null");
    } catch (error) {
      saved = null;
    }
    if (!saved || typeof saved.last !== "number" || !Array.isArray(saved.events)) return;
    const sequence = this;
    saved.events.forEach(function (event) {
      sequence.log.push(event);
      sequence.applyEvent(event, false);
    });
    this.last = saved.last;
  };

  Sequence.prototype.scheduleSave = function () {
    if (this.saveTimer !== null) return;
    const sequence = this;
    this.saveTimer = window.setTimeout(function () {
      sequence.saveTimer = null;
      sequence.save();
    }, SAVE_DELAY_MS);
  };

  Sequence.prototype.save = function () {
    try {
      window.sessionStorage.setItem(
        this.storageKey,
        JSON.stringify({ last: this.last, events: this.log })
      );
    } catch (error) {
      // Storage full or refused: a reload then asks the server for the whole history.
      this.forget();
    }
  };

  Sequence.prototype.forget = function () {
    try {
      window.sessionStorage.removeItem(this.storageKey);
    } catch (error) {
      // Nothing kept, nothing to remove.
    }
  };

  Room.Sequence = Sequence;
})(window.VirageRoom);
