#include "cli/alert_table.h"

#include "fmt/format.h"

namespace vigil::cli {
namespace {

// The key without JSON punctuation: "txn=A001 ret=100404".
std::string KeyText(const AlertKey& key) {
  std::string out;
  for (const auto& [field, value] : key.fields) {
    if (!out.empty()) out += ' ';
    out += fmt::format("{}={}", KeyFieldName(field), value);
  }
  return out;
}

}  // namespace

AlertTableWriter::AlertTableWriter(std::FILE* out, const absl::TimeZone& tz, bool color)
    : out_(out), tz_(tz), color_(color) {}

void AlertTableWriter::OnAlert(const AlertEvent& e) {
  if (!header_done_) {
    fmt::print(out_, "{:<16}  {:<8}  {:<16}  {:<34}  {:<8}  {}\n", "AT", "STATE", "RULE", "KEY", "SEVERITY",
               "SUMMARY");
    header_done_ = true;
  }
  std::string at = FormatRfc3339(e.at, tz_).substr(0, 16);
  at[10] = ' ';
  const char* state = e.firing ? "FIRING" : "resolved";
  const char* on = "";
  const char* off = "";
  if (color_) {
    on = e.firing ? (e.severity == "critical" ? "\033[1;31m" : "\033[33m") : "\033[32m";
    off = "\033[0m";
  }
  fmt::print(out_, "{}{:<16}  {:<8}  {:<16}  {:<34}  {:<8}  {}{}\n", on, at, state, RuleName(e.rule),
             KeyText(e.key), e.severity, e.summary, off);
}

}  // namespace vigil::cli
