// Reading the `alerting:` section (alerting_config.h) with the configuration's YAML walker:
// receivers, the routing tree, inhibition rules and delivery settings, each problem reported
// with its YAML path and line. Also Alertmanager matcher syntax (`txn=~"A0.*"`), shared with
// the silence API.
#include <algorithm>
#include <cctype>
#include <limits>
#include <regex>
#include <set>
#include <tuple>

#include "common/alerting_config.h"
#include "common/config_yaml.h"
#include "common/strings.h"
#include "common/time_util.h"
#include "fmt/format.h"

namespace vigil {

bool IsLabelName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

absl::Status CheckLabelMatcher(const LabelMatcher& m) {
  if (!IsLabelName(m.name)) {
    return absl::InvalidArgumentError(
        fmt::format("'{}' is not a label name (letters, digits and _, not starting with a digit)",
                    m.name));
  }
  if (m.op != "=" && m.op != "!=" && m.op != "=~" && m.op != "!~") {
    return absl::InvalidArgumentError(
        fmt::format("unknown matcher operator '{}' (known: =, !=, =~, !~)", m.op));
  }
  if (m.op == "=~" || m.op == "!~") {
    try {
      std::regex re(m.value, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return absl::InvalidArgumentError(
          fmt::format("invalid regular expression '{}': {}", m.value, e.what()));
    }
  }
  return absl::OkStatus();
}

namespace {

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A double-quoted value with \" \\ \n escapes; `s` starts at the opening quote.
absl::StatusOr<std::string> UnquoteValue(std::string_view s) {
  std::string out;
  size_t i = 1;
  for (; i < s.size() && s[i] != '"'; ++i) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    if (++i == s.size()) break;
    out += s[i] == 'n' ? '\n' : s[i];
  }
  if (i >= s.size()) return absl::InvalidArgumentError("unterminated quoted value");
  if (!TrimSpaces(s.substr(i + 1)).empty()) {
    return absl::InvalidArgumentError(
        fmt::format("unexpected '{}' after the quoted value", s.substr(i + 1)));
  }
  return out;
}

}  // namespace

absl::StatusOr<LabelMatcher> ParseLabelMatcher(std::string_view text) {
  std::string_view s = TrimSpaces(text);
  size_t name_end = 0;
  while (name_end < s.size() && (std::isalnum(static_cast<unsigned char>(s[name_end])) ||
                                 s[name_end] == '_')) {
    ++name_end;
  }
  LabelMatcher m;
  m.name = std::string(s.substr(0, name_end));
  if (m.name.empty()) {
    return absl::InvalidArgumentError(fmt::format(
        "expected a matcher like severity=critical or txn=~\"A0.*\", got '{}'", text));
  }
  std::string_view rest = TrimSpaces(s.substr(name_end));
  for (std::string_view op : {"=~", "!~", "!=", "="}) {
    if (rest.starts_with(op)) {
      m.op = std::string(op);
      break;
    }
  }
  if (!rest.starts_with(m.op)) {
    return absl::InvalidArgumentError(
        fmt::format("expected an operator (=, !=, =~, !~) after '{}' in '{}'", m.name, text));
  }
  std::string_view value = TrimSpaces(rest.substr(m.op.size()));
  if (value.starts_with('"')) {
    absl::StatusOr<std::string> unquoted = UnquoteValue(value);
    if (!unquoted.ok()) {
      return absl::InvalidArgumentError(
          fmt::format("{} in '{}'", AsStd(unquoted.status().message()), text));
    }
    m.value = *std::move(unquoted);
  } else {
    m.value = std::string(value);
  }
  if (absl::Status s = CheckLabelMatcher(m); !s.ok()) return s;
  return m;
}

std::string FormatLabelMatcher(const LabelMatcher& m) {
  std::string escaped;
  for (char c : m.value) {
    if (c == '\n') {
      escaped += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return fmt::format("{}{}\"{}\"", m.name, m.op, escaped);
}

const char* ReceiverKindName(const ReceiverKind& kind) {
  static constexpr const char* kNames[] = {"email",   "wecom",   "dingtalk",
                                           "feishu",  "webhook", "alertmanager"};
  return kNames[kind.index()];
}

bool HasRecipients(const ReceiverConfig& rc) {
  const auto* email = std::get_if<EmailReceiver>(&rc.kind);
  return email == nullptr || !email->to_omitted;
}

std::string NoRecipientsMessage(const std::string& name) {
  return fmt::format(
      "receiver '{}' has no 'to' addresses; without 'to' an email receiver can only be "
      "desk.notify.reporter_email (which mails each reporter at their own address)",
      name);
}

namespace config_yaml {
namespace {

// A receiver name used by a route, checked once every receiver is known.
struct ReceiverRef {
  std::string name;
  int line;
  std::string path;
};

class AlertingReader {
 public:
  AlertingReader(Reader& r, AlertingConfig* out) : r_(r), out_(out) {}

  void Read(const YAML::Node& node);

 private:
  void ReadReceiver(const YAML::Node& node, const std::string& path, ReceiverConfig* rc);
  void ReadEmail(const YAML::Node& node, const std::string& path, EmailReceiver* e);
  std::vector<Field> HttpFields(HttpTarget* t);
  void CheckHttpTarget(const YAML::Node& node, const std::string& path, const HttpTarget& t);
  void ReadRoute(const YAML::Node& node, const std::string& path, bool root, RouteConfig* route);
  void ReadInhibitRule(const YAML::Node& node, const std::string& path, InhibitRuleConfig* rule);
  void ReadDelivery(const YAML::Node& node, const std::string& path, DeliveryConfig* d);
  std::vector<LabelMatcher> Matchers(const YAML::Node& node, const std::string& path);
  std::vector<std::string> LabelNames(const YAML::Node& node, const std::string& path,
                                      bool allow_all);
  std::optional<std::string> EnvName(const YAML::Node& node, const std::string& path);
  void CheckReceiverRefs();

  Reader& r_;
  AlertingConfig* out_;
  std::vector<ReceiverRef> refs_;
};

void AlertingReader::Read(const YAML::Node& node) {
  std::set<std::string> seen;
  bool ok = r_.Fields(
      node, "alerting",
      {
          {"receivers",
           [&](auto& v, auto& p) {
             r_.Entries(v, p, [&](const std::string& name, const YAML::Node&,
                                  const YAML::Node& value, const std::string& value_path) {
               ReceiverConfig* rc = &out_->receivers[name];
               rc->name = name;
               ReadReceiver(value, value_path, rc);
             });
           }},
          {"route",
           [&](auto& v, auto& p) {
             out_->route.emplace();
             ReadRoute(v, p, /*root=*/true, &*out_->route);
           }},
          {"inhibit_rules",
           [&](auto& v, auto& p) {
             r_.Items(v, p, "inhibition rules", [&](const YAML::Node& item, const std::string& ip) {
               ReadInhibitRule(item, ip, &out_->inhibit_rules.emplace_back());
             });
           }},
          {"auto_inhibit_service_system",
           [&](auto& v, auto& p) {
             if (auto b = r_.Bool(v, p)) out_->auto_inhibit_service_system = *b;
           }},
          {"delivery", [&](auto& v, auto& p) { ReadDelivery(v, p, &out_->delivery); }},
      },
      &seen);
  if (!ok) return;
  if (!out_->receivers.empty() && !seen.contains("route")) {
    r_.Error(node, "alerting",
             "receivers are defined but there is no 'route': add route: {receiver: <name>}");
  }
  CheckReceiverRefs();
}

void AlertingReader::CheckReceiverRefs() {
  std::vector<std::string_view> known;
  for (const auto& [name, rc] : out_->receivers) known.push_back(name);
  for (const ReceiverRef& ref : refs_) {
    if (auto it = out_->receivers.find(ref.name); it != out_->receivers.end()) {
      if (!HasRecipients(it->second)) {
        r_.ErrorAtLine(ref.line, ref.path, NoRecipientsMessage(ref.name));
      }
      continue;
    }
    std::string hint = ClosestMatch(ref.name, known);
    r_.ErrorAtLine(ref.line, ref.path,
                   fmt::format("unknown receiver '{}'{}{}", ref.name,
                               hint.empty() ? "" : fmt::format(", did you mean '{}'?", hint),
                               known.empty() ? " (no receivers are defined)"
                                             : fmt::format(" (known: {})", JoinNames(known))));
  }
}

void AlertingReader::ReadReceiver(const YAML::Node& node, const std::string& path,
                                  ReceiverConfig* rc) {
  std::set<std::string> seen;
  auto kind = [&](auto tag) {
    return [this, rc, tag](const YAML::Node& v, const std::string& p) mutable {
      rc->kind = tag;
      auto* k = &std::get<decltype(tag)>(rc->kind);
      if constexpr (std::is_same_v<decltype(tag), EmailReceiver>) {
        ReadEmail(v, p, k);
      } else {
        std::vector<Field> fields = HttpFields(&k->target);
        if constexpr (std::is_same_v<decltype(tag), DingtalkReceiver> ||
                      std::is_same_v<decltype(tag), FeishuReceiver>) {
          fields.push_back({"secret_env", [this, k](auto& sv, auto& sp) {
                              k->secret_env = EnvName(sv, sp).value_or("");
                            }});
        }
        if constexpr (std::is_same_v<decltype(tag), WebhookReceiver>) {
          fields.push_back({"headers", [this, k](auto& hv, auto& hp) {
                              r_.Entries(hv, hp, [&](const std::string& name, const YAML::Node&,
                                                     const YAML::Node& value,
                                                     const std::string& vp) {
                                k->headers[name] = r_.Scalar(value, vp, "a header value")
                                                       .value_or("");
                              });
                            }});
        }
        if (r_.Fields(v, p, fields)) CheckHttpTarget(v, p, k->target);
      }
    };
  };
  bool ok = r_.Fields(node, path,
                      {
                          {"email", kind(EmailReceiver{})},
                          {"wecom", kind(WecomReceiver{})},
                          {"dingtalk", kind(DingtalkReceiver{})},
                          {"feishu", kind(FeishuReceiver{})},
                          {"webhook", kind(WebhookReceiver{})},
                          {"alertmanager", kind(AlertmanagerReceiver{})},
                          {"send_resolved",
                           [&](auto& v, auto& p) {
                             if (auto b = r_.Bool(v, p)) rc->send_resolved = *b;
                           }},
                      },
                      &seen);
  if (!ok) return;
  size_t kinds = seen.size() - seen.count("send_resolved");
  // No kind but an unknown key: that key (a misspelt kind, reported already) is the mistake.
  const bool unknown_keys = node.IsMap() && node.size() > seen.size();
  if (kinds > 1 || (kinds == 0 && !unknown_keys)) {
    r_.Error(node, path,
             fmt::format("a receiver is exactly one of email, wecom, dingtalk, feishu, webhook, "
                         "alertmanager; got {}",
                         kinds == 0 ? std::string("none") : fmt::format("{}", kinds)));
  }
}

// "host:port" with a port in 1-65535.
bool IsHostPort(std::string_view s) {
  size_t colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  int port = 0;
  for (char c : s.substr(colon + 1)) {
    if (c < '0' || c > '9' || (port = port * 10 + (c - '0')) > 65535) return false;
  }
  return port > 0;
}

void AlertingReader::ReadEmail(const YAML::Node& node, const std::string& path,
                               EmailReceiver* e) {
  auto address = [&](const YAML::Node& v, const std::string& p) -> std::string {
    auto s = r_.Name(v, p, "an e-mail address");
    if (s && s->find('@') == std::string::npos) {
      r_.Error(v, p, fmt::format("expected an e-mail address like ops@bank.example, got '{}'", *s));
      return "";
    }
    return s.value_or("");
  };
  std::set<std::string> seen;
  bool ok = r_.Fields(
      node, path,
      {
          {"to",
           [&](auto& v, auto& p) {
             if (v.IsScalar()) {  // one address without brackets
               e->to.push_back(address(v, p));
               return;
             }
             r_.Items(v, p, "e-mail addresses",
                      [&](const YAML::Node& item, const std::string& ip) {
                        e->to.push_back(address(item, ip));
                      });
             if (v.IsSequence() && v.size() == 0) r_.Error(v, p, "needs at least one address");
           }},
          {"from", [&](auto& v, auto& p) { e->from = address(v, p); }},
          {"smarthost",
           [&](auto& v, auto& p) {
             auto s = r_.Name(v, p, "host:port");
             if (s && !IsHostPort(*s)) {
               r_.Error(v, p, fmt::format("expected host:port like smtp.bank.example:587, got '{}'",
                                          *s));
             } else if (s) {
               e->smarthost = *s;
             }
           }},
          {"tls",
           [&](auto& v, auto& p) {
             static const std::vector<std::string_view> kModes = {"starttls", "smtps", "none"};
             auto s = r_.Scalar(v, p, "starttls, smtps or none");
             if (!s) return;
             auto it = std::find(kModes.begin(), kModes.end(), *s);
             if (it == kModes.end()) {
               std::string hint = ClosestMatch(*s, kModes);
               r_.Error(v, p,
                        fmt::format("unknown tls mode '{}'{} (known: starttls, smtps, none)", *s,
                                    hint.empty() ? "" : fmt::format(", did you mean '{}'?", hint)));
               return;
             }
             e->tls = static_cast<SmtpTls>(it - kModes.begin());
           }},
          {"username",
           [&](auto& v, auto& p) { e->username = r_.Name(v, p, "a user name").value_or(""); }},
          {"password_env", [&](auto& v, auto& p) { e->password_env = EnvName(v, p).value_or(""); }},
          {"subject_prefix",
           [&](auto& v, auto& p) { e->subject_prefix = r_.Scalar(v, p, "text").value_or(""); }},
      },
      &seen);
  if (!ok) return;
  // `to` may be left out only for desk.notify.reporter_email, which mails each reporter at their
  // own address; a route or a desk list naming such a receiver is an error (NoRecipientsMessage).
  e->to_omitted = !seen.contains("to");
  for (std::string_view key : {"from", "smarthost"}) {
    if (!seen.contains(std::string(key))) {
      r_.Error(node, path, fmt::format("missing '{}'", key));
    }
  }
  if (seen.contains("username") != seen.contains("password_env")) {
    r_.Error(node, path,
             "username and password_env go together (the password is read from the "
             "environment variable password_env names)");
  }
}

std::vector<Field> AlertingReader::HttpFields(HttpTarget* t) {
  return {
      {"url", [this, t](auto& v, auto& p) { t->url = r_.Name(v, p, "a URL").value_or(""); }},
      {"url_env", [this, t](auto& v, auto& p) { t->url_env = EnvName(v, p).value_or(""); }},
  };
}

void AlertingReader::CheckHttpTarget(const YAML::Node& node, const std::string& path,
                                     const HttpTarget& t) {
  if (t.url.empty() == t.url_env.empty()) {
    r_.Error(node, path,
             "needs exactly one of 'url' or 'url_env' (an environment variable holding the URL, "
             "for URLs that carry a token)");
    return;
  }
  if (!t.url.empty() && !t.url.starts_with("http://") && !t.url.starts_with("https://")) {
    r_.Error(node["url"], Join(path, "url"),
             fmt::format("expected an http:// or https:// URL, got '{}'", t.url));
  }
}

void AlertingReader::ReadRoute(const YAML::Node& node, const std::string& path, bool root,
                               RouteConfig* route) {
  std::set<std::string> seen;
  auto duration = [&](std::optional<int64_t>* out, DurationKind kind) {
    return [this, out, kind](auto& v, auto& p) { *out = r_.Duration(v, p, kind); };
  };
  bool ok = r_.Fields(
      node, path,
      {
          {"receiver",
           [&](auto& v, auto& p) {
             route->receiver = r_.Name(v, p, "a receiver name");
             if (route->receiver) refs_.push_back({*route->receiver, LineOf(v), p});
           }},
          {"matchers",
           [&](auto& v, auto& p) {
             if (root) {
               r_.Error(v, p, "the root route takes every alert: put matchers on its routes");
               return;
             }
             route->matchers = Matchers(v, p);
           }},
          {"group_by", [&](auto& v, auto& p) { route->group_by = LabelNames(v, p, true); }},
          {"group_wait", duration(&route->group_wait_ms, DurationKind::kNonNegative)},
          {"group_interval", duration(&route->group_interval_ms, DurationKind::kPositive)},
          {"repeat_interval", duration(&route->repeat_interval_ms, DurationKind::kPositive)},
          {"continue",
           [&](auto& v, auto& p) {
             if (root) {
               r_.Error(v, p, "'continue' belongs on child routes, not the root");
               return;
             }
             route->continue_matching = r_.Bool(v, p).value_or(false);
           }},
          {"routes",
           [&](auto& v, auto& p) {
             r_.Items(v, p, "routes", [&](const YAML::Node& item, const std::string& ip) {
               ReadRoute(item, ip, /*root=*/false, &route->routes.emplace_back());
             });
           }},
      },
      &seen);
  if (ok && root && !route->receiver) {
    r_.Error(node, path, "the root route needs a 'receiver' (the default for every alert)");
  }
}

void AlertingReader::ReadInhibitRule(const YAML::Node& node, const std::string& path,
                                     InhibitRuleConfig* rule) {
  std::set<std::string> seen;
  bool ok = r_.Fields(
      node, path,
      {
          {"source_matchers", [&](auto& v, auto& p) { rule->source_matchers = Matchers(v, p); }},
          {"target_matchers", [&](auto& v, auto& p) { rule->target_matchers = Matchers(v, p); }},
          {"equal", [&](auto& v, auto& p) { rule->equal = LabelNames(v, p, false); }},
      },
      &seen);
  if (!ok) return;
  for (std::string_view key : {"source_matchers", "target_matchers"}) {
    if (!seen.contains(std::string(key))) {
      r_.Error(node, path,
               fmt::format("missing '{}' (an inhibition rule without it would match every "
                           "alert)",
                           key));
    }
  }
}

void AlertingReader::ReadDelivery(const YAML::Node& node, const std::string& path,
                                  DeliveryConfig* d) {
  auto duration = [&](int64_t* out) {
    return [this, out](auto& v, auto& p) {
      if (auto ms = r_.Duration(v, p, DurationKind::kPositive)) *out = *ms;
    };
  };
  bool ok = r_.Fields(node, path,
                      {
                          {"retry_initial", duration(&d->retry_initial_ms)},
                          {"retry_max", duration(&d->retry_max_ms)},
                          {"max_age", duration(&d->max_age_ms)},
                          {"connect_timeout", duration(&d->connect_timeout_ms)},
                          {"timeout", duration(&d->timeout_ms)},
                      });
  if (ok && d->retry_max_ms < d->retry_initial_ms) {
    r_.Error(node, Join(path, "retry_max"),
             fmt::format("retry_max ({}) is shorter than retry_initial ({})",
                         FormatDuration(d->retry_max_ms), FormatDuration(d->retry_initial_ms)));
  }
}

std::vector<LabelMatcher> AlertingReader::Matchers(const YAML::Node& node,
                                                   const std::string& path) {
  std::vector<LabelMatcher> out;
  r_.Items(node, path, "matchers like [\"severity=critical\"]",
           [&](const YAML::Node& item, const std::string& ip) {
             auto text = r_.Scalar(item, ip, "a matcher like severity=critical");
             if (!text) return;
             absl::StatusOr<LabelMatcher> m = ParseLabelMatcher(*text);
             if (m.ok()) {
               out.push_back(*std::move(m));
             } else {
               r_.Error(item, ip, std::string(AsStd(m.status().message())));
             }
           });
  return out;
}

std::vector<std::string> AlertingReader::LabelNames(const YAML::Node& node,
                                                    const std::string& path, bool allow_all) {
  std::vector<std::string> out;
  r_.Items(node, path, "label names like [rule, txn]",
           [&](const YAML::Node& item, const std::string& ip) {
             auto s = r_.Scalar(item, ip, "a label name");
             if (!s) return;
             if (!(allow_all && *s == "...") && !IsLabelName(*s)) {
               r_.Error(item, ip, fmt::format("'{}' is not a label name", *s));
             } else if (std::find(out.begin(), out.end(), *s) != out.end()) {
               r_.Error(item, ip, fmt::format("'{}' is listed twice", *s));
             } else {
               out.push_back(*s);
             }
           });
  if (std::find(out.begin(), out.end(), "...") != out.end() && out.size() > 1) {
    r_.Error(node, path, "'...' (every label) stands alone: remove the other names");
  }
  return out;
}

std::optional<std::string> AlertingReader::EnvName(const YAML::Node& node,
                                                   const std::string& path) {
  auto s = r_.Name(node, path, "an environment variable name");
  if (s && !IsLabelName(*s)) {  // the same alphabet: letters, digits, _
    r_.Error(node, path,
             fmt::format("'{}' is not an environment variable name (the secret itself never "
                         "goes in the file: name the variable that holds it)",
                         *s));
    return std::nullopt;
  }
  return s;
}

}  // namespace

void ReadAlerting(Reader& r, const YAML::Node& node, AlertingConfig* out) {
  AlertingReader(r, out).Read(node);
}

}  // namespace config_yaml
}  // namespace vigil
