#include "http/firing_index.h"

#include <set>

namespace vigil::http {

int SeverityRank(const std::string& severity) {
  if (severity == "critical") return 4;
  if (severity == "warning") return 3;
  if (severity == "info") return 2;
  return severity.empty() ? 0 : 1;
}

void FiringCount::Add(const std::string& severity) {
  ++firing;
  if (worst.empty() || SeverityRank(severity) > SeverityRank(worst)) worst = severity.empty() ? "warning" : severity;
}

FiringIndex FiringIndex::Build(alerting::Alerting* alerting, const Config& config) {
  FiringIndex out;
  if (!alerting) return out;
  for (const alerting::AlertStatus& a : alerting->Active()) {
    auto label = [&](const char* name) -> std::string {
      auto it = a.labels.find(name);
      return it == a.labels.end() ? std::string() : it->second;
    };
    const std::string severity = label("severity");
    const std::string txn = label("txn");
    if (!txn.empty()) out.by_txn[txn].Add(severity);
    if (a.state == "suppressed") {
      ++out.suppressed;
      continue;
    }
    ++out.firing;
    ++out.by_severity[severity];
    std::set<std::string> systems;
    if (const std::string sys = label("sys"); !sys.empty()) systems.insert(sys);
    if (const TxnCodeConfig* tc = txn.empty() ? nullptr : config.FindCode(txn); tc && !tc->sys.empty()) {
      systems.insert(tc->sys);
    }
    for (const std::string& sys : systems) out.by_sys[sys].Add(severity);
    if (const std::string svc = label("svc_sys"); !svc.empty()) out.by_svc_sys[svc].Add(severity);
  }
  return out;
}

}  // namespace vigil::http
