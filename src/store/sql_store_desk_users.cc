// SqlStore as the desk's store: users with their groups, and login sessions. A user's groups
// are rows of user_groups, replaced whole by UpdateUser in the same transaction.
#include "common/strings.h"
#include "fmt/format.h"
#include "store/sql_store.h"

namespace vigil::store {
namespace {

constexpr std::string_view kUserColumns =
    "id, name, role, password_hash, disabled, must_change_password, created_at, updated_at, email";

UserRow UserOf(const SqlRow& r) {
  UserRow u;
  u.id = r[0].Int();
  u.name = r[1].Text();
  u.role = r[2].Text();
  u.password_hash = r[3].Text();
  u.disabled = r[4].Int() != 0;
  u.must_change_password = r[5].Int() != 0;
  u.created_at = r[6].Int();
  u.updated_at = r[7].Int();
  u.email = r[8].Text();
  return u;
}

absl::Status LoadGroups(SqlSession& s, UserRow* u) {
  VIGIL_ASSIGN_OR_RETURN(
      SqlRows rows, s.Query("SELECT group_name FROM user_groups WHERE user_id = $1 "
                            "ORDER BY group_name",
                            {Int(u->id)}));
  u->groups.clear();
  for (const SqlRow& r : rows) u->groups.push_back(r[0].Text());
  return absl::OkStatus();
}

absl::Status WriteGroups(SqlSession& s, const UserRow& u) {
  VIGIL_RETURN_IF_ERROR(
      s.Query("DELETE FROM user_groups WHERE user_id = $1", {Int(u.id)}).status());
  for (const std::string& g : u.groups) {
    VIGIL_RETURN_IF_ERROR(s.Query("INSERT INTO user_groups (user_id, group_name) VALUES ($1, $2) "
                                  "ON CONFLICT DO NOTHING",
                                  {Int(u.id), Text(g)})
                              .status());
  }
  return absl::OkStatus();
}

SessionRow SessionOf(const SqlRow& r) {
  return SessionRow{r[0].Text(), r[1].Int(), r[2].Text(), r[3].Int(), r[4].Int(), r[5].Text()};
}

}  // namespace

absl::StatusOr<int64_t> SqlStore::CountUsers() {
  int64_t n = 0;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows, s.Query("SELECT COUNT(*) FROM users"));
    n = rows.at(0).at(0).Int();
    return absl::OkStatus();
  }));
  return n;
}

absl::StatusOr<int64_t> SqlStore::CreateUser(const UserRow& user) {
  int64_t id = 0;
  VIGIL_RETURN_IF_ERROR(db_->Write([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query("INSERT INTO users (name, role, password_hash, disabled, must_change_password, "
                "created_at, updated_at, email) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                "ON CONFLICT (name) DO NOTHING RETURNING id",
                {Text(user.name), Text(user.role), Text(user.password_hash),
                 Int(user.disabled ? 1 : 0), Int(user.must_change_password ? 1 : 0),
                 Int(user.created_at), Int(user.updated_at), Text(user.email)}));
    if (rows.empty()) {
      return absl::AlreadyExistsError(AsAbsl(fmt::format("user '{}' exists already", user.name)));
    }
    UserRow created = user;
    created.id = id = rows[0][0].Int();
    return WriteGroups(s, created);
  }));
  return id;
}

absl::StatusOr<std::optional<UserRow>> SqlStore::GetUser(const std::string& name) {
  std::optional<UserRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    out.reset();
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query(fmt::format("SELECT {} FROM users WHERE name = $1", kUserColumns), {Text(name)}));
    if (rows.empty()) return absl::OkStatus();
    out = UserOf(rows[0]);
    return LoadGroups(s, &*out);
  }));
  return out;
}

absl::StatusOr<std::optional<UserRow>> SqlStore::GetUserById(int64_t id) {
  std::optional<UserRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    out.reset();
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query(fmt::format("SELECT {} FROM users WHERE id = $1", kUserColumns), {Int(id)}));
    if (rows.empty()) return absl::OkStatus();
    out = UserOf(rows[0]);
    return LoadGroups(s, &*out);
  }));
  return out;
}

absl::StatusOr<std::vector<UserRow>> SqlStore::ListUsers() {
  std::vector<UserRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    out.clear();
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows, s.Query(fmt::format("SELECT {} FROM users ORDER BY name", kUserColumns)));
    for (const SqlRow& r : rows) {
      out.push_back(UserOf(r));
      VIGIL_RETURN_IF_ERROR(LoadGroups(s, &out.back()));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::Status SqlStore::UpdateUser(const UserRow& user) {
  return db_->Write([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query("UPDATE users SET role = $2, password_hash = $3, disabled = $4, "
                "must_change_password = $5, updated_at = $6, email = $7 WHERE id = $1 RETURNING id",
                {Int(user.id), Text(user.role), Text(user.password_hash),
                 Int(user.disabled ? 1 : 0), Int(user.must_change_password ? 1 : 0),
                 Int(user.updated_at), Text(user.email)}));
    if (rows.empty()) return absl::NotFoundError(AsAbsl(fmt::format("no user with id {}", user.id)));
    return WriteGroups(s, user);
  });
}

absl::Status SqlStore::CreateSession(const SessionRow& session) {
  return db_->Write([&](SqlSession& s) {
    return s
        .Query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, "
               "client_ip) VALUES ($1, $2, $3, $4, $5, $6)",
               {Text(session.token_hash), Int(session.user_id), Text(session.csrf_token),
                Int(session.created_at), Int(session.last_seen_at), Text(session.client_ip)})
        .status();
  });
}

absl::StatusOr<std::optional<SessionRow>> SqlStore::GetSession(const std::string& token_hash) {
  std::optional<SessionRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    out.reset();
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query("SELECT token_hash, user_id, csrf_token, created_at, last_seen_at, client_ip "
                "FROM sessions WHERE token_hash = $1",
                {Text(token_hash)}));
    if (!rows.empty()) out = SessionOf(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::Status SqlStore::TouchSession(const std::string& token_hash, TimeMs last_seen_at) {
  return db_->Write([&](SqlSession& s) {
    return s
        .Query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1",
               {Text(token_hash), Int(last_seen_at)})
        .status();
  });
}

absl::StatusOr<bool> SqlStore::DeleteSession(const std::string& token_hash) {
  bool deleted = false;
  VIGIL_RETURN_IF_ERROR(db_->Write([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows,
                           s.Query("DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id",
                                   {Text(token_hash)}));
    deleted = !rows.empty();
    return absl::OkStatus();
  }));
  return deleted;
}

absl::StatusOr<int64_t> SqlStore::DeleteUserSessions(int64_t user_id, const std::string& keep_hash) {
  int64_t n = 0;
  VIGIL_RETURN_IF_ERROR(db_->Write([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows, s.Query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2 "
                              "RETURNING user_id",
                              {Int(user_id), Text(keep_hash)}));
    n = static_cast<int64_t>(rows.size());
    return absl::OkStatus();
  }));
  return n;
}

absl::StatusOr<int64_t> SqlStore::PruneSessions(TimeMs created_before, TimeMs seen_before) {
  int64_t n = 0;
  VIGIL_RETURN_IF_ERROR(db_->Write([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows, s.Query("DELETE FROM sessions WHERE created_at < $1 OR last_seen_at < $2 "
                              "RETURNING user_id",
                              {Int(created_before), Int(seen_before)}));
    n = static_cast<int64_t>(rows.size());
    return absl::OkStatus();
  }));
  return n;
}

}  // namespace vigil::store
