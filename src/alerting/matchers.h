// Alertmanager matchers compiled for matching alert labels, shared by routes, inhibition rules
// and silences. A label an alert does not have matches as the empty string (so `txn!=A001`
// matches an alert without txn, and `txn=""` matches exactly those). Regular expressions are
// std::regex ECMAScript, compiled once, and match the whole value (`txn=~A0.*` does not match
// "XA01").
//
// Thread safety: a compiled MatcherSet is immutable and may be used from several threads.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "alerting/tracked_alert.h"
#include "common/alerting_config.h"
#include "store/store.h"

namespace vigil::alerting {

class MatcherSet {
 public:
  MatcherSet() = default;  // empty: matches everything
  static absl::StatusOr<MatcherSet> Compile(const std::vector<LabelMatcher>& matchers);

  bool Matches(const Labels& labels) const;
  bool empty() const { return matchers_.empty(); }
  // `{severity="critical",txn=~"A0.*"}` (Alertmanager's way of naming a route).
  std::string ToString() const;

 private:
  struct Compiled {
    LabelMatcher spec;
    std::optional<std::regex> re;
    bool Matches(const std::string& value) const;
  };
  std::vector<Compiled> matchers_;
};

LabelMatcher FromStore(const store::Matcher& m);
store::Matcher ToStore(const LabelMatcher& m);

// Parses matcher texts as the API receives them ("txn=~A0.*").
absl::StatusOr<std::vector<store::Matcher>> ParseSilenceMatchers(
    const std::vector<std::string>& texts);
// A silence's matchers are usable when there is at least one, each is valid, and not all of
// them match an empty label set (a silence that would mute everything is refused, as
// Alertmanager does).
absl::Status ValidateSilenceMatchers(const std::vector<store::Matcher>& matchers);

}  // namespace vigil::alerting
