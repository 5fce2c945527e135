// Loading vigil's YAML configuration (config.h: LoadConfigFile, LoadConfigText): the file as a
// whole (UTF-8, one YAML document), the top-level sections, return codes, service systems and
// transaction codes. The calendar is read in config_calendar.cc; per-code parameters, batch and
// recon in config_params.cc; the typed YAML walker that collects every error with its path and
// line is config_yaml.cc.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "absl/time/civil_time.h"
#include "common/config.h"
#include "common/config_yaml.h"
#include "common/strings.h"
#include "fmt/format.h"

namespace vigil {
namespace {

using config_yaml::Field;
using config_yaml::Join;
using config_yaml::LineOf;
using config_yaml::Reader;

constexpr size_t kMaxTxnLength = 32;

void ReadRetLists(Reader& r, const YAML::Node& node, const std::string& path, RetLists* lists) {
  r.Fields(node, path,
           {
               {"success", [&](auto& v, auto& p) { lists->success = r.Codes(v, p); }},
               {"business", [&](auto& v, auto& p) { lists->business = r.Codes(v, p); }},
               {"system", [&](auto& v, auto& p) { lists->system = r.Codes(v, p); }},
           });
}

// Reads a map of name -> RetLists (by_sys, by_txn); `max_len` limits the names.
void ReadRetListMap(Reader& r, const YAML::Node& node, const std::string& path, size_t max_len,
                    std::map<std::string, RetLists>* out) {
  r.Entries(
      node, path,
      [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value,
          const std::string& value_path) {
        if (max_len > 0 && config_yaml::CharCount(key) > max_len) {
          r.Error(key_node, value_path,
                  fmt::format("transaction code must be 1-{} characters, got '{}' ({} characters)",
                              max_len, key, config_yaml::CharCount(key)));
        }
        ReadRetLists(r, value, value_path, &(*out)[key]);
      });
}

void ReadReturnCodes(Reader& r, const YAML::Node& node, ReturnCodeConfig* rc) {
  r.Fields(node, "return_codes",
           {
               {"unknown_class",
                [&](auto& v, auto& p) {
                  if (auto c = r.RetClassValue(v, p)) rc->unknown_class = *c;
                }},
               {"global", [&](auto& v, auto& p) { ReadRetLists(r, v, p, &rc->global); }},
               {"by_sys", [&](auto& v, auto& p) { ReadRetListMap(r, v, p, 0, &rc->by_sys); }},
               {"by_txn",
                [&](auto& v, auto& p) { ReadRetListMap(r, v, p, kMaxTxnLength, &rc->by_txn); }},
           });
}

void ReadServiceSystem(Reader& r, const YAML::Node& node, const std::string& path,
                       ServiceSystemConfig* s) {
  using config_yaml::DurationKind;
  std::set<std::string> seen;
  bool ok = r.Fields(
      node, path,
      {
          {"name", [&](auto& v, auto& p) { s->name = r.Scalar(v, p, "a name").value_or(""); }},
          {"success", [&](auto& v, auto& p) { s->success = r.Codes(v, p); }},
          {"service_success_min", [&](auto& v, auto& p) { s->service_success_min = r.Rate(v, p); }},
          {"window",
           [&](auto& v, auto& p) { s->window_ms = r.Duration(v, p, DurationKind::kWholeMinutes); }},
          {"min_count",
           [&](auto& v, auto& p) {
             s->min_count = r.Integer(v, p, 0, std::numeric_limits<int64_t>::max());
           }},
          {"for",
           [&](auto& v, auto& p) { s->for_ms = r.Duration(v, p, DurationKind::kNonNegative); }},
          {"severity", [&](auto& v, auto& p) { s->severity = r.Severity(v, p); }},
      },
      &seen);
  if (ok && !seen.contains("success")) {
    r.Error(node, path, "missing 'success': the service system's svc_ret codes that mean success");
  }
}

// The key of txn_codes / overrides: a transaction code of 1-32 characters.
bool CheckCodeKey(Reader& r, const std::string& key, const YAML::Node& key_node,
                  const std::string& path) {
  size_t chars = config_yaml::CharCount(key);
  if (chars <= kMaxTxnLength) return true;
  r.Error(key_node, path,
          fmt::format("transaction code must be 1-{} characters, got '{}' ({} characters)",
                      kMaxTxnLength, key, chars));
  return false;
}

void ReadTimezone(Reader& r, const YAML::Node& node, const std::string& path, Config* c) {
  auto name = r.Name(node, path, "an IANA time zone name like Asia/Shanghai");
  if (!name) return;
  auto tz = LoadTimeZone(*name);
  if (tz.ok()) {
    c->timezone = *name;
  } else {
    r.Error(node, path, std::string(AsStd(tz.status().message())));
  }
}

void ReadServiceSystems(Reader& r, const YAML::Node& node, const std::string& path, Config* c) {
  r.Entries(node, path,
            [&](const std::string& key, const YAML::Node&, const YAML::Node& value,
                const std::string& value_path) {
              ReadServiceSystem(r, value, value_path, &c->service_systems[key]);
            });
}

void ReadTxnCodes(Reader& r, const YAML::Node& node, const std::string& path, Config* c) {
  r.Entries(
      node, path,
      [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value,
          const std::string& value_path) {
        if (!CheckCodeKey(r, key, key_node, value_path)) return;
        TxnCodeConfig* t = &c->txn_codes[key];
        std::vector<Field> fields = {
            {"name", [&](auto& v, auto& p) { t->name = r.Scalar(v, p, "a name").value_or(""); }},
            {"sys", [&](auto& v, auto& p) { t->sys = r.Name(v, p, "a system name").value_or(""); }},
            {"svc_sys",
             [&](auto& v, auto& p) {
               t->svc_sys = r.Name(v, p, "a service system name").value_or("");
             }},
            {"financial", [&](auto& v, auto& p) { t->financial = r.Bool(v, p).value_or(false); }},
        };
        config_yaml::AddParamFields(r, &t->params, &fields);
        r.Fields(value, value_path, fields);
      });
}

void ReadOverrides(Reader& r, const YAML::Node& node, const std::string& path, Config* c) {
  r.Entries(node, path,
            [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value,
                const std::string& value_path) {
              if (!CheckCodeKey(r, key, key_node, value_path)) return;
              std::vector<Field> fields;
              config_yaml::AddParamFields(r, &c->overrides[key], &fields);
              r.Fields(value, value_path, fields);
            });
}

void ReadTop(Reader& r, const YAML::Node& root, Config* c) {
  using config_yaml::DurationKind;
  if (!root.IsNull() && !root.IsMap()) {
    r.Error(root, "",
            "the configuration must be a map of sections (timezone:, calendar:, txn_codes:, ...)");
    return;
  }
  std::vector<Field> defaults;
  config_yaml::AddParamFields(r, &c->defaults, &defaults);
  std::optional<YAML::Node> desk;
  r.Fields(root, "",
           {
               {"timezone", [&](auto& v, auto& p) { ReadTimezone(r, v, p, c); }},
               {"allowed_lateness",
                [&](auto& v, auto& p) {
                  auto d = r.Duration(v, p, DurationKind::kNonNegative);
                  if (d) c->allowed_lateness_ms = *d;
                }},
               {"max_future_skew",
                [&](auto& v, auto& p) {
                  auto d = r.Duration(v, p, DurationKind::kPositive);
                  if (d) c->max_future_skew_ms = *d;
                }},
               {"calendar", [&](auto& v, auto&) { config_yaml::ReadCalendar(r, v, &c->calendar); }},
               {"return_codes", [&](auto& v, auto&) { ReadReturnCodes(r, v, &c->return_codes); }},
               {"service_systems", [&](auto& v, auto& p) { ReadServiceSystems(r, v, p, c); }},
               {"txn_codes", [&](auto& v, auto& p) { ReadTxnCodes(r, v, p, c); }},
               {"defaults", [&](auto& v, auto& p) { r.Fields(v, p, defaults); }},
               {"overrides", [&](auto& v, auto& p) { ReadOverrides(r, v, p, c); }},
               {"batch", [&](auto& v, auto&) { config_yaml::ReadBatch(r, v, &c->batch); }},
               {"recon", [&](auto& v, auto&) { config_yaml::ReadRecon(r, v, &c->recon); }},
               {"alerting", [&](auto& v, auto&) { config_yaml::ReadAlerting(r, v, &c->alerting); }},
               {"desk", [&](auto& v, auto&) { desk = v; }},
           });
  // After alerting, wherever the file has it: desk.notify names alerting's receivers.
  if (desk) config_yaml::ReadDesk(r, *desk, c->alerting, &c->desk);
}

// The 1-based line of the first byte sequence that is not UTF-8, or 0 when the text is UTF-8.
int FirstNonUtf8Line(std::string_view s) {
  int line = 1;
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n') ++line;
    size_t n = c < 0x80                 ? 1
               : c >= 0xC2 && c <= 0xDF ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
    if (n == 0 || i + n > s.size()) return line;
    const auto c1 = static_cast<unsigned char>(s[i + (n > 1 ? 1 : 0)]);
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) ||
        (c == 0xF4 && c1 > 0x8F)) {
      return line;
    }
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return line;
    }
    i += n;
  }
  return 0;
}

