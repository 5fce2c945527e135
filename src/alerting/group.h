// One aggregation group: the alerts one route sends to one receiver under the same values of
// its group_by labels, and what was last notified about them. The part that must survive a
// restart (GroupState) is stored as JSON with Store::PutGroupState under the group key.
//
// The state is written when it changes what a restart must know (a message was queued, or
// what the last message said changed), not at every look: a restart that finds an older
// next_flush_at just looks at once, which sends nothing unless something changed.
//
// Timing (Alertmanager's): a new group is first flushed group_wait after it was created; after
// that it is looked at every group_interval. A look sends when a firing alert was not in the
// last message, or an alert of the last message has resolved (send_resolved), or the last
// message is repeat_interval old and unacknowledged alerts still fire (alerting.h).
#pragma once

#include <optional>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "alerting/route.h"
#include "alerting/tracked_alert.h"
#include "common/time_util.h"

namespace vigil::alerting {

struct GroupState {
  std::string key;  // Route::GroupKey
  std::string receiver;
  std::string route_id;
  Labels group_labels;
  TimeMs created_at = 0;
  TimeMs next_flush_at = 0;
  std::optional<TimeMs> last_sent_at;
  int64_t seq = 0;  // messages sent so far; part of the dedup key of the next one
  // Episodes (TrackedAlert::Episode) that fired in the last message.
  std::set<std::string> sent_firing;
  // Not written: whether the store holds this state (true once saved or when read back), so a
  // group that ends without ever being saved costs no delete.
  bool stored = false;

  std::string ToJson() const;
  static absl::StatusOr<GroupState> FromJson(const std::string& key, const std::string& json);
};

struct Group {
  GroupState state;
  const Route* route = nullptr;      // owned by the current RouteTree
  std::set<std::string> alerts;      // fingerprints: firing, or resolved and not yet flushed
};

}  // namespace vigil::alerting
