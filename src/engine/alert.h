// Alert events (the contract's section 5) and where the engine sends them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "common/config.h"
#include "common/time_util.h"
#include "nlohmann/json.hpp"

namespace vigil {

using Json = nlohmann::ordered_json;

// The key fields of an alert, in the contract's order: txn, ret, svc_sys, node, step, check, day.
enum class KeyField : uint8_t { kTxn, kRet, kSvcSys, kNode, kStep, kCheck, kDay };
const char* KeyFieldName(KeyField f);

struct AlertKey {
  std::vector<std::pair<KeyField, std::string>> fields;  // in contract order
  std::string ToJson() const;                             // {"txn":"A001","ret":"100404"}
};

struct AlertEvent {
  TimeMs at = 0;  // the evaluation minute t
  bool firing = true;
  Rule rule = Rule::kSystemSuccess;
  AlertKey key;
  std::string severity;
  Json value;      // what the rule compared (number, string or null)
  Json threshold;  // the limit it was compared with
  std::string summary;
  Json extra = Json::object();  // further fields: records, count, baseline ...
};

// Receives alert events in the contract's order: by `at`, then rule name, then key as written.
class AlertSink {
 public:
  virtual ~AlertSink() = default;
  virtual void OnAlert(const AlertEvent& event) = 0;
};

// An event of the day-keyed rules (batch: step + day, recon: check + day). While the condition
// holds it carries what was compared and why; once it resolves, value and threshold are null
// and the summary says the day is back to normal. `subject` is "batch EOD_INTEREST (B001)".
AlertEvent DayKeyedEvent(Rule rule, KeyField name_field, const std::string& name,
                         const std::string& day, const std::string& txn, TimeMs t, bool firing,
                         const std::string& severity, bool holds, Json value, Json threshold,
                         const std::string& subject, const std::string& reason);

// One JSON line (no trailing newline), `at` written with the zone's offset.
std::string AlertToJson(const AlertEvent& event, const absl::TimeZone& tz);

// Rounds a rate or ratio for display in events (6 decimals: 0.989950 stays below 0.99).
double RoundValue(double v);

}  // namespace vigil
