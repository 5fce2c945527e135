// JsonRecordParser: one JSON Lines record, parsed with simdjson On-Demand in a single pass over
// the object's fields, without copying the line and without allocating once warmed up.
//
// On-Demand does not check values it skips, nor what follows the root value, so unknown
// fields are walked by Validate() and the end of the document is checked after the object:
// a line is either a whole valid JSON text or it is rejected as invalid_json.
#include <simdjson.h>

#include <algorithm>

#include "fmt/format.h"
#include "ingest/parse.h"
#include "ingest/parse_common.h"

namespace vigil {

namespace sj = simdjson::ondemand;
using ingest_internal::Field;
using ingest_internal::FieldKind;
using ingest_internal::FieldState;
using ingest_internal::Reject;
using simdjson::error_code;

static_assert(kParsePadding >= simdjson::SIMDJSON_PADDING);

struct JsonRecordParser::Impl {
  sj::parser parser;
  size_t capacity = 0;

  // Grows the parser's buffers geometrically, so that a run of ever longer lines does not
  // reallocate on every line (simdjson alone would allocate exactly each new maximum).
  bool Reserve(size_t len) {
    if (len <= capacity) return true;
    size_t want = std::max<size_t>({len, 2 * capacity, 16 * 1024});
    if (parser.allocate(want) != simdjson::SUCCESS) return false;
    capacity = want;
    return true;
  }
};

namespace {

constexpr int kMaxDepth = 64;  // nesting allowed inside unknown fields

// What reading one value came to: accepted, a record-level rejection (already in `err`), or
// a JSON syntax error (the line is invalid JSON whatever else is wrong with it).
enum class Outcome : uint8_t { kOk, kReject, kInvalid };

const char* TypeName(sj::json_type t) {
  switch (t) {
    case sj::json_type::array: return "array";
    case sj::json_type::object: return "object";
    case sj::json_type::number: return "number";
    case sj::json_type::string: return "string";
    case sj::json_type::boolean: return "boolean";
    case sj::json_type::null: return "null";
  }
  return "value";
}

// Walks a value completely, checking its syntax (On-Demand's skipping does not).
error_code Validate(sj::value& v, int depth) {
  sj::json_type t;
  if (error_code e = v.type().get(t)) return e;
  if ((t == sj::json_type::object || t == sj::json_type::array) && depth >= kMaxDepth) {
    return simdjson::DEPTH_ERROR;
  }
  switch (t) {
    case sj::json_type::object: {
      sj::object o;
      if (error_code e = v.get_object().get(o)) return e;
      for (auto fr : o) {
        sj::field f;
        std::string_view key;
        if (error_code e = std::move(fr).get(f)) return e;
        if (error_code e = f.unescaped_key().get(key)) return e;
        if (error_code e = Validate(f.value(), depth + 1)) return e;
      }
      return simdjson::SUCCESS;
    }
    case sj::json_type::array: {
      sj::array a;
      if (error_code e = v.get_array().get(a)) return e;
      for (auto er : a) {
        sj::value ev;
        if (error_code e = std::move(er).get(ev)) return e;
        if (error_code e = Validate(ev, depth + 1)) return e;
      }
      return simdjson::SUCCESS;
    }
    case sj::json_type::string: return v.get_string().error();
    case sj::json_type::number: return v.get_double().error();
    case sj::json_type::boolean: return v.get_bool().error();
    case sj::json_type::null: {
      bool is_null = false;
      if (error_code e = v.is_null().get(is_null)) return e;
      return is_null ? simdjson::SUCCESS : simdjson::INCORRECT_TYPE;
    }
  }
  return simdjson::TAPE_ERROR;
}

Outcome WrongType(sj::value& v, sj::json_type got, Field f, const char* expected, ParseError* err) {
  if (Validate(v, 0) != simdjson::SUCCESS) return Outcome::kInvalid;
  Reject(err, RejectReason::kWrongType, f,
         fmt::format("expected {}, got {}", expected, TypeName(got)));
  return Outcome::kReject;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ts / end_ts: an RFC 3339 string or an integer number of epoch milliseconds.
Outcome ReadTime(sj::value& v, sj::json_type t, Field f, RecordView* r, ParseError* err) {
  constexpr const char* kExpected = "an RFC 3339 string or integer epoch milliseconds";
  if (t == sj::json_type::string) {
    std::string_view s;
    if (v.get_string().get(s)) return Outcome::kInvalid;
    if (AllDigits(s)) {
      Reject(err, RejectReason::kWrongType, f,
             "epoch milliseconds must be a JSON number, not a string");
      return Outcome::kReject;
    }
    return SetTimeText(r, f, s, err) ? Outcome::kOk : Outcome::kReject;
  }
  if (t != sj::json_type::number) return WrongType(v, t, f, kExpected, err);
  sj::number_type nt;
  if (v.get_number_type().get(nt)) return Outcome::kInvalid;
  int64_t ms = 0;
  if (nt == sj::number_type::floating_point_number || v.get_int64().get(ms)) {
    double d;  // valid JSON number that is fractional or does not fit in 64 bits?
    if (v.get_double().get(d)) return Outcome::kInvalid;
    if (nt == sj::number_type::floating_point_number) {
      Reject(err, RejectReason::kWrongType, f, fmt::format("expected {}, got {}", kExpected, d));
    } else {
      Reject(err, RejectReason::kBadTime, f, "epoch milliseconds are out of range");
    }
    return Outcome::kReject;
  }
  return ingest_internal::SetTimeMs(r, f, ms, err) ? Outcome::kOk : Outcome::kReject;
}

// Reads the value of a known field into the record; JSON null makes the field absent.
Outcome ReadField(sj::value& v, Field f, RecordView* r, FieldState* st, ParseError* err) {
  sj::json_type t;
  if (v.type().get(t)) return Outcome::kInvalid;
  if (t == sj::json_type::null) {
    bool is_null = false;
    if (v.is_null().get(is_null) || !is_null) return Outcome::kInvalid;
    ingest_internal::ClearField(r, st, f);
    return Outcome::kOk;
  }
  switch (ingest_internal::KindOf(f)) {
    case FieldKind::kTime: {
      Outcome o = ReadTime(v, t, f, r, err);
      if (o == Outcome::kOk) st->Mark(f);
      return o;
    }
    case FieldKind::kNumber: {
      if (t != sj::json_type::number) return WrongType(v, t, f, "a number", err);
      double d;
      if (v.get_double().get(d)) return Outcome::kInvalid;
      ingest_internal::SetNumber(r, st, f, d);
      return Outcome::kOk;
    }
    case FieldKind::kString:
    case FieldKind::kPhase: break;
  }
  if (t != sj::json_type::string) return WrongType(v, t, f, "a string", err);
  std::string_view s;
  if (v.get_string().get(s)) return Outcome::kInvalid;
  if (f == Field::kPhase) {
    ingest_internal::ClearField(r, st, f);
    if (s.empty()) return Outcome::kOk;
    return ingest_internal::SetPhase(r, s, err) ? Outcome::kOk : Outcome::kReject;
  }
  // An empty string is an absent value, except for txn, where it is a txn of 0 characters.
  if (s.empty() && f != Field::kTxn) {
    ingest_internal::ClearField(r, st, f);
    return Outcome::kOk;
  }
  ingest_internal::SetString(r, f, s);
  st->Mark(f);
  return Outcome::kOk;
}

// A root that is not an object: is it valid JSON (not_object) or not (invalid_json)?
bool RejectNonObject(sj::document& doc, sj::json_type t, ParseError* err) {
  error_code e = simdjson::SUCCESS;
  switch (t) {
    case sj::json_type::array: {
      sj::array a;
      if ((e = doc.get_array().get(a))) break;
      for (auto er : a) {
        sj::value ev;
        if ((e = std::move(er).get(ev)) || (e = Validate(ev, 1))) break;
      }
      break;
    }
    case sj::json_type::string: e = doc.get_string().error(); break;
    case sj::json_type::number: e = doc.get_double().error(); break;
    case sj::json_type::boolean: e = doc.get_bool().error(); break;
    case sj::json_type::null: {
      bool is_null = false;
      e = doc.is_null().get(is_null);
      if (!e && !is_null) e = simdjson::INCORRECT_TYPE;
      break;
    }
    case sj::json_type::object: break;
  }
  if (e) return Reject(err, RejectReason::kInvalidJson, Field::kUnknown, "not valid JSON");
  return Reject(err, RejectReason::kNotObject, Field::kUnknown,
                fmt::format("expected a JSON object, got {}", TypeName(t)));
}

bool InvalidJson(ParseError* err, error_code e) {
  return Reject(err, RejectReason::kInvalidJson, Field::kUnknown, simdjson::error_message(e));
}

}  // namespace

JsonRecordParser::JsonRecordParser() : impl_(std::make_unique<Impl>()) {}
JsonRecordParser::~JsonRecordParser() = default;

bool JsonRecordParser::Parse(std::string_view line, RecordView* out, ParseError* err) {
  if (!impl_->Reserve(line.size())) return InvalidJson(err, simdjson::MEMALLOC);
  sj::document doc;
  simdjson::padded_string_view padded(line.data(), line.size(), line.size() + kParsePadding);
  if (error_code e = impl_->parser.iterate(padded).get(doc)) {
    // Stage 1 checks UTF-8 over the whole line before anything else is looked at.
    if (e == simdjson::UTF8_ERROR) {
      return Reject(err, RejectReason::kInvalidUtf8, Field::kUnknown, "line is not valid UTF-8");
    }
    return InvalidJson(err, e);
  }
  sj::json_type root;
  if (error_code e = doc.type().get(root)) return InvalidJson(err, e);
  if (root != sj::json_type::object) return RejectNonObject(doc, root, err);
  sj::object obj;
  if (error_code e = doc.get_object().get(obj)) return InvalidJson(err, e);

  *out = RecordView{};
  FieldState st;
  bool rejected = false;  // a field was rejected; keep walking to tell invalid JSON apart
  for (auto fr : obj) {
    if (error_code e = fr.error()) return InvalidJson(err, e);
    // A reference, not a copy: with GCC 12, copying each field out of its result costs a
    // store-forwarding stall (~10% of the parse time).
    sj::field& field = fr.value_unsafe();
    std::string_view key;
    if (error_code e = field.unescaped_key().get(key)) return InvalidJson(err, e);
    Field f = ingest_internal::FieldOf(key);
    if (f == Field::kUnknown || rejected) {
      if (error_code e = Validate(field.value(), 1)) return InvalidJson(err, e);
      continue;
    }
    switch (ReadField(field.value(), f, out, &st, err)) {
      case Outcome::kOk: break;
      case Outcome::kReject: rejected = true; break;
      case Outcome::kInvalid:
        return Reject(err, RejectReason::kInvalidJson, f, "not a valid JSON value");
    }
  }
  // Anything after the object? raw_json() ends where the iterator stopped: the end of the
  // line when the object was the whole document.
  std::string_view whole;
  if (error_code e = doc.raw_json().get(whole)) return InvalidJson(err, e);
  if (whole.data() + whole.size() != line.data() + line.size()) {
    return Reject(err, RejectReason::kInvalidJson, Field::kUnknown,
                  "unexpected content after the JSON object");
  }
  if (rejected) return false;
  return ingest_internal::CheckAndFinish(out, st, err);
}

}  // namespace vigil
