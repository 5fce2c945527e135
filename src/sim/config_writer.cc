// YAML text of the generated configuration; see config_writer.h. Strings are always quoted
// (return codes like "000000" and times like "08:00" must not become numbers).
#include "sim/config_writer.h"

#include <iterator>

#include "fmt/format.h"

namespace vigil::sim {
namespace {

using Out = std::back_insert_iterator<std::string>;

std::string Quote(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

std::string QuoteList(const std::vector<std::string>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + Quote(v[i]);
  return s + "]";
}

void WriteCalendar(Out out, const SimCalendar& cal) {
  fmt::format_to(out, "calendar:\n  busy_hours: \"{}-{}\"\n  weekend: [sat, sun]\n",
                 FormatClockMinutes(kBusyBeginMinute), FormatClockMinutes(kBusyEndMinute));
  const HolidaySchedule& s = cal.schedule();
  fmt::format_to(out, "  holidays:{}\n", s.holidays.empty() ? " []" : "");
  for (size_t i = 0; i < s.holidays.size(); ++i) {
    const absl::CivilDay& d = s.holidays[i];
    fmt::format_to(out, "    - \"{:04d}-{:02d}-{:02d}\"  # {}\n", d.year(), d.month(), d.day(),
                   s.names[i]);
  }
  fmt::format_to(out, "  workdays:{}   # make-up workdays (调休上班)\n",
                 s.workdays.empty() ? " []" : "");
  for (const absl::CivilDay& d : s.workdays) {
    fmt::format_to(out, "    - \"{:04d}-{:02d}-{:02d}\"\n", d.year(), d.month(), d.day());
  }
}

void WriteReturnCodes(Out out, const Bank& bank) {
  fmt::format_to(
      out,
      "return_codes:\n  unknown_class: business\n"
      "  global: {{success: [\"000000\"], business: [\"1*\"], system: [\"9*\", \"201999\"]}}\n"
      "  by_sys:\n    POS: {{success: [\"00\"], business: [\"51\", \"55\", \"61\", \"14\", "
      "\"05\"], system: [\"91\", \"96\"]}}\n");
  if (bank.reclassified_codes.empty()) return;
  fmt::format_to(out, "  by_txn:\n");
  for (int i : bank.reclassified_codes) {
    const TxnCode& c = bank.codes[static_cast<size_t>(i)];
    fmt::format_to(out,
                   "    {}: {{business: [\"201999\"]}}   # {}: 201999 here means a business "
                   "rejection, not a system error\n",
                   c.code, c.name);
  }
}

void WriteServices(Out out, const Bank& bank, const Tuning& tuning) {
  fmt::format_to(out, "service_systems:\n");
  for (size_t s = 0; s < bank.services.size(); ++s) {
    const ServiceSystem& svc = bank.services[s];
    fmt::format_to(out,
                   "  {}: {{name: {}, success: {}, service_success_min: {}, window: {}m, "
                   "min_count: {}}}\n",
                   svc.code, Quote(svc.name), QuoteList(svc.success_list), tuning.services[s].min,
                   kWindowMin, tuning.services[s].min_count);
  }
}

std::string CodeParams(const Bank& bank, const CodeTuning& t, const CodeTuning& d) {
  std::string s;
  auto out = std::back_inserter(s);
  fmt::format_to(out, ", monitor: {}", MonitorName(t.monitor));
  if (t.monitor != Monitor::kNeither && t.silence_min != d.silence_min)
    fmt::format_to(out, ", silence: {}m", t.silence_min);
  if (t.per_node) fmt::format_to(out, ", per_node: true");
  if (t.window_min != d.window_min) fmt::format_to(out, ", window: {}m", t.window_min);
  if (t.min_count != d.min_count) fmt::format_to(out, ", min_count: {}", t.min_count);
  if (t.system_success_min != d.system_success_min)
    fmt::format_to(out, ", system_success_min: {}", t.system_success_min);
  if (t.business_success_min)
    fmt::format_to(out, ", business_success_min: {}", *t.business_success_min);
  if (t.service_success_min)
    fmt::format_to(out, ", service_success_min: {}", *t.service_success_min);
  if (!t.ret_ratio.empty()) {
    fmt::format_to(out, ", ret_ratio: {{");
    for (size_t i = 0; i < t.ret_ratio.size(); ++i) {
      const RetRange& r = t.ret_ratio[i];
      fmt::format_to(out, "{}{}: [{}, {}]", i ? ", " : "",
                     Quote(bank.rets[static_cast<size_t>(r.ret)].code), r.lo, r.hi);
    }
    fmt::format_to(out, "}}");
  }
  if (t.ratio_bounds != d.ratio_bounds) {
    fmt::format_to(out, ", ratio_bounds: [{}, {}], ratio_min_baseline: {}", t.ratio_bounds.first,
                   t.ratio_bounds.second, t.ratio_min_baseline);
  }
  fmt::format_to(out, ", abnormal_threshold: {}, timeout_ms: {}, timeout_threshold: {}",
                 t.abnormal_threshold, t.timeout_ms, t.timeout_threshold);
  return s;
}

void WriteCodes(Out out, const Bank& bank, const Tuning& tuning) {
  fmt::format_to(out, "txn_codes:   # 交易码参数\n");
  for (size_t i = 0; i < bank.codes.size(); ++i) {
    const TxnCode& c = bank.codes[i];
    fmt::format_to(out, "  {}: {{name: {}, sys: {}", c.code, Quote(c.name),
                   bank.systems[static_cast<size_t>(c.sys)].code);
    if (c.svc >= 0)
      fmt::format_to(out, ", svc_sys: {}", bank.services[static_cast<size_t>(c.svc)].code);
    fmt::format_to(out, ", financial: {}{}}}", c.financial ? "true" : "false",
                   CodeParams(bank, tuning.codes[i], tuning.defaults));
    if (!c.role.empty()) fmt::format_to(out, "   # the article's {}", c.role);
    fmt::format_to(out, "\n");
  }
  for (const TxnCode& c : bank.eod_codes) {
    fmt::format_to(out,
                   "  {}: {{name: {}, sys: {}, financial: false, off: [no_txn, volume_ratio, "
                   "timeout_count]}}\n",
                   c.code, Quote(c.name), bank.systems[static_cast<size_t>(c.sys)].code);
  }
}

void WriteEod(Out out, const EodSchedule& eod, const Bank& bank) {
  fmt::format_to(out, "batch:\n");
  for (const BatchStep& s : eod.steps()) {
    fmt::format_to(out,
                   "  - {{name: {}, txn: {}, opens: \"{}\", latest_start: \"{}\", "
                   "max_duration: {}m, latest_end: \"{}\", days: workdays}}\n",
                   s.name, bank.eod_codes[static_cast<size_t>(s.code)].code,
                   FormatClockMinutes(s.opens), FormatClockMinutes(s.latest_start), s.max_duration,
                   FormatClockMinutes(s.latest_end));
  }
  fmt::format_to(out, "recon:\n");
  for (const ReconCheck& c : eod.checks()) {
    fmt::format_to(out,
                   "  - {{name: {}, txn: {}, start: \"{}\", end: \"{}\", factor: {}, "
                   "floor_count: {}, floor_amount: {}, days: all}}\n",
                   c.name, bank.eod_codes[static_cast<size_t>(c.code)].code,
                   FormatClockMinutes(c.start), FormatClockMinutes(c.end), c.factor, c.floor_count,
                   c.floor_amount);
  }
}

}  // namespace

std::string ConfigYaml(const Bank& bank, const Tuning& tuning, const SimCalendar& calendar,
                       const EodSchedule& eod, const std::string& origin) {
  std::string s;
  auto out = std::back_inserter(s);
  fmt::format_to(out,
                 "# vigil monitoring configuration for the simulated bank.\n# {}\n"
                 "# Per-code parameters are derived from each code's expected traffic: every\n"
                 "# threshold lies far out in the tail of normal noise (see docs/simulator.md).\n",
                 origin);
  fmt::format_to(out, "timezone: {}\nallowed_lateness: 30s\nmax_future_skew: 1h\n",
                 calendar.tz_name());
  WriteCalendar(out, calendar);
  WriteReturnCodes(out, bank);
  WriteServices(out, bank, tuning);
  const CodeTuning& d = tuning.defaults;
  fmt::format_to(out,
                 "defaults: {{window: {}m, min_count: {}, system_success_min: {}, "
                 "silence: {}m, ratio_window: {}m, ratio_bounds: [{}, {}], ratio_min_baseline: {}, "
                 "baseline_days: {}, abnormal_period: {}m, timeout_period: {}m}}\n",
                 kWindowMin, d.min_count, d.system_success_min, d.silence_min, kRatioWindowMin,
                 d.ratio_bounds.first, d.ratio_bounds.second, d.ratio_min_baseline, kBaselineDays,
                 kAbnormalPeriodMin, kTimeoutPeriodMin);
  WriteCodes(out, bank, tuning);
  fmt::format_to(out, "overrides: {{}}   # operators' adjustments per code go here\n");
  WriteEod(out, eod, bank);
  return s;
}

}  // namespace vigil::sim
