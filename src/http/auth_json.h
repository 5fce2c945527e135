// JSON shapes of the desk's accounts, users, API tokens and audit entries (docs/desk.md), and
// the admin routes registered beside the login routes.
#pragma once

#include "desk/principal.h"
#include "http/http_util.h"
#include "http/api_server.h"
#include "store/desk_store.h"

namespace vigil::http {

// {user, role, groups, must_change_password}
Json AccountJson(const desk::Principal& p);
// {name, role, groups, disabled, must_change_password, created_at, updated_at}
Json UserJson(const store::UserRow& u);
// {id, user, label, role, created_by, created_at, last_used_at, revoked_at}
Json TokenJson(const store::ApiTokenRow& t);
// {id, at, actor, action, target, detail, client_ip}
Json AuditJson(const store::AuditEntry& e);
// Times as RFC 3339 UTC with milliseconds; null for none.
Json TimeJson(std::optional<TimeMs> t);

// GET/POST /api/v1/users, PATCH /api/v1/users/{name}, GET/POST/DELETE /api/v1/tokens,
// GET /api/v1/audit (auth_admin_routes.cc).
void AddAuthAdminRoutes(httplib::Server& s, const RouteContext& c);

}  // namespace vigil::http
