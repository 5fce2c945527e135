// SqlStore as the desk's store: API tokens for machine clients, and the append-only audit log.
#include "common/strings.h"
#include "fmt/format.h"
#include "store/sql_store.h"

namespace vigil::store {
namespace {

constexpr std::string_view kTokenSelect =
    "SELECT t.id, t.token_hash, t.user_id, u.name, t.label, t.role, t.created_by, t.created_at, "
    "t.last_used_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id ";

ApiTokenRow TokenOf(const SqlRow& r) {
  ApiTokenRow t;
  t.id = r[0].Int();
  t.token_hash = r[1].Text();
  t.user_id = r[2].Int();
  t.user_name = r[3].Text();
  t.label = r[4].Text();
  t.role = r[5].Text();
  t.created_by = r[6].Text();
  t.created_at = r[7].Int();
  t.last_used_at = r[8].OptInt();
  t.revoked_at = r[9].OptInt();
  return t;
}

}  // namespace

absl::StatusOr<int64_t> SqlStore::CreateApiToken(const ApiTokenRow& token) {
  int64_t id = 0;
  VIGIL_RETURN_IF_ERROR(db_->Write([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query("INSERT INTO api_tokens (token_hash, user_id, label, role, created_by, created_at) "
                "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                {Text(token.token_hash), Int(token.user_id), Text(token.label), Text(token.role),
                 Text(token.created_by), Int(token.created_at)}));
    id = rows.at(0).at(0).Int();
    return absl::OkStatus();
  }));
  return id;
}

absl::StatusOr<std::optional<ApiTokenRow>> SqlStore::GetApiToken(const std::string& token_hash) {
  std::optional<ApiTokenRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    out.reset();
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows, s.Query(fmt::format("{} WHERE t.token_hash = $1", kTokenSelect),
                                                 {Text(token_hash)}));
    if (!rows.empty()) out = TokenOf(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::optional<ApiTokenRow>> SqlStore::GetApiTokenById(int64_t id) {
  std::optional<ApiTokenRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    out.reset();
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows,
                           s.Query(fmt::format("{} WHERE t.id = $1", kTokenSelect), {Int(id)}));
    if (!rows.empty()) out = TokenOf(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<ApiTokenRow>> SqlStore::ListApiTokens(int64_t user_id) {
  std::vector<ApiTokenRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    out.clear();
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query(fmt::format("{} WHERE $1 = 0 OR t.user_id = $1 ORDER BY t.id", kTokenSelect),
                {Int(user_id)}));
    for (const SqlRow& r : rows) out.push_back(TokenOf(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status SqlStore::RevokeApiToken(int64_t id, TimeMs at) {
  return UpdateOne("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 "
                   "RETURNING id",
                   {Int(id), Int(at)}, fmt::format("API token {}", id));
}

absl::Status SqlStore::TouchApiToken(int64_t id, TimeMs at) {
  return db_->Write([&](SqlSession& s) {
    return s.Query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1", {Int(id), Int(at)})
        .status();
  });
}

absl::StatusOr<int64_t> SqlStore::AppendAudit(const AuditEntry& e) {
  int64_t id = 0;
  VIGIL_RETURN_IF_ERROR(db_->Write([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query("INSERT INTO audit_log (at, actor, action, target, detail_json, client_ip) "
                "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                {Int(e.at), Text(e.actor), Text(e.action), Text(e.target),
                 Text(e.detail_json.empty() ? std::string_view("{}") : e.detail_json),
                 Text(e.client_ip)}));
    id = rows.at(0).at(0).Int();
    return absl::OkStatus();
  }));
  return id;
}

absl::StatusOr<std::vector<AuditEntry>> SqlStore::QueryAudit(const AuditQuery& q) {
  std::vector<AuditEntry> out;
  if (q.limit <= 0) return out;
  std::string sql =
      "SELECT id, at, actor, action, target, detail_json, client_ip FROM audit_log WHERE 1 = 1";
  std::vector<SqlParam> params;
  auto where = [&](std::string_view condition, SqlParam p) {
    params.push_back(p);
    sql += fmt::format(" AND {} ${}", condition, params.size());
  };
  if (q.from) where("at >=", Int(*q.from));
  if (q.to) where("at <", Int(*q.to));
  if (q.actor) where("actor =", Text(*q.actor));
  if (q.action) where("action =", Text(*q.action));
  if (q.before_id > 0) where("id <", Int(q.before_id));
  params.push_back(Int(q.limit));
  sql += fmt::format(" ORDER BY id DESC LIMIT ${}", params.size());
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows, s.Query(sql, params));
    out.clear();
    for (const SqlRow& r : rows) {
      out.push_back(AuditEntry{r[0].Int(), r[1].Int(), r[2].Text(), r[3].Text(), r[4].Text(),
                               r[5].Text(), r[6].Text()});
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace vigil::store
