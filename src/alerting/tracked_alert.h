// An alert as the alerting module sees it: identified by rule + key (a stable fingerprint),
// described by labels (what routes, silences and inhibition match on) and annotations (what
// people read), and the time span of its current episode.
//
// Labels: `rule`, `severity`, every key field present (txn, ret, svc_sys, node, step, check,
// day), `txn` from the event when the key lacks it (batch, recon), and from the
// configuration's txn_codes entry of the code: `sys`, `name`, and `svc_sys` unless the key has
// its own. Annotations: `summary`, `value`, `threshold` (JSON text unless a string).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/config.h"
#include "common/time_util.h"
#include "store/store.h"

namespace vigil::alerting {

using Labels = std::map<std::string, std::string>;

// What labels need from the monitoring configuration, copied so it can be swapped on reload.
struct CodeCatalog {
  struct Code {
    std::string sys, name, svc_sys;
  };
  std::map<std::string, Code> codes;
  absl::TimeZone tz = absl::UTCTimeZone();

  static CodeCatalog FromConfig(const Config& config);
};

struct TrackedAlert {
  std::string fingerprint;  // 16 hex digits, from rule + key_json; the same after a restart
  std::string rule;
  std::string key_json;
  std::vector<std::string> key_fields;  // names of the key's fields, in order
  Labels labels;
  Labels annotations;
  bool firing = true;
  TimeMs starts_at = 0;             // `at` of the firing event that opened the episode
  std::optional<TimeMs> ends_at;    // `at` of the resolving event
  std::string last_event_json;      // kept to rebuild labels when the configuration changes

  // One episode (firing to resolved) of this alert: what a group remembers having sent.
  std::string Episode() const;
};

// 64-bit FNV-1a as 16 hex digits: stable across runs and builds (unlike std::hash).
std::string StableHash(std::string_view text);
std::string Fingerprint(std::string_view rule, std::string_view key_json);

// Builds an alert from a committed event (its firing state and times are the event's).
absl::StatusOr<TrackedAlert> AlertFromEvent(const store::AlertEventRow& event,
                                            const CodeCatalog& catalog);
// Builds an alert from its stored current state (after a restart).
absl::StatusOr<TrackedAlert> AlertFromState(const store::AlertStateRow& state,
                                            const CodeCatalog& catalog);
// Recomputes labels and annotations from the alert's last event (after a reload).
absl::Status Relabel(const CodeCatalog& catalog, TrackedAlert* alert);

}  // namespace vigil::alerting
