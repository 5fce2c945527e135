// ITSM CSV import (itsm_import.h): check the mapping against the header once, then turn each
// record into a ticket, collecting every error of the row.
#include "desk/itsm_import.h"

#include <algorithm>

#include "absl/status/status.h"
#include "common/strings.h"
#include "desk/csv_reader.h"
#include "desk/itsm_values.h"
#include "desk/utf8.h"
#include "fmt/format.h"

namespace vigil::desk {
namespace {

// Free-text fields: copied as they are (title trimmed), into the ticket member named here.
using TextMember = std::string ImportedTicket::*;
const std::map<std::string_view, TextMember>& TextFields() {
  static const auto* fields =
      new std::map<std::string_view, TextMember>{{"ref", &ImportedTicket::external_ref},
                                                 {"title", &ImportedTicket::title},
                                                 {"description", &ImportedTicket::description},
                                                 {"system", &ImportedTicket::system},
                                                 {"subcategory", &ImportedTicket::subcategory},
                                                 {"reporter", &ImportedTicket::reporter},
                                                 {"assignee", &ImportedTicket::assignee},
                                                 {"cause", &ImportedTicket::cause},
                                                 {"solution", &ImportedTicket::solution},
                                                 {"customer_no", &ImportedTicket::customer_no},
                                                 {"account", &ImportedTicket::account},
                                                 {"customer_name", &ImportedTicket::customer_name},
                                                 {"phone", &ImportedTicket::phone}};
  return *fields;
}

absl::Status Invalid(std::string message) { return absl::InvalidArgumentError(AsAbsl(message)); }

// field → column index, after checking the mapping against the header.
absl::StatusOr<std::map<std::string, size_t>> ResolveColumns(const CsvRecord& header,
                                                             const ImportMapping& mapping) {
  for (const std::string& cell : header.cells) {
    if (!IsValidUtf8(cell)) {
      return Invalid("the CSV is not UTF-8 (its header is not); save the export as UTF-8 CSV");
    }
  }
  const auto& fields = ImportFields();
  for (std::string_view required : {"title", "created_at"}) {
    if (!mapping.columns.contains(std::string(required))) {
      return Invalid(fmt::format("mapping: the required field '{}' has no column", required));
    }
  }
  std::map<std::string, size_t> index;
  for (const auto& [field, column] : mapping.columns) {
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
      return Invalid(
          fmt::format("mapping: unknown field '{}' (fields: {})", field, fmt::join(fields, ", ")));
    }
    std::vector<size_t> found;
    for (size_t i = 0; i < header.cells.size(); ++i) {
      if (TrimSpace(header.cells[i]) == TrimSpace(column)) found.push_back(i);
    }
    if (found.empty()) {
      return Invalid(
          fmt::format("mapping: field '{}' names column '{}', which the header does "
                      "not have (header: {})",
                      field, column, fmt::join(header.cells, ", ")));
    }
    if (found.size() > 1) {
      return Invalid(
          fmt::format("mapping: field '{}' names column '{}', which the header has "
                      "{} times",
                      field, column, found.size()));
    }
    index[field] = found[0];
  }
  return index;
}

class RowParser {
 public:
  RowParser(const std::map<std::string, size_t>& columns, const absl::TimeZone& tz,
            size_t header_cells)
      : columns_(columns), tz_(tz), header_cells_(header_cells) {}

  // The ticket, or nullopt after adding the row's errors to `errors`.
  std::optional<ImportedTicket> Parse(int row, const CsvRecord& rec,
                                      std::vector<ImportError>* errors) {
    const size_t before = errors->size();
    if (!rec.error.empty()) errors->push_back({row, "", rec.error});
    if (rec.cells.size() != header_cells_) {
      errors->push_back(
          {row, "",
           fmt::format("the row has {} cells, the header {}", rec.cells.size(), header_cells_)});
    }
    if (errors->size() > before) return std::nullopt;
    ImportedTicket t;
    t.row = row;
    auto cell = [&](std::string_view field) -> std::optional<std::string_view> {
      auto it = columns_.find(std::string(field));
      if (it == columns_.end()) return std::nullopt;
      return std::string_view(rec.cells[it->second]);
    };
    auto error = [&](std::string_view field, std::string message) {
      errors->push_back({row, std::string(field), std::move(message)});
    };
    for (const auto& [field, column] : columns_) {
      if (!IsValidUtf8(rec.cells[column])) error(field, "the cell is not UTF-8");
    }
    if (errors->size() > before) return std::nullopt;
    for (const auto& [field, member] : TextFields()) {
      if (auto v = cell(field)) t.*member = std::string(field == "title" ? TrimSpace(*v) : *v);
    }
    if (t.title.empty()) error("title", "the title is empty");
    ParseTimes(cell, error, &t);
    ParseWords(cell, error, &t);
    if (errors->size() > before) return std::nullopt;
    return t;
  }

