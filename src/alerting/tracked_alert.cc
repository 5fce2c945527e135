// Labels, annotations and fingerprints of alerts (tracked_alert.h).
#include "alerting/tracked_alert.h"

#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace vigil::alerting {
namespace {

using Json = nlohmann::json;

// An annotation's text: strings as they are, other values as compact JSON; null is absent.
std::optional<std::string> AnnotationText(const Json& v) {
  if (v.is_null()) return std::nullopt;
  if (v.is_string()) return v.get<std::string>();
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

absl::Status Describe(const std::string& rule, const std::string& key_json,
                      const std::string& event_json, const std::string& severity,
                      const CodeCatalog& catalog, TrackedAlert* a) {
  Json key = Json::parse(key_json, nullptr, /*allow_exceptions=*/false);
  if (!key.is_object()) {
    return absl::InvalidArgumentError(
        fmt::format("alert {} has a key that is not a JSON object: {}", rule, key_json));
  }
  Json event = Json::parse(event_json, nullptr, /*allow_exceptions=*/false);
  if (!event.is_object()) event = Json::object();
  a->rule = rule;
  a->key_json = key_json;
  a->fingerprint = Fingerprint(rule, key_json);
  a->last_event_json = event_json;
  a->key_fields.clear();
  a->labels = {{"rule", rule}, {"severity", severity}};
  for (const auto& [name, value] : key.items()) {
    a->key_fields.push_back(name);
    a->labels[name] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  if (!a->labels.contains("txn") && event.contains("txn") && event["txn"].is_string()) {
    a->labels["txn"] = event["txn"].get<std::string>();
  }
  if (auto txn = a->labels.find("txn"); txn != a->labels.end()) {
    if (auto code = catalog.codes.find(txn->second); code != catalog.codes.end()) {
      if (!code->second.sys.empty()) a->labels["sys"] = code->second.sys;
      if (!code->second.name.empty()) a->labels["name"] = code->second.name;
      if (!code->second.svc_sys.empty()) a->labels.emplace("svc_sys", code->second.svc_sys);
    }
  }
  a->annotations.clear();
  for (const char* name : {"summary", "value", "threshold"}) {
    if (!event.contains(name)) continue;
    if (auto text = AnnotationText(event[name])) a->annotations[name] = *text;
  }
  return absl::OkStatus();
}

}  // namespace

CodeCatalog CodeCatalog::FromConfig(const Config& config) {
  CodeCatalog c;
  for (const auto& [code, t] : config.txn_codes) c.codes[code] = {t.sys, t.name, t.svc_sys};
  absl::StatusOr<absl::TimeZone> tz = LoadTimeZone(config.timezone);
  if (tz.ok()) c.tz = *tz;
  return c;
}

std::string TrackedAlert::Episode() const { return fmt::format("{}@{}", fingerprint, starts_at); }

std::string StableHash(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

std::string Fingerprint(std::string_view rule, std::string_view key_json) {
  return StableHash(fmt::format("{}\n{}", rule, key_json));
}

absl::StatusOr<TrackedAlert> AlertFromEvent(const store::AlertEventRow& event,
                                            const CodeCatalog& catalog) {
  TrackedAlert a;
  absl::Status s =
      Describe(event.rule, event.key_json, event.json, event.severity, catalog, &a);
  if (!s.ok()) return s;
  a.firing = event.firing;
  a.starts_at = event.at;
  if (!event.firing) a.ends_at = event.at;
  return a;
}

absl::StatusOr<TrackedAlert> AlertFromState(const store::AlertStateRow& state,
                                            const CodeCatalog& catalog) {
  TrackedAlert a;
  absl::Status s = Describe(state.rule, state.key_json, state.last_event_json, state.severity,
                            catalog, &a);
  if (!s.ok()) return s;
  a.firing = state.firing;
  a.starts_at = state.started_at;
  if (!state.firing) a.ends_at = state.resolved_at.value_or(state.updated_at);
  return a;
}

absl::Status Relabel(const CodeCatalog& catalog, TrackedAlert* alert) {
  const std::string severity = alert->labels["severity"];
  return Describe(alert->rule, alert->key_json, alert->last_event_json, severity, catalog, alert);
}

}  // namespace vigil::alerting
