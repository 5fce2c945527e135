#include "desk/sessions.h"

#include "desk/tokens.h"
#include "desk/users.h"

namespace vigil::desk {

absl::StatusOr<StartedSession> Sessions::Start(int64_t user_id, const std::string& client_ip) {
  StartedSession started{NewSecret(), NewSecret()};
  const TimeMs now = clock_->Now();
  store::SessionRow row{TokenHash(started.token), user_id, started.csrf_token, now, now, client_ip};
  if (auto s = store_->CreateSession(row); !s.ok()) return s;
  return started;
}

absl::StatusOr<std::optional<Principal>> Sessions::Resume(const std::string& token) {
  if (token.empty()) return std::nullopt;
  const std::string hash = TokenHash(token);
  auto session = store_->GetSession(hash);
  if (!session.ok()) return session.status();
  if (!session->has_value()) return std::nullopt;
  const store::SessionRow& s = **session;
  const TimeMs now = clock_->Now();
  if (now - s.created_at >= limits_.absolute_ms || now - s.last_seen_at >= limits_.idle_ms) {
    (void)store_->DeleteSession(hash);
    return std::nullopt;
  }
  auto user = store_->GetUserById(s.user_id);
  if (!user.ok()) return user.status();
  if (!user->has_value() || (*user)->disabled) return std::nullopt;
  if (now - s.last_seen_at >= 60'000) {
    if (auto t = store_->TouchSession(hash, now); !t.ok()) return t;
  }
  Principal p = PrincipalOf(**user);
  p.via = Principal::Via::kSession;
  p.session_hash = hash;
  p.csrf_token = s.csrf_token;
  return p;
}

absl::Status Sessions::End(const std::string& token) {
  return store_->DeleteSession(TokenHash(token)).status();
}

absl::StatusOr<int64_t> Sessions::EndAll(int64_t user_id, const std::string& keep_hash) {
  return store_->DeleteUserSessions(user_id, keep_hash);
}

}  // namespace vigil::desk
