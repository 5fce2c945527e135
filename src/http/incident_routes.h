// The desk's incidents API (docs/desk-api.md), registered when the server has an incident
// service: thin handlers that authenticate, parse, call desk::IncidentService and answer.
// incident_routes.cc: meta, settings, subcategories, create, list, get, edit, lifecycle.
// incident_chat_routes.cc: messages, read marks, attachments, scripts, notifications, stream.
// incident_intake_routes.cc: from an alert, the ITSM import.
#pragma once

#include <optional>
#include <string>

#include "desk/principal.h"
#include "http/api_server.h"
#include "http/http_util.h"
#include "httplib.h"

namespace vigil::desk {
class IncidentService;
}

namespace vigil::http {

void AddIncidentRoutes(httplib::Server& s, const RouteContext& c);
void AddIncidentChatRoutes(httplib::Server& s, const RouteContext& c);
void AddIncidentIntakeRoutes(httplib::Server& s, const RouteContext& c);

// --- shared by the three files
desk::IncidentService& Incidents(const RouteContext& c);
// The service's errors as HTTP: its Aborted (lost a race twice) is a 409 like a conflict.
void SendIncidentStatus(httplib::Response& res, const absl::Status& s);
// The request's JSON object into *body, or an answer of 400 and false. With
// `empty_is_object`, an empty body reads as {} (steps whose fields are all optional).
bool Body(const httplib::Request& req, httplib::Response& res, Json* body,
          bool empty_is_object = false);
// Body fields with their type checked: InvalidArgument naming the field.
absl::Status OptString(const Json& body, const char* key, std::optional<std::string>* out);
absl::Status OptInt(const Json& body, const char* key, std::optional<int64_t>* out);
absl::Status OptBool(const Json& body, const char* key, std::optional<bool>* out);
// The path's number `index` (req.matches).
int64_t PathId(const httplib::Request& req, int index = 1);
// An audit entry for a change by `who`.
void AuditIncident(const RouteContext& c, const httplib::Request& req, const desk::Principal& who,
                   const std::string& action, const std::string& target, const Json& detail);

}  // namespace vigil::http
