// Audio and video for a small group: a mesh of RTCPeerConnections, one per other connection in
// the call, signalled through the room's socket (`rtc_signal`, routed by the server to one
// connection). The newcomer offers to those already in the call; the others answer. The
// "perfect negotiation" pattern (the newcomer impolite, the others polite) settles the rare
// case where both sides offer at once. A signal is what the browser's toJSON() gives: a
// description {type, sdp} or one ICE candidate.
(function (Room) {
  "use strict";

  const t = Room.t;
  const el = Room.el;

  function Call(options) {
    this.send = options.send; // (frame) → bool
    this.state = options.state; // () → the room's state
    this.meId = options.meId;
    this.onChange = options.onChange;
    this.iceServers = [];
    this.stream = null;
    this.connection = "";
    this.wanted = false; // the person asked to be in the call (and did not leave it)
    this.inCall = false; // the room counts this connection in the call
    this.rejoin = false;
    this.peers = new Map();
    this.micMuted = false;
    this.cameraOff = false;
    this.tiles = document.getElementById("call-tiles");
    this.error = document.getElementById("call-error");
  }

  Call.prototype.supported = function () {
    return Boolean(
      window.RTCPeerConnection && navigator.mediaDevices && navigator.mediaDevices.getUserMedia
    );
  };

  Call.prototype.join = async function () {
    Room.showError(this.error, "");
    if (!this.supported()) {
      Room.showError(this.error, t("webrtc_missing"));
      return;
    }
    if (!this.stream) {
      try {
        this.stream = await navigator.mediaDevices.getUserMedia({
          audio: true,
          video: { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { max: 24 } },
        });
      } catch (error) {
        const missing = error && (error.name === "NotFoundError" || error.name === "OverconstrainedError");
        Room.showError(this.error, t(missing ? "media_missing" : "media_denied"));
        return;
      }
      this.applyMute();
    }
    this.wanted = true;
    this.showLocal();
    this.send({ type: "call_join" });
    this.onChange();
  };

  Call.prototype.leave = function () {
    if (this.inCall) this.send({ type: "call_leave" });
    this.end();
  };

  // Out of the call: peers closed, camera and microphone released.
  Call.prototype.end = function () {
    this.wanted = false;
    this.inCall = false;
    this.rejoin = false;
    this.closePeers();
    if (this.stream) {
      this.stream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    this.stream = null;
    this.tiles.replaceChildren();
    this.onChange();
  };

  Call.prototype.failed = function (message) {
    this.end();
    Room.showError(this.error, message);
  };

  // A new socket (a reconnection): its connection id is new, the old peers are gone; once the
  // room is caught up, a person who was in the call joins it again.
  Call.prototype.connected = function (connection, iceServers) {
    this.connection = connection;
    this.iceServers = Array.isArray(iceServers) ? iceServers : [];
    this.closePeers();
    this.inCall = false;
    this.rejoin = this.wanted;
  };

  Call.prototype.setIceServers = function (iceServers) {
    this.iceServers = Array.isArray(iceServers) ? iceServers : [];
  };

  Call.prototype.caughtUp = function () {
    if (this.rejoin && this.wanted) {
      this.rejoin = false;
      this.send({ type: "call_join" });
    }
  };

  Call.prototype.toggleMic = function () {
    this.micMuted = !this.micMuted;
    this.applyMute();
    this.onChange();
  };

  Call.prototype.toggleCamera = function () {
    this.cameraOff = !this.cameraOff;
    this.applyMute();
    this.onChange();
  };

  Call.prototype.applyMute = function () {
    if (!this.stream) return;
    const call = this;
    this.stream.getAudioTracks().forEach(function (track) {
      track.enabled = !call.micMuted;
    });
    this.stream.getVideoTracks().forEach(function (track) {
      track.enabled = !call.cameraOff;
    });
  };

  // A numbered event about the call, once applied to the state.
  Call.prototype.event = function (event) {
    if (event.type === "call_joined") {
      if (event.connection === this.connection) {
        this.inCall = true;
        if (!this.stream) {
          // Joined from a tab that has since lost its camera: leave rather than listen in.
          this.send({ type: "call_leave" });
          return;
        }
        const call = this;
        this.state().call.forEach(function (member) {
          if (member.connection !== call.connection) call.peer(member, true);
        });
      } else if (this.inCall && this.stream) {
        this.peer(event, false);
      }
      return;
    }
    // `call_left` names the connection that left (a person's other tab may stay in the call,
    // or take it over); `left` and `removed` take all of the person's connections out.
    if (event.type === "call_left" || event.type === "left" || event.type === "removed") {
      const allTabs = event.type !== "call_left";
      const mine =
        event.user === this.meId() && (allTabs || event.connection === this.connection);
      if (mine && event.type !== "left") {
        // Still wanted here: the person joined the call from another tab, which took it over.
        const moved = event.type === "call_left" && this.wanted;
        if (this.inCall || moved) this.end();
        if (moved) Room.showError(this.error, t("call_moved"));
        return;
      }
      const call = this;
      this.peers.forEach(function (peer, connection) {
        if (peer.user === event.user && (allTabs || event.connection === connection)) {
          call.closePeer(connection);
        }
      });
      return;
    }
    if (event.type === "room_ended") this.end();
  };

  Call.prototype.signal = function (frame) {
    if (!this.inCall || !this.stream || !frame.signal || typeof frame.from !== "string") return;
    let peer = this.peers.get(frame.from);
    if (!peer) {
      peer = this.peer({ connection: frame.from, user: frame.by }, false);
    }
    peer.handle(frame.signal);
  };

  Call.prototype.peer = function (member, initiator) {
    const existing = this.peers.get(member.connection);
    if (existing) return existing;
    const peer = new Peer(this, member, initiator);
    this.peers.set(member.connection, peer);
    return peer;
  };

  Call.prototype.closePeer = function (connection) {
    const peer = this.peers.get(connection);
    if (!peer) return;
    peer.close();
    this.peers.delete(connection);
  };

  Call.prototype.closePeers = function () {
    this.peers.forEach(function (peer) {
      peer.close();
    });
    this.peers.clear();
  };

  Call.prototype.nameOf = function (member) {
    if (member.name) return member.name;
    const inCall = this.state().call.get(member.connection);
    if (inCall && inCall.name) return inCall.name;
    const someone = this.state().people.get(member.user);
    return someone ? someone.name : "";
  };

  Call.prototype.tile = function (key, name, isLocal) {
    let tile = this.tiles.querySelector('[data-key="' + key + '"]');
    if (tile) return tile;
    const video = el("video", {
      attrs: { autoplay: true, playsinline: true, "aria-label": name },
    });
    video.muted = isLocal;
    tile = el("li", { className: "call-tile" + (isLocal ? " is-local" : ""), data: { key: key } }, [
      video,
      el("p", { className: "call-name" }, [
        el("span", { text: name }),
        el("span", { className: "call-peer-state" }),
      ]),
    ]);
    if (isLocal) {
      this.tiles.prepend(tile);
    } else {
      this.tiles.append(tile);
    }
    return tile;
  };

  Call.prototype.showLocal = function () {
    const tile = this.tile("local", t("call_you"), true);
    const video = tile.querySelector("video");
    if (video.srcObject !== this.stream) video.srcObject = this.stream;
  };

  // One other connection in the call.
  function Peer(call, member, initiator) {
    this.call = call;
    this.connection = member.connection;
    this.user = member.user;
    this.polite = !initiator;
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.tracksAdded = false;
    this.queue = Promise.resolve();
    this.tileNode = call.tile(member.connection, call.nameOf(member), false);
    this.setState(t("peer_connecting"));

    const pc = new RTCPeerConnection({ iceServers: call.iceServers });
    this.pc = pc;
    const peer = this;
    pc.onicecandidate = function (event) {
      if (event.candidate && event.candidate.candidate) peer.signal(event.candidate.toJSON());
    };
    pc.ontrack = function (event) {
      const video = peer.tileNode.querySelector("video");
      const stream = event.streams[0] || new MediaStream([event.track]);
      if (video.srcObject !== stream) video.srcObject = stream;
      const playing = video.play();
      if (playing && playing.catch) playing.catch(function () {});
    };
    pc.onnegotiationneeded = async function () {
      try {
        peer.makingOffer = true;
        await pc.setLocalDescription();
        peer.signal(pc.localDescription.toJSON());
      } catch (error) {
        console.warn("room call: offer failed", error);
      } finally {
        peer.makingOffer = false;
      }
    };
    pc.onconnectionstatechange = function () {
      const state = pc.connectionState;
      if (state === "connected") peer.setState("");
      else if (state === "failed") {
        peer.setState(t("peer_failed"));
        if (!peer.polite) pc.restartIce();
      } else if (state === "connecting" || state === "new") peer.setState(t("peer_connecting"));
    };
    if (initiator) this.addTracks();
  }

  Peer.prototype.addTracks = function () {
    if (this.tracksAdded || !this.call.stream) return;
    this.tracksAdded = true;
    const pc = this.pc;
    const stream = this.call.stream;
    stream.getTracks().forEach(function (track) {
      pc.addTrack(track, stream);
    });
  };

  Peer.prototype.signal = function (signal) {
    this.call.send({ type: "rtc_signal", to: this.connection, signal: signal });
  };

  // Signals are applied one after the other: a candidate must not overtake its description.
  Peer.prototype.handle = function (signal) {
    const peer = this;
    this.queue = this.queue
      .then(function () {
        return peer.apply(signal);
      })
      .catch(function (error) {
        console.warn("room call: a signal could not be applied", error);
      });
  };

  Peer.prototype.apply = async function (signal) {
    const pc = this.pc;
    if (pc.signalingState === "closed") return;
    if (typeof signal.candidate === "string") {
      try {
        await pc.addIceCandidate(signal);
      } catch (error) {
        if (!this.ignoreOffer) throw error;
      }
      return;
    }
    if (typeof signal.type !== "string") return;
    const collision = signal.type === "offer" && (this.makingOffer || pc.signalingState !== "stable");
    this.ignoreOffer = !this.polite && collision;
    if (this.ignoreOffer) return;
    await pc.setRemoteDescription(signal);
    if (signal.type === "offer") {
      // Our tracks ride on the transceivers the offer created: no second negotiation.
      this.addTracks();
      await pc.setLocalDescription();
      this.signal(pc.localDescription.toJSON());
    }
  };

  Peer.prototype.setState = function (text) {
    this.tileNode.querySelector(".call-peer-state").textContent = text ? " · " + text : "";
  };

  Peer.prototype.close = function () {
    this.pc.onicecandidate = this.pc.ontrack = this.pc.onnegotiationneeded = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
    this.tileNode.remove();
  };

  Room.Call = Call;
})(window.VirageRoom);
