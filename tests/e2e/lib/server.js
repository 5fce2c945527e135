// Runs the real `vigil serve` as a child process on a loopback port of its choosing, with a
// test clock (--fake-clock: minutes pass only when the test says so) and the built console
// as its web root, and talks to it over HTTP (Node's fetch).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { VIGIL_BINARY, WEB_ROOT } from './env.js';

// Servers still running when this process ends (a failed test, CTest's timeout sending
// SIGTERM) are killed with it, so no `vigil serve` outlives its test.
const running = new Set();
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));
for (const sig of ['SIGTERM', 'SIGINT']) process.once(sig, () => process.exit(128 + (sig === 'SIGTERM' ? 15 : 2)));

export const INGEST_TOKEN = 'e2e-ingest-token';
export const API_TOKEN = 'e2e-api-token';

export class VigilServer {
  /**
   * dir: a fresh directory for the data, log and port file; config: vigil.yaml; clock: the
   * fake clock's start (RFC 3339 with offset); history: a `replay --write-history` folder.
   */
  constructor({ dir, config, clock, history, webRoot = WEB_ROOT, extraArgs = [] }) {
    Object.assign(this, { dir, config, clock, history, webRoot, extraArgs });
    this.logFile = path.join(dir, 'server.log');
    this.child = null;
    this.base = null;
  }

  // Starts the server and resolves once it listens (its port file appears).
  async start() {
    fs.mkdirSync(this.dir, { recursive: true });
    const portFile = path.join(this.dir, 'port');
    fs.rmSync(portFile, { force: true });
    const args = ['serve', '--config', this.config, '--listen', '127.0.0.1:0', '--port-file', portFile,
      '--data', path.join(this.dir, 'data'), '--ingest-token', INGEST_TOKEN, '--api-token', API_TOKEN,
      '--fake-clock', this.clock, '--no-fsync', ...this.extraArgs];
    if (this.webRoot) args.push('--web-root', this.webRoot);
    if (this.history) args.push('--history', this.history);
    const log = fs.openSync(this.logFile, 'a');
    this.child = spawn(VIGIL_BINARY, args, { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    running.add(this.child);
    this.child.once('exit', () => running.delete(this.child));
    const port = await this.#waitForPortFile(portFile);
    this.base = `http://127.0.0.1:${port}`;
    return this;
  }

  // The server renames its port file into place once it listens: wait for that (fs.watch),
  // or for the server to exit instead.
  #waitForPortFile(portFile) {
    return new Promise((resolve, reject) => {
      const done = (err, port) => {
        watcher.close();
        clearTimeout(timer);
        this.child.off('exit', onExit);
        if (err) reject(err);
        else resolve(port);
      };
      const check = () => {
        const text = fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').trim() : '';
        if (/^\d+$/.test(text)) done(null, Number(text));
      };
      const onExit = (code) => done(new Error(`vigil serve exited (${code}) at start; log:\n${this.log()}`));
      const watcher = fs.watch(this.dir, check);
      const timer = setTimeout(() => done(new Error(`vigil serve did not listen within 60 s; log:\n${this.log()}`)), 60_000);
      this.child.on('exit', onExit);
      check();
    });
  }

  log() {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
  }

  // SIGTERM and wait for the exit.
  async stop() {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  url(p = '/') {
    return this.base + p;
  }

  async request(method, p, { body, token, type = 'application/json', okStatus = [200] } = {}) {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = type;
    const res = await fetch(this.url(p), {
      method, headers,
      body: body === undefined || typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (!okStatus.includes(res.status)) throw new Error(`${method} ${p}: ${res.status} ${text}`);
    return { status: res.status, text, json: () => JSON.parse(text) };
  }

  async get(p) {
    return (await this.request('GET', p)).json();
  }

  // Posts JSON Lines with the ingest token; the answer comes once they are applied.
  async postRecords(lines) {
    const r = await this.request('POST', '/api/v1/records',
      { body: lines, token: INGEST_TOKEN, type: 'application/x-ndjson' });
    return r.json();
  }

  // Sets the test clock; answers after the engine evaluated and alerting ran.
  async setClock(ms) {
    return (await this.request('POST', '/api/v1/admin/clock', { body: { now_ms: ms }, token: API_TOKEN })).json();
  }

  async advanceClock(ms) {
    return (await this.request('POST', '/api/v1/admin/clock', { body: { advance_ms: ms }, token: API_TOKEN })).json();
  }

  // An API write with the API token (silences, acknowledgements).
  async write(method, p, body) {
    return (await this.request(method, p, { body, token: API_TOKEN, okStatus: [200, 201, 204] }));
  }
}
