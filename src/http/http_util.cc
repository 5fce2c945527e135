#include "http/http_util.h"

#include <sodium.h>

#include <charconv>

#include "fmt/format.h"

namespace vigil::http {

void SendJson(httplib::Response& res, const Json& body, int status) {
  res.status = status;
  // Free text (an incident's description) comes back inside JSON strings as typed, `<script>`
  // included: the browser must never take the answer for HTML.
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

void SendError(httplib::Response& res, int status, std::string_view message) {
  Json j;
  j["error"] = {{"code", status}, {"message", std::string(message)}};
  SendJson(res, j, status);
}

int HttpStatusOf(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kOk: return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange: return 400;
    case absl::StatusCode::kUnauthenticated: return 401;
    case absl::StatusCode::kPermissionDenied: return 403;
    case absl::StatusCode::kNotFound: return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition: return 409;
    case absl::StatusCode::kResourceExhausted: return 413;
    case absl::StatusCode::kUnavailable: return 503;
    default: return 500;
  }
}

void SendStatus(httplib::Response& res, const absl::Status& s) {
  SendError(res, HttpStatusOf(s), std::string(s.message()));
}

bool HasBearer(const httplib::Request& req, const std::string& token) {
  if (token.empty()) return false;
  const std::string& h = req.get_header_value("Authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (h.size() != kPrefix.size() + token.size() || h.compare(0, kPrefix.size(), kPrefix) != 0) {
    return false;
  }
  return sodium_memcmp(h.data() + kPrefix.size(), token.data(), token.size()) == 0;
}

bool RequireBearer(const httplib::Request& req, httplib::Response& res, const std::string& token,
                   std::string_view what) {
  if (HasBearer(req, token)) return true;
  res.set_header("WWW-Authenticate", "Bearer");
  SendError(res, 401, fmt::format("{} (Authorization: Bearer <token>)", what));
  return false;
}

absl::Status TimeParam(const httplib::Request& req, const char* name, std::optional<TimeMs>* out) {
  if (!req.has_param(name)) return absl::OkStatus();
  const std::string v = req.get_param_value(name);
  TimeMs t = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), t);
  if (ec == std::errc() && p == v.data() + v.size()) {
    *out = t;
    return absl::OkStatus();
  }
  if (ParseRfc3339Ms(v, &t) == TimeParse::kOk) {
    *out = t;
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(fmt::format(
      "query parameter {}: '{}' is not a time (RFC 3339 with offset, or epoch milliseconds)", name, v));
}

absl::Status IntParam(const httplib::Request& req, const char* name, int64_t min, int64_t max,
                      int64_t fallback, int64_t* out) {
  *out = fallback;
  if (!req.has_param(name)) return absl::OkStatus();
  const std::string v = req.get_param_value(name);
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < min || n > max) {
    return absl::InvalidArgumentError(
        fmt::format("query parameter {}: '{}' is not an integer in [{}, {}]", name, v, min, max));
  }
  *out = n;
  return absl::OkStatus();
}

absl::Status ParseJsonBody(const httplib::Request& req, Json* out) {
  try {
    *out = Json::parse(req.body);
  } catch (const Json::parse_error& e) {
    return absl::InvalidArgumentError(fmt::format("the body is not JSON: {}", e.what()));
  }
  return absl::OkStatus();
}

}  // namespace vigil::http
