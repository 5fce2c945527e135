// What keeps a firing alert from being notified: silences (muting rules people create through
// the API, each active in [starts_at, ends_at)) and inhibition (another firing alert makes it
// redundant: the configured inhibit_rules, plus the built-in service-system rule).
//
// Built-in rule (auto_inhibit_service_system): while a service_success alert keyed by svc_sys X
// alone fires, every alert with a `txn` label and `svc_sys` label X is inhibited: the alerts of
// codes whose configured service system is X, and the (txn, X) service_success alerts. The team
// sees the failing service system, not fifty symptoms.
//
// Silenced or inhibited source alerts still inhibit (as in Alertmanager); an alert never
// inhibits itself.
//
// Thread safety: both classes are immutable once built.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "alerting/matchers.h"
#include "alerting/tracked_alert.h"
#include "common/alerting_config.h"
#include "store/store.h"

namespace vigil::alerting {

class SilenceSet {
 public:
  // Silences whose matchers do not compile (not expected: the API validates them) are left
  // out and logged.
  static SilenceSet Build(const std::vector<store::Silence>& silences);

  // Ids of the silences active at `now` that match, ascending.
  std::vector<int64_t> Matching(const Labels& labels, TimeMs now) const;
  size_t size() const { return silences_.size(); }

 private:
  struct Compiled {
    int64_t id;
    TimeMs starts_at, ends_at;
    MatcherSet matchers;
  };
  std::vector<Compiled> silences_;
};

class Inhibitor {
 public:
  static absl::StatusOr<Inhibitor> Build(const std::vector<InhibitRuleConfig>& rules,
                                         bool auto_service_system);

  // For each alert of `firing` that is inhibited: the fingerprints of the alerts inhibiting
  // it, ascending. `firing` are the firing alerts (silenced ones included).
  std::map<std::string, std::vector<std::string>> Compute(
      const std::vector<const TrackedAlert*>& firing) const;

 private:
  struct Rule {
    MatcherSet source, target;
    std::vector<std::string> equal;
  };
  std::vector<Rule> rules_;
  bool auto_service_system_ = true;
};

// An alert's suppression at one moment.
struct Suppression {
  std::vector<int64_t> silenced_by;
  std::vector<std::string> inhibited_by;
  bool suppressed() const { return !silenced_by.empty() || !inhibited_by.empty(); }
};

}  // namespace vigil::alerting
