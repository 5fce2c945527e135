// RFC 4180 reader (csv_reader.h): one pass, a small state machine per cell.
#include "desk/csv_reader.h"

#include "absl/status/status.h"
#include "common/strings.h"
#include "fmt/format.h"

namespace vigil::desk {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {
    if (s_.starts_with("\xEF\xBB\xBF")) s_.remove_prefix(3);
  }

  absl::StatusOr<std::vector<CsvRecord>> Run() {
    std::vector<CsvRecord> records;
    while (i_ < s_.size()) {
      CsvRecord r;
      r.line = line_;
      if (auto s = ReadRecord(&r); !s.ok()) return s;
      records.push_back(std::move(r));
    }
    return records;
  }

 private:
  // Reads cells up to and including the record's line end (or the end of the text).
  absl::Status ReadRecord(CsvRecord* r) {
    while (true) {
      std::string cell;
      if (i_ < s_.size() && s_[i_] == '"') {
        if (auto s = ReadQuoted(r, &cell); !s.ok()) return s;
      }
      ReadUnquoted(r, &cell, r->cells.size() + 1);
      r->cells.push_back(std::move(cell));
      if (i_ >= s_.size()) return absl::OkStatus();
      const char c = s_[i_++];
      if (c == ',') continue;
      // A line end: CRLF, LF or a lone CR.
      if (c == '\r' && i_ < s_.size() && s_[i_] == '\n') ++i_;
      ++line_;
      return absl::OkStatus();
    }
  }

  absl::Status ReadQuoted(CsvRecord* r, std::string* cell) {
    const int opened = line_;
    ++i_;
    while (true) {
      if (i_ >= s_.size()) {
        return absl::InvalidArgumentError(AsAbsl(fmt::format(
            "CSV line {}: a quoted cell is never closed (cell {})", opened, r->cells.size() + 1)));
      }
      const char c = s_[i_++];
      if (c == '"') {
        if (i_ < s_.size() && s_[i_] == '"') {
          cell->push_back('"');
          ++i_;
          continue;
        }
        if (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '\r' && s_[i_] != '\n' &&
            r->error.empty()) {
          r->error = fmt::format("text after the closing quote of cell {}", r->cells.size() + 1);
        }
        return absl::OkStatus();
      }
      if (c == '\n' || (c == '\r' && (i_ >= s_.size() || s_[i_] != '\n'))) ++line_;
      cell->push_back(c);
    }
  }

  // The rest of a cell up to a comma or a line end, kept literally.
  void ReadUnquoted(CsvRecord* r, std::string* cell, size_t number) {
    while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '\r' && s_[i_] != '\n') {
      if (s_[i_] == '"' && r->error.empty()) {
        r->error = fmt::format("a quote inside unquoted cell {}", number);
      }
      cell->push_back(s_[i_++]);
    }
  }

  std::string_view s_;
  size_t i_ = 0;
  int line_ = 1;
};

}  // namespace

absl::StatusOr<std::vector<CsvRecord>> ReadCsv(std::string_view text) { return Reader(text).Run(); }

}  // namespace vigil::desk
