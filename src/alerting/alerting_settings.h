// Internal to alerting.cc / alerting_flush.cc: what the Alerting class takes from one
// configuration, swapped whole on Reload.
#pragma once

#include <optional>

#include "alerting/alerting.h"

namespace vigil::alerting {

struct Alerting::Settings {
  AlertingConfig config;
  CodeCatalog catalog;
  std::optional<RouteTree> routes;  // absent: no route configured, nobody is notified
  Inhibitor inhibitor;

  const ReceiverConfig* Receiver(const std::string& name) const {
    auto it = config.receivers.find(name);
    return it == config.receivers.end() ? nullptr : &it->second;
  }
};

}  // namespace vigil::alerting
