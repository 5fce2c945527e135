#include "desk/audit.h"

#include <cstdio>

namespace vigil::desk {

void Audit::Record(const std::string& actor, const std::string& action, const std::string& target,
                   const nlohmann::json& detail, const std::string& client_ip) {
  store::AuditEntry e;
  e.at = clock_->Now();
  e.actor = actor;
  e.action = action;
  e.target = target;
  e.detail_json = detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  e.client_ip = client_ip;
  auto id = store_->AppendAudit(e);
  if (!id.ok()) {
    std::fprintf(stderr, "audit: cannot record %s by %s on %s: %s\n", action.c_str(), actor.c_str(),
                 target.c_str(), std::string(id.status().message()).c_str());
  }
}

}  // namespace vigil::desk
