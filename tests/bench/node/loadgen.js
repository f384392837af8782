'use strict';
// Socket.IO load generator: opens N websocket sockets to one server (or, when the plan gives
// sockets a url, to several nodes) and runs one workload.
// Talks to its runner by JSON lines: {"mark": ...} on stdout waits for one line on stdin
// (the runner samples the server's /proc meanwhile); {"result": ...} is the last line.
const { io } = require('socket.io-client');
const { performance } = require('node:perf_hooks');
const readline = require('node:readline');
const fs = require('node:fs');

const DEFAULTS = {
  url: 'http://127.0.0.1:8080', path: '/socket.io/', workload: 'idle', sockets: 1000,
  counts: '', plan: '', deflate: false, seconds: 30, warmup: 5, interval_ms: 2000,
  drain_s: 15, connect_concurrency: 50, connect_timeout_s: 150, max_s: 290,
  subscribe_event: 'subscribe', gps_event: 'gps', recv_event: 'gps', event_name: 'event',
  publish_event: 'publish', publishers: 4, event_interval_ms: 5000, steady_s: 5,
  storm_timeout_s: 90, after_s: 3, courier_subscribes: false, external_gps: false,
  gps_format: 'plain',
};

function parseArgs(argv) {
  const opts = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '').replace(/-/g, '_');
    if (!(key in DEFAULTS)) throw new Error(`unknown option --${key}`);
    if (typeof DEFAULTS[key] === 'boolean') { opts[key] = true; continue; }
    const raw = argv[++i];
    opts[key] = typeof DEFAULTS[key] === 'number' ? Number(raw) : raw;
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const now = () => performance.timeOrigin + performance.now(); // wall clock, sub-ms
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
const log = (msg) => process.stderr.write(`[loadgen] ${msg}\n`);

// Whatever happens, the process ends within max_s.
setTimeout(() => { out({ error: `gave up after ${opts.max_s}s` }); process.exit(3); },
  opts.max_s * 1000).unref();

const replies = [];
const waiters = [];
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const waiter = waiters.shift();
  if (waiter) waiter(line); else replies.push(line);
});

async function mark(name, extra = {}) {
  out({ mark: name, at: now(), ...extra });
  const line = replies.length ? replies.shift() : await new Promise((r) => waiters.push(r));
  return line.trim() && line.trim() !== 'ok' ? JSON.parse(line) : {};
}

// The plan says who each socket is: {token, role, order_id}, and optionally which node it
// opens to ({url}, else --url). Without a plan, sockets pair up:
// socket 2i is the customer of order i, socket 2i+1 its courier.
function loadPlan(count) {
  if (opts.plan) return JSON.parse(fs.readFileSync(opts.plan, 'utf8')).sockets.slice(0, count);
  return Array.from({ length: count }, (_, i) => ({
    token: null, role: i % 2 ? 'courier' : 'customer', order_id: `bench-${i >> 1}`,
  }));
}

function socketFor(spec, reconnection) {
  return io(spec.url || opts.url, {
    path: opts.path, transports: ['websocket'], forceNew: true, reconnection,
    timeout: 20000, autoConnect: false,
    // browsers offer permessage-deflate; Node's `ws` does too unless told not to
    perMessageDeflate: opts.deflate ? { threshold: 1024 } : false,
    auth: spec.token ? { token: spec.token } : {},
  });
}

// A server may never answer a namespace CONNECT (a handler that raised): give up after 30 s.
function connectOne(spec, reconnection) {
  const socket = socketFor(spec, reconnection);
  return new Promise((resolve) => {
    let timer = null;
    const done = (ok, why) => {
      clearTimeout(timer); socket.off('connect'); socket.off('connect_error'); resolve({ socket, ok, why });
    };
    timer = setTimeout(() => done(false, 'no CONNECT answer within 30 s'), 30000);
    socket.once('connect', () => done(true));
    socket.once('connect_error', (err) => { if (!reconnection) done(false, String(err.message)); });
    socket.connect();
  });
}

// Open sockets for specs[from..to) with at most connect_concurrency handshakes in flight.
async function connectRange(specs, sockets, from, to, reconnection, failures) {
  const deadline = Date.now() + opts.connect_timeout_s * 1000;
  let next = from;
  const worker = async () => {
    while (next < to && Date.now() < deadline) {
      const i = next++;
      const { socket, ok, why } = await connectOne(specs[i], reconnection);
      sockets[i] = socket;
      if (!ok) { failures.push(why); socket.close(); sockets[i] = null; }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.connect_concurrency, to - from) }, worker));
  return sockets.slice(from, to).filter(Boolean).length;
}

