// The alerting pipeline between the engine and the people: it keeps the set of active alerts,
// places them into groups by the routing tree, holds back what silences and inhibition
// suppress, and at the right times renders each group's message for its receiver into the
// store's outbox (the Deliverer sends it). Alertmanager's model, with its state in the store so
// a restart neither re-sends nor forgets.
//
// Driving it (`vigil serve`): after each minute's events are committed, OnCommitted(events);
// regularly (e.g. every second), Tick(now); SilencesChanged() whenever the API created, changed
// or expired a silence; AcknowledgementsChanged() whenever it acknowledged an alert or withdrew
// an acknowledgement; Reload() on a new configuration.
//
// Acknowledgements (kept by the store with each firing alert): an acknowledged alert is not
// reminded about. A group's repeat_interval reminder is sent only while at least one of its
// unsuppressed firing alerts is unacknowledged, and names only those; a message sent because
// something changed (an alert fires that the last message did not name, or one resolves) names
// every firing alert as before. Resolution is told as before; the store drops the
// acknowledgement with the resolving event, so a later episode starts unacknowledged.
//
// Crash safety: a message is enqueued before the group state that records it, under a
// deterministic dedup_key (receiver, group, message number, content), so redoing a flush after
// a crash between the two enqueues nothing new. OnCommitted is idempotent: events handed over
// twice change nothing. Active alerts are rebuilt from the store's alert states on start.
//
// Thread safety: every public method may be called from any thread. One mutex guards the
// state; Tick writes to the store (one Enqueue for all its messages, then the group states)
// without holding it, so a large flush does not hold up OnCommitted or the API.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "alerting/group.h"
#include "alerting/route.h"
#include "alerting/suppression.h"
#include "alerting/tracked_alert.h"
#include "common/alerting_config.h"
#include "common/clock.h"
#include "common/config.h"
#include "store/store.h"

namespace vigil::alerting {

// One firing alert as the API shows it.
struct AlertStatus {
  std::string fingerprint;
  std::string rule;
  std::string key_json;
  Labels labels;
  Labels annotations;
  TimeMs starts_at = 0;
  std::string state;                      // "active" or "suppressed"
  std::vector<int64_t> silenced_by;       // ids of the active silences that match it
  std::vector<std::string> inhibited_by;  // fingerprints of the alerts that inhibit it
  std::vector<std::string> receivers;     // where its route sends it
  std::optional<store::AlertAck> acknowledged;
};

struct AlertingStats {
  int64_t firing = 0;       // firing alerts known
  int64_t suppressed = 0;   // of those, silenced or inhibited (as of the last Tick)
  int64_t groups = 0;
  int64_t enqueued = 0;     // messages handed to the outbox since start
  int64_t store_errors = 0; // store calls that failed (logged); the state stays in memory
};

class Alerting {
 public:
  // Restores silences, group state and active alerts from the store. `config` must have
  // loaded without errors (its alerting section is validated there); a route that still does
  // not build is an error. `store` and `clock` must outlive this object.
  static absl::StatusOr<std::unique_ptr<Alerting>> Create(const Config& config,
                                                          store::Store* store, Clock* clock);

  // Takes one evaluated minute's committed events (in the contract's order).
  void OnCommitted(const std::vector<store::AlertEventRow>& events);
  // Flushes the groups that are due at `now`: renders and enqueues their messages.
  void Tick(TimeMs now);
  // Reloads the silences from the store (the API changed one).
  void SilencesChanged();
  // Reloads the acknowledgements of the firing alerts from the store (the API changed one).
  void AcknowledgementsChanged();
  // A new configuration: routes, receivers, inhibition and labels change; active alerts and
  // the timers of groups that still exist are kept. The whole Config, because labels come from
  // txn_codes too; an invalid route leaves the old configuration in place.
  absl::Status Reload(const Config& config);

  // Called (outside the lock) after messages were enqueued: wire it to Deliverer::Notify.
  void SetOnEnqueued(std::function<void()> fn);

  // Firing alerts with their suppression as of now, oldest first.
  std::vector<AlertStatus> Active();
  // The firing alerts a silence with these matchers would mute now (preview for the API).
  absl::StatusOr<std::vector<AlertStatus>> PreviewSilence(
      const std::vector<store::Matcher>& matchers);
  AlertingStats Stats();

  // When the next group is due (to sleep until then), if any group exists.
  std::optional<TimeMs> NextFlush();

 private:
  Alerting(store::Store* store, Clock* clock) : store_(store), clock_(clock) {}

  struct Settings;  // everything that comes from the configuration
  static absl::StatusOr<std::shared_ptr<const Settings>> MakeSettings(const Config& config);

  absl::Status Restore();
  // Rebuilds groups_ from alerts_: a group whose key is in `saved` keeps that state (timers,
  // what was sent); resolved alerts join only groups that sent them firing. Saved groups no
  // longer used are deleted from the store, alerts in no group are forgotten.
  void RegroupLocked(std::map<std::string, GroupState> saved, TimeMs now);
  void LoadSilencesLocked();
  // acks_ from the firing rows of the store's alert states.
  void SetAcksLocked(const std::vector<store::AlertStateRow>& states);
  void AddToGroupsLocked(const TrackedAlert& alert, TimeMs now);
  Group* GroupForLocked(const Route& route, const Labels& group_labels, TimeMs now);
  std::map<std::string, Suppression> SuppressionLocked(TimeMs now) const;
  // What one look at a group does: the message to queue (if any) and what changes after.
  struct FlushPlan {
    std::string key;
    std::optional<store::Notification> message;
    std::set<std::string> firing_episodes;  // what the message says fires
    // (fingerprint, episode) of the resolved alerts that leave the group; the episode, because
    // the alert may fire again before the plan is applied.
    std::vector<std::pair<std::string, std::string>> resolved;
  };
  FlushPlan PlanFlushLocked(const Group& group, TimeMs now,
                            const std::map<std::string, Suppression>& sup) const;
  // Group states to write or delete, collected under the lock and written after it, so a
  // large flush does not hold up OnCommitted and the API while SQLite syncs.
  struct StateWrites {
    std::vector<std::pair<std::string, std::string>> put;
    std::vector<std::string> erase;
  };
  // Applies a plan whose message (if any) is in the outbox.
  void ApplyFlushLocked(const FlushPlan& plan, TimeMs now, StateWrites* writes);
  void WriteStates(const StateWrites& writes);  // without mu_
  void DropGroupLocked(const std::string& key, StateWrites* writes);
  void ForgetUnusedLocked(const std::string& fingerprint);
  void SaveGroupLocked(Group& group, StateWrites* writes);
  AlertStatus StatusLocked(const TrackedAlert& a, const Suppression* s) const;
  void CountStoreError(const absl::Status& s, const char* what);

  store::Store* const store_;
  Clock* const clock_;

  // Lock order: tick_mu_, then mu_. tick_mu_ keeps Ticks (and Reload) in sequence, so group
  // state writes done outside mu_ land in the order they were decided.
  std::mutex tick_mu_;
  std::mutex mu_;
  std::atomic<int64_t> store_errors_{0};
  std::shared_ptr<const Settings> settings_;
  SilenceSet silences_;
  std::map<std::string, TrackedAlert> alerts_;  // by fingerprint
  std::map<std::string, Group> groups_;         // by group key
  // Acknowledged firing alerts, by fingerprint. A fingerprint may be here before its alert
  // (acknowledged between the store's commit and OnCommitted); a resolved event removes it.
  std::map<std::string, store::AlertAck> acks_;
  AlertingStats stats_;
  std::function<void()> on_enqueued_;
};

}  // namespace vigil::alerting
