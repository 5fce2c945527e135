// Feeds simulated records to a server on a fake clock, the way production sends them: records
// go in (JSON Lines over HTTP, ingest token) before the clock passes their minute, then the
// clock moves. The server rejects records more than max_future_skew (1 h in the simulated
// configuration) ahead of its clock, so the clock moves in steps of less.
//
// The file is held as one buffer with an index of its lines sorted by event time, so that a
// day of 5,000 codes (millions of records) fits without a string per record.
import fs from 'node:fs';

const STEP_MS = 50 * 60_000;
const BATCH = 20_000;  // records per POST

export class RecordFeed {
  // file: JSON Lines; clockMs: the server's clock now (its --fake-clock).
  constructor(file, clockMs) {
    this.buf = fs.readFileSync(file);
    const starts = [];
    for (let at = 0; at < this.buf.length;) {
      const nl = this.buf.indexOf(10, at);
      const end = nl < 0 ? this.buf.length : nl;
      if (end > at) starts.push(at);
      at = end + 1;
    }
    this.count = starts.length;
    this.start = Uint32Array.from(starts);
    this.time = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) this.time[i] = this.#eventTime(i);
    this.order = Uint32Array.from({ length: this.count }, (_, i) => i)
      .sort((a, b) => this.time[a] - this.time[b]);
    this.next = 0;  // position in `order` of the first record not sent
    this.clockMs = clockMs;
    this.sent = 0;
    this.postMs = [];  // how long each POST took
  }

  #lineEnd(i) {
    return i + 1 < this.count ? this.start[i + 1] - 1 : this.buf.length;
  }

  // The engine's time of a record is its end: ts + dur_ms. The simulator writes ts first, as
  // {"ts":"2026-11-20T09:30:12.345+08:00", read in place; other shapes go through a string.
  #eventTime(i) {
    const b = this.buf;
    const s = this.start[i];
    const end = this.#lineEnd(i);
    const num = (at, n) => {
      let v = 0;
      for (let k = 0; k < n; k++) v = v * 10 + (b[at + k] - 48);
      return v;
    };
    let ts;
    if (b[s + 1] === 34 && b[s + 2] === 116 && b[s + 17] === 84 && b[s + 26] === 46 && b[s + 36] === 34) {
      const sign = b[s + 30] === 45 ? -1 : 1;
      const offsetMin = sign * (num(s + 31, 2) * 60 + num(s + 34, 2));
      ts = Date.UTC(num(s + 7, 4), num(s + 12, 2) - 1, num(s + 15, 2), num(s + 18, 2), num(s + 21, 2),
        num(s + 24, 2), num(s + 27, 3)) - offsetMin * 60_000;
    } else {
      ts = Date.parse(/"ts":"([^"]+)"/.exec(b.toString('latin1', s, end))[1]);
    }
    const at = b.indexOf('"dur_ms":', s);
    if (at < 0 || at >= end) return ts;
    let dur = 0;
    for (let k = at + 9; k < end && b[k] >= 48 && b[k] <= 57; k++) dur = dur * 10 + (b[k] - 48);
    return ts + dur;
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
    while (this.next < this.count && this.time[this.order[this.next]] < endMs) {
      const parts = [];
      let n = 0;
      for (; this.next < this.count && n < BATCH; this.next++, n++) {
        const i = this.order[this.next];
        if (this.time[i] >= endMs) break;
        parts.push(this.buf.subarray(this.start[i], this.#lineEnd(i)), NEWLINE);
      }
      const began = performance.now();
      const answer = await server.postRecords(Buffer.concat(parts));
      this.postMs.push(performance.now() - began);
      if (answer.rejected) throw new Error(`the server rejected records: ${JSON.stringify(answer).slice(0, 500)}`);
      this.sent += n;
    }
  }
}

const NEWLINE = Buffer.from('\n');
