// Compiled label matchers (matchers.h).
#include "alerting/matchers.h"

#include "common/strings.h"
#include "fmt/format.h"

namespace vigil::alerting {

bool MatcherSet::Compiled::Matches(const std::string& value) const {
  if (spec.op == "=") return value == spec.value;
  if (spec.op == "!=") return value != spec.value;
  bool full = std::regex_match(value, *re);
  return spec.op == "=~" ? full : !full;
}

absl::StatusOr<MatcherSet> MatcherSet::Compile(const std::vector<LabelMatcher>& matchers) {
  MatcherSet set;
  for (const LabelMatcher& m : matchers) {
    if (absl::Status s = CheckLabelMatcher(m); !s.ok()) return s;
    Compiled c{m, std::nullopt};
    if (m.op == "=~" || m.op == "!~") {
      c.re.emplace(m.value, std::regex::ECMAScript | std::regex::optimize);
    }
    set.matchers_.push_back(std::move(c));
  }
  return set;
}

bool MatcherSet::Matches(const Labels& labels) const {
  static const std::string kEmpty;
  for (const Compiled& m : matchers_) {
    auto it = labels.find(m.spec.name);
    if (!m.Matches(it == labels.end() ? kEmpty : it->second)) return false;
  }
  return true;
}

std::string MatcherSet::ToString() const {
  std::vector<std::string> parts;
  for (const Compiled& m : matchers_) parts.push_back(FormatLabelMatcher(m.spec));
  return fmt::format("{{{}}}", fmt::join(parts, ","));
}

LabelMatcher FromStore(const store::Matcher& m) { return LabelMatcher{m.name, m.op, m.value}; }
store::Matcher ToStore(const LabelMatcher& m) { return store::Matcher{m.name, m.op, m.value}; }

absl::StatusOr<std::vector<store::Matcher>> ParseSilenceMatchers(
    const std::vector<std::string>& texts) {
  std::vector<store::Matcher> out;
  for (const std::string& text : texts) {
    absl::StatusOr<LabelMatcher> m = ParseLabelMatcher(text);
    if (!m.ok()) return m.status();
    out.push_back(ToStore(*m));
  }
  if (absl::Status s = ValidateSilenceMatchers(out); !s.ok()) return s;
  return out;
}

absl::Status ValidateSilenceMatchers(const std::vector<store::Matcher>& matchers) {
  if (matchers.empty()) {
    return absl::InvalidArgumentError("a silence needs at least one matcher");
  }
  std::vector<LabelMatcher> specs;
  for (size_t i = 0; i < matchers.size(); ++i) {
    specs.push_back(FromStore(matchers[i]));
    if (absl::Status s = CheckLabelMatcher(specs.back()); !s.ok()) {
      return absl::InvalidArgumentError(
          fmt::format("matcher {}: {}", i + 1, AsStd(s.message())));
    }
  }
  absl::StatusOr<MatcherSet> set = MatcherSet::Compile(specs);
  if (!set.ok()) return set.status();
  if (set->Matches(Labels{})) {
    return absl::InvalidArgumentError(
        "these matchers also match an alert without any of these labels, so the silence would "
        "mute everything; add a matcher that needs a label value (e.g. rule=system_success)");
  }
  return absl::OkStatus();
}

}  // namespace vigil::alerting
