// The alerting pipeline (alerting.h): flushing due groups into the outbox, suppression, and
// the views the API reads.
#include <algorithm>
#include <set>

#include "alerting/alerting.h"
#include "alerting/alerting_settings.h"
#include "alerting/render.h"
#include "common/strings.h"
#include "fmt/format.h"
#include "spdlog/spdlog.h"

namespace vigil::alerting {
namespace {

bool Older(const TrackedAlert* a, const TrackedAlert* b) {
  return a->starts_at != b->starts_at ? a->starts_at < b->starts_at
                                      : a->fingerprint < b->fingerprint;
}

// Names one message for the outbox's dedup: the same group, message number and content give
// the same key, so redoing a flush after a crash enqueues nothing new.
std::string DedupKey(const Message& m, int64_t seq) {
  std::string content;
  for (const TrackedAlert* a : m.firing) content += a->Episode() + ":firing\n";
  for (const TrackedAlert* a : m.resolved) content += a->Episode() + ":resolved\n";
  return fmt::format("{}|{}|{}|{}", m.receiver, StableHash(m.group_key), seq,
                     StableHash(content));
}

}  // namespace

std::map<std::string, Suppression> Alerting::SuppressionLocked(TimeMs now) const {
  std::vector<const TrackedAlert*> firing;
  for (const auto& [fp, a] : alerts_) {
    if (a.firing) firing.push_back(&a);
  }
  std::map<std::string, std::vector<std::string>> inhibited = settings_->inhibitor.Compute(firing);
  std::map<std::string, Suppression> out;
  for (const TrackedAlert* a : firing) {
    Suppression& s = out[a->fingerprint];
    s.silenced_by = silences_.Matching(a->labels, now);
    if (auto it = inhibited.find(a->fingerprint); it != inhibited.end()) {
      s.inhibited_by = it->second;
    }
  }
  return out;
}

void Alerting::Tick(TimeMs now) {
  std::lock_guard<std::mutex> tick(tick_mu_);
  std::vector<FlushPlan> plans;
  std::vector<store::Notification> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::map<std::string, Suppression> sup;
    for (const auto& [key, g] : groups_) {
      if (g.state.next_flush_at > now) continue;
      if (plans.empty()) sup = SuppressionLocked(now);
      plans.push_back(PlanFlushLocked(g, now, sup));
      if (plans.back().message) batch.push_back(*plans.back().message);
    }
    if (plans.empty()) return;
    stats_.suppressed = std::count_if(sup.begin(), sup.end(),
                                      [](const auto& kv) { return kv.second.suppressed(); });
  }
  // All of this look's messages in one transaction, before any group records them; a crash
  // in between redoes the same messages under the same dedup keys.
  if (!batch.empty()) {
    if (absl::Status s = store_->Enqueue(&batch); !s.ok()) {
      CountStoreError(s, "enqueueing notifications");
      return;  // nothing changed: the next Tick tries again
    }
  }
  StateWrites writes;
  std::function<void()> notify;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const FlushPlan& plan : plans) {
      // A Reload cannot have run in between (it takes tick_mu_): every planned group is here.
      ApplyFlushLocked(plan, now, &writes);
    }
    stats_.enqueued += static_cast<int64_t>(batch.size());
    stats_.groups = static_cast<int64_t>(groups_.size());
    if (!batch.empty()) notify = on_enqueued_;
  }
  WriteStates(writes);
  if (notify) notify();
}

Alerting::FlushPlan Alerting::PlanFlushLocked(const Group& g, TimeMs now,
                                              const std::map<std::string, Suppression>& sup) const {
  const Route& route = *g.route;
  const ReceiverConfig* receiver = settings_->Receiver(route.receiver);
  FlushPlan plan;
  plan.key = g.state.key;
  Message m{route.receiver, g.state.key, g.state.group_labels, {}, {}, now,
            route.repeat_interval_ms};
  bool resolved_after_message = false;
  std::vector<const TrackedAlert*> unacknowledged;  // what a reminder is about
  for (const std::string& fp : g.alerts) {
    const TrackedAlert& a = alerts_.at(fp);
    if (!a.firing) {
      plan.resolved.emplace_back(fp, a.Episode());
      resolved_after_message |= g.state.sent_firing.contains(a.Episode());
      m.resolved.push_back(&a);
      continue;
    }
    if (auto s = sup.find(fp); s != sup.end() && s->second.suppressed()) continue;
    m.firing.push_back(&a);
    plan.firing_episodes.insert(a.Episode());
    if (!acks_.contains(fp)) unacknowledged.push_back(&a);
  }
  const bool send_resolved = receiver != nullptr && receiver->send_resolved;
  if (!send_resolved) m.resolved.clear();
  const bool new_firing = std::any_of(
      plan.firing_episodes.begin(), plan.firing_episodes.end(),
      [&](const std::string& e) { return !g.state.sent_firing.contains(e); });
  const bool changed = new_firing || (send_resolved && resolved_after_message);
  // Acknowledged alerts are not reminded about. They stay in firing_episodes: they were told,
  // and withdrawing the acknowledgement resumes the reminders without a message of its own.
  const bool repeat_due = !unacknowledged.empty() && g.state.last_sent_at &&
                          now - *g.state.last_sent_at >= route.repeat_interval_ms;
  const bool send = receiver != nullptr && (!m.firing.empty() || !m.resolved.empty()) &&
                    (changed || repeat_due);
  if (!send) return plan;
  if (!changed) m.firing = std::move(unacknowledged);  // a reminder names only those
  std::sort(m.firing.begin(), m.firing.end(), Older);
  std::sort(m.resolved.begin(), m.resolved.end(), Older);
  store::Notification n;
  n.dedup_key = DedupKey(m, g.state.seq);
  n.receiver = route.receiver;
  n.group_key = g.state.key;
  n.payload_json = RenderPayload(*receiver, m, settings_->catalog.tz);
  n.created_at = now;
  n.next_attempt_at = now;
  plan.message = std::move(n);
  return plan;
}

