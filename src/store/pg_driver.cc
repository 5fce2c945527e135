#include "store/pg_driver.h"

#include <endian.h>
#include <libpq-fe.h>

#include <bit>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <vector>

#include "common/strings.h"
#include "fmt/format.h"
#include "store/store_url.h"
#include "store/text_search.h"

namespace vigil::store {
namespace {

// Type oids (pg_type.h is not part of libpq's public headers).
constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23,
              kTextOid = 25, kFloat4Oid = 700, kFloat8Oid = 701;
// Any constant that is vigil's own: serialises concurrent migrations of one database.
constexpr std::string_view kMigrationLock = "SELECT pg_advisory_xact_lock(7262011)";

// From schema 8 on, the text search indexes if pg_trgm has become available since.
absl::Status OnOpen(SqlSession& s, int schema_version) {
  return schema_version >= kTextIndexSchema ? EnsurePgTrigramIndexes(s) : absl::OkStatus();
}

const Dialect kPostgresDialect = {
    PostgresMigrations(),
    kMigrationLock,
    "strpos({0}, {1}) > 0",
    "SELECT (pg_total_relation_size('history_day') + pg_total_relation_size('history_code') + "
    "pg_total_relation_size('history_recon'))::bigint",
    TextIndex::kPgTrgm,
    OnOpen,
};

std::string_view FirstLine(std::string_view sql) {
  while (!sql.empty() && (sql.front() == '\n' || sql.front() == ' ')) sql.remove_prefix(1);
  return sql.substr(0, std::min(sql.find('\n'), size_t{80}));
}

absl::StatusCode CodeOf(PGconn* conn, const PGresult* res) {
  if (PQstatus(conn) != CONNECTION_OK) return absl::StatusCode::kUnavailable;
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view s = state ? state : "";
  if (s.starts_with("08") || s.starts_with("57P")) return absl::StatusCode::kUnavailable;
  if (s.starts_with("23")) return absl::StatusCode::kFailedPrecondition;
  if (s.starts_with("40")) return absl::StatusCode::kAborted;
  if (s.starts_with("53")) return absl::StatusCode::kResourceExhausted;
  return absl::StatusCode::kInternal;
}

std::string TrimmedError(const char* message) {
  std::string m = message ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

SqlCell CellOf(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) return SqlCell();
  const char* v = PQgetvalue(res, row, col);
  int len = PQgetlength(res, row, col);
  switch (PQftype(res, col)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      int64_t i = 0;
      std::from_chars(v, v + len, i);
      return SqlCell(i);
    }
    case kFloat4Oid:
    case kFloat8Oid:
      return SqlCell(std::strtod(v, nullptr));
    case kBoolOid:
      return SqlCell(int64_t{v[0] == 't'});
    case kByteaOid: {
      size_t size = 0;
      unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(v), &size);
      std::string out(reinterpret_cast<const char*>(bytes), size);
      PQfreemem(bytes);
      return SqlCell(std::move(out));
    }
    default:
      return SqlCell(std::string(v, len));
  }
}

// Parameters in binary format: integers and doubles in network byte order, text and bytea as
// their bytes (so neither needs a terminating NUL nor escaping).
class BinaryParams {
 public:
  explicit BinaryParams(std::span<const SqlParam> params) : numbers_(params.size()) {
    for (size_t i = 0; i < params.size(); ++i) Add(params[i], &numbers_[i]);
  }
  int size() const { return static_cast<int>(types_.size()); }
  const Oid* types() const { return types_.data(); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  void Add(const SqlParam& p, uint64_t* number) {
    using T = SqlParam::Type;
    types_.push_back(p.type == T::kInt ? kInt8Oid : p.type == T::kReal ? kFloat8Oid
                                                  : p.type == T::kText ? kTextOid : kByteaOid);
    formats_.push_back(1);
    if (p.null) {
      values_.push_back(nullptr);
      lengths_.push_back(0);
    } else if (p.type == T::kInt || p.type == T::kReal) {
      *number = htobe64(p.type == T::kInt ? static_cast<uint64_t>(p.i) : std::bit_cast<uint64_t>(p.d));
      values_.push_back(reinterpret_cast<const char*>(number));
      lengths_.push_back(8);
    } else {
      values_.push_back(p.s.empty() ? "" : p.s.data());
      lengths_.push_back(static_cast<int>(p.s.size()));
    }
  }
  std::vector<uint64_t> numbers_;  // sized up front: values_ point into it
  std::vector<Oid> types_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

class PgSession final : public SqlSession {
 public:
  PgSession(PGconn* conn, const std::string& where) : conn_(conn), where_(where) {}

  absl::StatusOr<SqlRows> Run(std::string_view sql, std::span<const SqlParam> params) override {
    BinaryParams p(params);
    std::string text(sql);
    PGresult* res = PQexecParams(conn_, text.c_str(), p.size(), p.types(), p.values(),
                                 p.lengths(), p.formats(), /*resultFormat=*/0);
    absl::StatusOr<SqlRows> out = Collect(res, sql);
    PQclear(res);
    return out;
  }

  absl::Status Script(std::string_view sql) override {
    std::string text(sql);
    PGresult* res = PQexec(conn_, text.c_str());
    absl::Status s = Collect(res, sql).status();
    PQclear(res);
    return s;
  }

 private:
  absl::StatusOr<SqlRows> Collect(PGresult* res, std::string_view sql) {
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      std::string why = TrimmedError(res ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
      if (why.empty()) why = TrimmedError(PQerrorMessage(conn_));
      return absl::Status(CodeOf(conn_, res), AsAbsl(fmt::format("PostgreSQL {}: {} (in: {})",
                                                                  where_, why, FirstLine(sql))));
    }
    SqlRows rows(PQntuples(res));
    int cols = PQnfields(res);
    for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
      rows[r].reserve(cols);
      for (int c = 0; c < cols; ++c) rows[r].push_back(CellOf(res, r, c));
    }
    return rows;
  }

  PGconn* conn_;
  const std::string& where_;
};

class PgDriver final : public SqlDriver {
 public:
  PgDriver(std::string url, PgOptions options)
      : url_(std::move(url)), where_(RedactUrl(url_)), options_(options) {}
  ~PgDriver() override {
    for (PGconn* c : idle_) PQfinish(c);
  }

