// A minimal Node.js broadcast server on the npm package `ws`, as its README's broadcast example:
// `POST /publish` sends its body as a text message to every open client of `GET /ws`.
// A reference peer for the fan-out benchmark (bench/src/bin/fanout.rs), not part of dieuhanh.
//
//     node server.js <port>
'use strict';
const http = require('http');
const { WebSocketServer, WebSocket } = require('ws');

const port = Number(process.argv[2]);
const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/publish') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const data = Buffer.concat(chunks);
      wss.clients.forEach((client) => {
        if (client.readyState === WebSocket.OPEN) client.send(data, { binary: false });
      });
      res.end('ok');
    });
    return;
  }
  res.end('ok');
});
const wss = new WebSocketServer({ server, path: '/ws' });
server.listen(port, '127.0.0.1');