function subscribe(socket, orderId, afterSeq) {
  return new Promise((resolve) => {
    socket.timeout(30000).emit(opts.subscribe_event, { order_id: orderId, after_seq: afterSeq },
      (err, reply) => resolve(err ? null : (reply || {})));
  });
}

// What a customer got: the fix itself (peer), a live payload wrapping it (our driver), or
// our node's courier location {data: {order_id, at: the fix's ts, ...}}.
function fixOf(msg) {
  const data = msg && msg.data;
  if (data && typeof data === 'object') {
    if ('t' in data) return data;
    if (typeof data.at === 'string') { const t = Date.parse(data.at); return { t, n: t, courier: 0 }; }
  }
  return msg || {};
}

// A courier's fix: the peer relays anything; our node checks {lat, lng, ts (Unix ms), ...}.
function fixFor(spec, c, n, t) {
  const lat = (spec.lat !== undefined ? spec.lat : 48.8566 + (c % 100) * 1e-4) + n * 1e-5;
  const lng = spec.lng !== undefined ? spec.lng : 2.3522;
  if (opts.gps_format === 'cesi') return { lat, lng, ts: Math.round(t), heading: 0, speed: 1.5, accuracy: 8 };
  return { order_id: spec.order_id, courier: c, n, t, lat, lng, heading: 90, speed: 4.2, accuracy: 8 };
}

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const toS = (ms) => Math.round(ms) / 1000;

function closeAll(sockets) { for (const s of sockets) if (s) s.close(); }

async function idle() {
  const counts = (opts.counts || String(opts.sockets)).split(',').map(Number).sort((a, b) => a - b);
  const specs = loadPlan(counts[counts.length - 1]);
  const sockets = new Array(specs.length).fill(null);
  const failures = [];
  await mark('baseline');
  let from = 0;
  const reached = [];
  for (const count of counts) {
    const started = Date.now();
    const open = await connectRange(specs, sockets, from, count, false, failures);
    from = count;
    const connected = sockets.filter((s) => s && s.connected).length;
    reached.push({ count, connected, connect_s: (Date.now() - started) / 1000 });
    await mark('reached', { count, connected, opened_now: open });
  }
  closeAll(sockets);
  return { reached, connect_failures: failures.length, first_failure: failures[0] || null };
}

