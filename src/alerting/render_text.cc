// Human-readable renderings (render.h): titles, e-mail text and HTML, robot markdown.
#include <algorithm>

#include "alerting/render.h"
#include "fmt/format.h"

namespace vigil::alerting {
namespace {

constexpr size_t kMaxEmailAlerts = 200;
constexpr size_t kMaxRobotAlerts = 10;

std::string LabelOr(const TrackedAlert& a, const std::string& name, const std::string& fallback) {
  auto it = a.labels.find(name);
  return it == a.labels.end() ? fallback : it->second;
}

std::string Summary(const TrackedAlert& a) {
  auto it = a.annotations.find("summary");
  if (it != a.annotations.end() && !it->second.empty()) return it->second;
  return fmt::format("{} {}", a.rule, a.key_json);
}

// The labels people filter by, without the ones already in the summary line.
std::string LabelLine(const TrackedAlert& a) {
  std::vector<std::string> parts;
  for (const auto& [name, value] : a.labels) {
    if (name != "severity") parts.push_back(fmt::format("{}={}", name, value));
  }
  return fmt::format("{}", fmt::join(parts, " "));
}

std::string When(const TrackedAlert& a, const absl::TimeZone& tz) {
  if (a.firing) return fmt::format("since {}", DisplayTime(a.starts_at, tz));
  TimeMs end = a.ends_at.value_or(a.starts_at);
  return fmt::format("resolved {} after {}", DisplayTime(end, tz),
                     FormatDuration(std::max<int64_t>(0, end - a.starts_at)));
}

// The values of `labels` in a stable, readable order (rule and txn first).
std::string Describe(const Labels& labels, const std::vector<const TrackedAlert*>& all) {
  std::vector<std::string> parts;
  for (const char* first : {"rule", "txn", "svc_sys"}) {
    if (auto it = labels.find(first); it != labels.end()) parts.push_back(it->second);
  }
  for (const auto& [name, value] : labels) {
    if (name != "rule" && name != "txn" && name != "svc_sys") parts.push_back(value);
  }
  // A code's name when every alert is about the same code.
  if (labels.contains("txn") && !labels.contains("name") && !all.empty()) {
    std::string name = LabelOr(*all[0], "name", "");
    bool same = std::all_of(all.begin(), all.end(),
                            [&](const TrackedAlert* a) { return LabelOr(*a, "name", "") == name; });
    if (same && !name.empty()) parts.push_back(name);
  }
  return fmt::format("{}", fmt::join(parts, " "));
}

Labels CommonLabels(const std::vector<const TrackedAlert*>& all) {
  if (all.empty()) return {};
  Labels common = all[0]->labels;
  for (const TrackedAlert* a : all) {
    std::erase_if(common, [&](const auto& kv) {
      auto it = a->labels.find(kv.first);
      return it == a->labels.end() || it->second != kv.second;
    });
  }
  common.erase("severity");
  return common;
}

std::vector<const TrackedAlert*> All(const Message& m) {
  std::vector<const TrackedAlert*> all = m.firing;
  all.insert(all.end(), m.resolved.begin(), m.resolved.end());
  return all;
}

}  // namespace

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Cuts `s` to at most `max_bytes` without splitting a UTF-8 character.
std::string CutUtf8(std::string s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

std::string DisplayTime(TimeMs t, const absl::TimeZone& tz) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Ez", absl::FromUnixMillis(t), tz);
}

std::string Title(const Message& m) {
  const bool firing = !m.firing.empty();
  const size_t count = firing ? m.firing.size() : m.resolved.size();
  std::vector<const TrackedAlert*> all = All(m);
  std::string what;
  if (all.size() == 1) {
    what = Summary(*all[0]);
  } else {
    Labels labels = m.group_labels.empty() ? CommonLabels(all) : m.group_labels;
    labels.erase("severity");
    what = labels.empty() ? fmt::format("{} alerts", all.size()) : Describe(labels, all);
  }
  return fmt::format("[{}:{}] {}", firing ? "FIRING" : "RESOLVED", count, what);
}

std::string EmailText(const Message& m, const absl::TimeZone& tz) {
  std::string out = Title(m) + "\n";
  auto section = [&](const char* heading, const std::vector<const TrackedAlert*>& alerts) {
    if (alerts.empty()) return;
    out += fmt::format("\n{} ({}):\n", heading, alerts.size());
    for (size_t i = 0; i < alerts.size() && i < kMaxEmailAlerts; ++i) {
      const TrackedAlert& a = *alerts[i];
      out += fmt::format("- [{}] {}\n  {}\n  {}\n", LabelOr(a, "severity", "?"), Summary(a),
                         When(a, tz), LabelLine(a));
    }
    if (alerts.size() > kMaxEmailAlerts) {
      out += fmt::format("... and {} more\n", alerts.size() - kMaxEmailAlerts);
    }
  };
  section("Firing", m.firing);
  section("Resolved", m.resolved);
  out += fmt::format("\nSent by vigil at {}.\n", DisplayTime(m.now, tz));
  return out;
}

std::string EmailHtml(const Message& m, const absl::TimeZone& tz) {
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>"
      "<body style=\"font-family:sans-serif\">\n<h3 style=\"color:{}\">{}</h3>\n",
      m.firing.empty() ? "#2e7d32" : "#c62828", HtmlEscape(Title(m)));
  auto section = [&](const char* heading, const std::vector<const TrackedAlert*>& alerts) {
    if (alerts.empty()) return;
    out += fmt::format(
        "<h4>{} ({})</h4>\n<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\" "
        "style=\"border-collapse:collapse\">\n"
        "<tr><th>severity</th><th>alert</th><th>when</th><th>labels</th></tr>\n",
        heading, alerts.size());
    for (size_t i = 0; i < alerts.size() && i < kMaxEmailAlerts; ++i) {
      const TrackedAlert& a = *alerts[i];
      out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                         HtmlEscape(LabelOr(a, "severity", "?")), HtmlEscape(Summary(a)),
                         HtmlEscape(When(a, tz)), HtmlEscape(LabelLine(a)));
    }
    out += "</table>\n";
    if (alerts.size() > kMaxEmailAlerts) {
      out += fmt::format("<p>... and {} more</p>\n", alerts.size() - kMaxEmailAlerts);
    }
  };
  section("Firing", m.firing);
  section("Resolved", m.resolved);
  out += fmt::format("<p style=\"color:#777\">Sent by vigil at {}.</p>\n</body></html>\n",
                     HtmlEscape(DisplayTime(m.now, tz)));
  return out;
}

std::string RobotMarkdown(const Message& m, const absl::TimeZone& tz, size_t max_bytes) {
  std::string out = fmt::format("**{}**\n", Title(m));
  auto section = [&](const char* heading, const std::vector<const TrackedAlert*>& alerts) {
    if (alerts.empty()) return;
    out += fmt::format("\n**{}** ({})\n", heading, alerts.size());
    for (size_t i = 0; i < alerts.size() && i < kMaxRobotAlerts; ++i) {
      const TrackedAlert& a = *alerts[i];
      out += fmt::format("> **{}** {}\n> {}\n", LabelOr(a, "severity", "?"), Summary(a),
                         When(a, tz));
    }
    if (alerts.size() > kMaxRobotAlerts) {
      out += fmt::format("\n... and {} more\n", alerts.size() - kMaxRobotAlerts);
    }
  };
  section("Firing", m.firing);
  section("Resolved", m.resolved);
  return CutUtf8(std::move(out), max_bytes);
}

}  // namespace vigil::alerting
