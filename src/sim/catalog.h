// The static catalogue the simulated bank is built from: channels, service systems, return
// codes, daily traffic shapes and transaction names. Pure data; bank_model.cc assembles it.
#pragma once

#include <utility>
#include <vector>

#include "sim/bank_model.h"

namespace vigil::sim::catalog {

struct SystemSpec {
  const char* code;
  const char* name;
  int nodes;
  const char* shape;
  bool iso_rets;
  double code_share;  // share of the long-tail codes assigned to this channel
};

struct ServiceSpec {
  const char* code;
  const char* name;
  const char* ok;
  const char* business;
  const char* failure;
  std::vector<const char*> success_list;
  double failure_rate;
};

struct RetSpec {
  const char* code;
  const char* msg;
  Outcome cls;
};

struct ShapeSpec {
  const char* name;
  std::vector<std::pair<int, float>> workday;  // (minute of day, level), linear in between
  std::vector<std::pair<int, float>> holiday;
};

// A named code placed by hand: the article's A001-A008 and the bank's well-known codes.
struct NamedCodeSpec {
  const char* name;
  const char* sys;
  const char* svc;  // "" for none
  CodeKind kind;
  const char* role;      // "A001".."A008" for the article's examples, else ""
  int rank;              // fixed popularity rank (1-based); 0: next free rank in order
  double rank_fraction;  // if > 0: rank = max(rank, fraction x codes)
};

// Objects and the actions that make sense on them, for the long tail of codes.
struct ObjectSpec {
  const char* name;
  const char* svc;
  int action_group;
  const char* channels;  // " MBNK IBNK ": the channels that offer it
};
struct ActionSpec {
  const char* name;
  CodeKind kind;
};

const std::vector<SystemSpec>& Systems();
const std::vector<ServiceSpec>& Services();
const std::vector<RetSpec>& Rets();
const std::vector<ShapeSpec>& Shapes();
const std::vector<NamedCodeSpec>& NamedCodes();
const std::vector<ObjectSpec>& Objects();
const std::vector<std::vector<ActionSpec>>& ActionGroups();
// Branch (机构) codes.
std::vector<std::string> Orgs();

}  // namespace vigil::sim::catalog
