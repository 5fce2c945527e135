// SqlStore: opening and migrating, and the small key-value tables (metadata, alert groups,
// source offsets).
#include "store/sql_store.h"

#include <chrono>

#include "common/strings.h"
#include "fmt/format.h"
#include "store/pg_driver.h"
#include "store/sqlite_driver.h"
#include "store/store_url.h"

namespace vigil::store {

absl::StatusOr<std::unique_ptr<Store>> OpenStoreAtVersion(const std::string& url, int version) {
  VIGIL_ASSIGN_OR_RETURN(StoreUrl parsed, ParseStoreUrl(url));
  absl::StatusOr<std::unique_ptr<SqlDriver>> driver = parsed.kind == StoreUrl::Kind::kSqlite
                                                          ? OpenSqlite(parsed.target)
                                                          : OpenPostgres(parsed.target);
  if (!driver.ok()) return driver.status();
  return SqlStore::Open(std::move(*driver), version);
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& url) {
  return OpenStoreAtVersion(url, 0);
}

absl::StatusOr<std::unique_ptr<Store>> SqlStore::Open(std::unique_ptr<SqlDriver> driver,
                                                      int target_version) {
  std::unique_ptr<SqlStore> store(new SqlStore(std::move(driver)));
  VIGIL_RETURN_IF_ERROR(store->Migrate(target_version));
  return std::unique_ptr<Store>(std::move(store));
}

absl::Status SqlStore::Migrate(int target_version) {
  const Dialect& dialect = db_->dialect();
  const int latest = dialect.migrations.empty() ? 0 : dialect.migrations.back().version;
  const int target = target_version <= 0 || target_version > latest ? latest : target_version;
  // applied_at is a note for people reading the table, not an input to anything: the wall
  // clock is fine here.
  const TimeMs now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  return db_->Write([&](SqlSession& s) -> absl::Status {
    if (!dialect.migration_lock.empty()) VIGIL_RETURN_IF_ERROR(s.Query(dialect.migration_lock).status());
    VIGIL_RETURN_IF_ERROR(s.Script(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)"));
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows,
                           s.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    const int current = static_cast<int>(rows.at(0).at(0).Int());
    if (current > latest) {
      return absl::FailedPreconditionError(AsAbsl(fmt::format(
          "{} store {}: the database has schema version {}, newer than this vigil knows ({}); "
          "open it with the vigil that wrote it or a newer one",
          db_->backend(), db_->where(), current, latest)));
    }
    for (const Migration& m : dialect.migrations) {
      if (m.version <= current || m.version > target) continue;
      absl::Status applied = m.run ? m.run(s) : s.Script(m.sql);
      if (!applied.ok()) {
        return absl::Status(applied.code(), AsAbsl(fmt::format("migration {} ({}): {}", m.version,
                                                               m.name, AsStd(applied.message()))));
      }
      VIGIL_RETURN_IF_ERROR(
          s.Query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                  {Int(m.version), Int(now)})
              .status());
    }
    schema_version_ = std::max(current, target);
    if (dialect.on_open) VIGIL_RETURN_IF_ERROR(dialect.on_open(s, schema_version_));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<std::string>> SqlStore::TextByKey(std::string_view sql,
                                                               const std::string& key) {
  std::optional<std::string> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows, s.Query(sql, {Text(key)}));
    out.reset();
    if (!rows.empty()) out = rows[0][0].Text();
    return absl::OkStatus();
  }));
  return out;
}

absl::Status SqlStore::UpdateOne(std::string_view sql, const std::vector<SqlParam>& params,
                                 std::string_view what) {
  return db_->Write([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows, s.Query(sql, params));
    if (rows.empty()) return absl::NotFoundError(AsAbsl(fmt::format("{} not found", what)));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<std::string>> SqlStore::GetMeta(const std::string& key) {
  return TextByKey("SELECT value FROM meta WHERE key = $1", key);
}

absl::Status SqlStore::PutMeta(const std::string& key, const std::string& value) {
  return db_->Write([&](SqlSession& s) {
    return s.Query("INSERT INTO meta (key, value) VALUES ($1, $2) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                   {Text(key), Text(value)})
        .status();
  });
}

absl::StatusOr<std::optional<std::string>> SqlStore::GetGroupState(const std::string& group_key) {
  return TextByKey("SELECT json FROM alert_group WHERE group_key = $1", group_key);
}

absl::Status SqlStore::PutGroupState(const std::string& group_key, const std::string& json) {
  return WriteGroupStates({{group_key, json}}, {});
}

absl::Status SqlStore::DeleteGroupState(const std::string& group_key) {
  return WriteGroupStates({}, {group_key});
}

absl::Status SqlStore::WriteGroupStates(
    const std::vector<std::pair<std::string, std::string>>& put,
    const std::vector<std::string>& erase) {
  if (put.empty() && erase.empty()) return absl::OkStatus();
  return db_->Write([&](SqlSession& s) -> absl::Status {
    for (const auto& [key, json] : put) {
      VIGIL_RETURN_IF_ERROR(s.Query("INSERT INTO alert_group (group_key, json) VALUES ($1, $2) "
                                    "ON CONFLICT (group_key) DO UPDATE SET json = excluded.json",
                                    {Text(key), Text(json)})
                                .status());
    }
    for (const std::string& key : erase) {
      VIGIL_RETURN_IF_ERROR(
          s.Query("DELETE FROM alert_group WHERE group_key = $1", {Text(key)}).status());
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> SqlStore::GroupStates() {
  std::vector<std::pair<std::string, std::string>> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows,
                           s.Query("SELECT group_key, json FROM alert_group ORDER BY group_key"));
    out.clear();
    for (const SqlRow& r : rows) out.emplace_back(r[0].Text(), r[1].Text());
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::optional<std::string>> SqlStore::GetOffset(const std::string& source) {
  return TextByKey("SELECT value FROM source_offset WHERE source = $1", source);
}

absl::Status SqlStore::PutOffset(const std::string& source, const std::string& value) {
  return db_->Write([&](SqlSession& s) {
    return s.Query("INSERT INTO source_offset (source, value) VALUES ($1, $2) "
                   "ON CONFLICT (source) DO UPDATE SET value = excluded.value",
                   {Text(source), Text(value)})
        .status();
  });
}

}  // namespace vigil::store
