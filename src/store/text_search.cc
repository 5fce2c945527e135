#include "store/text_search.h"

#include <algorithm>
#include <atomic>
#include <optional>

#include "common/strings.h"
#include "fmt/format.h"
#include "spdlog/spdlog.h"

namespace vigil::store {
namespace {

// `term` with `\`, `%` and `_` escaped by `\`, between `%`s: a LIKE pattern for "contains".
std::string ContainsPattern(std::string_view term) {
  std::string out = "%";
  for (char c : term) {
    if (c == '\\' || c == '%' || c == '_') out += '\\';
    out += c;
  }
  return out + "%";
}

// `text` between double quotes, its own double quotes doubled: one FTS5 string, inside which
// nothing else is syntax (AND, NEAR, *, ^, :, ...), and equally a PostgreSQL identifier.
std::string DoubleQuoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

constexpr std::string_view kTrgmColumns[] = {"title", "description", "external_ref"};

// The schema pg_trgm is installed in, if it is.
absl::StatusOr<std::optional<std::string>> TrgmSchema(SqlSession& s) {
  VIGIL_ASSIGN_OR_RETURN(SqlRows rows,
                         s.Query("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON "
                                 "n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0][0].Text());
}

// Creates pg_trgm under a savepoint; "" when done, else why not.
absl::StatusOr<std::string> TryCreateTrgm(SqlSession& s) {
  VIGIL_ASSIGN_OR_RETURN(SqlRows available,
                         s.Query("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"));
  if (available.empty()) {
    return std::string(
        "the server does not have the pg_trgm extension installed (on Debian it comes with the "
        "postgresql-15 package; elsewhere with postgresql-contrib)");
  }
  VIGIL_RETURN_IF_ERROR(s.Script("SAVEPOINT vigil_pg_trgm"));
  absl::Status created = s.Script("CREATE EXTENSION IF NOT EXISTS pg_trgm");
  if (!created.ok()) {
    VIGIL_RETURN_IF_ERROR(s.Script("ROLLBACK TO SAVEPOINT vigil_pg_trgm"));
    std::string why(AsStd(created.message()));
    std::replace(why.begin(), why.end(), '\n', ' ');  // the HINT line: one log line
    return why;
  }
  VIGIL_RETURN_IF_ERROR(s.Script("RELEASE SAVEPOINT vigil_pg_trgm"));
  return std::string();
}

}  // namespace

int CodePoints(std::string_view text) {
  int n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

TextMatch IncidentTextMatch(TextIndex index, std::string_view term, bool or_id) {
  if (index == TextIndex::kFts5Trigram && CodePoints(term) >= kTextIndexMinChars) {
    // The id joins the index's list rather than an OR beside it: with an OR SQLite reads and
    // sorts every match; the list it walks in id order and stops at the page.
    return {fmt::format("id IN (SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH {{0}}{})",
                        or_id ? " UNION ALL SELECT {1}" : ""),
            DoubleQuoted(term)};
  }
  const std::string_view like = index == TextIndex::kPgTrgm ? "ILIKE" : "LIKE";
  return {fmt::format("(title {0} {{0}} ESCAPE '\\' OR description {0} {{0}} ESCAPE '\\' OR "
                      "external_ref {0} {{0}} ESCAPE '\\'{1})",
                      like, or_id ? " OR id = {1}" : ""),
          ContainsPattern(term)};
}

absl::Status EnsurePgTrigramIndexes(SqlSession& s) {
  VIGIL_ASSIGN_OR_RETURN(
      SqlRows have, s.Query("SELECT COUNT(*) FROM (VALUES ('incidents_title_trgm'), "
                            "('incidents_description_trgm'), ('incidents_external_ref_trgm')) "
                            "AS i (name) WHERE to_regclass(i.name) IS NOT NULL"));
  const auto all = static_cast<int64_t>(std::size(kTrgmColumns));
  if (have.at(0).at(0).Int() == all) return absl::OkStatus();
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> schema, TrgmSchema(s));
  std::string why;
  if (!schema) {
    VIGIL_ASSIGN_OR_RETURN(why, TryCreateTrgm(s));
    VIGIL_ASSIGN_OR_RETURN(schema, TrgmSchema(s));
  }
  if (!schema) {
    static std::atomic<bool> warned{false};
    if (!warned.exchange(true)) {
      spdlog::warn(
          "PostgreSQL store: the incident queue's text search (q=) has no index and scans every "
          "incident, because pg_trgm could not be created: {}. To index it, a superuser runs "
          "`CREATE EXTENSION pg_trgm;` in vigil's database; vigil creates the indexes at its "
          "next start",
          why);
    }
    return absl::OkStatus();
  }
  for (std::string_view column : kTrgmColumns) {
    VIGIL_RETURN_IF_ERROR(s.Script(
        fmt::format("CREATE INDEX IF NOT EXISTS incidents_{0}_trgm ON incidents USING gin "
                    "({0} {1}.gin_trgm_ops)",
                    column, DoubleQuoted(*schema))));
  }
  return absl::OkStatus();
}

}  // namespace vigil::store
