// The firing alerts as the console's tiles and tables count them: by the requesting system,
// service system and code their labels name, with the worst severity of each.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "alerting/alerting.h"
#include "common/config.h"
#include "http/http_util.h"

namespace vigil::http {

// Severities ranked: critical > warning > info > anything else > none.
int SeverityRank(const std::string& severity);

struct FiringCount {
  int firing = 0;
  std::string worst;  // empty when none
  void Add(const std::string& severity);
  Json WorstJson() const { return worst.empty() ? Json(nullptr) : Json(worst); }
};

struct FiringIndex {
  int firing = 0, suppressed = 0;  // unsuppressed firing alerts; muted ones
  std::map<std::string, int> by_severity;  // of the unsuppressed ones
  // Unsuppressed alerts whose labels name the system: `sys`, or a `txn` of that system.
  std::map<std::string, FiringCount> by_sys;
  std::map<std::string, FiringCount> by_svc_sys;  // ... `svc_sys`
  std::map<std::string, FiringCount> by_txn;      // every firing alert (suppressed too) by `txn`

  // From Alerting::Active(); empty when alerting is null.
  static FiringIndex Build(alerting::Alerting* alerting, const Config& config);
};

}  // namespace vigil::http
