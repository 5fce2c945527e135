// The `alerting:` section of vigil's configuration: who is told about alerts, how they are
// grouped, and what suppresses them (Alertmanager's model: receivers, a routing tree,
// inhibition rules). Read by config_alerting.cc; used by src/alerting/. docs/alerting.md
// documents every key.
//
// Plain data with defaults on the fields, validated once by the loader. Secrets are never
// stored here: a receiver names the environment variable that holds its password or signing
// secret, read when a message is sent.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace vigil {

// An Alertmanager matcher on an alert's labels: `severity=critical`, `txn=~"A0.*"`,
// `rule!=no_txn`, `svc_sys!~"ACCT|CORE"`. Regular expressions match the whole value.
struct LabelMatcher {
  std::string name;
  std::string op = "=";  // "=", "!=", "=~", "!~"
  std::string value;
  bool operator==(const LabelMatcher&) const = default;
};

// Parses one matcher written the Alertmanager way: a label name, an operator, and a value
// that is either plain text (trimmed) or double-quoted with backslash escapes.
absl::StatusOr<LabelMatcher> ParseLabelMatcher(std::string_view text);
// Checks a matcher built elsewhere (e.g. from an API body): a valid label name, a known
// operator, a regular expression that compiles.
absl::Status CheckLabelMatcher(const LabelMatcher& m);
// `name="value"` / `name=~"value"`: the form ParseLabelMatcher reads back.
std::string FormatLabelMatcher(const LabelMatcher& m);
// Label names: [a-zA-Z_][a-zA-Z0-9_]*.
bool IsLabelName(std::string_view s);

enum class SmtpTls : uint8_t { kStartTls, kSmtps, kNone };

struct EmailReceiver {
  std::vector<std::string> to;
  bool to_omitted = false;  // no `to` in the file: only desk.notify.reporter_email may use it
  std::string from;
  std::string smarthost;  // "host:port"
  SmtpTls tls = SmtpTls::kStartTls;
  std::string username;      // empty: no AUTH
  std::string password_env;  // environment variable holding the password
  std::string subject_prefix;
};

// The HTTP receivers take their URL either from the file (`url`) or, when the URL itself
// carries a token (WeCom's key, DingTalk's access_token), from an environment variable
// (`url_env`). Exactly one of the two is set.
struct HttpTarget {
  std::string url;
  std::string url_env;
};

struct WecomReceiver {
  HttpTarget target;
};
struct DingtalkReceiver {
  HttpTarget target;
  std::string secret_env;  // signing secret ("加签"); empty: unsigned
};
struct FeishuReceiver {
  HttpTarget target;
  std::string secret_env;  // signing secret ("签名校验"); empty: unsigned
};
struct WebhookReceiver {
  HttpTarget target;
  std::map<std::string, std::string> headers;
};
struct AlertmanagerReceiver {
  HttpTarget target;  // the Alertmanager base URL; alerts go to <url>/api/v2/alerts
};

using ReceiverKind = std::variant<EmailReceiver, WecomReceiver, DingtalkReceiver, FeishuReceiver,
                                  WebhookReceiver, AlertmanagerReceiver>;

struct ReceiverConfig {
  std::string name;
  ReceiverKind kind;
  bool send_resolved = true;
};
// "email", "wecom", "dingtalk", "feishu", "webhook", "alertmanager".
const char* ReceiverKindName(const ReceiverKind& kind);
// False for an e-mail receiver without `to` (usable only as desk.notify.reporter_email).
bool HasRecipients(const ReceiverConfig& rc);
// The configuration error for a route or list that names such a receiver.
std::string NoRecipientsMessage(const std::string& name);

// One node of the routing tree, as written: unset fields inherit from the parent.
struct RouteConfig {
  std::optional<std::string> receiver;
  std::vector<LabelMatcher> matchers;
  // Labels that split alerts into groups; {"..."} groups by every label (one alert per
  // group). Unset at the root: no grouping (one group for the route).
  std::optional<std::vector<std::string>> group_by;
  std::optional<int64_t> group_wait_ms;      // root default 30s
  std::optional<int64_t> group_interval_ms;  // root default 5m
  std::optional<int64_t> repeat_interval_ms; // root default 4h
  bool continue_matching = false;            // `continue`
  std::vector<RouteConfig> routes;
};

struct InhibitRuleConfig {
  std::vector<LabelMatcher> source_matchers;
  std::vector<LabelMatcher> target_matchers;
  std::vector<std::string> equal;
};

// How the delivery worker retries.
struct DeliveryConfig {
  int64_t retry_initial_ms = 10'000;   // first retry after this, doubling
  int64_t retry_max_ms = 10 * 60'000;  // up to this
  int64_t max_age_ms = 24 * 3'600'000; // a message still undelivered this long after it was
                                       // queued is given up
  int64_t connect_timeout_ms = 5'000;
  int64_t timeout_ms = 15'000;         // one send, all included
};

struct AlertingConfig {
  std::map<std::string, ReceiverConfig> receivers;
  // Absent when the section or its `route` is absent: alerts are tracked (and visible through
  // the API) but nobody is notified.
  std::optional<RouteConfig> route;
  std::vector<InhibitRuleConfig> inhibit_rules;
  // While a service_success alert keyed by svc_sys X alone fires, the alerts of codes calling
  // X (and their (txn, X) service_success alerts) are inhibited.
  bool auto_inhibit_service_system = true;
  DeliveryConfig delivery;
};

inline constexpr int64_t kDefaultGroupWaitMs = 30'000;
inline constexpr int64_t kDefaultGroupIntervalMs = 5 * 60'000;
inline constexpr int64_t kDefaultRepeatIntervalMs = 4 * 3'600'000;

}  // namespace vigil

namespace YAML {
class Node;
}
namespace vigil::config_yaml {
class Reader;
// Reads the `alerting` section (config_alerting.cc); every problem goes to the reader.
void ReadAlerting(Reader& r, const YAML::Node& node, AlertingConfig* out);
}  // namespace vigil::config_yaml