  std::string backend() const override { return "postgresql"; }
  const Dialect& dialect() const override { return kPostgresDialect; }
  const std::string& where() const override { return where_; }

  // Reads see one snapshot, so a read of several queries is consistent.
  absl::Status Read(const TxnFn& fn) override {
    return Transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn);
  }
  absl::Status Write(const TxnFn& fn) override { return Transaction("BEGIN", fn); }

  absl::StatusOr<PGconn*> Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || open_ < options_.max_connections; });
    if (!idle_.empty()) {
      PGconn* c = idle_.back();
      idle_.pop_back();
      return c;
    }
    ++open_;
    lock.unlock();
    absl::StatusOr<PGconn*> c = Connect();
    if (!c.ok()) {
      lock.lock();
      --open_;
      cv_.notify_one();
    }
    return c;
  }

  // Healthy idle connections go back to the pool; any other is closed.
  void Release(PGconn* c) {
    std::lock_guard<std::mutex> lock(mu_);
    if (PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) == PQTRANS_IDLE) {
      idle_.push_back(c);
    } else {
      PQfinish(c);
      --open_;
    }
    cv_.notify_one();
  }

 private:
  absl::StatusOr<PGconn*> Connect() {
    std::string timeout = std::to_string(options_.connect_timeout_s);
    // dbname (the URL) comes last, so what the URL sets overrides these defaults.
    const char* keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname",
                          nullptr};
    const char* values[] = {timeout.c_str(), "vigil", "UTF8", url_.c_str(), nullptr};
    PGconn* c = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (c == nullptr) return absl::ResourceExhaustedError("libpq: out of memory");
    if (PQstatus(c) != CONNECTION_OK) {
      std::string why = TrimmedError(PQerrorMessage(c));
      PQfinish(c);
      return absl::UnavailableError(
          AsAbsl(fmt::format("cannot connect to PostgreSQL at {}: {}", where_, why)));
    }
    PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);  // "already exists, skipping"
    return c;
  }

  static absl::Status Attempt(PGconn* conn, const std::string& where, std::string_view begin,
                              const TxnFn& fn, bool* committing) {
    PgSession session(conn, where);
    VIGIL_RETURN_IF_ERROR(session.Script(begin));
    absl::Status s = fn(session);
    if (!s.ok()) {
      if (PQstatus(conn) == CONNECTION_OK) session.Script("ROLLBACK").IgnoreError();
      return s;
    }
    *committing = true;
    return session.Script("COMMIT");
  }

  absl::Status Transaction(std::string_view begin, const TxnFn& fn) {
    VIGIL_ASSIGN_OR_RETURN(PGconn * conn, Acquire());
    absl::Status s;
    for (int attempt = 0; attempt < 2; ++attempt) {
      bool committing = false;
      s = Attempt(conn, where_, begin, fn, &committing);
      if (s.ok() || PQstatus(conn) == CONNECTION_OK) break;
      if (committing) {
        s = absl::UnavailableError(AsAbsl(fmt::format(
            "PostgreSQL {}: the connection broke during COMMIT; the transaction may or may not "
            "have been applied: {}", where_, AsStd(s.message()))));
        break;
      }
      if (attempt == 1) break;
      PQreset(conn);  // broken before COMMIT: nothing was applied, so running again is safe
      if (PQstatus(conn) != CONNECTION_OK) {
        s = absl::UnavailableError(AsAbsl(fmt::format("cannot reconnect to PostgreSQL at {}: {}",
                                                      where_, TrimmedError(PQerrorMessage(conn)))));
        break;
      }
    }
    Release(conn);
    return s;
  }

  const std::string url_;
  const std::string where_;
  const PgOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<PGconn*> idle_;
  int open_ = 0;  // idle and leased connections
};

}  // namespace

absl::StatusOr<std::unique_ptr<SqlDriver>> OpenPostgres(const std::string& url,
                                                        const PgOptions& options) {
  char* error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url.c_str(), &error);
  if (parsed == nullptr) {
    std::string why = TrimmedError(error ? error : "out of memory");
    PQfreemem(error);
    return absl::InvalidArgumentError(
        AsAbsl(fmt::format("store URL '{}': {}", RedactUrl(url), why)));
  }
  PQconninfoFree(parsed);
  auto driver = std::make_unique<PgDriver>(url, options);
  VIGIL_ASSIGN_OR_RETURN(PGconn * first, driver->Acquire());
  driver->Release(first);
  return driver;
}

}  // namespace vigil::store
