// Historical tickets from an ITSM export (CSV): the admin names, for each desk field, the CSV
// column that holds it; every data row becomes a ticket or a list of errors, so a dry run shows
// everything that would fail before anything is imported (POST /api/v1/incidents/import).
//
// The CSV is RFC 4180 (csv_reader.h). Rows are numbered from 1 after the header (row 0) by
// their position in the file; blank rows are skipped and not counted in `rows`. Values come out
// in the desk's words: status new/accepted/transferred/resolved/closed, priority P1..P4,
// class data/program/consultation. Defaults for empty cells: priority P3; status closed when
// closed_at is set, resolved when resolved_at is set, else new; class "".
//
// Thread safety: pure function.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/time_util.h"

namespace vigil::desk {

// Fields a mapping may name: ref, title, description, system, status, priority, class,
// subcategory, reporter, assignee, created_at, resolved_at, closed_at, cause, solution,
// customer_no, account, customer_name, phone. title and created_at are required.
struct ImportMapping {
  std::map<std::string, std::string> columns;  // field → CSV header
};

struct ImportedTicket {
  int row = 0;  // 1-based data row (the header is row 0)
  std::string external_ref, title, description, system, status, priority, klass, subcategory,
      reporter, assignee, cause, solution, customer_no, account, customer_name, phone;
  TimeMs created_at = 0;
  std::optional<TimeMs> resolved_at, closed_at;
};

struct ImportError {
  int row = 0;
  std::string field;  // the desk field ("" for the row as a whole)
  std::string message;
};

struct ImportResult {
  int rows = 0;
  std::vector<ImportedTicket> valid;
  std::vector<ImportError> errors;
};

// Whole-file problems (no header, a mapped column missing, unknown field in the mapping, a
// quote never closed, a header that is not UTF-8) → InvalidArgument. Row problems → errors (a
// row with any error is not in valid), including cells that are not UTF-8.
absl::StatusOr<ImportResult> ParseItsmCsv(std::string_view csv, const ImportMapping& mapping,
                                          const absl::TimeZone& tz);

// The fields a mapping may name, in the order above.
const std::vector<std::string_view>& ImportFields();

}  // namespace vigil::desk
