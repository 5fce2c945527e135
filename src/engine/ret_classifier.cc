#include "engine/ret_classifier.h"

namespace vigil {

bool MatchPattern(std::string_view p, std::string_view s) {
  // Iterative glob with backtracking to the last '*': linear for the patterns people write.
  size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = si;
    } else if (pi < p.size() && p[pi] == s[si]) {
      ++pi, ++si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

bool MatchAny(const std::vector<std::string>& patterns, std::string_view text) {
  for (const auto& p : patterns) {
    if (MatchPattern(p, text)) return true;
  }
  return false;
}

namespace {

bool ClassifyLevel(const RetLists& lists, std::string_view ret, RetClass* out) {
  if (MatchAny(lists.success, ret)) return *out = RetClass::kSuccess, true;
  if (MatchAny(lists.business, ret)) return *out = RetClass::kBusiness, true;
  if (MatchAny(lists.system, ret)) return *out = RetClass::kSystem, true;
  return false;
}

template <typename Map>
const RetLists* FindLists(const Map& map, std::string_view name) {
  if (name.empty()) return nullptr;
  auto it = map.find(std::string(name));
  return it == map.end() ? nullptr : &it->second;
}

}  // namespace

RetClassification RetClassifier::Classify(std::string_view txn, std::string_view sys,
                                          std::string_view ret) const {
  RetClassification r;
  if (const RetLists* l = FindLists(config_.by_txn, txn); l && ClassifyLevel(*l, ret, &r.cls)) return r;
  if (const RetLists* l = FindLists(config_.by_sys, sys); l && ClassifyLevel(*l, ret, &r.cls)) return r;
  if (ClassifyLevel(config_.global, ret, &r.cls)) return r;
  r.cls = config_.unknown_class;
  r.unknown = true;
  return r;
}

}  // namespace vigil
