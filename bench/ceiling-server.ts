import fs from 'node:fs';
import express from 'express';
import { loadConfig } from '../src/config';
import { benchApp } from './bench-app';

/**
 * The physical limit the service is compared with: the same express, the same body parser
 * with the same limit and media types, the same app settings, and no work at all: every hook call is
 * answered `{"cards":[]}`. Whatever the service spends above this is ours.
 */
const config = loadConfig(process.env);
const app = benchApp();
app.use(express.json({ limit: config.bodyLimitBytes, type: ['application/json', 'application/*+json'], strict: true }));
// CEILING_ANSWER_FILE: answer with these bytes instead (the service's own answer to the bench call), to
// tell the cost of the rules from the cost of writing a large answer. Read once, at start-up.
const answer: unknown = process.env['CEILING_ANSWER_FILE'] === undefined ? { cards: [] } : JSON.parse(fs.readFileSync(process.env['CEILING_ANSWER_FILE'], 'utf8'));
app.post('/cds-services/:id', (_req, res) => {
  res.json(answer);
});
const server = app.listen(config.port, '127.0.0.1');
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
