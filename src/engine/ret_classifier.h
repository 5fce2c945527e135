// Return-code classes (the contract's section 2): success, business or system.
//
// A record's `ret` is looked up in the lists of its transaction code, then of its requesting
// system (the record's `sys`, else the code's configured `sys`), then the global lists; within
// one level success, business, system are tried in that order. `*` is the only wildcard. A code
// matched by nothing gets `unknown_class` and is reported as unclassified.
#pragma once

#include <string>
#include <string_view>

#include "common/config.h"

namespace vigil {

// True when `text` matches `pattern`, where `*` matches any run of characters (also empty).
bool MatchPattern(std::string_view pattern, std::string_view text);
bool MatchAny(const std::vector<std::string>& patterns, std::string_view text);

struct RetClassification {
  RetClass cls = RetClass::kBusiness;
  bool unknown = false;  // matched by no list: cls is unknown_class
};

class RetClassifier {
 public:
  explicit RetClassifier(const ReturnCodeConfig& config) : config_(config) {}
  // `sys` is the effective requesting system (record's sys, else the code's configured sys).
  RetClassification Classify(std::string_view txn, std::string_view sys, std::string_view ret) const;

 private:
  const ReturnCodeConfig& config_;
};

}  // namespace vigil
