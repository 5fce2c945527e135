// The store's schema history: for each dialect, an ordered list of steps. A database records
// the steps applied to it in `schema_migrations(version, applied_at)`; opening it applies the
// missing ones, in one transaction, and refuses a database whose version is newer than the
// last step this binary knows.
//
// Rules for adding a step: append, never edit or reorder a released one; give both dialects the
// same version numbers and the same meaning.
#pragma once

#include <span>
#include <string_view>

#include "absl/status/status.h"

namespace vigil::store {

class SqlSession;

struct Migration {
  int version = 0;         // 1, 2, 3 ... without gaps
  std::string_view name;   // what the step adds, for logs
  std::string_view sql;    // one or more statements, no parameters
  // Instead of `sql`, for a step that must decide (PostgreSQL's optional extension): run in the
  // migration transaction.
  absl::Status (*run)(SqlSession&) = nullptr;
};

std::span<const Migration> SqliteMigrations();
std::span<const Migration> PostgresMigrations();

}  // namespace vigil::store