void Alerting::ApplyFlushLocked(const FlushPlan& plan, TimeMs now, StateWrites* writes) {
  Group& g = groups_.at(plan.key);
  bool changed = false;
  if (plan.message) {
    ++g.state.seq;
    g.state.last_sent_at = now;
    g.state.sent_firing = plan.firing_episodes;
    changed = true;
  } else {
    for (const auto& [fp, episode] : plan.resolved) {
      changed |= g.state.sent_firing.erase(episode) > 0;
    }
  }
  for (const auto& [fp, episode] : plan.resolved) {
    auto a = alerts_.find(fp);
    if (a == alerts_.end() || (!a->second.firing && a->second.Episode() == episode)) {
      g.alerts.erase(fp);
    }
  }
  g.state.next_flush_at = now + g.route->group_interval_ms;
  if (g.alerts.empty()) {
    DropGroupLocked(plan.key, writes);  // `g` is gone from here on
  } else if (changed) {
    SaveGroupLocked(g, writes);
  }
  for (const auto& [fp, episode] : plan.resolved) ForgetUnusedLocked(fp);
}

AlertStatus Alerting::StatusLocked(const TrackedAlert& a, const Suppression* s) const {
  AlertStatus out;
  out.fingerprint = a.fingerprint;
  out.rule = a.rule;
  out.key_json = a.key_json;
  out.labels = a.labels;
  out.annotations = a.annotations;
  out.starts_at = a.starts_at;
  if (s != nullptr) {
    out.silenced_by = s->silenced_by;
    out.inhibited_by = s->inhibited_by;
  }
  out.state = out.silenced_by.empty() && out.inhibited_by.empty() ? "active" : "suppressed";
  if (auto ack = acks_.find(a.fingerprint); ack != acks_.end()) out.acknowledged = ack->second;
  if (settings_->routes) {
    for (const Route* r : settings_->routes->Match(a.labels)) {
      if (std::find(out.receivers.begin(), out.receivers.end(), r->receiver) ==
          out.receivers.end()) {
        out.receivers.push_back(r->receiver);
      }
    }
  }
  return out;
}

std::vector<AlertStatus> Alerting::Active() {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, Suppression> sup = SuppressionLocked(clock_->Now());
  std::vector<const TrackedAlert*> firing;
  for (const auto& [fp, a] : alerts_) {
    if (a.firing) firing.push_back(&a);
  }
  std::sort(firing.begin(), firing.end(), Older);
  std::vector<AlertStatus> out;
  for (const TrackedAlert* a : firing) out.push_back(StatusLocked(*a, &sup.at(a->fingerprint)));
  return out;
}

absl::StatusOr<std::vector<AlertStatus>> Alerting::PreviewSilence(
    const std::vector<store::Matcher>& matchers) {
  if (absl::Status s = ValidateSilenceMatchers(matchers); !s.ok()) return s;
  std::vector<LabelMatcher> specs;
  for (const store::Matcher& m : matchers) specs.push_back(FromStore(m));
  absl::StatusOr<MatcherSet> set = MatcherSet::Compile(specs);
  if (!set.ok()) return set.status();
  std::vector<AlertStatus> out;
  for (const AlertStatus& a : Active()) {
    if (set->Matches(a.labels)) out.push_back(a);
  }
  return out;
}

AlertingStats Alerting::Stats() {
  std::lock_guard<std::mutex> lock(mu_);
  AlertingStats s = stats_;
  s.store_errors = store_errors_.load();
  s.groups = static_cast<int64_t>(groups_.size());
  s.firing = std::count_if(alerts_.begin(), alerts_.end(),
                           [](const auto& kv) { return kv.second.firing; });
  return s;
}

std::optional<TimeMs> Alerting::NextFlush() {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<TimeMs> next;
  for (const auto& [key, g] : groups_) {
    next = std::min(next.value_or(g.state.next_flush_at), g.state.next_flush_at);
  }
  return next;
}

}  // namespace vigil::alerting
