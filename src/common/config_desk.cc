// The `desk` section (desk_config.h): notify lists of receiver names, the language and the
// incident link. Receivers must exist in alerting.receivers and be able to carry a desk
// message (an Alertmanager receiver takes alerts only).
#include <optional>
#include <set>
#include <utility>

#include "common/config.h"
#include "common/config_yaml.h"
#include "fmt/format.h"

namespace vigil::config_yaml {
namespace {

// "unknown receiver 'x', did you mean 'y'? (known: ...)"; `none` when there are no candidates.
std::string UnknownReceiver(const std::string& name, const std::vector<std::string_view>& candidates,
                            std::string_view known_label, std::string_view none) {
  const std::string hint = ClosestMatch(name, candidates);
  return fmt::format("unknown receiver '{}'{}{}", name,
                     hint.empty() ? "" : fmt::format(", did you mean '{}'?", hint),
                     candidates.empty()
                         ? std::string(none)
                         : fmt::format(" ({}: {})", known_label, JoinNames(candidates)));
}

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
      r.Error(item, ip,
              UnknownReceiver(*name, known, "known", " (no alerting.receivers are defined)"));
      return;
    }
    if (std::holds_alternative<AlertmanagerReceiver>(it->second.kind)) {
      r.Error(item, ip,
              fmt::format("receiver '{}' is an alertmanager receiver, which takes alerts only; "
                          "use an email, wecom, dingtalk, feishu or webhook receiver",
                          *name));
      return;
    }
    if (!HasRecipients(it->second)) {
      r.Error(item, ip, NoRecipientsMessage(*name));
      return;
    }
    if (!seen.insert(*name).second) {
      r.Error(item, ip, fmt::format("receiver '{}' is listed twice", *name));
      return;
    }
    out->push_back(*name);
  });
}

// desk.notify.reporter_email: one receiver name, of an email receiver (it is sent to each
// reporter's own address, so robots and webhooks have nowhere to put it).
void ReadReporterEmail(Reader& r, const YAML::Node& node, const std::string& path,
                       const AlertingConfig& alerting, std::string* out) {
  auto name = r.Name(node, path, "the name of an email receiver");
  if (!name) return;
  auto it = alerting.receivers.find(*name);
  if (it == alerting.receivers.end()) {
    std::vector<std::string_view> emails;
    for (const auto& [n, rc] : alerting.receivers) {
      if (std::holds_alternative<EmailReceiver>(rc.kind)) emails.push_back(n);
    }
    r.Error(node, path,
            UnknownReceiver(*name, emails, "email receivers",
                            " (no email receivers are defined in alerting.receivers)"));
    return;
  }
  if (!std::holds_alternative<EmailReceiver>(it->second.kind)) {
    r.Error(node, path,
            fmt::format("receiver '{}' is a {} receiver; reporter_email mails each reporter at "
                        "their own address and needs an email receiver (its smarthost and from)",
                        *name, ReceiverKindName(it->second.kind)));
    return;
  }
  *out = *name;
}

std::optional<std::string> ReadUrl(Reader& r, const YAML::Node& v, const std::string& p) {
  auto s = r.Scalar(v, p, "a URL");
  if (!s) return std::nullopt;
  if (!s->empty() && !s->starts_with("http://") && !s->starts_with("https://")) {
    r.Error(v, p, fmt::format("'{}' is not an http:// or https:// URL", *s));
    return std::nullopt;
  }
  return *s;
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
                            {"resolution", list(&n.resolution)},
                            {"reporter_email",
                             [&](auto& rv, auto& rp) {
                               ReadReporterEmail(r, rv, rp, alerting, &n.reporter_email);
                             }}});
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
                  if (auto url = ReadUrl(r, v, p)) out->incident_url = *url;
                }},
               {"reporter_url",
                [&](auto& v, auto& p) {
                  if (auto url = ReadUrl(r, v, p)) out->reporter_url = *url;
                }},
           });
}

}  // namespace vigil::config_yaml