// Parses the text as exactly one YAML document; a syntax error, a second document or text that
// is not UTF-8 is one error and no node.
std::optional<YAML::Node> ParseDocument(const std::string& yaml, std::vector<ConfigError>* errors) {
  if (int line = FirstNonUtf8Line(yaml); line > 0) {
    errors->push_back(ConfigError{"", line,
                                  "the file is not valid UTF-8 (saved as GBK or UTF-16?); "
                                  "save it as UTF-8"});
    return std::nullopt;
  }
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(yaml);
  } catch (const YAML::Exception& e) {
    int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    errors->push_back(ConfigError{"", line, fmt::format("YAML syntax error: {}", e.msg)});
    return std::nullopt;
  }
  if (docs.size() > 1) {
    errors->push_back(ConfigError{"", LineOf(docs[1]),
                                  "a second YAML document starts here; the configuration is "
                                  "one document (remove the '---' line)"});
    return std::nullopt;
  }
  return docs.empty() ? YAML::Node() : docs[0];
}

}  // namespace

// Errors are located by YAML path and line only; the caller (check-config) names the file, so
// `source` is not repeated in every message.
ConfigLoad LoadConfigText(const std::string& yaml, const std::string& source) {
  ConfigLoad out;
  Reader r(&out.errors);
  std::optional<YAML::Node> root = ParseDocument(yaml, &out.errors);
  if (!root) return out;
  try {
    ReadTop(r, *root, &out.config);
  } catch (const YAML::Exception& e) {  // not expected: the walker checks every node's type
    int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    out.errors.push_back(ConfigError{"", line, fmt::format("unreadable YAML: {}", e.msg)});
  }
  std::stable_sort(out.errors.begin(), out.errors.end(),
                   [](const ConfigError& a, const ConfigError& b) { return a.line < b.line; });
  return out;
}

ConfigLoad LoadConfigFile(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    ConfigLoad out;
    out.errors.push_back(
        ConfigError{"", 0, fmt::format("cannot read {}: {}", file, std::strerror(errno))});
    return out;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return LoadConfigText(text.str(), file);
}

}  // namespace vigil
