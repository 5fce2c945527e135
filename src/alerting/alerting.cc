// The alerting pipeline (alerting.h): start-up from the store, events in, reload, regrouping.
// Flushing, suppression and the API views are in alerting_flush.cc.
#include "alerting/alerting.h"

#include <algorithm>
#include <functional>

#include "alerting/alerting_settings.h"
#include "common/strings.h"
#include "fmt/format.h"
#include "spdlog/spdlog.h"

namespace vigil::alerting {
namespace {

// Every receiver a route names must exist (the config loader checks this too; a Config built
// in code may not have been through it).
absl::Status CheckReceivers(const Route& route, const AlertingConfig& config) {
  if (!config.receivers.contains(route.receiver)) {
    return absl::InvalidArgumentError(
        fmt::format("route {} names receiver '{}', which is not defined", route.id,
                    route.receiver));
  }
  for (const auto& child : route.children) {
    if (absl::Status s = CheckReceivers(*child, config); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Alerting::Settings>> Alerting::MakeSettings(
    const Config& config) {
  auto s = std::make_shared<Settings>();
  s->config = config.alerting;
  s->catalog = CodeCatalog::FromConfig(config);
  if (config.alerting.route) {
    absl::StatusOr<RouteTree> tree = RouteTree::Build(*config.alerting.route);
    if (!tree.ok()) return tree.status();
    if (absl::Status c = CheckReceivers(tree->root(), config.alerting); !c.ok()) return c;
    s->routes.emplace(*std::move(tree));
  }
  absl::StatusOr<Inhibitor> inhibitor = Inhibitor::Build(
      config.alerting.inhibit_rules, config.alerting.auto_inhibit_service_system);
  if (!inhibitor.ok()) return inhibitor.status();
  s->inhibitor = *std::move(inhibitor);
  return std::shared_ptr<const Settings>(std::move(s));
}

absl::StatusOr<std::unique_ptr<Alerting>> Alerting::Create(const Config& config,
                                                           store::Store* store, Clock* clock) {
  absl::StatusOr<std::shared_ptr<const Settings>> settings = MakeSettings(config);
  if (!settings.ok()) return settings.status();
  std::unique_ptr<Alerting> a(new Alerting(store, clock));
  a->settings_ = *std::move(settings);
  if (absl::Status s = a->Restore(); !s.ok()) return s;
  return a;
}

absl::Status Alerting::Restore() {
  std::lock_guard<std::mutex> lock(mu_);
  const TimeMs now = clock_->Now();
  LoadSilencesLocked();
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> stored = store_->GroupStates();
  if (!stored.ok()) return stored.status();
  std::map<std::string, GroupState> saved;
  std::optional<TimeMs> oldest_sent;  // resolved alerts since then may still need a message
  for (const auto& [key, json] : *stored) {
    absl::StatusOr<GroupState> g = GroupState::FromJson(key, json);
    if (!g.ok()) {
      spdlog::warn("alerting: dropping unreadable group state: {}", AsStd(g.status().message()));
      if (absl::Status d = store_->DeleteGroupState(key); !d.ok()) {
        CountStoreError(d, "deleting a group state");
      }
      continue;
    }
    if (g->last_sent_at && !g->sent_firing.empty()) {
      oldest_sent = std::min(oldest_sent.value_or(*g->last_sent_at), *g->last_sent_at);
    }
    saved[key] = *std::move(g);
  }
  absl::StatusOr<std::vector<store::AlertStateRow>> states =
      store_->AlertStates(oldest_sent.has_value(), oldest_sent.value_or(0));
  if (!states.ok()) return states.status();
  SetAcksLocked(*states);
  for (const store::AlertStateRow& row : *states) {
    absl::StatusOr<TrackedAlert> a = AlertFromState(row, settings_->catalog);
    if (!a.ok()) {
      spdlog::warn("alerting: skipping stored alert: {}", AsStd(a.status().message()));
      continue;
    }
    alerts_[a->fingerprint] = *std::move(a);
  }
  RegroupLocked(std::move(saved), now);
  spdlog::info("alerting: restored {} alerts in {} groups, {} silences", alerts_.size(),
               groups_.size(), silences_.size());
  return absl::OkStatus();
}

void Alerting::RegroupLocked(std::map<std::string, GroupState> saved, TimeMs now) {
  groups_.clear();
  if (settings_->routes) {
    for (const auto& [fp, alert] : alerts_) {
      for (const Route* route : settings_->routes->Match(alert.labels)) {
        Labels group_labels = route->GroupLabels(alert.labels);
        const std::string key = route->GroupKey(group_labels);
        auto old = saved.find(key);
        const bool sent_before =
            old != saved.end() && old->second.sent_firing.contains(alert.Episode());
        if (!alert.firing && !sent_before) continue;  // nobody was told it fired
        auto it = groups_.find(key);
        if (it == groups_.end() && old != saved.end()) {
          it = groups_.emplace(key, Group{old->second, route, {}}).first;
        }
        Group* g = it != groups_.end() ? &it->second : GroupForLocked(*route, group_labels, now);
        g->alerts.insert(fp);
      }
    }
  }
  // A group that is new here (first start, or a route that changed) waits group_wait from its
  // oldest alert's start, not from now: a restart does not restart the wait.
  for (auto& [key, g] : groups_) {
    if (saved.contains(key)) continue;
    TimeMs oldest = now;
    for (const std::string& fp : g.alerts) oldest = std::min(oldest, alerts_.at(fp).starts_at);
    g.state.next_flush_at = std::max(now, oldest + g.route->group_wait_ms);
  }
  for (const auto& [key, state] : saved) {
    if (groups_.contains(key) || !state.stored) continue;
    if (absl::Status s = store_->DeleteGroupState(key); !s.ok()) {
      CountStoreError(s, "deleting a group state");
    }
  }
  std::erase_if(alerts_, [&](const auto& kv) {
    if (kv.second.firing) return false;
    return std::none_of(groups_.begin(), groups_.end(),
                        [&](const auto& g) { return g.second.alerts.contains(kv.first); });
  });
}

void Alerting::LoadSilencesLocked() {
  absl::StatusOr<std::vector<store::Silence>> list =
      store_->ListSilences(clock_->Now(), /*include_expired=*/false);
  if (!list.ok()) {
    CountStoreError(list.status(), "loading silences");  // keep the ones we have
    return;
  }
  silences_ = SilenceSet::Build(*list);
}

void Alerting::SilencesChanged() {
  std::lock_guard<std::mutex> lock(mu_);
  LoadSilencesLocked();
}

void Alerting::SetAcksLocked(const std::vector<store::AlertStateRow>& states) {
  acks_.clear();
  for (const store::AlertStateRow& row : states) {
    if (row.firing && row.ack) acks_[Fingerprint(row.rule, row.key_json)] = *row.ack;
  }
}

void Alerting::AcknowledgementsChanged() {
  std::lock_guard<std::mutex> lock(mu_);
  // Read under the lock, like the silences: a resolution committed after this read is handed
  // to OnCommitted after it too, and removes the acknowledgement again.
  absl::StatusOr<std::vector<store::AlertStateRow>> firing = store_->AlertStates(false);
  if (!firing.ok()) {
    CountStoreError(firing.status(), "loading acknowledgements");  // keep the ones we have
    return;
  }
  SetAcksLocked(*firing);
}

Group* Alerting::GroupForLocked(const Route& route, const Labels& group_labels, TimeMs now) {
  const std::string key = route.GroupKey(group_labels);
  auto it = groups_.find(key);
  if (it != groups_.end()) return &it->second;
  Group g;
  g.route = &route;
  g.state.key = key;
  g.state.receiver = route.receiver;
  g.state.route_id = route.id;
  g.state.group_labels = group_labels;
  g.state.created_at = now;
  g.state.next_flush_at = now + route.group_wait_ms;
  // Not stored yet: a restart during group_wait rebuilds the group from its alerts' start.
  return &groups_.emplace(key, std::move(g)).first->second;
}

void Alerting::AddToGroupsLocked(const TrackedAlert& alert, TimeMs now) {
  if (!settings_->routes) return;
  for (const Route* route : settings_->routes->Match(alert.labels)) {
    GroupForLocked(*route, route->GroupLabels(alert.labels), now)->alerts.insert(alert.fingerprint);
  }
}

void Alerting::OnCommitted(const std::vector<store::AlertEventRow>& events) {
  std::lock_guard<std::mutex> lock(mu_);
  const TimeMs now = clock_->Now();
  for (const store::AlertEventRow& event : events) {
    // The store dropped the acknowledgement with this event; so does the pipeline, whether or
    // not it tracked the alert.
    if (!event.firing) acks_.erase(Fingerprint(event.rule, event.key_json));
    absl::StatusOr<TrackedAlert> a = AlertFromEvent(event, settings_->catalog);
    if (!a.ok()) {
      spdlog::warn("alerting: skipping event {}: {}", event.id, AsStd(a.status().message()));
      continue;
    }
    auto it = alerts_.find(a->fingerprint);
    if (event.firing) {
      if (it != alerts_.end() && it->second.firing) {
        // The same episode again (events handed over twice): keep when it started.
        a->starts_at = std::min(a->starts_at, it->second.starts_at);
        it->second = *std::move(a);
        continue;
      }
      TrackedAlert& stored = alerts_[a->fingerprint] = *std::move(a);
      AddToGroupsLocked(stored, now);
      continue;
    }
    if (it == alerts_.end() || !it->second.firing || event.at < it->second.starts_at) continue;
    a->starts_at = it->second.starts_at;
    it->second = *std::move(a);  // resolved, with the resolving event's summary
    ForgetUnusedLocked(it->first);
  }
  stats_.firing = std::count_if(alerts_.begin(), alerts_.end(),
                                [](const auto& kv) { return kv.second.firing; });
}

void Alerting::ForgetUnusedLocked(const std::string& fingerprint) {
  auto it = alerts_.find(fingerprint);
  if (it == alerts_.end() || it->second.firing) return;
  for (const auto& [key, g] : groups_) {
    if (g.alerts.contains(fingerprint)) return;
  }
  alerts_.erase(it);
}

absl::Status Alerting::Reload(const Config& config) {
  absl::StatusOr<std::shared_ptr<const Settings>> settings = MakeSettings(config);
  if (!settings.ok()) return settings.status();
  std::lock_guard<std::mutex> tick(tick_mu_);
  std::lock_guard<std::mutex> lock(mu_);
  settings_ = *std::move(settings);
  for (auto& [fp, alert] : alerts_) {
    if (absl::Status s = Relabel(settings_->catalog, &alert); !s.ok()) {
      spdlog::warn("alerting: cannot relabel {}: {}", fp, AsStd(s.message()));
    }
  }
  std::map<std::string, GroupState> saved;
  for (auto& [key, g] : groups_) saved[key] = g.state;
  RegroupLocked(std::move(saved), clock_->Now());
  return absl::OkStatus();
}

void Alerting::SetOnEnqueued(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  on_enqueued_ = std::move(fn);
}

void Alerting::SaveGroupLocked(Group& group, StateWrites* writes) {
  writes->put.emplace_back(group.state.key, group.state.ToJson());
  group.state.stored = true;
}

void Alerting::DropGroupLocked(const std::string& key, StateWrites* writes) {
  auto it = groups_.find(key);
  if (it == groups_.end()) return;
  if (it->second.state.stored) writes->erase.push_back(key);
  groups_.erase(it);
}

// One transaction for the whole Tick (a commit per group made the first Tick after 2,500 new
// alerts take 10 s on SQLite).
void Alerting::WriteStates(const StateWrites& writes) {
  if (absl::Status s = store_->WriteGroupStates(writes.put, writes.erase); !s.ok()) {
    CountStoreError(s, "saving group states");
  }
}

void Alerting::CountStoreError(const absl::Status& s, const char* what) {
  ++store_errors_;
  spdlog::error("alerting: store error {}: {}", what, AsStd(s.message()));
}

}  // namespace vigil::alerting
