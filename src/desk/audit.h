// The audit log of who did what: append-only, one entry per change and per login attempt
// (success or failure), with the server's clock. Recording failures are logged, not returned:
// the audit never makes the action itself fail (the action has already happened).
#pragma once

#include <string>

#include "common/clock.h"
#include "nlohmann/json.hpp"
#include "store/desk_store.h"

namespace vigil::desk {

class Audit {
 public:
  Audit(store::DeskStore* store, Clock* clock) : store_(store), clock_(clock) {}
  void Record(const std::string& actor, const std::string& action, const std::string& target,
              const nlohmann::json& detail = nlohmann::json::object(),
              const std::string& client_ip = "");

 private:
  store::DeskStore* store_;
  Clock* clock_;
};

}  // namespace vigil::desk
