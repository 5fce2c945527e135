// The `desk:` section of vigil's configuration: which alerting receivers hear about which
// incident-desk events (external notifications; the in-app ones need no configuration), in
// which language, with which link. Validated by config_desk.cc with YAML path and line.
#pragma once

#include <string>
#include <vector>

#include "common/alerting_config.h"

namespace vigil {

// Receiver names (keys of alerting.receivers) per kind of desk event.
struct DeskNotifyConfig {
  std::vector<std::string> new_incident;  // an incident was reported
  std::vector<std::string> transfer;      // transferred to a group
  std::vector<std::string> approval;      // a data-fix script waits for approval / was reviewed
  std::vector<std::string> sla;           // an SLA target is at risk or breached
  std::vector<std::string> resolution;    // an incident was resolved
  // One email receiver (its smarthost and sender) that mails public replies by others and the
  // resolution to the reporter's own address (users.email); "" none.
  std::string reporter_email;
  bool empty() const {
    return new_incident.empty() && transfer.empty() && approval.empty() && sla.empty() &&
           resolution.empty() && reporter_email.empty();
  }
};

struct DeskConfig {
  DeskNotifyConfig notify;
  std::string language = "zh";  // "zh" or "en": the words of external notifications
  // The incident's page for links in notifications, "{id}" replaced by the incident's id,
  // e.g. "https://vigil.bank.example/desk/incidents/{id}"; "" → no link.
  std::string incident_url;
  // The reporter's page (the MSS) for links in mails to the reporter, "{id}" replaced, e.g.
  // "https://vigil.bank.example/m/incidents/{id}"; "" → no link.
  std::string reporter_url;
};

}  // namespace vigil

namespace YAML {
class Node;
}
namespace vigil::config_yaml {
class Reader;
// Reads the `desk` section (config_desk.cc). Call it after the alerting section is read: the
// receiver names are checked against `alerting.receivers`.
void ReadDesk(Reader& r, const YAML::Node& node, const AlertingConfig& alerting, DeskConfig* out);
}  // namespace vigil::config_yaml
