// Small helpers the route handlers share: JSON answers, errors in one shape, query parameters,
// bearer tokens compared in constant time.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "common/time_util.h"
#include "httplib.h"
#include "nlohmann/json.hpp"

namespace vigil::http {

using Json = nlohmann::ordered_json;

// 200 (or `status`) with a JSON body.
void SendJson(httplib::Response& res, const Json& body, int status = 200);
// An error answer: {"error": {"code": status, "message": message}}.
void SendError(httplib::Response& res, int status, std::string_view message);
// The HTTP status for a failed Status (NotFound 404, InvalidArgument 400, ...).
int HttpStatusOf(const absl::Status& s);
void SendStatus(httplib::Response& res, const absl::Status& s);

// True when the request carries `Authorization: Bearer <token>` for this token. An empty
// token authorises nothing.
bool HasBearer(const httplib::Request& req, const std::string& token);

// For writes: true when the request carries `token`; otherwise answers 401 (with
// WWW-Authenticate) saying `what` needs, and returns false.
bool RequireBearer(const httplib::Request& req, httplib::Response& res, const std::string& token,
                   std::string_view what);

// A time query parameter: RFC 3339 with offset, or epoch milliseconds. nullopt when absent;
// InvalidArgument naming the parameter when unparseable.
absl::Status TimeParam(const httplib::Request& req, const char* name, std::optional<TimeMs>* out);
// An integer parameter within [min, max]; `fallback` when absent.
absl::Status IntParam(const httplib::Request& req, const char* name, int64_t min, int64_t max,
                      int64_t fallback, int64_t* out);

// A request body as JSON; InvalidArgument with the parser's position when it is not.
absl::Status ParseJsonBody(const httplib::Request& req, Json* out);

}  // namespace vigil::http
