// The small SQL layer the store is written on: one set of queries, two drivers (SQLite and
// libpq). Queries use PostgreSQL's positional parameters `$1, $2, ...`; SQLite accepts the same
// spelling as named parameters, and its driver binds them by name, so the text is shared.
// Everything a dialect does differently (DDL, a substring test, how to measure table sizes)
// is in `Dialect`.
//
// Values always travel as bound parameters with an explicit type, never spliced into SQL.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "store/migrations.h"

namespace vigil::store {

// A statement parameter. The type is explicit so PostgreSQL never has to infer it, and a NULL
// still has one. Text and blobs are views: they must outlive the call they are passed to.
struct SqlParam {
  enum class Type : uint8_t { kInt, kReal, kText, kBlob };
  Type type = Type::kInt;
  bool null = false;
  int64_t i = 0;
  double d = 0;
  std::string_view s;
};
inline SqlParam Int(int64_t v) { return {SqlParam::Type::kInt, false, v, 0, {}}; }
inline SqlParam Int(std::optional<int64_t> v) { return {SqlParam::Type::kInt, !v, v.value_or(0), 0, {}}; }
inline SqlParam Real(std::optional<double> v) { return {SqlParam::Type::kReal, !v, 0, v.value_or(0), {}}; }
inline SqlParam Text(std::string_view v) { return {SqlParam::Type::kText, false, 0, 0, v}; }
inline SqlParam Blob(std::string_view v) { return {SqlParam::Type::kBlob, false, 0, 0, v}; }

// One value of a result row. Integers come back as integers from both drivers; text and blobs
// as bytes, exactly as stored.
class SqlCell {
 public:
  SqlCell() = default;
  explicit SqlCell(int64_t v) : v_(v) {}
  explicit SqlCell(double v) : v_(v) {}
  explicit SqlCell(std::string v) : v_(std::move(v)) {}

  bool null() const { return std::holds_alternative<std::monostate>(v_); }
  int64_t Int() const;  // 0 for NULL; parses text (PostgreSQL's numeric sums)
  double Real() const;
  const std::string& Text() const;  // text or blob bytes; "" for NULL or a number
  std::optional<int64_t> OptInt() const { return null() ? std::nullopt : std::optional(Int()); }
  std::optional<double> OptReal() const { return null() ? std::nullopt : std::optional(Real()); }

 private:
  std::variant<std::monostate, int64_t, double, std::string> v_;
};
using SqlRow = std::vector<SqlCell>;
using SqlRows = std::vector<SqlRow>;

// A connection inside a transaction (see SqlDriver::Read / Write).
class SqlSession {
 public:
  virtual ~SqlSession() = default;
  // Runs one statement with its parameters and returns every row it produced.
  virtual absl::StatusOr<SqlRows> Run(std::string_view sql, std::span<const SqlParam> params) = 0;
  // Runs several parameterless statements (migrations' DDL).
  virtual absl::Status Script(std::string_view sql) = 0;

  absl::StatusOr<SqlRows> Query(std::string_view sql, std::initializer_list<SqlParam> params = {}) {
    return Run(sql, std::span<const SqlParam>(params.begin(), params.size()));
  }
  absl::StatusOr<SqlRows> Query(std::string_view sql, const std::vector<SqlParam>& params) {
    return Run(sql, std::span<const SqlParam>(params));
  }
};

// How the incidents' text is indexed for the queue's search (text_search.h).
enum class TextIndex : uint8_t { kFts5Trigram, kPgTrgm };

// What differs between the two databases, beyond the driver itself.
struct Dialect {
  std::span<const Migration> migrations;
  // Run first inside the migration transaction, to keep two openers from migrating at once
  // ("" when the transaction itself already excludes other writers).
  std::string_view migration_lock;
  // A boolean expression "column contains the text of parameter": fmt pattern with {0} for the
  // column and {1} for the parameter ("instr({0}, {1}) > 0").
  std::string_view contains;
  // One row, one integer: bytes the history tables take on disk, indexes included.
  std::string_view history_bytes;
  TextIndex text_index = TextIndex::kFts5Trigram;
  // Run at every open, in the migration transaction after the steps, with the schema version
  // reached: repairs what a step could not do then (nullptr: nothing).
  absl::Status (*on_open)(SqlSession&, int schema_version) = nullptr;
};

// A database connection (or pool) that runs functions as transactions. A function may be run
// twice (PostgreSQL retries once on a connection found broken), so it must reset any output
// it fills before writing into it.
//
// Thread safety: Read and Write may be called from several threads; calls are serialised or
// get their own pooled connection.
class SqlDriver {
 public:
  using TxnFn = std::function<absl::Status(SqlSession&)>;
  virtual ~SqlDriver() = default;
  virtual std::string backend() const = 0;  // "sqlite" / "postgresql"
  virtual const Dialect& dialect() const = 0;
  // Where the data is, for error messages: the SQLite file or the URL without its password.
  virtual const std::string& where() const = 0;
  // A read-only transaction.
  virtual absl::Status Read(const TxnFn& fn) = 0;
  // A transaction that writes: all of fn's effects are committed, or none (fn returned an
  // error, or the process died before the commit).
  virtual absl::Status Write(const TxnFn& fn) = 0;
};

}  // namespace vigil::store

// Early return for StatusOr in the store's code: `VIGIL_ASSIGN_OR_RETURN(auto rows, q);`.
#define VIGIL_STORE_CONCAT_INNER(a, b) a##b
#define VIGIL_STORE_CONCAT(a, b) VIGIL_STORE_CONCAT_INNER(a, b)
#define VIGIL_ASSIGN_OR_RETURN(lhs, expr) \
  VIGIL_ASSIGN_OR_RETURN_IMPL(VIGIL_STORE_CONCAT(status_or_, __LINE__), lhs, expr)
#define VIGIL_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(*tmp)
#define VIGIL_RETURN_IF_ERROR(expr)            \
  do {                                         \
    absl::Status status_ = (expr);             \
    if (!status_.ok()) return status_;         \
  } while (0)
