// A simulated bank for the tests: `vigil simulate` writes several workdays of records with
// faults on the last one (docs/simulator.md); the days before the last become the stored
// history (`vigil replay --write-history`, the baselines), the last day is what the test
// feeds to the server over HTTP as its fake clock moves (lib/feed.js).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

import { VIGIL_BINARY } from './env.js';

// Runs `vigil <args>`; resolves to {stdout, stderr} (stdout not kept with keepStdout false),
// rejects with its stderr when it fails.
export function vigil(args, { keepStdout = true } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(VIGIL_BINARY, args, { stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`vigil ${args.join(' ')} exited with ${code}:\n${stderr}`));
    });
  });
}

function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// Copies the records of `lastDay` to `dayFile` and the others to `historyFile`.
async function splitLastDay(traffic, lastDay, historyFile, dayFile) {
  const history = fs.createWriteStream(historyFile);
  const day = fs.createWriteStream(dayFile);
  const marker = `"ts":"${lastDay}T`;
  const lines = readline.createInterface({ input: fs.createReadStream(traffic), crlfDelay: Infinity });
  for await (const line of lines) {
    const out = line.includes(marker) ? day : history;
    if (!out.write(line + '\n')) await new Promise((r) => out.once('drain', r));
  }
  await Promise.all([history, day].map((s) => new Promise((r) => s.end(r))));
}

/**
 * Makes the bank in `dir`. Options: codes, records (over all days), days, start (a Monday),
 * seed, faults (simulate's --faults). Resolves to
 *   {dir, config, history, dayFile, day, manifest: [fault...], faultsOf(kind)}
 * where `day` is the last day (YYYY-MM-DD, the faults' day) and `dayFile` its records.
 */
export async function makeBank(dir, options = {}) {
  const o = { codes: 300, records: 500_000, days: 5, start: '2026-11-16', seed: 7, faults: 'none', ...options };
  fs.mkdirSync(dir, { recursive: true });
  const traffic = path.join(dir, 'traffic.jsonl');
  const config = path.join(dir, 'vigil.yaml');
  const manifestFile = path.join(dir, 'faults.jsonl');
  await vigil(['simulate', '--out', traffic, '--config-out', config, '--manifest-out', manifestFile,
    '--start', o.start, '--days', String(o.days), '--codes', String(o.codes),
    '--records', String(o.records), '--seed', String(o.seed), '--faults', o.faults]);
  const day = addDays(o.start, o.days - 1);
  const historyRecords = path.join(dir, 'history.jsonl');
  const dayFile = path.join(dir, `${day}.jsonl`);
  await splitLastDay(traffic, day, historyRecords, dayFile);
  fs.rmSync(traffic);
  const history = path.join(dir, 'history');
  fs.mkdirSync(history, { recursive: true });
  await vigil(['replay', '--quiet', '--config', config, '--write-history', history, historyRecords],
    { keepStdout: false });
  fs.rmSync(historyRecords);
  const manifest = fs.readFileSync(manifestFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return { dir, config, history, dayFile, day, manifest };
}