async function fanout() {
  const specs = loadPlan(opts.sockets);
  const sockets = new Array(specs.length).fill(null);
  const failures = [];
  await connectRange(specs, sockets, 0, specs.length, false, failures);
  const couriers = [];
  const customers = [];
  specs.forEach((spec, i) => { if (sockets[i]) (spec.role === 'courier' ? couriers : customers).push(i); });
  const maxSamples = Math.ceil(couriers.length * (opts.seconds * 1000 / opts.interval_ms + 2));
  const latencies = new Float64Array(Math.min(maxSamples, 20e6));
  let samples = 0;
  let windowStart = Infinity;
  let windowEnd = Infinity;
  let receivedTotal = 0;
  let receivedInWindow = 0;
  let disorder = 0;
  const lastN = new Map();
  const nodes = perNode(specs, sockets);
  for (const i of customers) {
    const orderId = specs[i].order_id;
    const node = nodes.of[i];
    sockets[i].on(opts.recv_event, (msg) => {
      const arrived = now();
      receivedTotal++;
      if (arrived >= windowStart && arrived < windowEnd) { receivedInWindow++; node.received_in_window++; }
      const fix = fixOf(msg);
      const t = fix.t;
      if (t >= windowStart && t < windowEnd && samples < latencies.length) latencies[samples++] = arrived - t;
      const key = `${orderId}|${fix.courier}`;
      if (fix.n <= (lastN.get(key) || 0)) disorder++;
      lastN.set(key, fix.n);
    });
  }
  const subs = opts.external_gps ? []  // fixes go to the customer's own room: nothing to join
    : await Promise.all(customers.map((i) => subscribe(sockets[i], specs[i].order_id, specs[i].after_seq || 0)));
  if (opts.courier_subscribes) await Promise.all(couriers.map((i) => subscribe(sockets[i], specs[i].order_id, 0)));
  const subscribeFailures = subs.filter((r) => r === null || r.ok === false).length;
  await mark('ready', { couriers: couriers.length, customers: customers.length });

  // One ticker sends every courier's fix on its own phase of the interval.
  let sent = 0;
  let sentInWindow = 0;
  const counters = new Uint32Array(couriers.length);
  const dueAt = couriers.map((_, c) => now() + (c * opts.interval_ms) / couriers.length);
  let sending = true;
  const tick = () => {
    if (!sending) return;
    const t0 = now();
    for (let c = 0; c < couriers.length; c++) {
      if (dueAt[c] > t0) continue;
      dueAt[c] += opts.interval_ms;
      const t = now();
      sockets[couriers[c]].emit(opts.gps_event, fixFor(specs[couriers[c]], c, ++counters[c], t));
      sent++;
      if (t >= windowStart && t < windowEnd) { sentInWindow++; nodes.of[couriers[c]].sent_in_window++; }
    }
    setTimeout(tick, 5);
  };
  // With external_gps the fixes come from a publisher the runner started at `ready`;
  // the runner stops it at `end` and replies with how many it sent.
  if (!opts.external_gps) tick();
  await sleep(opts.warmup * 1000);
  const cpu0 = process.cpuUsage();
  windowStart = now();
  await mark('start');
  await sleep(opts.seconds * 1000);
  windowEnd = now();
  const cpu1 = process.cpuUsage(cpu0);
  const ended = await mark('end');
  sending = false;
  if (opts.external_gps) { sent = ended.sent || 0; sentInWindow = ended.sent_in_window || 0; }
  const drainDeadline = Date.now() + opts.drain_s * 1000;
  while (receivedTotal < sent && Date.now() < drainDeadline) await sleep(50);
  const seconds = (windowEnd - windowStart) / 1000;
  const sorted = Array.from(latencies.subarray(0, samples)).sort((a, b) => a - b);
  closeAll(sockets);
  return {
    couriers: couriers.length, customers: customers.length,
    connect_failures: failures.length, first_failure: failures[0] || null,
    subscribe_failures: subscribeFailures, window_s: seconds,
    sent, received: receivedTotal, lost: sent - receivedTotal, sent_in_window: sentInWindow,
    out_of_order: disorder, deliveries_per_s: receivedInWindow / seconds,
    latency_ms: {
      p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99),
      max: sorted.length ? sorted[sorted.length - 1] : null, samples,
    },
    loadgen_cpu_pct: (100 * (cpu1.user + cpu1.system)) / 1e6 / seconds,
    ...(nodes.byUrl ? { by_url: nodes.byUrl } : {}),
  };
}

// Counters per node for plans that spread sockets over several ({url} per socket): the
// couriers and customers each node holds, the fixes its couriers sent and its customers got
// in the window. `of[i]` is socket i's counters; byUrl is null for a single server.
function perNode(specs, sockets) {
  const spread = specs.some((spec) => spec.url);
  const byUrl = {};
  const of = specs.map((spec, i) => {
    const url = spec.url || opts.url;
    const node = byUrl[url] || (byUrl[url] = { couriers: 0, customers: 0, sent_in_window: 0, received_in_window: 0 });
    if (sockets[i]) node[spec.role === 'courier' ? 'couriers' : 'customers']++;
    return node;
  });
  return { of, byUrl: spread ? byUrl : null };
}

