// Silences and inhibition (suppression.h).
#include "alerting/suppression.h"

#include <algorithm>
#include <set>

#include "common/strings.h"
#include "spdlog/spdlog.h"

namespace vigil::alerting {

SilenceSet SilenceSet::Build(const std::vector<store::Silence>& silences) {
  SilenceSet set;
  for (const store::Silence& s : silences) {
    std::vector<LabelMatcher> specs;
    for (const store::Matcher& m : s.matchers) specs.push_back(FromStore(m));
    absl::StatusOr<MatcherSet> matchers = MatcherSet::Compile(specs);
    if (!matchers.ok() || matchers->empty()) {
      spdlog::warn("silence {} is ignored: {}", s.id,
                   matchers.ok() ? "it has no matchers" : AsStd(matchers.status().message()));
      continue;
    }
    set.silences_.push_back(Compiled{s.id, s.starts_at, s.ends_at, *std::move(matchers)});
  }
  std::sort(set.silences_.begin(), set.silences_.end(),
            [](const Compiled& a, const Compiled& b) { return a.id < b.id; });
  return set;
}

std::vector<int64_t> SilenceSet::Matching(const Labels& labels, TimeMs now) const {
  std::vector<int64_t> ids;
  for (const Compiled& s : silences_) {
    if (s.starts_at <= now && now < s.ends_at && s.matchers.Matches(labels)) ids.push_back(s.id);
  }
  return ids;
}

absl::StatusOr<Inhibitor> Inhibitor::Build(const std::vector<InhibitRuleConfig>& rules,
                                           bool auto_service_system) {
  Inhibitor inhibitor;
  inhibitor.auto_service_system_ = auto_service_system;
  for (const InhibitRuleConfig& r : rules) {
    absl::StatusOr<MatcherSet> source = MatcherSet::Compile(r.source_matchers);
    if (!source.ok()) return source.status();
    absl::StatusOr<MatcherSet> target = MatcherSet::Compile(r.target_matchers);
    if (!target.ok()) return target.status();
    inhibitor.rules_.push_back(Rule{*std::move(source), *std::move(target), r.equal});
  }
  return inhibitor;
}

namespace {

std::string LabelOf(const Labels& labels, const std::string& name) {
  auto it = labels.find(name);
  return it == labels.end() ? std::string() : it->second;
}

bool IsServiceSystemAlert(const TrackedAlert& a) {
  return a.rule == "service_success" && a.key_fields.size() == 1 && a.key_fields[0] == "svc_sys";
}

}  // namespace

std::map<std::string, std::vector<std::string>> Inhibitor::Compute(
    const std::vector<const TrackedAlert*>& firing) const {
  std::map<std::string, std::set<std::string>> by;
  // Configured rules: the sources of each rule indexed by their `equal` label values, so each
  // target looks up only the sources it shares them with.
  for (const Rule& rule : rules_) {
    auto equal_values = [&](const TrackedAlert& a) {
      std::vector<std::string> values;
      for (const std::string& n : rule.equal) values.push_back(LabelOf(a.labels, n));
      return values;
    };
    std::map<std::vector<std::string>, std::vector<const TrackedAlert*>> sources;
    for (const TrackedAlert* a : firing) {
      if (rule.source.Matches(a->labels)) sources[equal_values(*a)].push_back(a);
    }
    if (sources.empty()) continue;
    for (const TrackedAlert* t : firing) {
      if (!rule.target.Matches(t->labels)) continue;
      auto it = sources.find(equal_values(*t));
      if (it == sources.end()) continue;
      for (const TrackedAlert* s : it->second) {
        if (s != t) by[t->fingerprint].insert(s->fingerprint);
      }
    }
  }
  if (auto_service_system_) {
    std::map<std::string, std::string> failing;  // svc_sys -> fingerprint of its alert
    for (const TrackedAlert* a : firing) {
      if (IsServiceSystemAlert(*a)) failing[LabelOf(a->labels, "svc_sys")] = a->fingerprint;
    }
    for (const TrackedAlert* t : failing.empty() ? std::vector<const TrackedAlert*>{} : firing) {
      if (!t->labels.contains("txn")) continue;
      auto it = failing.find(LabelOf(t->labels, "svc_sys"));
      if (it != failing.end() && it->second != t->fingerprint) by[t->fingerprint].insert(it->second);
    }
  }
  std::map<std::string, std::vector<std::string>> out;
  for (auto& [fp, sources] : by) out[fp].assign(sources.begin(), sources.end());
  return out;
}

}  // namespace vigil::alerting
