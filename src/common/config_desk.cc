// The `desk` section (desk_config.h): notify lists of receiver names, the language and the
// incident link. Receivers must exist in alerting.receivers and be able to carry a desk
// message (an Alertmanager receiver takes alerts only).
#include <set>
#include <utility>

#include "common/config.h"
#include "common/config_yaml.h"
#include "fmt/format.h"

namespace vigil::config_yaml {
namespace {

void ReadReceiverList(Reader& r, const YAML::Node& node, const std::string& path,
                      const AlertingConfig& alerting, std::vector<std::string>* out) {
  std::vector<std::string_view> known;
  for (const auto& [name, rc] : alerting.receivers) known.push_back(name);
  std::set<std::string> seen;
  r.Items(node, path, "receiver names", [&](const YAML::Node& item, const std::string& ip) {
    auto name = r.Name(item, ip, "a receiver name");
    if (!name) return;
    auto it = alerting.receivers.find(*name);
    if (it == alerting.receivers.end()) {
      const std::string hint = ClosestMatch(*name, known);
      r.Error(item, ip,
              fmt::format("unknown receiver '{}'{}{}", *name,
                          hint.empty() ? "" : fmt::format(", did you mean '{}'?", hint),
                          known.empty() ? " (no alerting.receivers are defined)"
                                        : fmt::format(" (known: {})", JoinNames(known))));
      return;
    }
    if (std::holds_alternative<AlertmanagerReceiver>(it->second.kind)) {
      r.Error(item, ip,
              fmt::format("receiver '{}' is an alertmanager receiver, which takes alerts only; "
                          "use an email, wecom, dingtalk, feishu or webhook receiver",
                          *name));
      return;
    }
    if (!seen.insert(*name).second) {
      r.Error(item, ip, fmt::format("receiver '{}' is listed twice", *name));
      return;
    }
    out->push_back(*name);
  });
}

}  // namespace

void ReadDesk(Reader& r, const YAML::Node& node, const AlertingConfig& alerting, DeskConfig* out) {
  auto list = [&](std::vector<std::string>* field) {
    return [&r, &alerting, field](const YAML::Node& v, const std::string& p) {
      ReadReceiverList(r, v, p, alerting, field);
    };
  };
  DeskNotifyConfig& n = out->notify;
  r.Fields(node, "desk",
           {
               {"notify",
                [&](auto& v, auto& p) {
                  r.Fields(v, p,
                           {{"new_incident", list(&n.new_incident)},
                            {"transfer", list(&n.transfer)},
                            {"approval", list(&n.approval)},
                            {"sla", list(&n.sla)},
                            {"resolution", list(&n.resolution)}});
                }},
               {"language",
                [&](auto& v, auto& p) {
                  auto s = r.Scalar(v, p, "a language");
                  if (!s) return;
                  if (*s != "zh" && *s != "en") {
                    r.Error(v, p, fmt::format("unknown language '{}' (zh or en)", *s));
                    return;
                  }
                  out->language = *s;
                }},
               {"incident_url",
                [&](auto& v, auto& p) {
                  auto s = r.Scalar(v, p, "a URL");
                  if (!s) return;
                  if (!s->empty() && !s->starts_with("http://") && !s->starts_with("https://")) {
                    r.Error(v, p, fmt::format("'{}' is not an http:// or https:// URL", *s));
                    return;
                  }
                  out->incident_url = *s;
                }},
           });
}

}  // namespace vigil::config_yaml
