// The store test suite's fixture: every TEST_P(StoreTest, ...) runs once per backend, each on a
// database of its own (SQLite: a file in a fresh temporary directory; PostgreSQL: a fresh
// database on this process's real server, see pg_server.h).
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "pg_server.h"
#include "store/store.h"

namespace vigil::store {

// Value of a StatusOr, or a test failure and T{}.
template <typename T>
T Must(absl::StatusOr<T> v, const char* what = "") {
  if (!v.ok()) {
    ADD_FAILURE() << what << ": " << v.status();
    return T{};
  }
  return std::move(*v);
}

#define EXPECT_OK(expr)                            \
  do {                                             \
    absl::Status status_ = (expr);                 \
    EXPECT_TRUE(status_.ok()) << #expr << ": " << status_; \
  } while (0)
#define ASSERT_OK(expr)                            \
  do {                                             \
    absl::Status status_ = (expr);                 \
    ASSERT_TRUE(status_.ok()) << #expr << ": " << status_; \
  } while (0)

// A fresh database of one backend, and raw SQL on it for what the Store does not expose
// (tampering with the schema version, inspecting tables).
class TestDatabase {
 public:
  virtual ~TestDatabase() = default;
  virtual absl::StatusOr<std::string> Create() = 0;  // the URL of a new empty database
  virtual absl::Status Exec(const std::string& sql) = 0;
  // The first column of the first row as text ("" for none or NULL).
  virtual absl::StatusOr<std::string> QueryValue(const std::string& sql) = 0;
};

class SqliteTestDatabase : public TestDatabase {
 public:
  ~SqliteTestDatabase() override {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  absl::StatusOr<std::string> Create() override {
    std::string dir = (std::filesystem::temp_directory_path() / "vigil-store-XXXXXX").string();
    if (mkdtemp(dir.data()) == nullptr) return absl::InternalError("mkdtemp failed");
    dir_ = dir;
    path_ = (dir_ / "data" / "vigil.db").string();  // a parent directory Open must create
    return "sqlite://" + path_;
  }
  absl::Status Exec(const std::string& sql) override {
    sqlite3* db = nullptr;
    absl::Status s;
    char* error = nullptr;
    if (sqlite3_open(path_.c_str(), &db) != SQLITE_OK ||
        sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      s = absl::InternalError(sql + ": " + (error ? error : sqlite3_errmsg(db)));
    }
    sqlite3_free(error);
    sqlite3_close(db);
    return s;
  }
  absl::StatusOr<std::string> QueryValue(const std::string& sql) override {
    sqlite3* db = nullptr;
    sqlite3_stmt* stmt = nullptr;
    absl::StatusOr<std::string> out = std::string();
    if (sqlite3_open(path_.c_str(), &db) != SQLITE_OK ||
        sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      out = absl::InternalError(sql + ": " + sqlite3_errmsg(db));
    } else if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0)) {
      out = std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
  }
  const std::string& path() const { return path_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::string path_;
};

class PgTestDatabase : public TestDatabase {
 public:
  absl::StatusOr<std::string> Create() override {
    auto url = testing::PgTestEnvironment::NewDatabase();
    if (url.ok()) url_ = *url;
    return url;
  }
  absl::Status Exec(const std::string& sql) override {
    return testing::PgTestServer::Exec(url_, sql);
  }
  absl::StatusOr<std::string> QueryValue(const std::string& sql) override {
    return testing::PgTestServer::QueryValue(url_, sql);
  }

 private:
  std::string url_;
};

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      db_ = std::make_unique<SqliteTestDatabase>();
    } else {
      db_ = std::make_unique<PgTestDatabase>();
    }
    auto url = db_->Create();
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
    ASSERT_NO_FATAL_FAILURE(Open());
  }

  void Open() {
    auto s = Store::Open(url_);
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
  }
  // Closes the store and opens the same database again.
  void Reopen() {
    store_.reset();
    Open();
  }

  Store& store() { return *store_; }

  std::unique_ptr<TestDatabase> db_;
  std::string url_;
  std::unique_ptr<Store> store_;
};

}  // namespace vigil::store
