// The OpenAPI entries of the incident desk: logins, users, tokens, the audit log (docs/desk.md)
// and incidents (docs/desk-api.md). Merged into GET /api/v1/openapi.json by openapi.cc.
#include "http/http_util.h"

namespace vigil::http {

Json DeskOpenApiPaths() {
  struct Entry {
    const char* method;
    const char* path;
    const char* summary;
  };
  static const Entry kEntries[] = {
      {"post", "/api/v1/auth/login", "Log in: {user, password} → account + csrf_token and the session cookie; 401; 429 + Retry-After when throttled"},
      {"post", "/api/v1/auth/logout", "End this session"},
      {"post", "/api/v1/auth/logout-all", "End every session of the user"},
      {"get", "/api/v1/auth/me", "Who is asking: {user, role, groups, email, must_change_password, via, csrf_token?}"},
      {"patch", "/api/v1/auth/me", "Change one's own settings (login session): {email} (\"\" removes it); 400 not an address"},
      {"post", "/api/v1/auth/password", "Change the password: {current_password, new_password}; ends the other sessions"},
      {"get", "/api/v1/users", "Users (admin)"},
      {"post", "/api/v1/users", "Create a user (admin): {name, role, groups?, email?, password?}"},
      {"patch", "/api/v1/users/{name}", "Change a user (admin): {role?, groups?, email?, disabled?}"},
      {"get", "/api/v1/tokens", "API tokens (own; admin: all)"},
      {"post", "/api/v1/tokens", "Create an API token: {label, role?, user?}; the token is shown once"},
      {"delete", "/api/v1/tokens/{id}", "Revoke an API token (owner, admin)"},
      {"get", "/api/v1/audit", "The audit log (admin), newest first: from, to, actor, action, limit, before_id"},
      {"get", "/api/v1/incidents/meta", "Systems, classes with subcategories, priorities with SLA targets, groups, business hours, time zone"},
      {"get", "/api/v1/incidents/settings", "The same as meta"},
      {"put", "/api/v1/incidents/settings", "Change systems, SLA targets, business hours (admin)"},
      {"post", "/api/v1/incidents/subcategories", "Add a subcategory (admin): {class, name}"},
      {"patch", "/api/v1/incidents/subcategories/{id}", "Rename or disable a subcategory (admin): {name?, disabled?}"},
      {"post", "/api/v1/incidents", "Report an incident: {title, description, system, customer?, occurred_at?, priority?, class?, subcategory_id?, channel?} → 201"},
      {"get", "/api/v1/incidents", "The queue / my reports, newest first: status, system, class, priority, assignee, group, sla, reporter, q, before_id, limit"},
      {"get", "/api/v1/incidents/{id}", "An incident with history, scripts, attachments, links (404 when the caller may not read it)"},
      {"patch", "/api/v1/incidents/{id}", "Edit title, priority, class, subcategory, system (handler)"},
      {"post", "/api/v1/incidents/{id}/accept", "new → accepted, the caller the assignee (handler); 409 from another status"},
      {"post", "/api/v1/incidents/{id}/assign", "Assign to a handler: {assignee}"},
      {"post", "/api/v1/incidents/{id}/transfer", "Transfer to a group: {group, note}"},
      {"post", "/api/v1/incidents/{id}/return", "The group hands it back: {note}"},
      {"post", "/api/v1/incidents/{id}/take-back", "The handler takes it back from the group"},
      {"post", "/api/v1/incidents/{id}/resolve", "Resolve: {cause, solution}"},
      {"post", "/api/v1/incidents/{id}/confirm", "The reporter confirms: resolved → closed"},
      {"post", "/api/v1/incidents/{id}/close", "A handler closes a resolved incident: {note?}"},
      {"post", "/api/v1/incidents/{id}/reopen", "Reopen a resolved or closed incident: {reason}"},
      {"get", "/api/v1/incidents/{id}/messages", "The conversation, oldest first: after_id, limit (internal notes only for handlers and the group)"},
      {"post", "/api/v1/incidents/{id}/messages", "Post a message: {body, internal?, attachment_ids?} → 201"},
      {"post", "/api/v1/incidents/{id}/read", "Move the caller's read mark: {message_id} (never back)"},
      {"post", "/api/v1/incidents/{id}/attachments", "Upload an image (raw body, PNG/JPEG/GIF/WebP checked by content, ≤ 5 MiB; ?filename=) → 201; 413; 415"},
      {"get", "/api/v1/incidents/attachments/{id}", "An attachment's bytes (readers of its incident), nosniff"},
      {"post", "/api/v1/incidents/{id}/scripts", "Attach a data-fix script (handler): {description, content} → 201"},
      {"post", "/api/v1/incidents/{id}/scripts/{sid}/approve", "Approve a script (ops member, not its author): {comment}"},
      {"post", "/api/v1/incidents/{id}/scripts/{sid}/reject", "Reject a script (ops member, not its author): {comment}"},
      {"post", "/api/v1/incidents/{id}/scripts/{sid}/result", "Record a script's run (ops member, after approval): {succeeded, output}"},
      {"post", "/api/v1/incidents/from-alert", "Open an incident from an alert (handler): {fingerprint} → 201, or 200 with the open one"},
      {"post", "/api/v1/incidents/import", "Import ITSM tickets (admin): {csv, mapping, dry_run} → {rows, valid, errors, imported}"},
      {"get", "/api/v1/incidents/notifications", "The caller's in-app notifications: unread=1, limit → {items, unread}"},
      {"post", "/api/v1/incidents/notifications/read", "Mark notifications read: {ids} or {all: true} → {unread}"},
      {"get", "/api/v1/incidents/stream", "Server-sent events for the caller: message, incident, notification; : ping every 15 s"},
  };
  Json paths = Json::object();
  for (const Entry& e : kEntries) {
    Json params = Json::array();
    for (const char* name : {"id", "sid", "name"}) {
      if (std::string_view(e.path).find(std::string("{") + name + "}") != std::string_view::npos) {
        params.push_back({{"name", name}, {"in", "path"}, {"required", true},
                          {"schema", {{"type", std::string_view(name) == "name" ? "string" : "integer"}}}});
      }
    }
    Json op = {{"summary", e.summary}, {"parameters", params}, {"tags", {"desk"}},
               {"responses", {{"200", {{"description", "OK"}}},
                              {"400", {{"description", "bad shape (the message names the field)"}}},
                              {"401", {{"description", "no or dead credentials"}}},
                              {"403", {{"description", "not allowed, or the CSRF token is missing"}}}}}};
    if (std::string_view(e.path) != "/api/v1/auth/login") {
      op["security"] = Json::array({Json{{"session", Json::array()}}, Json{{"apiToken", Json::array()}}});
    }
    paths[e.path][e.method] = op;
  }
  return paths;
}

}  // namespace vigil::http
