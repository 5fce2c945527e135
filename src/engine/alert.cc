#include "engine/alert.h"

#include <cmath>

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

double RoundValue(double v) { return std::round(v * 1e6) / 1e6; }

}  // namespace vigil
