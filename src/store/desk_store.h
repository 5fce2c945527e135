// The incident desk's durable state (issue 5): users with their role and groups, login
// sessions, API tokens for machine clients, and the audit log. Declared apart from Store so the
// desk's logic (src/desk) depends on this small interface only; SqlStore implements both, on
// SQLite and PostgreSQL (sql_store_desk*.cc). Every method is one transaction.
//
// Secrets never reach the store in clear: passwords arrive as argon2id strings, session and
// API tokens as hashes (src/desk/tokens.h). Names and free text are stored byte for byte.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/time_util.h"

namespace vigil::store {

struct UserRow {
  int64_t id = 0;  // assigned by the store
  std::string name;
  std::string role;                 // reporter, handler, member, admin (src/desk/roles.h)
  std::vector<std::string> groups;  // sorted, no duplicates
  std::string email;                // "" none; checked by desk::CheckEmail
  std::string password_hash;        // crypto_pwhash_str output
  bool disabled = false;
  bool must_change_password = false;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

struct SessionRow {
  std::string token_hash;  // hex of the token's hash; the token itself is only the cookie's
  int64_t user_id = 0;
  std::string csrf_token;  // the synchronizer token the session's unsafe requests must echo
  TimeMs created_at = 0;
  TimeMs last_seen_at = 0;
  std::string client_ip;
};

struct ApiTokenRow {
  int64_t id = 0;  // assigned by the store
  std::string token_hash;
  int64_t user_id = 0;      // whose authority it carries
  std::string user_name;    // filled by reads
  std::string label;        // what it is for ("ci deploy")
  std::string role;         // no higher than its creator's at creation
  std::string created_by;
  TimeMs created_at = 0;
  std::optional<TimeMs> last_used_at;
  std::optional<TimeMs> revoked_at;
};

struct AuditEntry {
  int64_t id = 0;  // assigned by the store, increasing
  TimeMs at = 0;
  std::string actor;        // user name, "cli:<login>", or "system"
  std::string action;       // "auth.login", "user.create", ...
  std::string target;       // what it was done to ("user:zhang", "token:12")
  std::string detail_json;  // a JSON object ("{}" when nothing more)
  std::string client_ip;
};

struct AuditQuery {
  std::optional<TimeMs> from, to;  // `at` in [from, to)
  std::optional<std::string> actor;
  std::optional<std::string> action;
  int64_t before_id = 0;  // paging: only ids below this (0: from the newest)
  int limit = 100;        // newest first
};

class DeskStore {
 public:
  virtual ~DeskStore() = default;

  // --- users. Names are unique (AlreadyExists); ListUsers orders by name.
  virtual absl::StatusOr<int64_t> CountUsers() = 0;
  virtual absl::StatusOr<int64_t> CreateUser(const UserRow& user) = 0;
  virtual absl::StatusOr<std::optional<UserRow>> GetUser(const std::string& name) = 0;
  virtual absl::StatusOr<std::optional<UserRow>> GetUserById(int64_t id) = 0;
  virtual absl::StatusOr<std::vector<UserRow>> ListUsers() = 0;
  // Replaces role, groups, password hash, disabled, must_change_password and updated_at of the
  // user `user.id`; NotFound when there is none.
  virtual absl::Status UpdateUser(const UserRow& user) = 0;

  // --- sessions
  virtual absl::Status CreateSession(const SessionRow& session) = 0;
  virtual absl::StatusOr<std::optional<SessionRow>> GetSession(const std::string& token_hash) = 0;
  virtual absl::Status TouchSession(const std::string& token_hash, TimeMs last_seen_at) = 0;
  // False when there was no such session.
  virtual absl::StatusOr<bool> DeleteSession(const std::string& token_hash) = 0;
  // Every session of the user except `keep_hash` (""): how many went.
  virtual absl::StatusOr<int64_t> DeleteUserSessions(int64_t user_id,
                                                     const std::string& keep_hash) = 0;
  // Sessions created before `created_before` or idle since before `seen_before`.
  virtual absl::StatusOr<int64_t> PruneSessions(TimeMs created_before, TimeMs seen_before) = 0;

  // --- API tokens. Hashes are unique.
  virtual absl::StatusOr<int64_t> CreateApiToken(const ApiTokenRow& token) = 0;
  virtual absl::StatusOr<std::optional<ApiTokenRow>> GetApiToken(const std::string& token_hash) = 0;
  virtual absl::StatusOr<std::optional<ApiTokenRow>> GetApiTokenById(int64_t id) = 0;
  // One user's tokens, or every user's (user_id 0); revoked ones too; by id.
  virtual absl::StatusOr<std::vector<ApiTokenRow>> ListApiTokens(int64_t user_id) = 0;
  // Sets revoked_at unless already revoked; NotFound for an unknown id.
  virtual absl::Status RevokeApiToken(int64_t id, TimeMs at) = 0;
  virtual absl::Status TouchApiToken(int64_t id, TimeMs at) = 0;

  // --- the audit log: append-only (no update or delete exists).
  virtual absl::StatusOr<int64_t> AppendAudit(const AuditEntry& entry) = 0;
  virtual absl::StatusOr<std::vector<AuditEntry>> QueryAudit(const AuditQuery& q) = 0;
};

}  // namespace vigil::store
