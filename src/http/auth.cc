#include "http/auth.h"

#include "desk/desk.h"
#include "desk/tokens.h"
#include "fmt/format.h"
#include "http/http_util.h"

namespace vigil::http {
namespace {

bool IsSafeMethod(const std::string& m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

std::string BearerOf(const httplib::Request& req) {
  const std::string& h = req.get_header_value("Authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (h.size() <= kPrefix.size() || h.compare(0, kPrefix.size(), kPrefix) != 0) return "";
  return h.substr(kPrefix.size());
}

void Unauthenticated(httplib::Response& res, std::string_view why) {
  res.set_header("WWW-Authenticate", "Bearer");
  SendError(res, 401, why);
}

}  // namespace

std::string CookieValue(const httplib::Request& req, std::string_view name) {
  const size_t n = req.get_header_value_count("Cookie");
  for (size_t i = 0; i < n; ++i) {
    const std::string header = req.get_header_value("Cookie", i);
    std::string_view all = header;
    while (!all.empty()) {
      const size_t end = all.find(';');
      std::string_view pair = all.substr(0, end);
      all = end == std::string_view::npos ? std::string_view() : all.substr(end + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        return std::string(pair.substr(eq + 1));
      }
    }
  }
  return "";
}

std::string SessionCookie(const std::string& token, int64_t max_age_s, bool secure) {
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}", kSessionCookie, token,
                     token.empty() ? 0 : max_age_s, secure ? "; Secure" : "");
}

std::string ClientIp(const httplib::Request& req) { return req.remote_addr; }

std::optional<desk::Principal> Authenticate(const RouteContext& c, const httplib::Request& req,
                                            httplib::Response& res, AuthOptions options) {
  desk::Desk& desk = *c.services.desk;
  absl::StatusOr<std::optional<desk::Principal>> found = std::nullopt;
  const std::string bearer = BearerOf(req);
  const std::string cookie = bearer.empty() ? CookieValue(req, kSessionCookie) : "";
  if (!bearer.empty()) {
    found = desk.tokens().Resolve(bearer);
  } else if (!cookie.empty()) {
    found = desk.sessions().Resume(cookie);
  } else {
    Unauthenticated(res, "log in first (POST /api/v1/auth/login) or send an API token "
                         "(Authorization: Bearer vgt_...)");
    return std::nullopt;
  }
  if (!found.ok()) {
    SendStatus(res, found.status());
    return std::nullopt;
  }
  if (!found->has_value()) {
    Unauthenticated(res, bearer.empty() ? "the session has ended; log in again"
                                        : "the API token is unknown or revoked");
    return std::nullopt;
  }
  desk::Principal p = std::move(**found);
  if (p.via == desk::Principal::Via::kSession && !IsSafeMethod(req.method) &&
      !desk::SecretsEqual(req.get_header_value("X-CSRF-Token"), p.csrf_token)) {
    SendError(res, 403, "missing or wrong CSRF token: send the session's csrf_token (from login "
                        "or GET /api/v1/auth/me) in X-CSRF-Token");
    return std::nullopt;
  }
  if (p.must_change_password && !options.allow_must_change) {
    SendError(res, 403, "the password must be changed first (POST /api/v1/auth/password)");
    return std::nullopt;
  }
  return p;
}

std::function<std::optional<desk::Principal>()> Reauthenticator(const RouteContext& c,
                                                                 const httplib::Request& req) {
  desk::Desk* desk = c.services.desk;
  std::string bearer = BearerOf(req);
  std::string cookie = bearer.empty() ? CookieValue(req, kSessionCookie) : "";
  return [desk, bearer = std::move(bearer), cookie = std::move(cookie)]() {
    auto found = bearer.empty() ? desk->sessions().Resume(cookie) : desk->tokens().Resolve(bearer);
    if (!found.ok() || !found->has_value() || (*found)->must_change_password) {
      return std::optional<desk::Principal>();
    }
    return std::optional<desk::Principal>(std::move(**found));
  };
}

std::optional<desk::Principal> Authorize(const RouteContext& c, const httplib::Request& req,
                                         httplib::Response& res, desk::Action action,
                                         const desk::Resource& resource) {
  auto who = Authenticate(c, req, res);
  if (!who) return std::nullopt;
  if (!desk::Allowed(*who, action, resource)) {
    SendError(res, 403, fmt::format("a {} may not {}", desk::RoleName(who->role),
                                    desk::ActionName(action)));
    return std::nullopt;
  }
  return who;
}

}  // namespace vigil::http
