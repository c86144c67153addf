import express from 'express';
import { loadConfig } from '../src/config';

/**
 * The physical limit the service is compared with (issue 7): the same express, the same body parser
 * with the same limit and media types, the same app settings, and no work at all: every hook call is
 * answered `{"cards":[]}`. Whatever the service spends above this is ours.
 */
const config = loadConfig(process.env);
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.set('query parser', 'simple');
app.get('/ready', (_req, res) => {
  res.json({ status: 'ready' });
});
app.use(express.json({ limit: config.bodyLimitBytes, type: ['application/json', 'application/*+json'], strict: true }));
app.post('/cds-services/:id', (_req, res) => {
  res.json({ cards: [] });
});
const server = app.listen(config.port, '127.0.0.1');
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
