// The page's one live connection: CE.live.subscribe(kind, id, onEvent) follows an aggregate
// (e.g. "order") from a seq, with no gap and no duplicate across reconnects; CE.live.on(name,
// fn) hears any other server event (notification, kpi, order.created, delivery.offer...);
// CE.live.onConnect(fn) runs after every (re)connection; CE.live.emit(name, data) sends a
// client event and resolves with its ack. Pages open no socket of their own.
(function () {
  "use strict";
  if (!window.CE || typeof io !== "function") return;

  const streams = new Map();      // "order:<id>" -> {kind, id, last, listeners}
  const listeners = new Map();    // event name -> [fn]
  const stateListeners = [];
  let socket = null;
  let refreshing = false;

  const key = (kind, id) => kind + ":" + id;
  const emit = (name, payload) => (listeners.get(name) || []).forEach((fn) => fn(payload));

  function ask(stream) {
    socket.emit("subscribe", { [stream.kind + "_id"]: stream.id, after_seq: stream.last }, (ack) => {
      if (ack && ack.ok && ack.more) ask(stream);  // a long history comes in several replays
      else if (ack && !ack.ok) stream.listeners.forEach((fn) => fn(null, ack));
    });
  }

  // Every `<kind>.updated` event: in seq order, once; a gap is filled by asking again.
  function onStreamEvent(payload) {
    if (!payload || !payload.aggregate) return;
    const stream = streams.get(key(payload.aggregate, payload.id));
    if (!stream || payload.seq <= stream.last) return;
    if (payload.seq > stream.last + 1) { ask(stream); return; }  // the replay brings this one too
    stream.last = payload.seq;
    stream.listeners.forEach((fn) => fn(payload));
  }

  function watchKind(kind) {
    const name = kind + ".updated";
    if (!listeners.has(name)) on(name, onStreamEvent);
  }

  function subscribe(kind, id, onEvent, afterSeq = 0) {
    const found = streams.get(key(kind, id));
    const stream = found || { kind, id: String(id), last: afterSeq, listeners: [] };
    stream.listeners.push(onEvent);
    streams.set(key(kind, id), stream);
    watchKind(kind);
    if (!found && socket && socket.connected) ask(stream);
    return function unsubscribe() {
      stream.listeners = stream.listeners.filter((fn) => fn !== onEvent);
      if (stream.listeners.length) return;
      streams.delete(key(kind, id));
      if (socket && socket.connected) socket.emit("unsubscribe", { [kind + "_id"]: stream.id });
    };
  }

  // Returns a function that stops `fn` hearing `name`.
  function on(name, fn) {
    if (!listeners.has(name)) {
      listeners.set(name, []);
      if (socket) socket.on(name, (payload) => emit(name, payload));
    }
    listeners.get(name).push(fn);
    return () => listeners.set(name, listeners.get(name).filter((other) => other !== fn));
  }

  // `fn` runs now if connected, then after every reconnection (and after the node's Redis came
  // back): the moment to reload what a page shows, as pushes may have been missed meanwhile.
  function onConnect(fn) {
    const off = on("live.connected", fn);
    if (socket && socket.connected) fn();
    return off;
  }

  // A client event (gps, offer.accept, availability...): resolves with the server's ack
  // {ok, error?, ...}; rejects when there is no connection or no answer within `timeoutMs`.
  function send(name, data, timeoutMs = 8000) {
    if (!socket || !socket.connected) return Promise.reject(new Error("offline"));
    return new Promise((resolve, reject) => socket.timeout(timeoutMs).emit(name, data, (late, ack) => {
      if (late) reject(new Error("no-answer"));
      else resolve(ack || { ok: false, error: "no-answer" });
    }));
  }

  function onState(fn) {
    stateListeners.push(fn);
    if (socket) fn(socket.connected);
  }

  const setState = (up) => stateListeners.forEach((fn) => fn(up));

  // A refusal is not retried by socket.io-client: refresh an expired token, then come back.
  async function refused(error) {
    setState(false);
    const code = error && error.message;
    if (code === "token-expired" && !refreshing) {
      refreshing = true;
      try { await CE.api("/me"); } catch (ignored) { /* signed out: stay away */ }
      refreshing = false;
      if (CE.tokens.access) socket.connect();
    } else if (error && error.data && error.data.retry) {
      // the node was too busy to admit us: come back after a jittered pause, as a reconnection would
      setTimeout(() => { if (!socket.connected && CE.tokens.access) socket.connect(); }, 1000 + Math.random() * 4000);
    }
    // other refusals (revoked, suspended) stay refused: the page's next API call says why
  }

  function start() {
    if (!CE.tokens.access) return;
    // opened once the document is parsed: an event the node sends on connecting (a staff member's
    // first `kpi`) would otherwise reach a page whose later scripts have not said they listen yet
    socket = io({ transports: ["websocket", "polling"], autoConnect: false,
      auth: (send) => send({ token: CE.tokens.access }) });
    listeners.forEach((fns, name) => socket.on(name, (payload) => emit(name, payload)));
    socket.on("connect", () => {
      setState(true);
      streams.forEach(ask);  // resume every stream from its last seq
      emit("live.connected", null);
    });
    // The node's link to Redis came back: room messages may have been lost, so resume as after
    // a reconnection (the server has replayed the streams; asking again costs nothing).
    socket.on("live.resumed", () => {
      streams.forEach(ask);
      emit("live.connected", null);
    });
    socket.on("disconnect", (reason) => {
      setState(false);
      // the server let us go (suspension, or a forced sign-out): try once, it says why if refused
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", refused);
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => socket.connect());
    else socket.connect();
  }

  CE.live = { subscribe, on, onConnect, onState, emit: send,
    get connected() { return !!(socket && socket.connected); }, get socket() { return socket; } };
  start();
})();
