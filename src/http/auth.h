// Authentication of desk requests (issue 5): who is asking, from a session cookie or an API
// token, and whether they may.
//
// - `Cookie: vigil_session=<token>`: a login session (desk/sessions.h). Unsafe methods (all
//   but GET, HEAD, OPTIONS) must also carry the session's CSRF token in `X-CSRF-Token`, or are
//   answered 403: a page of another site can make the browser send the cookie, never the
//   header.
// - `Authorization: Bearer vgt_...`: an API token (desk/api_tokens.h) for machine clients; no
//   CSRF token (no browser sends it on its own).
// - A user who must change their password gets 403 from everything but GET /api/v1/auth/me,
//   POST /api/v1/auth/password and logout (AuthOptions::allow_must_change).
//
// Usage in a route, e.g. the incidents to come:
//   auto who = Authorize(c, req, res, desk::Action::kReadIncident, {incident.reporter_id, group});
//   if (!who) return;  // 401 / 403 already answered
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "desk/policy.h"
#include "desk/principal.h"
#include "http/api_server.h"
#include "httplib.h"

namespace vigil::http {

inline constexpr const char* kSessionCookie = "vigil_session";

struct AuthOptions {
  bool allow_must_change = false;  // for /auth/me, /auth/password, logout
};

// The principal, or nullopt after answering 401 (no or dead credentials), 403 (CSRF token
// missing or wrong; password must be changed) or 500 (the store failed).
std::optional<desk::Principal> Authenticate(const RouteContext& c, const httplib::Request& req,
                                            httplib::Response& res, AuthOptions options = {});
// The caller of `req` as of a later moment: its session or API token resolved again, nullopt
// once it ended (logged out, expired, revoked, user disabled, password to be changed). For
// long-lived answers (the desk's event stream) that must not outlive the caller's rights.
std::function<std::optional<desk::Principal>()> Reauthenticator(const RouteContext& c,
                                                                 const httplib::Request& req);
// Authenticate, then the policy: 403 naming the action when it is not allowed.
std::optional<desk::Principal> Authorize(const RouteContext& c, const httplib::Request& req,
                                         httplib::Response& res, desk::Action action,
                                         const desk::Resource& resource = {});

// The value of cookie `name` ("" when absent).
std::string CookieValue(const httplib::Request& req, std::string_view name);
// Set-Cookie for a session: HttpOnly; SameSite=Lax; Path=/; Secure when configured. An empty
// token clears the cookie.
std::string SessionCookie(const std::string& token, int64_t max_age_s, bool secure);
// The client's address as the server saw it.
std::string ClientIp(const httplib::Request& req);

}  // namespace vigil::http
