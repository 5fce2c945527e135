// The desk's authentication API: login, logout (here or everywhere), who am I, password
// change. Users, tokens and the audit log are in auth_admin_routes.cc. Every change and every
// login attempt is written to the audit log.
#include <cmath>

#include "desk/desk.h"
#include "fmt/format.h"
#include "http/auth.h"
#include "http/auth_json.h"
#include "http/routes.h"

namespace vigil::http {
namespace {

void Login(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  desk::Desk& desk = *c.services.desk;
  Json body;
  if (auto s = ParseJsonBody(req, &body); !s.ok()) return SendStatus(res, s);
  const std::string user = body.value("user", "");
  const std::string password = body.value("password", "");
  const std::string ip = ClientIp(req);
  if (user.empty() || password.empty()) return SendError(res, 400, "login needs {user, password}");
  if (auto wait = desk.throttle().WaitMs(user, ip)) {
    const int64_t seconds = (*wait + 999) / 1000;
    res.set_header("Retry-After", std::to_string(seconds));
    desk.audit().Record(user, "auth.login_throttled", "user:" + user, {{"retry_after_s", seconds}}, ip);
    return SendError(res, 429, fmt::format("too many failed logins; try again in {} s", seconds));
  }
  auto checked = desk.users().CheckPassword(user, password);
  if (!checked.ok()) {
    if (checked.status().code() == absl::StatusCode::kUnauthenticated) {
      desk.throttle().RecordFailure(user, ip);
      desk.audit().Record(user, "auth.login_failed", "user:" + user, Json::object(), ip);
    }
    return SendStatus(res, checked.status());
  }
  desk.throttle().RecordSuccess(user, ip);
  auto session = desk.sessions().Start(checked->id, ip);
  if (!session.ok()) return SendStatus(res, session.status());
  res.set_header("Set-Cookie", SessionCookie(session->token, desk.sessions().limits().absolute_ms / 1000,
                                             c.options.secure_cookies));
  desk.audit().Record(user, "auth.login", "user:" + user, Json::object(), ip);
  Json out = AccountJson(desk::PrincipalOf(*checked), checked->email);
  out["csrf_token"] = session->csrf_token;
  SendJson(res, out);
}

void Logout(const RouteContext& c, const httplib::Request& req, httplib::Response& res, bool everywhere) {
  desk::Desk& desk = *c.services.desk;
  auto who = Authenticate(c, req, res, {.allow_must_change = true});
  if (!who) return;
  if (who->via != desk::Principal::Via::kSession) {
    return SendError(res, 400, "logout ends login sessions; an API token is revoked with "
                               "DELETE /api/v1/tokens/{id}");
  }
  int64_t ended = 1;
  if (everywhere) {
    auto n = desk.sessions().EndAll(who->user_id);
    if (!n.ok()) return SendStatus(res, n.status());
    ended = *n;
  } else if (auto s = desk.sessions().End(CookieValue(req, kSessionCookie)); !s.ok()) {
    return SendStatus(res, s);
  }
  res.set_header("Set-Cookie", SessionCookie("", 0, c.options.secure_cookies));
  RecheckStreams(c, who->user_id);
  desk.audit().Record(who->name, everywhere ? "auth.logout_all" : "auth.logout", "user:" + who->name,
                      {{"sessions_ended", ended}}, ClientIp(req));
  SendJson(res, {{"sessions_ended", ended}});
}

Json MeJson(const desk::Principal& who, const std::string& email) {
  Json out = AccountJson(who, email);
  out["via"] = who.via == desk::Principal::Via::kSession ? "session" : "api_token";
  if (who.via == desk::Principal::Via::kSession) out["csrf_token"] = who.csrf_token;
  return out;
}

void Me(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res, {.allow_must_change = true});
  if (!who) return;
  auto user = c.services.desk->users().Get(who->name);
  if (!user.ok()) return SendStatus(res, user.status());
  SendJson(res, MeJson(*who, user->email));
}

// A user's own settings: today the e-mail address replies and resolutions are mailed to.
void ChangeMe(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  desk::Desk& desk = *c.services.desk;
  auto who = Authenticate(c, req, res, {});
  if (!who) return;
  if (who->via != desk::Principal::Via::kSession) {
    return SendError(res, 403, "a user's own settings are changed from a login session, not with "
                               "an API token");
  }
  Json body;
  if (auto s = ParseJsonBody(req, &body); !s.ok()) return SendStatus(res, s);
  if (!body.is_object()) return SendError(res, 400, "expected a JSON object like {\"email\": \"...\"}");
  std::optional<std::string> email;
  if (auto s = EmailField(body, &email); !s.ok()) return SendStatus(res, s);
  if (!email) return SendError(res, 400, "nothing to change: send {\"email\": \"...\"}");
  auto user = desk.users().SetEmail(who->name, *email);
  if (!user.ok()) return SendStatus(res, user.status());
  desk.audit().Record(who->name, "user.email", "user:" + who->name, {{"email", user->email}},
                      ClientIp(req));
  SendJson(res, MeJson(*who, user->email));
}

void ChangePassword(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  desk::Desk& desk = *c.services.desk;
  auto who = Authenticate(c, req, res, {.allow_must_change = true});
  if (!who) return;
  if (who->via != desk::Principal::Via::kSession) {
    return SendError(res, 403, "a password is changed from a login session, not with an API token");
  }
  Json body;
  if (auto s = ParseJsonBody(req, &body); !s.ok()) return SendStatus(res, s);
  const std::string current = body.value("current_password", "");
  const std::string next = body.value("new_password", "");
  const std::string ip = ClientIp(req);
  if (auto wait = desk.throttle().WaitMs(who->name, ip)) {
    res.set_header("Retry-After", std::to_string((*wait + 999) / 1000));
    return SendError(res, 429, "too many wrong passwords; try again later");
  }
  auto user = desk.users().CheckPassword(who->name, current);
  if (!user.ok()) {
    desk.throttle().RecordFailure(who->name, ip);
    return SendError(res, 403, "the current password is wrong");
  }
  if (next == current) return SendError(res, 400, "the new password must differ from the current one");
  if (auto s = desk.users().SetPassword(*user, next); !s.ok()) return SendStatus(res, s);
  auto ended = desk.sessions().EndAll(who->user_id, who->session_hash);
  RecheckStreams(c, who->user_id);
  desk.audit().Record(who->name, "auth.password_change", "user:" + who->name,
                      {{"other_sessions_ended", ended.value_or(0)}}, ip);
  SendJson(res, {{"changed", true}, {"other_sessions_ended", ended.value_or(0)}});
}

}  // namespace

void AddAuthRoutes(httplib::Server& s, const RouteContext& c) {
  s.Post("/api/v1/auth/login", [c](const httplib::Request& req, httplib::Response& res) { Login(c, req, res); });
  s.Post("/api/v1/auth/logout", [c](const httplib::Request& req, httplib::Response& res) { Logout(c, req, res, false); });
  s.Post("/api/v1/auth/logout-all", [c](const httplib::Request& req, httplib::Response& res) { Logout(c, req, res, true); });
  s.Get("/api/v1/auth/me", [c](const httplib::Request& req, httplib::Response& res) { Me(c, req, res); });
  s.Patch("/api/v1/auth/me", [c](const httplib::Request& req, httplib::Response& res) { ChangeMe(c, req, res); });
  s.Post("/api/v1/auth/password", [c](const httplib::Request& req, httplib::Response& res) { ChangePassword(c, req, res); });
  AddAuthAdminRoutes(s, c);
}

}  // namespace vigil::http
