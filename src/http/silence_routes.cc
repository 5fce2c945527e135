// Silences (maintenance windows): Alertmanager-style matchers over alert labels and a time
// range. Writes need the API token; every change is applied to the alerting pipeline at once.
#include <cstring>

#include "fmt/format.h"
#include "http/http_util.h"
#include "http/routes.h"

namespace vigil::http {
namespace {

Json ToJson(const store::Silence& s, TimeMs now) {
  Json m = Json::array();
  for (const auto& x : s.matchers) m.push_back(Json{{"name", x.name}, {"op", x.op}, {"value", x.value}});
  const char* state = now < s.starts_at ? "pending" : now < s.ends_at ? "active" : "expired";
  return Json{{"id", s.id},           {"matchers", m},           {"starts_at_ms", s.starts_at},
              {"ends_at_ms", s.ends_at}, {"created_by", s.created_by}, {"comment", s.comment},
              {"created_at_ms", s.created_at}, {"updated_at_ms", s.updated_at}, {"state", state}};
}

// "txn=~A0.*" -> {txn, =~, A0.*}
absl::StatusOr<store::Matcher> ParseMatcherText(const std::string& text) {
  static const char* kOps[] = {"=~", "!~", "!=", "="};
  for (const char* op : kOps) {
    size_t at = text.find(op);
    if (at == std::string::npos || at == 0) continue;
    std::string value = text.substr(at + std::strlen(op));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return store::Matcher{text.substr(0, at), op, value};
  }
  return absl::InvalidArgumentError(fmt::format("matcher '{}': expected name=value, name!=value, name=~regex or name!~regex", text));
}

// Reads a silence from a JSON body; `now` fills starts_at, `duration_ms` may replace ends_at.
absl::StatusOr<store::Silence> FromJson(const Json& j, TimeMs now) {
  if (!j.is_object()) return absl::InvalidArgumentError("the body must be a JSON object");
  store::Silence s;
  if (!j.contains("matchers") || !j["matchers"].is_array() || j["matchers"].empty()) {
    return absl::InvalidArgumentError("matchers: at least one matcher is required");
  }
  for (const Json& m : j["matchers"]) {
    if (m.is_string()) {
      auto parsed = ParseMatcherText(m.get<std::string>());
      if (!parsed.ok()) return parsed.status();
      s.matchers.push_back(*parsed);
    } else if (m.is_object() && m.contains("name") && m["name"].is_string()) {
      s.matchers.push_back({m["name"].get<std::string>(), m.value("op", std::string("=")), m.value("value", std::string())});
    } else {
      return absl::InvalidArgumentError("matchers: each is \"name=value\" or {name, op, value}");
    }
  }
  try {
    s.starts_at = j.value("starts_at_ms", now);
    if (j.contains("ends_at_ms")) {
      s.ends_at = j["ends_at_ms"].get<TimeMs>();
    } else if (j.contains("duration_ms")) {
      s.ends_at = s.starts_at + j["duration_ms"].get<int64_t>();
    } else {
      return absl::InvalidArgumentError("ends_at_ms or duration_ms is required");
    }
    s.created_by = j.value("created_by", std::string("api"));
    s.comment = j.value("comment", std::string());
  } catch (const Json::exception& e) {
    return absl::InvalidArgumentError(fmt::format("wrong type in the silence: {}", e.what()));
  }
  if (s.ends_at <= s.starts_at) return absl::InvalidArgumentError("the silence must end after it starts");
  if (s.created_by.size() > 200 || s.comment.size() > 2000) return absl::InvalidArgumentError("created_by or comment too long");
  return s;
}

int64_t IdOf(const httplib::Request& req) {
  try {
    return std::stoll(req.matches[1]);
  } catch (...) {
    return -1;
  }
}

bool Authorised(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  return RequireBearer(req, res, c.options.api_token, "this change needs the API token");
}

Json Preview(const RouteContext& c, const std::vector<store::Matcher>& matchers, absl::Status* s) {
  Json muted = Json::array();
  if (!c.services.alerting) return muted;
  auto preview = c.services.alerting->PreviewSilence(matchers);
  if (!preview.ok()) {
    *s = preview.status();
    return muted;
  }
  for (const auto& a : *preview) muted.push_back(Json{{"rule", a.rule}, {"key", Json::parse(a.key_json, nullptr, false)}, {"fingerprint", a.fingerprint}});
  return muted;
}

void Save(const RouteContext& c, const httplib::Request& req, httplib::Response& res, bool create) {
  if (!Authorised(c, req, res)) return;
  Json body;
  if (auto s = ParseJsonBody(req, &body); !s.ok()) return SendStatus(res, s);
  const TimeMs now = c.services.runtime->clock().Now();
  auto silence = FromJson(body, now);
  if (!silence.ok()) return SendStatus(res, silence.status());
  absl::Status valid;
  Json muted = Preview(c, silence->matchers, &valid);
  if (!valid.ok()) return SendStatus(res, valid);
  store::Store& st = c.services.runtime->store();
  silence->updated_at = now;
  if (create) {
    silence->created_at = now;
    auto id = st.CreateSilence(*silence);
    if (!id.ok()) return SendStatus(res, id.status());
    silence->id = *id;
  } else {
    silence->id = IdOf(req);
    auto old = st.GetSilence(silence->id);
    if (!old.ok()) return SendStatus(res, old.status());
    if (!*old) return SendError(res, 404, fmt::format("no silence {}", silence->id));
    silence->created_at = (*old)->created_at;
    if (auto s = st.UpdateSilence(*silence); !s.ok()) return SendStatus(res, s);
  }
  if (c.services.alerting) c.services.alerting->SilencesChanged();
  Json out = ToJson(*silence, now);
  out["mutes"] = muted;
  SendJson(res, out, create ? 201 : 200);
}

}  // namespace

void AddSilenceRoutes(httplib::Server& s, const RouteContext& c) {
  s.Get("/api/v1/silences", [c](const httplib::Request& req, httplib::Response& res) {
    const TimeMs now = c.services.runtime->clock().Now();
    auto list = c.services.runtime->store().ListSilences(now, req.get_param_value("all") == "1");
    if (!list.ok()) return SendStatus(res, list.status());
    Json out = Json::array();
    for (const auto& x : *list) out.push_back(ToJson(x, now));
    SendJson(res, Json{{"silences", out}});
  });
  s.Post("/api/v1/silences", [c](const auto& req, auto& res) { Save(c, req, res, true); });
  s.Post("/api/v1/silences/preview", [c](const httplib::Request& req, httplib::Response& res) {
    Json body;
    if (auto st = ParseJsonBody(req, &body); !st.ok()) return SendStatus(res, st);
    auto silence = FromJson(body, c.services.runtime->clock().Now());
    if (!silence.ok()) return SendStatus(res, silence.status());
    absl::Status valid;
    Json muted = Preview(c, silence->matchers, &valid);
    if (!valid.ok()) return SendStatus(res, valid);
    SendJson(res, Json{{"mutes", muted}});
  });
  s.Get(R"(/api/v1/silences/(\d+))", [c](const httplib::Request& req, httplib::Response& res) {
    auto x = c.services.runtime->store().GetSilence(IdOf(req));
    if (!x.ok()) return SendStatus(res, x.status());
    if (!*x) return SendError(res, 404, fmt::format("no silence {}", IdOf(req)));
    SendJson(res, ToJson(**x, c.services.runtime->clock().Now()));
  });
  s.Put(R"(/api/v1/silences/(\d+))", [c](const auto& req, auto& res) { Save(c, req, res, false); });
  s.Delete(R"(/api/v1/silences/(\d+))", [c](const httplib::Request& req, httplib::Response& res) {
    if (!Authorised(c, req, res)) return;
    const TimeMs now = c.services.runtime->clock().Now();
    if (auto st = c.services.runtime->store().ExpireSilence(IdOf(req), now); !st.ok()) return SendStatus(res, st);
    if (c.services.alerting) c.services.alerting->SilencesChanged();
    SendJson(res, Json{{"id", IdOf(req)}, {"state", "expired"}});
  });
}

}  // namespace vigil::http
