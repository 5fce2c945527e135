// The incidents API's core routes: meta and settings, subcategories, create, the queue, the
// incident page, edits and the lifecycle steps (docs/desk-api.md).
#include "http/incident_routes.h"

#include <algorithm>

#include "desk/desk.h"
#include "desk/incidents.h"
#include "fmt/format.h"
#include "http/auth.h"
#include "http/incident_json.h"

namespace vigil::http {

desk::IncidentService& Incidents(const RouteContext& c) { return *c.services.incidents; }

void SendIncidentStatus(httplib::Response& res, const absl::Status& s) {
  if (s.code() == absl::StatusCode::kAborted) return SendError(res, 409, std::string(s.message()));
  SendStatus(res, s);
}

absl::Status OptString(const Json& body, const char* key, std::optional<std::string>* out) {
  if (!body.contains(key) || body[key].is_null()) return absl::OkStatus();
  if (!body[key].is_string()) return absl::InvalidArgumentError(fmt::format("{}: must be a string", key));
  *out = body[key].get<std::string>();
  return absl::OkStatus();
}

absl::Status OptInt(const Json& body, const char* key, std::optional<int64_t>* out) {
  if (!body.contains(key) || body[key].is_null()) return absl::OkStatus();
  if (!body[key].is_number_integer()) return absl::InvalidArgumentError(fmt::format("{}: must be an integer", key));
  *out = body[key].get<int64_t>();
  return absl::OkStatus();
}

absl::Status OptBool(const Json& body, const char* key, std::optional<bool>* out) {
  if (!body.contains(key) || body[key].is_null()) return absl::OkStatus();
  if (!body[key].is_boolean()) return absl::InvalidArgumentError(fmt::format("{}: must be true or false", key));
  *out = body[key].get<bool>();
  return absl::OkStatus();
}

bool Body(const httplib::Request& req, httplib::Response& res, Json* body, bool empty_is_object) {
  if (empty_is_object && req.body.empty()) {
    *body = Json::object();
    return true;
  }
  if (auto s = ParseJsonBody(req, body); !s.ok()) {
    SendStatus(res, s);
    return false;
  }
  if (!body->is_object()) {
    SendError(res, 400, "the body must be a JSON object");
    return false;
  }
  return true;
}

int64_t PathId(const httplib::Request& req, int index) {
  const std::string& text = req.matches[index];
  return text.size() > 15 ? -1 : std::stoll(text);
}

void AuditIncident(const RouteContext& c, const httplib::Request& req, const desk::Principal& who,
                   const std::string& action, const std::string& target, const Json& detail) {
  if (c.services.desk == nullptr) return;
  c.services.desk->audit().Record(who.name, action, target, nlohmann::json::parse(detail.dump()),
                                  ClientIp(req));
}

namespace {

void Meta(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  if (!who) return;
  auto settings = Incidents(c).Settings();
  if (!settings.ok()) return SendIncidentStatus(res, settings.status());
  auto assignees = Incidents(c).Assignees(*who);
  if (!assignees.ok()) return SendIncidentStatus(res, assignees.status());
  Json meta = MetaJson(*settings, Incidents(c).TimeZoneName());
  if (!assignees->empty()) meta["handlers"] = *assignees;
  SendJson(res, meta);
}

void PutSettings(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  Json body;
  if (!who || !Body(req, res, &body)) return;
  std::optional<std::vector<std::string>> systems;
  std::optional<std::map<std::string, desk::SlaTarget>> targets;
  std::optional<desk::BusinessHours> hours;
  try {
    if (body.contains("systems")) systems = body["systems"].get<std::vector<std::string>>();
  } catch (const std::exception&) {
    return SendError(res, 400, "systems: must be a list of names");
  }
  if (body.contains("priorities")) {
    if (!body["priorities"].is_array()) return SendError(res, 400, "priorities: must be a list");
    targets.emplace();
    for (const Json& p : body["priorities"]) {
      if (!p.is_object() || !p.value("priority", Json()).is_string() ||
          !p.value("first_response_minutes", Json()).is_number_integer() ||
          !p.value("resolution_minutes", Json()).is_number_integer()) {
        return SendError(res, 400, "priorities: each is {priority, first_response_minutes, resolution_minutes}");
      }
      (*targets)[p["priority"].get<std::string>()] = {p["first_response_minutes"].get<int64_t>(),
                                                      p["resolution_minutes"].get<int64_t>()};
    }
  }
  if (body.contains("business_hours")) {
    const Json& h = body["business_hours"];
    std::optional<int> start, end;
    if (h.is_object() && h.value("start", Json()).is_string() && h.value("end", Json()).is_string()) {
      start = ParseClockText(h["start"].get<std::string>());
      end = ParseClockText(h["end"].get<std::string>());
    }
    if (!start || !end) return SendError(res, 400, "business_hours: {start: \"HH:MM\", end: \"HH:MM\"}");
    hours = desk::BusinessHours{*start, *end};
  }
  auto settings = Incidents(c).PutSettings(*who, systems, targets, hours);
  if (!settings.ok()) return SendIncidentStatus(res, settings.status());
  AuditIncident(c, req, *who, "desk.settings", "desk:settings", body);
  SendJson(res, MetaJson(*settings, Incidents(c).TimeZoneName()));
}

Json SubcategoryJson(const store::SubcategoryRow& s) {
  return {{"id", s.id}, {"class", s.klass}, {"name", s.name}, {"disabled", s.disabled}};
}

void AddSubcategory(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  Json body;
  if (!who || !Body(req, res, &body)) return;
  std::optional<std::string> klass, name;
  if (auto s = OptString(body, "class", &klass); !s.ok()) return SendStatus(res, s);
  if (auto s = OptString(body, "name", &name); !s.ok()) return SendStatus(res, s);
  auto row = Incidents(c).AddSubcategory(*who, klass.value_or(""), name.value_or(""));
  if (!row.ok()) return SendIncidentStatus(res, row.status());
  AuditIncident(c, req, *who, "desk.subcategory_create", fmt::format("subcategory:{}", row->id), body);
  SendJson(res, SubcategoryJson(*row), 201);
}

void EditSubcategory(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  Json body;
  if (!who || !Body(req, res, &body)) return;
  std::optional<std::string> name;
  std::optional<bool> disabled;
  if (auto s = OptString(body, "name", &name); !s.ok()) return SendStatus(res, s);
  if (auto s = OptBool(body, "disabled", &disabled); !s.ok()) return SendStatus(res, s);
  auto row = Incidents(c).EditSubcategory(*who, PathId(req), name, disabled);
  if (!row.ok()) return SendIncidentStatus(res, row.status());
  AuditIncident(c, req, *who, "desk.subcategory_update", fmt::format("subcategory:{}", row->id), body);
  SendJson(res, SubcategoryJson(*row));
}

void Create(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  Json body;
  if (!who || !Body(req, res, &body)) return;
  desk::NewIncident in;
  std::optional<std::string> title, description, system;
  for (auto [key, out] : {std::pair{"title", &title}, {"description", &description}, {"system", &system},
                          {"priority", &in.priority}, {"class", &in.klass}, {"channel", &in.channel}}) {
    if (auto s = OptString(body, key, out); !s.ok()) return SendStatus(res, s);
  }
  in.title = title.value_or("");
  in.description = description.value_or("");
  in.system = system.value_or("");
  if (auto s = OptInt(body, "occurred_at", &in.occurred_at); !s.ok()) return SendStatus(res, s);
  if (auto s = OptInt(body, "subcategory_id", &in.subcategory_id); !s.ok()) return SendStatus(res, s);
  if (body.contains("customer") && !body["customer"].is_null()) {
    const Json& cu = body["customer"];
    if (!cu.is_object()) return SendError(res, 400, "customer: must be an object");
    for (auto [key, out] : {std::pair{"customer_no", &in.customer_no}, {"account", &in.account},
                            {"name", &in.customer_name}, {"phone", &in.phone}}) {
      std::optional<std::string> v;
      if (auto s = OptString(cu, key, &v); !s.ok()) {
        return SendError(res, 400, fmt::format("customer.{}: must be a string", key));
      }
      *out = v.value_or("");
    }
  }
  auto v = Incidents(c).Create(*who, in);
  if (!v.ok()) return SendIncidentStatus(res, v.status());
  SendJson(res, IncidentJson(*v), 201);
}

absl::Status ListParam(const httplib::Request& req, const char* name,
                       const std::vector<std::string>& allowed, std::vector<std::string>* out) {
  if (!req.has_param(name)) return absl::OkStatus();
  const std::string list = req.get_param_value(name);
  size_t at = 0;
  while (at <= list.size()) {
    size_t comma = std::min(list.find(',', at), list.size());
    std::string v = list.substr(at, comma - at);
    at = comma + 1;
    if (v.empty()) continue;
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
      return absl::InvalidArgumentError(fmt::format("query parameter {}: unknown value '{}'", name, v));
    }
    out->push_back(v);
  }
  return absl::OkStatus();
}

void List(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  if (!who) return;
  desk::IncidentFilter f;
  if (auto s = ListParam(req, "status", {"new", "accepted", "transferred", "resolved", "closed"}, &f.statuses); !s.ok()) {
    return SendStatus(res, s);
  }
  if (auto s = ListParam(req, "sla", {"ok", "at_risk", "breached", "met", "missed"}, &f.sla); !s.ok()) {
    return SendStatus(res, s);
  }
  for (auto [key, out] : {std::pair{"system", &f.system}, {"class", &f.klass}, {"priority", &f.priority},
                          {"assignee", &f.assignee}, {"group", &f.group}, {"reporter", &f.reporter},
                          {"q", &f.q}}) {
    if (req.has_param(key) && !req.get_param_value(key).empty()) *out = req.get_param_value(key);
  }
  int64_t before = 0, limit = 50;
  if (auto s = IntParam(req, "before_id", 0, INT64_MAX, 0, &before); !s.ok()) return SendStatus(res, s);
  if (auto s = IntParam(req, "limit", 1, 200, 50, &limit); !s.ok()) return SendStatus(res, s);
  f.before_id = before;
  f.limit = static_cast<int>(limit);
  auto page = Incidents(c).List(*who, f);
  if (!page.ok()) return SendIncidentStatus(res, page.status());
  Json items = Json::array();
  for (const auto& v : page->items) items.push_back(IncidentJson(v));
  SendJson(res, {{"items", items},
                 {"next_before_id", page->next_before_id ? Json(page->next_before_id) : Json(nullptr)}});
}

void Get(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  if (!who) return;
  auto d = Incidents(c).Get(*who, PathId(req));
  if (!d.ok()) return SendIncidentStatus(res, d.status());
  Json history = Json::array(), scripts = Json::array(), attachments = Json::array();
  for (const auto& h : d->history) history.push_back(HistoryJson(h));
  for (const auto& x : d->scripts) scripts.push_back(ScriptJson(x));
  for (const auto& a : d->attachments) attachments.push_back(AttachmentJson(a));
  Json links = Json::object();
  if (!d->incident.row.alert_fingerprint.empty()) {
    links["alert"] = {{"fingerprint", d->incident.row.alert_fingerprint},
                      {"url", "/api/v1/alerts?fingerprint=" + d->incident.row.alert_fingerprint}};
  }
  SendJson(res, {{"incident", IncidentJson(d->incident)}, {"history", history}, {"scripts", scripts},
                 {"attachments", attachments}, {"links", links}});
}

void Patch(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  Json body;
  if (!who || !Body(req, res, &body)) return;
  desk::IncidentEdit e;
  for (auto [key, out] : {std::pair{"title", &e.title}, {"priority", &e.priority}, {"class", &e.klass},
                          {"system", &e.system}}) {
    if (auto s = OptString(body, key, out); !s.ok()) return SendStatus(res, s);
  }
  if (body.contains("subcategory_id")) {
    if (body["subcategory_id"].is_null()) e.subcategory_id = 0;
    else if (auto s = OptInt(body, "subcategory_id", &e.subcategory_id); !s.ok()) return SendStatus(res, s);
  }
  const int64_t id = PathId(req);
  auto v = Incidents(c).Update(*who, id, e);
  if (!v.ok()) return SendIncidentStatus(res, v.status());
  AuditIncident(c, req, *who, "incident.update", IncidentRefOf(id), body);
  SendJson(res, IncidentJson(*v));
}

void Step(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  Json body = Json::object();
  if (!who) return;
  if (!Body(req, res, &body, /*empty_is_object=*/true)) return;
  auto action = desk::ParseLifecycleAction(req.matches[2].str());
  if (!action) return SendError(res, 404, "no such step");
  desk::StepArgs args;
  std::optional<std::string> v;
  for (auto [key, out] : {std::pair{"assignee", &args.assignee}, {"group", &args.group},
                          {"note", &args.note}, {"cause", &args.cause}, {"solution", &args.solution}}) {
    v.reset();
    if (auto s = OptString(body, key, &v); !s.ok()) return SendStatus(res, s);
    *out = v.value_or("");
  }
  if (*action == desk::LifecycleAction::kReopen) {
    v.reset();
    if (auto s = OptString(body, "reason", &v); !s.ok()) return SendStatus(res, s);
    args.note = v.value_or("");
  }
  const int64_t id = PathId(req);
  auto r = Incidents(c).Act(*who, id, *action, args);
  if (!r.ok()) return SendIncidentStatus(res, r.status());
  AuditIncident(c, req, *who, fmt::format("incident.{}", desk::LifecycleActionName(*action)),
                IncidentRefOf(id), {{"status", r->row.status}});
  SendJson(res, IncidentJson(*r));
}

}  // namespace

