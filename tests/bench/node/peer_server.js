'use strict';
// The peer: a plain Node socket.io 4.8 server with the same live protocol as ours.
// Rooms per order; `subscribe {order_id, after_seq}` joins and replays what came after;
// `gps` is relayed to the order's room; `publish` appends a sequenced event and pushes it.
const http = require('node:http');
const { Server } = require('socket.io');

const port = Number(process.argv[process.argv.indexOf('--port') + 1] || 8090);
const HISTORY = 200; // events kept per order for resuming
const orders = new Map();

const httpServer = http.createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"status":"ok"}');
    return;
  }
  res.writeHead(404).end();
});
const ioServer = new Server(httpServer, { serveClient: false });

function history(orderId) {
  let entry = orders.get(orderId);
  if (!entry) { entry = { seq: 0, events: [] }; orders.set(orderId, entry); }
  return entry;
}

ioServer.on('connection', (socket) => {
  const auth = socket.handshake.auth || {};
  socket.join(`user:${auth.token || socket.id}`);
  socket.on('subscribe', (data, ack) => {
    if (!data || typeof data.order_id !== 'string') return ack && ack({ ok: false });
    socket.join(`order:${data.order_id}`);
    const after = Number(data.after_seq) || 0;
    const events = history(data.order_id).events.filter((ev) => ev.seq > after);
    if (ack) ack({ ok: true, events });
  });
  socket.on('gps', (data) => {
    if (data && typeof data.order_id === 'string') socket.to(`order:${data.order_id}`).emit('gps', data);
  });
  socket.on('publish', (data, ack) => {
    if (!data || typeof data.order_id !== 'string') return ack && ack({ ok: false });
    const entry = history(data.order_id);
    const ev = { order_id: data.order_id, seq: ++entry.seq, type: 'bench', data: { t: data.t } };
    entry.events.push(ev);
    if (entry.events.length > HISTORY) entry.events.shift();
    ioServer.to(`order:${data.order_id}`).emit('event', ev);
    if (ack) ack({ ok: true, seq: ev.seq });
  });
});

httpServer.listen(port, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', port })));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => { ioServer.close(); httpServer.close(); process.exit(0); });
}
