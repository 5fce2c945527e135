// Checks shared by the JSON and CSV parsers: the field table, time and phase values, required
// fields, txn length, and the cross-field rules of FinishRecord (event time and duration).
#include "ingest/parse_common.h"

#include <cmath>
#include <cstring>

#include "fmt/format.h"

namespace vigil {
namespace ingest_internal {

std::string_view Snippet(std::string_view text) {
  constexpr size_t kMax = 40;
  if (text.size() <= kMax) return text;
  size_t n = kMax;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return text.substr(0, n);
}

bool Reject(ParseError* err, RejectReason reason, Field field, std::string_view detail) {
  err->reason = reason;
  err->field = FieldName(field);
  err->detail.assign(detail.data(), detail.size());
  return false;
}

bool SetTimeMs(RecordView* r, Field f, int64_t ms, ParseError* err) {
  if (ms > kMaxAbsTimeMs || ms < -kMaxAbsTimeMs) {
    return Reject(err, RejectReason::kBadTime, f,
                  fmt::format("epoch milliseconds {} are out of range", ms));
  }
  if (f == Field::kTs) {
    r->ts = ms;
  } else {
    r->end_ts = ms;
    r->has_end_ts = true;
  }
  return true;
}

namespace {

// The minute of the last RFC 3339 time parsed on this thread. Records in a stream mostly
// share their date, hour, minute and offset, so the next time needs only its seconds and
// fraction read. Purely a cache: results are exactly those of ParseRfc3339Ms.
struct MinuteMemo {
  bool valid = false;
  uint8_t suffix_len = 0;  // 1-8
  uint64_t prefix[2];      // "YYYY-MM-DDTHH:MM"
  // The offset as written ("+08:00", "Z"): the last 8 bytes of the text, of which the offset
  // is the top suffix_len (little-endian loads), and the mask that keeps just those.
  uint64_t tail = 0, tail_mask = 0;
  TimeMs base = 0;  // the time at prefix + ":00" + suffix
};
thread_local MinuteMemo memo;

uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads ":SS[.fff...]" at s[16] (SS <= 59, no leap second). Returns the position after it and
// the milliseconds into the minute, or 0 when `s` has another shape.
size_t SecondsInMinute(std::string_view s, int64_t* ms) {
  if (s.size() < 20 || s[16] != ':') return 0;
  unsigned tens = static_cast<unsigned char>(s[17]) - '0';
  unsigned ones = static_cast<unsigned char>(s[18]) - '0';
  if (tens > 5 || ones > 9) return 0;
  int64_t v = (tens * 10 + ones) * 1000;
  size_t i = 19;
  if (s[i] == '.') {
    size_t first = ++i;
    if (i + 3 < s.size() && IsDigit(s[i]) && IsDigit(s[i + 1]) && IsDigit(s[i + 2]) && !IsDigit(s[i + 3])) {
      v += (s[i] - '0') * 100 + (s[i + 1] - '0') * 10 + (s[i + 2] - '0');  // milliseconds, as usual
      i += 3;
    } else {
      int64_t scale = 100;
      for (; i < s.size() && IsDigit(s[i]); ++i, scale /= 10) v += (s[i] - '0') * scale;
    }
    if (i == first) return 0;
  }
  *ms = v;
  return i;
}

}  // namespace

TimeParse ParseTimeMemo(std::string_view s, TimeMs* out) {
  int64_t in_minute = 0;
  size_t end = SecondsInMinute(s, &in_minute);
  size_t suffix_len = s.size() - end;  // end != 0: s.size() >= 20, so the loads below are inside s
  if (end != 0 && memo.valid && suffix_len == memo.suffix_len && Load64(s.data()) == memo.prefix[0] &&
      Load64(s.data() + 8) == memo.prefix[1] &&
      (Load64(s.data() + s.size() - 8) & memo.tail_mask) == memo.tail) {
    *out = memo.base + in_minute;
    return TimeParse::kOk;
  }
  TimeParse result = ParseRfc3339Ms(s, out);
  if (result == TimeParse::kOk && end != 0 && suffix_len >= 1 && suffix_len <= 8) {
    memo.prefix[0] = Load64(s.data());
    memo.prefix[1] = Load64(s.data() + 8);
    memo.tail_mask = ~uint64_t{0} << (8 * (8 - suffix_len));
    memo.tail = Load64(s.data() + s.size() - 8) & memo.tail_mask;
    memo.suffix_len = static_cast<uint8_t>(suffix_len);
    memo.base = *out - in_minute;
    memo.valid = true;
  }
  return result;
}

bool SetTimeText(RecordView* r, Field f, std::string_view text, ParseError* err) {
  TimeMs ms = 0;
  switch (ParseTimeMemo(text, &ms)) {
    case TimeParse::kOk: return SetTimeMs(r, f, ms, err);
    case TimeParse::kNoOffset:
      return Reject(err, RejectReason::kNoOffset, f,
                    fmt::format("'{}' has no UTC offset (add +08:00 or Z)", Snippet(text)));
    case TimeParse::kInvalid: break;
  }
  return Reject(err, RejectReason::kBadTime, f,
                fmt::format("'{}' is not an RFC 3339 time", Snippet(text)));
}

void SetNumber(RecordView* r, FieldState* st, Field f, double value) {
  switch (f) {
    case Field::kDurMs: st->dur_ms = value; break;
    case Field::kAmount: r->amount = value, r->has_amount = true; break;
    case Field::kMismatchCount: r->mismatch_count = value, r->has_mismatch_count = true; break;
    case Field::kMismatchAmount: r->mismatch_amount = value, r->has_mismatch_amount = true; break;
    default: return;
  }
  st->Mark(f);
}

void ClearField(RecordView* r, FieldState* st, Field f) {
  st->seen &= ~(1u << static_cast<int>(f));
  switch (f) {
    case Field::kEndTs: r->has_end_ts = false, r->end_ts = 0; break;
    case Field::kAmount: r->has_amount = false, r->amount = 0; break;
    case Field::kMismatchCount: r->has_mismatch_count = false, r->mismatch_count = 0; break;
    case Field::kMismatchAmount: r->has_mismatch_amount = false, r->mismatch_amount = 0; break;
    case Field::kPhase: r->phase = Phase::kEnd; break;
    case Field::kDurMs: st->dur_ms = 0; break;
    case Field::kTs: r->ts = 0; break;
    default: SetString(r, f, {}); break;
  }
}

bool SetPhase(RecordView* r, std::string_view text, ParseError* err) {
  if (text == "end") {
    r->phase = Phase::kEnd;
  } else if (text == "start") {
    r->phase = Phase::kStart;
  } else {
    return Reject(err, RejectReason::kBadPhase, Field::kPhase,
                  fmt::format("'{}' is neither start nor end", Snippet(text)));
  }
  return true;
}

size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool CheckAndFinish(RecordView* r, const FieldState& st, ParseError* err) {
  constexpr uint32_t kRequired = 1u << static_cast<int>(Field::kTs) | 1u << static_cast<int>(Field::kTxn) |
                                 1u << static_cast<int>(Field::kRet);
  if ((st.seen & kRequired) != kRequired) {
    for (Field f : {Field::kTs, Field::kTxn, Field::kRet}) {
      if (!st.Has(f)) return Reject(err, RejectReason::kMissingField, f, "required field is absent");
    }
  }
  // 1 to 32 bytes are 1 to 32 characters: count them only when there are more bytes.
  size_t chars = r->txn.size() <= 32 ? r->txn.size() : CountCodePoints(r->txn);
  if (chars < 1 || chars > 32) {
    return Reject(err, RejectReason::kBadTxn, Field::kTxn,
                  fmt::format("{} characters, expected 1-32", chars));
  }
  return FinishRecord(r, st.Has(Field::kDurMs), st.dur_ms, err);
}

}  // namespace ingest_internal

using ingest_internal::Field;
using ingest_internal::Reject;

bool FinishRecord(RecordView* r, bool has_dur, double dur_ms, ParseError* err) {
  if (has_dur && !(dur_ms >= 0)) {
    return Reject(err, RejectReason::kNegativeDuration, Field::kDurMs,
                  fmt::format("dur_ms is {}", dur_ms));
  }
  if (r->has_end_ts && r->end_ts < r->ts) {
    return Reject(err, RejectReason::kNegativeDuration, Field::kEndTs,
                  fmt::format("end_ts is {} ms before ts", r->ts - r->end_ts));
  }
  if (has_dur) {
    r->duration_ms = dur_ms;
  } else if (r->has_end_ts) {
    r->duration_ms = static_cast<double>(r->end_ts - r->ts);
  } else {
    r->duration_ms = -1;
  }
  if (r->phase == Phase::kStart) {
    r->time = r->ts;
  } else if (r->has_end_ts) {
    r->time = r->end_ts;
  } else if (has_dur) {
    // Compare as double first so that a huge dur_ms cannot overflow the conversion.
    double end = static_cast<double>(r->ts) + std::floor(dur_ms);
    if (end > static_cast<double>(ingest_internal::kMaxAbsTimeMs)) {
      return Reject(err, RejectReason::kBadTime, Field::kDurMs,
                    fmt::format("ts + dur_ms ({} ms) is beyond the year 9999", dur_ms));
    }
    r->time = r->ts + static_cast<int64_t>(std::floor(dur_ms));
  } else {
    r->time = r->ts;
  }
  return true;
}

}  // namespace vigil