void AddIncidentRoutes(httplib::Server& s, const RouteContext& c) {
  s.Get("/api/v1/incidents/meta", [c](const auto& req, auto& res) { Meta(c, req, res); });
  s.Get("/api/v1/incidents/settings", [c](const auto& req, auto& res) { Meta(c, req, res); });
  s.Put("/api/v1/incidents/settings", [c](const auto& req, auto& res) { PutSettings(c, req, res); });
  s.Post("/api/v1/incidents/subcategories", [c](const auto& req, auto& res) { AddSubcategory(c, req, res); });
  s.Patch(R"(/api/v1/incidents/subcategories/(\d+))",
          [c](const auto& req, auto& res) { EditSubcategory(c, req, res); });
  s.Post("/api/v1/incidents", [c](const auto& req, auto& res) { Create(c, req, res); });
  s.Get("/api/v1/incidents", [c](const auto& req, auto& res) { List(c, req, res); });
  s.Get(R"(/api/v1/incidents/(\d+))", [c](const auto& req, auto& res) { Get(c, req, res); });
  s.Patch(R"(/api/v1/incidents/(\d+))", [c](const auto& req, auto& res) { Patch(c, req, res); });
  s.Post(R"(/api/v1/incidents/(\d+)/(accept|assign|transfer|return|take-back|resolve|confirm|close|reopen))",
         [c](const auto& req, auto& res) { Step(c, req, res); });
  AddIncidentChatRoutes(s, c);
  AddIncidentIntakeRoutes(s, c);
}

}  // namespace vigil::http
