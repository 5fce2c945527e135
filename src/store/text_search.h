// The incident queue's text search (`q=`, IncidentQuery::contains): the incidents whose title,
// description or external_ref contain a term, case-insensitively, the term taken literally
// (no LIKE wildcards, no FTS syntax). Internal to the store.
//
// Terms of 3 characters or more use an index (schema 8):
// - SQLite: the FTS5 table incidents_fts with the trigram tokenizer, kept in step with
//   incidents by triggers. A phrase query of the term's trigrams is exactly a substring test
//   within one column, case-folded (Unicode).
// - PostgreSQL: pg_trgm GIN indexes on the three columns, which ILIKE uses; when the extension
//   could not be had (EnsurePgTrigramIndexes), the same ILIKE scans.
// Shorter terms have no trigram (two Chinese characters are a common query): they scan with
// LIKE / ILIKE; SQLite's LIKE folds ASCII letters only.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "store/sql.h"

namespace vigil::store {

// The schema version that adds the indexes.
inline constexpr int kTextIndexSchema = 8;

// Terms with at least this many characters (code points) are looked up in the index.
inline constexpr int kTextIndexMinChars = 3;

// A WHERE condition on `incidents` (a fmt pattern: {0} stands for the text parameter, {1} for
// the id one), and the text parameter's value (keep it alive until the query has run).
struct TextMatch {
  std::string condition;
  std::string value;
};
// The incidents containing `term`; with `or_id`, also the one whose id is parameter {1}.
TextMatch IncidentTextMatch(TextIndex index, std::string_view term, bool or_id);

// Characters (UTF-8 code points) in `text`.
int CodePoints(std::string_view text);

// PostgreSQL, inside the migration transaction: creates the pg_trgm extension when it is
// missing and allowed (under a savepoint, so a refusal does not abort the migration), then the
// GIN trigram indexes on incidents' text columns. Without the extension it creates nothing and
// logs, once per process, why and what a superuser can run; the queue then searches by scan.
// Also run at every open from schema 8 on, so an extension added later gets its indexes.
absl::Status EnsurePgTrigramIndexes(SqlSession& s);

}  // namespace vigil::store
