// CsvRecordParser: one CSV row (RFC 4180 quoting within the line) mapped onto the record's
// fields by the header row. Every cell is text; an empty cell is an absent value.
#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <cstring>

#include "fmt/format.h"
#include "ingest/parse.h"
#include "ingest/parse_common.h"

namespace vigil {

using ingest_internal::Field;
using ingest_internal::FieldKind;
using ingest_internal::FieldState;
using ingest_internal::Reject;

namespace {

// Splits `line` into cells. Quoted cells without "" escapes are views into `line`; the others
// are unescaped into `unquoted`, whose capacity is reserved up front so views stay valid.
bool SplitCells(std::string_view line, std::vector<std::string_view>* cells, std::string* unquoted,
                ParseError* err) {
  cells->clear();
  unquoted->clear();
  unquoted->reserve(line.size());
  const char* p = line.data();
  const char* end = p + line.size();
  while (true) {
    if (p < end && *p == '"') {
      const char* start = ++p;
      const char* q;
      bool escaped = false;
      while (true) {
        q = static_cast<const char*>(memchr(p, '"', end - p));
        if (q == nullptr) {
          return Reject(err, RejectReason::kInvalidCsv, Field::kUnknown,
                        fmt::format("unterminated quoted cell (cell {})", cells->size() + 1));
        }
        if (q + 1 < end && q[1] == '"') {
          escaped = true;
          p = q + 2;
          continue;
        }
        break;
      }
      std::string_view raw(start, q - start);
      if (!escaped) {
        cells->push_back(raw);
      } else {
        size_t from = unquoted->size();
        for (size_t i = 0; i < raw.size(); ++i) {
          unquoted->push_back(raw[i]);
          if (raw[i] == '"') ++i;  // the second quote of a ""
        }
        cells->push_back(std::string_view(*unquoted).substr(from));
      }
      p = q + 1;
      if (p < end && *p != ',') {
        return Reject(err, RejectReason::kInvalidCsv, Field::kUnknown,
                      fmt::format("text after the closing quote of cell {}", cells->size()));
      }
    } else {
      const char* comma = static_cast<const char*>(memchr(p, ',', end - p));
      const char* cell_end = comma ? comma : end;
      if (memchr(p, '"', cell_end - p) != nullptr) {
        return Reject(err, RejectReason::kInvalidCsv, Field::kUnknown,
                      fmt::format("quote inside unquoted cell {}", cells->size() + 1));
      }
      cells->push_back(std::string_view(p, cell_end - p));
      p = cell_end;
    }
    if (p == end) return true;
    ++p;  // the comma; a comma at the very end is followed by one more (empty) cell
  }
}

bool ParseDouble(std::string_view text, double* out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(*out);
}

// ts / end_ts in CSV: RFC 3339, or digits (optionally after '-') meaning epoch milliseconds.
bool SetTimeCell(RecordView* r, Field f, std::string_view text, ParseError* err) {
  size_t first = text[0] == '-' ? 1 : 0;
  bool digits = text.size() > first;
  for (size_t i = first; i < text.size() && digits; ++i) digits = text[i] >= '0' && text[i] <= '9';
  if (!digits) return ingest_internal::SetTimeText(r, f, text, err);
  int64_t ms = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return Reject(err, RejectReason::kBadTime, f, "epoch milliseconds are out of range");
  }
  return ingest_internal::SetTimeMs(r, f, ms, err);
}

// One non-empty cell of a known field.
bool SetCell(RecordView* r, FieldState* st, Field f, std::string_view text, ParseError* err) {
  switch (ingest_internal::KindOf(f)) {
    case FieldKind::kTime:
      if (!SetTimeCell(r, f, text, err)) return false;
      break;
    case FieldKind::kNumber: {
      double d = 0;
      if (!ParseDouble(text, &d)) {
        return Reject(err, RejectReason::kWrongType, f,
                      fmt::format("expected a number, got '{}'", ingest_internal::Snippet(text)));
      }
      ingest_internal::SetNumber(r, st, f, d);
      return true;
    }
    case FieldKind::kPhase: return ingest_internal::SetPhase(r, text, err);
    case FieldKind::kString: ingest_internal::SetString(r, f, text); break;
  }
  st->Mark(f);
  return true;
}

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool CsvRecordParser::SetHeader(std::string_view header_line, ParseError* err) {
  column_field_.clear();
  if (!simdjson::validate_utf8(header_line.data(), header_line.size())) {
    return Reject(err, RejectReason::kInvalidUtf8, Field::kUnknown,
                  "CSV header is not valid UTF-8");
  }
  if (!SplitCells(header_line, &cells_, &unquoted_, err)) return false;
  uint32_t seen = 0;
  for (std::string_view name : cells_) {
    Field f = ingest_internal::FieldOf(TrimBlanks(name));
    if (f != Field::kUnknown) {
      uint32_t bit = 1u << static_cast<int>(f);
      if (seen & bit) {
        column_field_.clear();
        return Reject(
            err, RejectReason::kInvalidCsv, f,
            fmt::format("CSV header names column '{}' twice", ingest_internal::FieldName(f)));
      }
      seen |= bit;
    }
    column_field_.push_back(static_cast<int>(f));
  }
  for (Field f : {Field::kTs, Field::kTxn, Field::kRet}) {
    if (!(seen & (1u << static_cast<int>(f)))) {
      column_field_.clear();
      return Reject(err, RejectReason::kMissingField, f,
                    fmt::format("CSV header has no '{}' column", ingest_internal::FieldName(f)));
    }
  }
  return true;
}

bool CsvRecordParser::Parse(std::string_view line, RecordView* out, ParseError* err) {
  if (column_field_.empty()) {
    return Reject(err, RejectReason::kInvalidCsv, Field::kUnknown, "no usable CSV header");
  }
  if (!simdjson::validate_utf8(line.data(), line.size())) {
    return Reject(err, RejectReason::kInvalidUtf8, Field::kUnknown, "line is not valid UTF-8");
  }
  if (!SplitCells(line, &cells_, &unquoted_, err)) return false;
  if (cells_.size() != column_field_.size()) {
    return Reject(
        err, RejectReason::kInvalidCsv, Field::kUnknown,
        fmt::format("{} cells, the header has {} columns", cells_.size(), column_field_.size()));
  }
  *out = RecordView{};
  FieldState st;
  for (size_t i = 0; i < cells_.size(); ++i) {
    Field f = static_cast<Field>(column_field_[i]);
    if (f == Field::kUnknown || cells_[i].empty()) continue;
    if (!SetCell(out, &st, f, cells_[i], err)) return false;
  }
  return ingest_internal::CheckAndFinish(out, st, err);
}

}  // namespace vigil
