// The routing tree (route.h).
#include "alerting/route.h"

#include <set>

#include "fmt/format.h"

namespace vigil::alerting {
namespace {

std::string LabelSetText(const Labels& labels) {
  std::vector<std::string> parts;
  for (const auto& [name, value] : labels) {
    parts.push_back(FormatLabelMatcher(LabelMatcher{name, "=", value}));
  }
  return fmt::format("{{{}}}", fmt::join(parts, ","));
}

absl::StatusOr<std::unique_ptr<Route>> BuildRoute(const RouteConfig& config, const Route* parent,
                                                  const std::string& id) {
  auto route = std::make_unique<Route>();
  route->id = id;
  if (parent != nullptr) {
    route->receiver = parent->receiver;
    route->group_by = parent->group_by;
    route->group_by_all = parent->group_by_all;
    route->group_wait_ms = parent->group_wait_ms;
    route->group_interval_ms = parent->group_interval_ms;
    route->repeat_interval_ms = parent->repeat_interval_ms;
  }
  if (config.receiver) route->receiver = *config.receiver;
  if (config.group_by) {
    route->group_by_all = config.group_by->size() == 1 && config.group_by->front() == "...";
    route->group_by = route->group_by_all ? std::vector<std::string>{} : *config.group_by;
  }
  if (config.group_wait_ms) route->group_wait_ms = *config.group_wait_ms;
  if (config.group_interval_ms) route->group_interval_ms = *config.group_interval_ms;
  if (config.repeat_interval_ms) route->repeat_interval_ms = *config.repeat_interval_ms;
  route->continue_matching = config.continue_matching;
  absl::StatusOr<MatcherSet> matchers = MatcherSet::Compile(config.matchers);
  if (!matchers.ok()) return matchers.status();
  route->matchers = *std::move(matchers);
  if (route->receiver.empty()) {
    return absl::InvalidArgumentError(fmt::format("route {} has no receiver", id));
  }
  std::set<std::string> child_ids;
  for (size_t i = 0; i < config.routes.size(); ++i) {
    absl::StatusOr<MatcherSet> m = MatcherSet::Compile(config.routes[i].matchers);
    if (!m.ok()) return m.status();
    std::string child_id = fmt::format("{}/{}", id, m->ToString());
    // Siblings with the same matchers would share groups: tell them apart by position.
    if (!child_ids.insert(child_id).second) child_id = fmt::format("{}#{}", child_id, i);
    child_ids.insert(child_id);
    absl::StatusOr<std::unique_ptr<Route>> child =
        BuildRoute(config.routes[i], route.get(), child_id);
    if (!child.ok()) return child.status();
    route->children.push_back(*std::move(child));
  }
  return route;
}

// Appends the routes under (and including) `route` that take the alert; false when `route`
// itself does not match.
bool MatchInto(const Route& route, const Labels& labels, std::vector<const Route*>* out) {
  if (!route.matchers.Matches(labels)) return false;
  bool taken_by_child = false;
  for (const auto& child : route.children) {
    if (!MatchInto(*child, labels, out)) continue;
    taken_by_child = true;
    if (!child->continue_matching) break;
  }
  if (!taken_by_child) out->push_back(&route);
  return true;
}

}  // namespace

Labels Route::GroupLabels(const Labels& alert_labels) const {
  if (group_by_all) return alert_labels;
  Labels out;
  for (const std::string& name : group_by) {
    if (auto it = alert_labels.find(name); it != alert_labels.end()) out[name] = it->second;
  }
  return out;
}

std::string Route::GroupKey(const Labels& group_labels) const {
  return fmt::format("{}:{}:{}", receiver, id, LabelSetText(group_labels));
}

absl::StatusOr<RouteTree> RouteTree::Build(const RouteConfig& root) {
  absl::StatusOr<std::unique_ptr<Route>> r = BuildRoute(root, nullptr, "{}");
  if (!r.ok()) return r.status();
  RouteTree tree;
  tree.root_ = *std::move(r);
  return tree;
}

std::vector<const Route*> RouteTree::Match(const Labels& labels) const {
  std::vector<const Route*> out;
  MatchInto(*root_, labels, &out);
  return out;
}

}  // namespace vigil::alerting
