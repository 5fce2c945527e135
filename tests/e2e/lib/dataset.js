// A simulated bank for the tests: `vigil simulate` writes several workdays of records with
// faults on the last one (docs/simulator.md); the days before the last become the stored
// history (`vigil replay --write-history`, the baselines), the last day is what the test
// feeds to the server over HTTP as its fake clock moves (lib/feed.js).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

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

// Splits the simulation's records (local times, one offset) at `liveFrom` ("YYYY-MM-DDTHH:MM:SS"):
// the whole days before liveFrom's day go to `historyFile`, records from liveFrom on to
// `liveFile`; those in between (liveFrom's day before liveFrom) are left out. Every line starts
// with its time ({"ts":"2026-11-20T09:30:00.123+08:00",...), so the time is read in place, in
// chunks, without a string per line (days of 5,000 codes are millions of lines).
function split(traffic, liveFrom, historyFile, liveFile) {
  const input = fs.openSync(traffic, 'r');
  const history = fs.openSync(historyFile, 'w');
  const live = fs.openSync(liveFile, 'w');
  const historyEnd = Buffer.from(liveFrom.slice(0, 10));
  const liveStart = Buffer.from(liveFrom.slice(0, 19));
  const TS = 7;  // after {"ts":"
  let chunk = Buffer.alloc(64 << 20);
  let carry = 0;  // bytes of an unfinished line at the start of chunk
  for (;;) {
    const n = fs.readSync(input, chunk, carry, chunk.length - carry, null);
    const end = carry + n;
    let at = 0;
    // Consecutive lines bound for the same file are written at once (the records are in time
    // order, so these runs are long).
    let runStart = 0;
    let runOut = -1;
    const flush = (upTo) => {
      if (runOut >= 0 && upTo > runStart) fs.writeSync(runOut, chunk, runStart, upTo - runStart);
    };
    for (;;) {
      const nl = chunk.indexOf(10, at);
      if (nl < 0 || nl >= end) break;
      if (chunk.toString('latin1', at, at + TS) !== '{"ts":"') throw new Error(`${traffic}: a line does not start with its ts`);
      const ts = chunk.subarray(at + TS, at + TS + 19);
      const out = Buffer.compare(ts, liveStart) >= 0 ? live
        : Buffer.compare(ts.subarray(0, 10), historyEnd) < 0 ? history : -1;
      if (out !== runOut) {
        flush(at);
        runStart = at;
        runOut = out;
      }
      at = nl + 1;
    }
    flush(at);
    if (n === 0) break;
    carry = end - at;
    if (carry === chunk.length) chunk = Buffer.concat([chunk, Buffer.alloc(chunk.length)]);
    chunk.copy(chunk, 0, at, end);
  }
  [input, history, live].forEach((fd) => fs.closeSync(fd));
}

/**
 * Makes the bank in `dir`. Options: codes, records (over all days), days, start (a Monday),
 * seed, faults (simulate's --faults), liveFrom (local "YYYY-MM-DDTHH:MM:SS"; default the
 * start of the last day): where the stored history ends and the records fed live begin.
 * Resolves to {dir, config, history, liveFile, liveFrom, day, manifest: [fault...]}, `day`
 * being the last day (YYYY-MM-DD, the faults' day).
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
  const liveFrom = o.liveFrom ?? `${day}T00:00:00`;
  const historyRecords = path.join(dir, 'history.jsonl');
  const liveFile = path.join(dir, 'live.jsonl');
  split(traffic, liveFrom, historyRecords, liveFile);
  fs.rmSync(traffic);
  const history = path.join(dir, 'history');
  fs.mkdirSync(history, { recursive: true });
  await vigil(['replay', '--quiet', '--config', config, '--write-history', history, historyRecords],
    { keepStdout: false });
  fs.rmSync(historyRecords);
  const manifest = fs.readFileSync(manifestFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return { dir, config, history, liveFile, liveFrom, day, manifest };
}
