// Store URLs: which backend a URL names, and how to show it in a message without its password.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace vigil::store {

struct StoreUrl {
  enum class Kind : uint8_t { kSqlite, kPostgres };
  Kind kind = Kind::kSqlite;
  std::string target;  // SQLite: the file path (or ":memory:"); PostgreSQL: the URL as given
};

// "sqlite:///abs/path.db" -> /abs/path.db; "sqlite:rel/path.db" and "sqlite://rel/path.db" ->
// rel/path.db; "sqlite::memory:" -> an in-memory database; a plain path -> that file;
// "postgresql://..." / "postgres://..." -> PostgreSQL. Any other scheme is InvalidArgument.
absl::StatusOr<StoreUrl> ParseStoreUrl(const std::string& url);

// The URL with any password replaced by "***": the user-info password
// ("postgresql://vigil:***@db:5432/vigil") and a "password=" query parameter.
std::string RedactUrl(std::string_view url);

}  // namespace vigil::store
