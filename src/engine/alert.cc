#include "engine/alert.h"

#include <cmath>

#include "fmt/format.h"

namespace vigil {

const char* KeyFieldName(KeyField f) {
  switch (f) {
    case KeyField::kTxn: return "txn";
    case KeyField::kRet: return "ret";
    case KeyField::kSvcSys: return "svc_sys";
    case KeyField::kNode: return "node";
    case KeyField::kStep: return "step";
    case KeyField::kCheck: return "check";
    case KeyField::kDay: return "day";
  }
  return "?";
}

std::string AlertKey::ToJson() const {
  Json j = Json::object();
  for (const auto& [field, value] : fields) j[KeyFieldName(field)] = value;
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string AlertToJson(const AlertEvent& e, const absl::TimeZone& tz) {
  Json j = Json::object();
  j["at"] = FormatRfc3339(e.at, tz);
  j["state"] = e.firing ? "firing" : "resolved";
  j["rule"] = RuleName(e.rule);
  Json key = Json::object();
  for (const auto& [field, value] : e.key.fields) key[KeyFieldName(field)] = value;
  j["key"] = std::move(key);
  j["severity"] = e.severity;
  j["value"] = e.value;
  j["threshold"] = e.threshold;
  j["summary"] = e.summary;
  for (const auto& [name, v] : e.extra.items()) j[name] = v;
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

AlertEvent DayKeyedEvent(Rule rule, KeyField name_field, const std::string& name,
                         const std::string& day, const std::string& txn, TimeMs t, bool firing,
                         const std::string& severity, bool holds, Json value, Json threshold,
                         const std::string& subject, const std::string& reason) {
  AlertEvent e;
  e.at = t;
  e.firing = firing;
  e.rule = rule;
  e.key.fields = {{name_field, name}, {KeyField::kDay, day}};
  e.severity = severity;
  e.value = holds ? std::move(value) : Json(nullptr);
  e.threshold = holds ? std::move(threshold) : Json(nullptr);
  e.summary = holds ? fmt::format("{} for {}{}", subject, day, reason)
                    : fmt::format("{} for {} is back to normal", subject, day);
  e.extra["txn"] = txn;
  return e;
}

double RoundValue(double v) { return std::round(v * 1e6) / 1e6; }

}  // namespace vigil
