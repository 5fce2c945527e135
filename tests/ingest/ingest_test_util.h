// Helpers for the ingest tests: a sink that keeps copies of what it is given, and a line
// holder that provides the padding the parsers need.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/parse.h"
#include "ingest/reader.h"

namespace vigil::testing_ingest {

// A RecordView with owned strings, plus the line it came from.
struct OwnedRecord {
  int64_t line = 0;
  TimeMs ts = 0, time = 0, end_ts = 0;
  bool has_end_ts = false;
  double duration_ms = -1;
  std::string txn, ret, sys, svc_sys, svc_ret, node, serial, org, msg;
  bool has_amount = false;
  double amount = 0;
  Phase phase = Phase::kEnd;
  bool has_mismatch_count = false, has_mismatch_amount = false;
  double mismatch_count = 0, mismatch_amount = 0;

  static OwnedRecord From(const RecordView& r, int64_t line) {
    OwnedRecord o;
    o.line = line;
    o.ts = r.ts, o.time = r.time, o.end_ts = r.end_ts, o.has_end_ts = r.has_end_ts;
    o.duration_ms = r.duration_ms;
    o.txn = r.txn, o.ret = r.ret, o.sys = r.sys, o.svc_sys = r.svc_sys, o.svc_ret = r.svc_ret;
    o.node = r.node, o.serial = r.serial, o.org = r.org, o.msg = r.msg;
    o.has_amount = r.has_amount, o.amount = r.amount, o.phase = r.phase;
    o.has_mismatch_count = r.has_mismatch_count, o.mismatch_count = r.mismatch_count;
    o.has_mismatch_amount = r.has_mismatch_amount, o.mismatch_amount = r.mismatch_amount;
    return o;
  }
};

struct OwnedReject {
  int64_t line = 0;
  RejectReason reason = RejectReason::kInvalidJson;
  std::string field, detail;
};

class CollectingSink : public RecordSink {
 public:
  void OnRecord(const RecordView& record, int64_t line) override {
    records.push_back(OwnedRecord::From(record, line));
  }
  void OnReject(const ParseError& error, int64_t line) override {
    rejects.push_back({line, error.reason, std::string(error.field), error.detail});
  }
  std::vector<int64_t> RecordLines() const {
    std::vector<int64_t> out;
    for (const auto& r : records) out.push_back(r.line);
    return out;
  }
  std::vector<OwnedRecord> records;
  std::vector<OwnedReject> rejects;
};

// Copies a line into storage followed by kParsePadding bytes of `pad` (digits by default, so
// that a parser reading past the line's end would notice).
class PaddedLine {
 public:
  std::string_view Set(std::string_view line, char pad = '9') {
    buf_.assign(line);
    buf_.append(kParsePadding, pad);
    return std::string_view(buf_.data(), line.size());
  }

 private:
  std::string buf_;
};

}  // namespace vigil::testing_ingest
