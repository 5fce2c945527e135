// The SQLite driver: one connection in WAL mode, guarded by a mutex.
//
// Durability: synchronous=FULL. In WAL mode NORMAL only loses no data on a process crash; a
// power cut or OS crash may roll back the last transactions, and the checkpoint and outbox
// promise that an acknowledged commit stays. FULL costs one WAL fsync per commit: a
// CommitMinute a minute and a few outbox writes are far below what that allows.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "store/sql.h"

namespace vigil::store {

// Opens (creating if missing, parent directory included) the database file at `path`;
// ":memory:" is a private in-memory database.
absl::StatusOr<std::unique_ptr<SqlDriver>> OpenSqlite(const std::string& path);

}  // namespace vigil::store
