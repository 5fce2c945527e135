// The desk's admin API: users (list, create, change role / groups / disabled), API tokens
// (anyone for themselves; an admin for anyone) and the audit log. Authorised by the policy
// (desk/policy.h); every change is audited.
#include <charconv>

#include "absl/time/time.h"
#include "desk/desk.h"
#include "fmt/format.h"
#include "http/auth.h"
#include "http/auth_json.h"
#include "http/desk_stream.h"
#include "http/routes.h"

namespace vigil::http {

Json TimeJson(std::optional<TimeMs> t) {
  if (!t) return nullptr;
  return FormatRfc3339(*t, absl::UTCTimeZone(), true);
}

Json AccountJson(const desk::Principal& p, const std::string& email) {
  return {{"user", p.name}, {"role", desk::RoleName(p.role)}, {"groups", p.groups},
          {"email", email}, {"must_change_password", p.must_change_password}};
}

absl::Status EmailField(const Json& body, std::optional<std::string>* out) {
  if (!body.contains("email")) return absl::OkStatus();
  if (!body["email"].is_string()) {
    return absl::InvalidArgumentError("'email' must be a string (\"\" removes the address)");
  }
  *out = body["email"].get<std::string>();
  return absl::OkStatus();
}

void RecheckStreams(const RouteContext& c, int64_t user_id) {
  if (c.desk_streams) c.desk_streams->RecheckUser(user_id);
}

Json UserJson(const store::UserRow& u) {
  return {{"name", u.name}, {"role", u.role}, {"groups", u.groups}, {"email", u.email},
          {"disabled", u.disabled},
          {"must_change_password", u.must_change_password}, {"created_at", TimeJson(u.created_at)},
          {"updated_at", TimeJson(u.updated_at)}};
}

Json TokenJson(const store::ApiTokenRow& t) {
  return {{"id", t.id}, {"user", t.user_name}, {"label", t.label}, {"role", t.role},
          {"created_by", t.created_by}, {"created_at", TimeJson(t.created_at)},
          {"last_used_at", TimeJson(t.last_used_at)}, {"revoked_at", TimeJson(t.revoked_at)}};
}

Json AuditJson(const store::AuditEntry& e) {
  Json detail = Json::parse(e.detail_json, nullptr, false);
  if (detail.is_discarded()) detail = e.detail_json;
  return {{"id", e.id}, {"at", TimeJson(e.at)}, {"actor", e.actor}, {"action", e.action},
          {"target", e.target}, {"detail", detail}, {"client_ip", e.client_ip}};
}

namespace {

absl::Status StringList(const Json& body, const char* key, std::optional<std::vector<std::string>>* out) {
  if (!body.contains(key)) return absl::OkStatus();
  const Json& v = body[key];
  if (!v.is_array()) return absl::InvalidArgumentError(fmt::format("'{}' must be a list of names", key));
  out->emplace();
  for (const Json& g : v) {
    if (!g.is_string()) return absl::InvalidArgumentError(fmt::format("'{}' must be a list of names", key));
    (*out)->push_back(g.get<std::string>());
  }
  return absl::OkStatus();
}

void ListUsers(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  if (!Authorize(c, req, res, desk::Action::kManageUsers)) return;
  auto users = c.services.desk->store().ListUsers();
  if (!users.ok()) return SendStatus(res, users.status());
  Json list = Json::array();
  for (const auto& u : *users) list.push_back(UserJson(u));
  SendJson(res, {{"users", list}});
}

void CreateUser(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authorize(c, req, res, desk::Action::kManageUsers);
  if (!who) return;
  desk::Desk& desk = *c.services.desk;
  Json body;
  if (auto s = ParseJsonBody(req, &body); !s.ok()) return SendStatus(res, s);
  std::optional<std::vector<std::string>> groups;
  if (auto s = StringList(body, "groups", &groups); !s.ok()) return SendStatus(res, s);
  std::optional<std::string> email;
  if (auto s = EmailField(body, &email); !s.ok()) return SendStatus(res, s);
  desk::NewUser u{body.value("name", ""), body.value("role", ""), groups.value_or(std::vector<std::string>{}),
                  body.value("password", ""), false, email.value_or("")};
  const bool generated = u.password.empty();
  if (generated) u.password = desk::GeneratePassword();
  // A password set by someone else is theirs to know: the user replaces it at first login.
  u.must_change_password = true;
  auto created = desk.users().Create(u);
  if (!created.ok()) return SendStatus(res, created.status());
  desk.audit().Record(who->name, "user.create", "user:" + u.name,
                      {{"role", u.role}, {"groups", created->groups}, {"email", created->email}},
                      ClientIp(req));
  Json out = UserJson(*created);
  if (generated) out["password"] = u.password;  // shown once
  SendJson(res, out, 201);
}

void ChangeUser(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authorize(c, req, res, desk::Action::kManageUsers);
  if (!who) return;
  desk::Desk& desk = *c.services.desk;
  const std::string name = req.matches[1];
  Json body;
  if (auto s = ParseJsonBody(req, &body); !s.ok()) return SendStatus(res, s);
  desk::UserChange change;
  if (body.contains("role")) change.role = body.value("role", "");
  if (auto s = StringList(body, "groups", &change.groups); !s.ok()) return SendStatus(res, s);
  if (auto s = EmailField(body, &change.email); !s.ok()) return SendStatus(res, s);
  if (body.contains("disabled")) {
    if (!body["disabled"].is_boolean()) return SendError(res, 400, "'disabled' must be true or false");
    change.disabled = body["disabled"].get<bool>();
  }
  if (name == who->name && change.disabled.value_or(false)) {
    return SendError(res, 400, "an admin cannot disable themselves");
  }
  auto changed = desk.users().Change(name, change);
  if (!changed.ok()) return SendStatus(res, changed.status());
  int64_t ended = 0;
  if (changed->disabled) ended = desk.sessions().EndAll(changed->id).value_or(0);
  RecheckStreams(c, changed->id);  // open streams follow the new role at once
  desk.audit().Record(who->name, "user.update", "user:" + name,
                      {{"role", changed->role}, {"groups", changed->groups},
                       {"email", changed->email}, {"disabled", changed->disabled},
                       {"sessions_ended", ended}},
                      ClientIp(req));
  SendJson(res, UserJson(*changed));
}

void ListTokens(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authorize(c, req, res, desk::Action::kCreateOwnToken);
  if (!who) return;
  auto tokens = c.services.desk->tokens().List(*who);
  if (!tokens.ok()) return SendStatus(res, tokens.status());
  Json list = Json::array();
  for (const auto& t : *tokens) list.push_back(TokenJson(t));
  SendJson(res, {{"tokens", list}});
}

void CreateToken(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authorize(c, req, res, desk::Action::kCreateOwnToken);
  if (!who) return;
  desk::Desk& desk = *c.services.desk;
  Json body;
  if (auto s = ParseJsonBody(req, &body); !s.ok()) return SendStatus(res, s);
  desk::TokenRequest r{body.value("user", ""), body.value("label", ""), body.value("role", "")};
  auto created = desk.tokens().Create(*who, r);
  if (!created.ok()) return SendStatus(res, created.status());
  desk.audit().Record(who->name, "token.create", fmt::format("token:{}", created->row.id),
                      {{"user", created->row.user_name}, {"label", r.label}, {"role", created->row.role}},
                      ClientIp(req));
  Json out = TokenJson(created->row);
  out["token"] = created->token;  // shown once
  SendJson(res, out, 201);
}

void RevokeToken(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authorize(c, req, res, desk::Action::kCreateOwnToken);
  if (!who) return;
  const std::string& text = req.matches[1];
  int64_t id = 0;
  if (std::from_chars(text.data(), text.data() + text.size(), id).ec != std::errc()) {
    return SendError(res, 400, "a token id is a number");
  }
  desk::Desk& desk = *c.services.desk;
  auto revoked = desk.tokens().Revoke(*who, id);
  if (!revoked.ok()) return SendStatus(res, revoked.status());
  desk.audit().Record(who->name, "token.revoke", fmt::format("token:{}", id),
                      {{"user", revoked->user_name}, {"label", revoked->label}}, ClientIp(req));
  RecheckStreams(c, revoked->user_id);  // a stream opened with this token ends
  SendJson(res, TokenJson(*revoked));
}

void QueryAudit(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  if (!Authorize(c, req, res, desk::Action::kReadAudit)) return;
  store::AuditQuery q;
  int64_t limit = 100;
  for (absl::Status s : {TimeParam(req, "from", &q.from), TimeParam(req, "to", &q.to),
                         IntParam(req, "limit", 1, 1000, 100, &limit),
                         IntParam(req, "before_id", 0, INT64_MAX, 0, &q.before_id)}) {
    if (!s.ok()) return SendStatus(res, s);
  }
  q.limit = static_cast<int>(limit);
  if (req.has_param("actor")) q.actor = req.get_param_value("actor");
  if (req.has_param("action")) q.action = req.get_param_value("action");
  auto entries = c.services.desk->store().QueryAudit(q);
  if (!entries.ok()) return SendStatus(res, entries.status());
  Json list = Json::array();
  for (const auto& e : *entries) list.push_back(AuditJson(e));
  SendJson(res, {{"entries", list}});
}

}  // namespace

void AddAuthAdminRoutes(httplib::Server& s, const RouteContext& c) {
  s.Get("/api/v1/users", [c](const httplib::Request& req, httplib::Response& res) { ListUsers(c, req, res); });
  s.Post("/api/v1/users", [c](const httplib::Request& req, httplib::Response& res) { CreateUser(c, req, res); });
  s.Patch(R"(/api/v1/users/([^/]+))", [c](const httplib::Request& req, httplib::Response& res) { ChangeUser(c, req, res); });
  s.Get("/api/v1/tokens", [c](const httplib::Request& req, httplib::Response& res) { ListTokens(c, req, res); });
  s.Post("/api/v1/tokens", [c](const httplib::Request& req, httplib::Response& res) { CreateToken(c, req, res); });
  s.Delete(R"(/api/v1/tokens/(\d+))", [c](const httplib::Request& req, httplib::Response& res) { RevokeToken(c, req, res); });
  s.Get("/api/v1/audit", [c](const httplib::Request& req, httplib::Response& res) { QueryAudit(c, req, res); });
}

}  // namespace vigil::http
