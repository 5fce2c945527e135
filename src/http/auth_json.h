// JSON shapes of the desk's accounts, users, API tokens and audit entries (docs/desk.md), and
// the admin routes registered beside the login routes.
#pragma once

#include "desk/principal.h"
#include "http/http_util.h"
#include "http/api_server.h"
#include "store/desk_store.h"

namespace vigil::http {

// {user, role, groups, email, must_change_password}
Json AccountJson(const desk::Principal& p, const std::string& email);
// {name, role, groups, email, disabled, must_change_password, created_at, updated_at}
Json UserJson(const store::UserRow& u);
// {id, user, label, role, created_by, created_at, last_used_at, revoked_at}
Json TokenJson(const store::ApiTokenRow& t);
// {id, at, actor, action, target, detail, client_ip}
Json AuditJson(const store::AuditEntry& e);
// The body's "email" when present: a string (checked by desk::CheckEmail later), else 400.
absl::Status EmailField(const Json& body, std::optional<std::string>* out);
// The desk's open event streams of `user_id` (0: all) check their caller again.
void RecheckStreams(const RouteContext& c, int64_t user_id);
// Times as RFC 3339 UTC with milliseconds; null for none.
Json TimeJson(std::optional<TimeMs> t);

// GET/POST /api/v1/users, PATCH /api/v1/users/{name}, GET/POST/DELETE /api/v1/tokens,
// GET /api/v1/audit (auth_admin_routes.cc).
void AddAuthAdminRoutes(httplib::Server& s, const RouteContext& c);

}  // namespace vigil::http
