// Internal to src/ingest: what the JSON and CSV parsers share — the field table, the checks
// that do not depend on the input format, and the rejection helper.
#pragma once

#include <cstdint>
#include <string_view>

#include "ingest/parse.h"
#include "ingest/record.h"

namespace vigil::ingest_internal {

// The record's fields (contract section 1). Values index kFieldNames and the `seen` bit set.
enum class Field : int8_t {
  kUnknown = -1,
  kTs,
  kTxn,
  kRet,
  kDurMs,
  kEndTs,
  kSys,
  kSvcSys,
  kSvcRet,
  kNode,
  kSerial,
  kOrg,
  kAmount,
  kMsg,
  kPhase,
  kMismatchCount,
  kMismatchAmount,
};
inline constexpr int kFieldCount = 16;

// How a field's value is interpreted.
enum class FieldKind : uint8_t { kTime, kString, kNumber, kPhase };

inline constexpr std::string_view kFieldNames[kFieldCount] = {
    "ts",   "txn",    "ret", "dur_ms", "end_ts", "sys",   "svc_sys",        "svc_ret",
    "node", "serial", "org", "amount", "msg",    "phase", "mismatch_count", "mismatch_amount",
};

// The field called `name`, or kUnknown. Inline: it runs for every field of every record.
inline Field FieldOf(std::string_view name) {
  auto is = [&](Field f) { return name == kFieldNames[static_cast<int>(f)] ? f : Field::kUnknown; };
  switch (name.size()) {
    case 2: return is(Field::kTs);
    case 3:
      switch (name[0]) {
        case 't': return is(Field::kTxn);
        case 'r': return is(Field::kRet);
        case 's': return is(Field::kSys);
        case 'o': return is(Field::kOrg);
        case 'm': return is(Field::kMsg);
        default: return Field::kUnknown;
      }
    case 4: return is(Field::kNode);
    case 5: return is(Field::kPhase);
    case 6:
      switch (name[0]) {
        case 'd': return is(Field::kDurMs);
        case 'e': return is(Field::kEndTs);
        case 's': return is(Field::kSerial);
        case 'a': return is(Field::kAmount);
        default: return Field::kUnknown;
      }
    case 7: return name[4] == 's' ? is(Field::kSvcSys) : is(Field::kSvcRet);
    case 14: return is(Field::kMismatchCount);
    case 15: return is(Field::kMismatchAmount);
    default: return Field::kUnknown;
  }
}

inline std::string_view FieldName(Field f) {  // static storage
  return f == Field::kUnknown ? std::string_view() : kFieldNames[static_cast<int>(f)];
}

inline FieldKind KindOf(Field f) {
  switch (f) {
    case Field::kTs:
    case Field::kEndTs: return FieldKind::kTime;
    case Field::kDurMs:
    case Field::kAmount:
    case Field::kMismatchCount:
    case Field::kMismatchAmount: return FieldKind::kNumber;
    case Field::kPhase: return FieldKind::kPhase;
    default: return FieldKind::kString;
  }
}

// Times outside +-kMaxAbsTimeMs (about the years -6000..9999) are rejected as bad_time, so
// that no arithmetic on them can overflow.
inline constexpr int64_t kMaxAbsTimeMs = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z

// What a parser gathered besides the RecordView itself.
struct FieldState {
  uint32_t seen = 0;  // bit (1 << Field) for every present (non-null, non-empty) field
  double dur_ms = 0;

  void Mark(Field f) { seen |= 1u << static_cast<int>(f); }
  bool Has(Field f) const { return (seen >> static_cast<int>(f)) & 1u; }
};

// Fills `err` and returns false, so that callers can `return Reject(...)`.
bool Reject(ParseError* err, RejectReason reason, Field field, std::string_view detail);

// Stores an optional or required string field (txn, ret, sys, ...) in the record.
inline void SetString(RecordView* r, Field f, std::string_view value) {
  switch (f) {
    case Field::kTxn: r->txn = value; break;
    case Field::kRet: r->ret = value; break;
    case Field::kSys: r->sys = value; break;
    case Field::kSvcSys: r->svc_sys = value; break;
    case Field::kSvcRet: r->svc_ret = value; break;
    case Field::kNode: r->node = value; break;
    case Field::kSerial: r->serial = value; break;
    case Field::kOrg: r->org = value; break;
    case Field::kMsg: r->msg = value; break;
    default: break;
  }
}

// Stores epoch milliseconds in ts / end_ts after checking the range.
bool SetTimeMs(RecordView* r, Field f, int64_t ms, ParseError* err);

// ParseRfc3339Ms with a per-thread memo of the last minute seen (same results, faster for a
// stream of nearby times).
TimeParse ParseTimeMemo(std::string_view text, TimeMs* out);

// Parses an RFC 3339 time with offset into ts / end_ts.
bool SetTimeText(RecordView* r, Field f, std::string_view text, ParseError* err);

// Stores a number field (dur_ms, amount, mismatch_*). `value` must be finite.
void SetNumber(RecordView* r, FieldState* st, Field f, double value);

// Makes a field absent again (a repeated JSON key's last value is the one that counts, and
// null or "" is an absent value).
void ClearField(RecordView* r, FieldState* st, Field f);

// Reads "start" / "end".
bool SetPhase(RecordView* r, std::string_view text, ParseError* err);

// At most 40 bytes of `text` for an error message, cut at a character boundary.
std::string_view Snippet(std::string_view text);

// Characters (UTF-8 code points) in a valid UTF-8 string.
size_t CountCodePoints(std::string_view s);

// Checks the required fields and txn's length, then runs FinishRecord.
bool CheckAndFinish(RecordView* r, const FieldState& st, ParseError* err);

}  // namespace vigil::ingest_internal
