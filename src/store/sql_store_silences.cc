// SqlStore: silences. Matchers are kept as one JSON array per silence
// ([{"name": ..., "op": ..., "value": ...}]): they are only ever read and written whole.
#include "common/strings.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "store/sql_store.h"

namespace vigil::store {
namespace {

constexpr std::string_view kSilenceColumns =
    "id, matchers_json, starts_at, ends_at, created_by, comment, created_at, updated_at";

std::string MatchersJson(const std::vector<Matcher>& matchers) {
  nlohmann::json a = nlohmann::json::array();
  for (const Matcher& m : matchers) a.push_back({{"name", m.name}, {"op", m.op}, {"value", m.value}});
  return a.dump();
}

absl::StatusOr<Silence> SilenceOf(const SqlRow& r) {
  Silence s;
  s.id = r[0].Int();
  nlohmann::json a = nlohmann::json::parse(r[1].Text(), nullptr, /*allow_exceptions=*/false);
  auto corrupt = [&] {
    return absl::DataLossError(
        AsAbsl(fmt::format("silence {}: matchers are not a JSON array of objects", s.id)));
  };
  if (!a.is_array()) return corrupt();
  for (const auto& m : a) {
    if (!m.is_object()) return corrupt();
    auto text = [&](const char* key, const char* fallback) {
      auto it = m.find(key);
      return it != m.end() && it->is_string() ? it->get<std::string>() : std::string(fallback);
    };
    s.matchers.push_back(Matcher{text("name", ""), text("op", "="), text("value", "")});
  }
  s.starts_at = r[2].Int();
  s.ends_at = r[3].Int();
  s.created_by = r[4].Text();
  s.comment = r[5].Text();
  s.created_at = r[6].Int();
  s.updated_at = r[7].Int();
  return s;
}

}  // namespace

absl::StatusOr<int64_t> SqlStore::CreateSilence(const Silence& s) {
  std::string matchers = MatchersJson(s.matchers);
  int64_t id = 0;
  VIGIL_RETURN_IF_ERROR(db_->Write([&](SqlSession& db) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        db.Query("INSERT INTO silence (matchers_json, starts_at, ends_at, created_by, comment, "
                 "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                 {Text(matchers), Int(s.starts_at), Int(s.ends_at), Text(s.created_by),
                  Text(s.comment), Int(s.created_at), Int(s.updated_at)}));
    id = rows.at(0).at(0).Int();
    return absl::OkStatus();
  }));
  return id;
}

absl::Status SqlStore::UpdateSilence(const Silence& s) {
  std::string matchers = MatchersJson(s.matchers);
  return UpdateOne(
      "UPDATE silence SET matchers_json = $2, starts_at = $3, ends_at = $4, created_by = $5, "
      "comment = $6, updated_at = $7 WHERE id = $1 RETURNING id",
      {Int(s.id), Text(matchers), Int(s.starts_at), Int(s.ends_at), Text(s.created_by),
       Text(s.comment), Int(s.updated_at)},
      fmt::format("silence {}", s.id));
}

absl::Status SqlStore::ExpireSilence(int64_t id, TimeMs now) {
  return UpdateOne(
      "UPDATE silence SET "
      "starts_at = CASE WHEN starts_at > $2 THEN $2 ELSE starts_at END, "
      "ends_at = CASE WHEN ends_at > $2 THEN $2 ELSE ends_at END, "
      "updated_at = CASE WHEN ends_at > $2 THEN $2 ELSE updated_at END "
      "WHERE id = $1 RETURNING id",
      {Int(id), Int(now)}, fmt::format("silence {}", id));
}

absl::StatusOr<std::optional<Silence>> SqlStore::GetSilence(int64_t id) {
  std::optional<Silence> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& db) -> absl::Status {
    out.reset();
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        db.Query(fmt::format("SELECT {} FROM silence WHERE id = $1", kSilenceColumns), {Int(id)}));
    if (rows.empty()) return absl::OkStatus();
    VIGIL_ASSIGN_OR_RETURN(out, SilenceOf(rows[0]));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Silence>> SqlStore::ListSilences(TimeMs now, bool include_expired) {
  std::string sql = fmt::format("SELECT {} FROM silence", kSilenceColumns);
  std::vector<SqlParam> params;
  if (!include_expired) {
    sql += " WHERE ends_at > $1";
    params.push_back(Int(now));
  }
  sql += " ORDER BY starts_at, id";
  std::vector<Silence> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& db) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows, db.Query(sql, params));
    out.clear();
    for (const SqlRow& r : rows) {
      VIGIL_ASSIGN_OR_RETURN(Silence s, SilenceOf(r));
      out.push_back(std::move(s));
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace vigil::store