 private:
  template <typename Cell, typename Error>
  void ParseTimes(const Cell& cell, const Error& error, ImportedTicket* t) {
    if (auto v = cell("created_at"); TrimSpace(*v).empty()) {
      error("created_at", "the creation time is empty");
    } else if (auto ms = ParseImportTime(*v, tz_); !ms.ok()) {
      error("created_at", std::string(ms.status().message()));
    } else {
      t->created_at = *ms;
    }
    for (auto [field, member] : {std::pair{"resolved_at", &ImportedTicket::resolved_at},
                                 std::pair{"closed_at", &ImportedTicket::closed_at}}) {
      auto v = cell(field);
      if (!v || TrimSpace(*v).empty()) continue;
      auto ms = ParseImportTime(*v, tz_);
      if (!ms.ok()) {
        error(field, std::string(ms.status().message()));
      } else if (t->created_at != 0 && *ms < t->created_at) {
        error(field, fmt::format("'{}' is before the creation time", TrimSpace(*v)));
      } else {
        t->*member = *ms;
      }
    }
  }

  template <typename Cell, typename Error>
  void ParseWords(const Cell& cell, const Error& error, ImportedTicket* t) {
    using Parser = absl::StatusOr<std::string> (*)(std::string_view);
    const std::pair<const char*, std::pair<Parser, std::string ImportedTicket::*>> words[] = {
        {"status", {&ParseImportStatus, &ImportedTicket::status}},
        {"priority", {&ParseImportPriority, &ImportedTicket::priority}},
        {"class", {&ParseImportClass, &ImportedTicket::klass}}};
    for (const auto& [field, how] : words) {
      auto v = cell(field);
      if (!v || TrimSpace(*v).empty()) continue;
      auto word = how.first(*v);
      if (!word.ok()) {
        error(field, std::string(word.status().message()));
      } else {
        t->*how.second = *word;
      }
    }
    if (t->priority.empty()) t->priority = "P3";
    if (t->status.empty()) {
      t->status = t->closed_at ? "closed" : t->resolved_at ? "resolved" : "new";
    }
  }

  const std::map<std::string, size_t>& columns_;
  const absl::TimeZone& tz_;
  size_t header_cells_;
};

}  // namespace

const std::vector<std::string_view>& ImportFields() {
  static const auto* fields = new std::vector<std::string_view>{
      "ref",         "title",       "description",   "system",   "status",
      "priority",    "class",       "subcategory",   "reporter", "assignee",
      "created_at",  "resolved_at", "closed_at",     "cause",    "solution",
      "customer_no", "account",     "customer_name", "phone"};
  return *fields;
}

absl::StatusOr<ImportResult> ParseItsmCsv(std::string_view csv, const ImportMapping& mapping,
                                          const absl::TimeZone& tz) {
  auto records = ReadCsv(csv);
  if (!records.ok()) return records.status();
  auto header =
      std::find_if(records->begin(), records->end(), [](const CsvRecord& r) { return !r.Blank(); });
  if (header == records->end()) return Invalid("the CSV has no header row");
  auto columns = ResolveColumns(*header, mapping);
  if (!columns.ok()) return columns.status();
  ImportResult result;
  RowParser parser(*columns, tz, header->cells.size());
  int row = 0;
  for (auto it = header + 1; it != records->end(); ++it) {
    ++row;
    if (it->Blank()) continue;
    ++result.rows;
    if (auto t = parser.Parse(row, *it, &result.errors)) result.valid.push_back(std::move(*t));
  }
  return result;
}

}  // namespace vigil::desk
