// Feeds a day of simulated records to a server on a fake clock, the way production sends
// them: records go in (JSON Lines over HTTP, ingest token) before the clock passes their
// minute, then the clock moves. The server rejects records more than max_future_skew (1 h in
// the simulated configuration) ahead of its clock, so the clock moves in steps of less.
import fs from 'node:fs';

const STEP_MS = 50 * 60_000;
const BATCH = 20_000;  // records per POST

// The engine's time of a record is its end: ts + dur_ms.
function eventTime(line) {
  const ts = /"ts":"([^"]+)"/.exec(line);
  const dur = /"dur_ms":(\d+)/.exec(line);
  return Date.parse(ts[1]) + (dur ? Number(dur[1]) : 0);
}

export class DayFeed {
  // dayFile: JSON Lines of one day; clockMs: the server's clock now (its --fake-clock).
  constructor(dayFile, clockMs) {
    const lines = fs.readFileSync(dayFile, 'utf8').split('\n').filter(Boolean);
    this.records = lines.map((line) => ({ t: eventTime(line), line })).sort((a, b) => a.t - b.t);
    this.next = 0;  // the first record not sent yet
    this.clockMs = clockMs;
    this.sent = 0;
    this.postMs = [];  // how long each POST took (the perf spec reports the ingest rate)
  }

  // Sends every record before `untilMs` and moves the server's clock to it.
  async feedTo(server, untilMs) {
    while (this.clockMs < untilMs) {
      const step = Math.min(untilMs, this.clockMs + STEP_MS);
      await this.#sendBefore(server, step);
      await server.setClock(step);
      this.clockMs = step;
    }
  }

  async #sendBefore(server, endMs) {
    while (this.next < this.records.length && this.records[this.next].t < endMs) {
      let end = this.next;
      while (end < this.records.length && end - this.next < BATCH && this.records[end].t < endMs) end++;
      const body = this.records.slice(this.next, end).map((r) => r.line).join('\n') + '\n';
      const began = performance.now();
      const answer = await server.postRecords(body);
      this.postMs.push(performance.now() - began);
      if (answer.rejected) throw new Error(`the server rejected records: ${JSON.stringify(answer).slice(0, 500)}`);
      this.sent += end - this.next;
      this.next = end;
    }
  }
}
