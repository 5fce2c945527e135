// An RFC 4180 CSV document reader for whole-file imports (the ITSM export): quoted cells with
// "" escapes, commas and line breaks inside quotes, CRLF or LF line ends, a UTF-8 byte-order
// mark. (src/ingest parses CSV one line at a time on the hot path; an export's cells span lines.)
//
// Lenient where a spreadsheet export is sloppy, strict where data would be lost: a quote inside
// an unquoted cell or text after a closing quote is kept literally and the record carries an
// error; a quote that is never closed swallows the rest of the file, so it fails the document.
//
// Thread safety: pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace vigil::desk {

struct CsvRecord {
  int line = 0;  // 1-based line where the record starts
  std::vector<std::string> cells;
  std::string error;  // "" when the record is well-formed
  bool Blank() const { return cells.size() == 1 && cells[0].empty(); }
};

// InvalidArgument (naming the line) when a quoted cell is not closed.
absl::StatusOr<std::vector<CsvRecord>> ReadCsv(std::string_view text);

}  // namespace vigil::desk
