// One transaction record (the contract's section 1) as the parsers hand it to the engine.
//
// A `RecordView` borrows its strings: they point into the parser's buffers and stay valid
// only until the next record is parsed. Consumers copy what they keep. An optional string
// field that is absent (or JSON null, or an empty CSV cell) is an empty view.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/time_util.h"

namespace vigil {

enum class Phase : uint8_t { kEnd, kStart };

struct RecordView {
  TimeMs ts = 0;          // transaction start time (required)
  TimeMs time = 0;        // event time: end_ts, else ts + floor(dur_ms), else ts (start: ts)
  // Duration in ms: dur_ms (fraction kept, so 600.5 is above a 600 ms timeout), else
  // end_ts - ts; negative means unknown.
  double duration_ms = -1;
  bool has_end_ts = false;
  TimeMs end_ts = 0;
  std::string_view txn, ret;                    // required
  std::string_view sys, svc_sys, svc_ret, node;  // optional
  std::string_view serial, org, msg;            // optional
  bool has_amount = false;
  double amount = 0;
  Phase phase = Phase::kEnd;
  bool has_mismatch_count = false;
  double mismatch_count = 0;
  bool has_mismatch_amount = false;
  double mismatch_amount = 0;
};

// Why a line was rejected. The names (RejectReasonName) appear in summaries and metrics.
enum class RejectReason : uint8_t {
  kInvalidJson,     // "invalid_json": not valid JSON
  kInvalidCsv,      // "invalid_csv": bad quoting, wrong number of cells
  kInvalidUtf8,     // "invalid_utf8"
  kNotObject,       // "not_object": valid JSON but not an object
  kMissingField,    // "missing_field": ts, txn or ret absent (or null)
  kWrongType,       // "wrong_type": e.g. a number sent as a string
  kBadTime,         // "bad_time": unparseable ts / end_ts
  kNoOffset,        // "time_without_offset"
  kBadTxn,          // "bad_txn": txn outside 1-32 characters
  kNegativeDuration,// "negative_duration": dur_ms < 0, or end_ts before ts
  kBadPhase,        // "bad_phase": phase other than start / end
  kFutureTime,      // "future_time": beyond max_future_skew (decided by the engine)
  kLineTooLong,     // "line_too_long": longer than the reader's limit
};
inline constexpr int kRejectReasonCount = 13;
const char* RejectReasonName(RejectReason r);

// What was wrong with one line: the reason, the field concerned (may be empty), and a short
// human explanation ("expected a string, got number").
struct ParseError {
  RejectReason reason = RejectReason::kInvalidJson;
  std::string_view field;  // static storage: a field name literal
  std::string detail;
};

}  // namespace vigil
