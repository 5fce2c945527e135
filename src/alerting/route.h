// The routing tree (Alertmanager's): an alert enters at the root and descends into the first
// child whose matchers match, recursively; the deepest matching routes take it. A child with
// `continue: true` lets matching go on to its next siblings, so one alert can reach several
// routes. Children inherit the receiver, group_by and the three intervals they leave unset.
//
// Within a route, alerts are split into groups by the values of the route's group_by labels;
// each group is notified as one message.
//
// Thread safety: a built RouteTree is immutable.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "alerting/matchers.h"
#include "alerting/tracked_alert.h"
#include "common/alerting_config.h"

namespace vigil::alerting {

struct Route {
  std::string id;  // "{}" for the root, "{}/{severity=\"critical\"}" below; unique in the tree
  std::string receiver;
  MatcherSet matchers;
  std::vector<std::string> group_by;
  bool group_by_all = false;  // group_by: ["..."]
  int64_t group_wait_ms = kDefaultGroupWaitMs;
  int64_t group_interval_ms = kDefaultGroupIntervalMs;
  int64_t repeat_interval_ms = kDefaultRepeatIntervalMs;
  bool continue_matching = false;
  std::vector<std::unique_ptr<Route>> children;

  // The labels that name this alert's group in this route.
  Labels GroupLabels(const Labels& alert_labels) const;
  // Unique across routes and receivers: "<receiver>:<route id>:{label=\"value\",...}".
  std::string GroupKey(const Labels& group_labels) const;
};

class RouteTree {
 public:
  static absl::StatusOr<RouteTree> Build(const RouteConfig& root);

  // The routes that take an alert with these labels (at least one: the root takes what no
  // child does).
  std::vector<const Route*> Match(const Labels& labels) const;
  const Route& root() const { return *root_; }

 private:
  std::unique_ptr<Route> root_;
};

}  // namespace vigil::alerting
