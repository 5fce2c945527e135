#include "store/sqlite_driver.h"

#include <sqlite3.h>

#include <filesystem>
#include <mutex>
#include <unordered_map>

#include "common/strings.h"
#include "fmt/format.h"

namespace vigil::store {
namespace {

constexpr int kBusyTimeoutMs = 10'000;

const Dialect kSqliteDialect = {
    SqliteMigrations(),
    "",  // BEGIN IMMEDIATE already keeps other writers out
    "instr({0}, {1}) > 0",
    "SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema "
    "WHERE tbl_name IN ('history_day', 'history_code', 'history_recon'))",
    TextIndex::kFts5Trigram,
};

absl::StatusCode CodeOf(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return absl::StatusCode::kUnavailable;
    case SQLITE_FULL:
      return absl::StatusCode::kResourceExhausted;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::StatusCode::kDataLoss;
    case SQLITE_CONSTRAINT:
      return absl::StatusCode::kFailedPrecondition;
    default:
      return absl::StatusCode::kInternal;
  }
}

std::string_view FirstLine(std::string_view sql) {
  while (!sql.empty() && (sql.front() == '\n' || sql.front() == ' ')) sql.remove_prefix(1);
  return sql.substr(0, std::min(sql.find('\n'), size_t{80}));
}

class SqliteDriver final : public SqlDriver, private SqlSession {
 public:
  SqliteDriver(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteDriver() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  std::string backend() const override { return "sqlite"; }
  const Dialect& dialect() const override { return kSqliteDialect; }
  const std::string& where() const override { return path_; }

  absl::Status Read(const TxnFn& fn) override { return Transaction("BEGIN", fn); }
  // IMMEDIATE takes the write lock up front, so two processes on one file wait for each other
  // (busy_timeout) instead of failing when a reader upgrades.
  absl::Status Write(const TxnFn& fn) override { return Transaction("BEGIN IMMEDIATE", fn); }

  absl::Status Configure() {
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    VIGIL_ASSIGN_OR_RETURN(SqlRows mode, Query("PRAGMA journal_mode = WAL"));
    std::string got = mode.empty() ? "" : mode[0][0].Text();
    if (got != "wal" && got != "memory") {
      return absl::FailedPreconditionError(
          fmt::format("SQLite {}: cannot switch to WAL mode (journal_mode is '{}')", path_, got));
    }
    VIGIL_RETURN_IF_ERROR(Script("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"));
    return absl::OkStatus();
  }

 private:
  absl::Status Error(int rc, std::string_view sql) const {
    return absl::Status(CodeOf(rc), AsAbsl(fmt::format("SQLite {}: {} (in: {})", path_,
                                                        sqlite3_errmsg(db_), FirstLine(sql))));
  }

  absl::Status Transaction(const char* begin, const TxnFn& fn) {
    std::lock_guard<std::mutex> lock(mu_);
    VIGIL_RETURN_IF_ERROR(Script(begin));
    absl::Status s = fn(*this);
    if (s.ok()) s = Script("COMMIT");
    if (!s.ok() && !sqlite3_get_autocommit(db_)) Script("ROLLBACK").IgnoreError();
    return s;
  }

  absl::StatusOr<sqlite3_stmt*> Prepare(std::string_view sql) {
    auto it = statements_.find(std::string(sql));
    if (it != statements_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return Error(rc, sql);
    statements_.emplace(std::string(sql), stmt);
    return stmt;
  }

  absl::Status Bind(sqlite3_stmt* stmt, std::string_view sql, std::span<const SqlParam> params) {
    if (sqlite3_bind_parameter_count(stmt) != static_cast<int>(params.size())) {
      return absl::InternalError(fmt::format("SQLite {}: {} parameters given, {} used (in: {})",
                                             path_, params.size(),
                                             sqlite3_bind_parameter_count(stmt), FirstLine(sql)));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = sqlite3_bind_parameter_index(stmt, fmt::format("${}", i + 1).c_str());
      if (idx == 0) return absl::InternalError(fmt::format("no ${} in: {}", i + 1, FirstLine(sql)));
      const SqlParam& p = params[i];
      int rc = SQLITE_OK;
      if (p.null) {
        rc = sqlite3_bind_null(stmt, idx);
      } else if (p.type == SqlParam::Type::kInt) {
        rc = sqlite3_bind_int64(stmt, idx, p.i);
      } else if (p.type == SqlParam::Type::kReal) {
        rc = sqlite3_bind_double(stmt, idx, p.d);
      } else if (p.type == SqlParam::Type::kText) {
        rc = sqlite3_bind_text64(stmt, idx, p.s.data(), p.s.size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_blob64(stmt, idx, p.s.data(), p.s.size(), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) return Error(rc, sql);
    }
    return absl::OkStatus();
  }

  static SqlRow ReadRow(sqlite3_stmt* stmt) {
    SqlRow row;
    int n = sqlite3_column_count(stmt);
    row.reserve(n);
    for (int c = 0; c < n; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_INTEGER:
          row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
          break;
        case SQLITE_FLOAT:
          row.emplace_back(sqlite3_column_double(stmt, c));
          break;
        case SQLITE_NULL:
          row.emplace_back();
          break;
        default: {  // text or blob: the bytes as stored
          const void* data = sqlite3_column_blob(stmt, c);
          int size = sqlite3_column_bytes(stmt, c);
          row.emplace_back(std::string(static_cast<const char*>(data), size));
        }
      }
    }
    return row;
  }

  absl::StatusOr<SqlRows> Run(std::string_view sql, std::span<const SqlParam> params) override {
    VIGIL_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    VIGIL_RETURN_IF_ERROR(Bind(stmt, sql, params));
    SqlRows rows;
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) {
        rows.push_back(ReadRow(stmt));
        continue;
      }
      absl::Status s = rc == SQLITE_DONE ? absl::OkStatus() : Error(rc, sql);
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);  // no dangling views into the caller's strings
      if (!s.ok()) return s;
      return rows;
    }
  }

  absl::Status Script(std::string_view sql) override {
    std::string text(sql);
    char* message = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK) return absl::OkStatus();
    std::string why = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return absl::Status(CodeOf(rc),
                        AsAbsl(fmt::format("SQLite {}: {} (in: {})", path_, why, FirstLine(sql))));
  }

  sqlite3* db_;
  std::string path_;
  std::mutex mu_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SqlDriver>> OpenSqlite(const std::string& path) {
  if (path != ":memory:") {
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      return absl::UnavailableError(AsAbsl(fmt::format(
          "SQLite {}: cannot create the directory {}: {}", path, parent.string(), ec.message())));
    }
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return absl::Status(CodeOf(rc), AsAbsl(fmt::format("SQLite {}: cannot open: {}", path, why)));
  }
  auto driver = std::make_unique<SqliteDriver>(db, path);
  VIGIL_RETURN_IF_ERROR(driver->Configure());
  return driver;
}

}  // namespace vigil::store