async function storm() {
  // every socket is a customer of its own order (a plan may list couriers too: skipped)
  const specs = (opts.plan ? loadPlan(Infinity) : loadPlan(2 * opts.sockets))
    .filter((s) => s.role !== 'courier').slice(0, opts.sockets);
  const sockets = new Array(specs.length).fill(null);
  const failures = [];
  const got = specs.map(() => new Set());
  const lastSeq = new Int32Array(specs.length);
  const take = (i, ev) => {
    if (!ev || typeof ev.seq !== 'number') return;
    got[i].add(ev.seq);
    if (ev.seq > lastSeq[i]) lastSeq[i] = ev.seq;
  };
  await connectRange(specs, sockets, 0, specs.length, true, failures);
  const live = specs.map((_, i) => i).filter((i) => sockets[i]);
  let dropAt = Infinity;
  const resumedAt = new Float64Array(specs.length);
  for (const i of live) {
    const socket = sockets[i];
    socket.on(opts.event_name, (ev) => take(i, ev));
    // a node too busy to admit a socket refuses it with data.retry: come back as browsers do
    socket.on('connect_error', (err) => {
      if (err && err.data && err.data.retry) setTimeout(() => socket.connect(), 1000 + Math.random() * 4000);
    });
    socket.on('connect', async () => {  // a reconnection: resume after the last seq seen
      const reply = await subscribe(socket, specs[i].order_id, lastSeq[i]);
      if (reply && reply.ok !== false) {
        for (const ev of reply.events || []) take(i, ev);
        if (now() > dropAt && !resumedAt[i]) resumedAt[i] = now();
      }
    });
  }
  const subs = await Promise.all(live.map(async (i) => {
    lastSeq[i] = specs[i].after_seq || 0;
    const reply = await subscribe(sockets[i], specs[i].order_id, lastSeq[i]);
    for (const ev of (reply && reply.events) || []) take(i, ev);
    return reply;
  }));
  const subscribeFailures = subs.filter((r) => r === null || r.ok === false).length;

  // Publishers stay up through the storm; each order gets an event every event_interval_ms.
  const maxSeq = new Map();
  let published = 0;
  let publishing = true;
  let inflight = 0;
  const pubSpecs = Array.from({ length: opts.publishers }, () => ({ token: null }));
  const pubs = [];
  if (opts.publishers > 0) await connectRange(pubSpecs, pubs, 0, pubSpecs.length, true, failures);
  const dueAt = live.map((_, k) => now() + (k * opts.event_interval_ms) / live.length);
  const tick = () => {
    if (!publishing || !pubs.length) return;
    const t0 = now();
    for (let k = 0; k < live.length; k++) {
      if (dueAt[k] > t0) continue;
      dueAt[k] += opts.event_interval_ms;
      const orderId = specs[live[k]].order_id;
      inflight++;
      pubs[k % pubs.length].timeout(30000).emit(opts.publish_event, { order_id: orderId, t: now() }, (err, reply) => {
        inflight--;
        if (err || !reply) return;
        published++;
        if (reply.seq > (maxSeq.get(orderId) || 0)) maxSeq.set(orderId, reply.seq);
      });
    }
    setTimeout(tick, 5);
  };
  tick();
  await mark('ready', { sockets: live.length, publishers: pubs.length });
  await sleep(opts.steady_s * 1000);
  await mark('drop');
  dropAt = now();
  for (const i of live) sockets[i].io.engine.close();
  const target = Math.ceil(0.99 * live.length);
  const stormDeadline = Date.now() + opts.storm_timeout_s * 1000;
  let resumed = 0;
  while (Date.now() < stormDeadline) {
    resumed = live.reduce((n, i) => n + (resumedAt[i] ? 1 : 0), 0);
    if (resumed >= live.length) break;
    await sleep(50);
  }
  const times = live.map((i) => resumedAt[i]).filter(Boolean).map((t) => t - dropAt).sort((a, b) => a - b);
  await mark('resumed', { resumed });
  await sleep(opts.after_s * 1000);
  publishing = false;
  const ackDeadline = Date.now() + 15000;
  while (inflight > 0 && Date.now() < ackDeadline) await sleep(50);
  // Runners that publish from outside hand over the last seq of each order here.
  const external = await mark('published');
  const finalSeq = external.seqs ? new Map(Object.entries(external.seqs)) : maxSeq;
  // events after the plan's after_seq (older ones belong to earlier runs) up to the last one
  const missing = () => live.reduce((n, i) => {
    const base = specs[i].after_seq || 0;
    const last = Math.max(Number(finalSeq.get(specs[i].order_id) || 0), base);
    let have = 0;
    for (const s of got[i]) if (s > base && s <= last) have++;
    return n + (last - base - have);
  }, 0);
  const drainDeadline = Date.now() + opts.drain_s * 1000;
  while (missing() > 0 && Date.now() < drainDeadline) await sleep(100);
  const lost = missing();
  await mark('end');
  closeAll(sockets);
  closeAll(pubs);
  return {
    sockets: live.length, connect_failures: failures.length, subscribe_failures: subscribeFailures,
    reconnection_delay_ms: [1000, 5000, 0.5], // socket.io-client defaults, as in browsers
    resumed, resumed_99_s: times.length >= target ? toS(times[target - 1]) : null,
    resumed_all_s: times.length === live.length ? toS(times[times.length - 1]) : null,
    resumed_p50_s: times.length ? toS(percentile(times, 50)) : null,
    events_published: external.seqs ? external.published : published,
    events_lost: lost,
  };
}

const WORKLOADS = { idle, fanout, storm };

(async () => {
  if (!WORKLOADS[opts.workload]) throw new Error(`unknown workload ${opts.workload}`);
  const started = Date.now();
  const result = await WORKLOADS[opts.workload]();
  out({ result: { workload: opts.workload, deflate: opts.deflate, elapsed_s: (Date.now() - started) / 1000, ...result } });
  process.exit(0);
})().catch((err) => { out({ error: String(err && err.stack || err) }); process.exit(2); });
