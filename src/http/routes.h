// Route registration, one function per area of the API (each in its own file).
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "http/api_server.h"
#include "http/http_util.h"
#include "http/stream_hub.h"
#include "httplib.h"
#include "serve/series.h"

namespace vigil::http {

void AddIngestRoutes(httplib::Server& s, const RouteContext& c);   // POST /api/v1/records
void AddAlertRoutes(httplib::Server& s, const RouteContext& c);    // /api/v1/alerts...
void AddTrafficRoutes(httplib::Server& s, const RouteContext& c);  // codes, series, recent
void AddSilenceRoutes(httplib::Server& s, const RouteContext& c);  // /api/v1/silences...
void AddSystemRoutes(httplib::Server& s, const RouteContext& c);   // config, stats, health, metrics
void AddConsoleRoutes(httplib::Server& s, const RouteContext& c);  // overview, services, hourly, returns
void AddStreamRoutes(httplib::Server& s, const RouteContext& c);   // GET /api/v1/stream (SSE)
void AddStaticRoutes(httplib::Server& s, const RouteContext& c);   // the web console's files
void AddAuthRoutes(httplib::Server& s, const RouteContext& c);     // /api/v1/auth, users, tokens, audit
// What the event streams read once a second.
StreamSources MakeStreamSources(const RouteContext& c);
// [from, to) from the query's `from` and `to`, defaulting to the last `minutes` (the query's,
// 1-1440, else `default_minutes`) minutes up to the end of the clock's current minute; at most
// 24 hours.
absl::Status QueryRange(const RouteContext& c, const httplib::Request& req, int64_t default_minutes,
                        TimeMs* from, TimeMs* to);
// good / total, or null when total is 0 (no records: no rate).
Json Rate(int64_t good, int64_t total);
// One record in the shape of GET /api/v1/records/recent (the stream's records event too).
Json RecentRecordJson(const serve::RecentRecord& r, const absl::TimeZone& tz);
// The body of GET /api/v1/alerts for `state` (firing, resolved or all; resolved ones since
// `since`, default the last 24 hours): also the stream's `alerts` event.
absl::StatusOr<Json> AlertsJson(const RouteContext& c, std::string_view state, std::optional<TimeMs> since);
// NotFound naming `txn` unless it is configured or records of it were seen (the code routes).
absl::Status KnownCode(const RouteContext& c, const std::string& txn);
// The OpenAPI 3 document of every route above.
const std::string& OpenApiDocument();

}  // namespace vigil::http
