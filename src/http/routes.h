// Route registration, one function per area of the API (each in its own file).
#pragma once

#include "http/api_server.h"
#include "httplib.h"

namespace vigil::http {

void AddIngestRoutes(httplib::Server& s, const RouteContext& c);   // POST /api/v1/records
void AddAlertRoutes(httplib::Server& s, const RouteContext& c);    // /api/v1/alerts...
void AddTrafficRoutes(httplib::Server& s, const RouteContext& c);  // codes, series, recent
void AddSilenceRoutes(httplib::Server& s, const RouteContext& c);  // /api/v1/silences...
void AddSystemRoutes(httplib::Server& s, const RouteContext& c);   // config, stats, health, metrics
// The OpenAPI 3 document of every route above.
const std::string& OpenApiDocument();

}  // namespace vigil::http
