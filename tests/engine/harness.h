// Test harness for the engine: a config from YAML text, records written as local times, fed in
// time order exactly as replay feeds them, and the alert events collected.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "common/calendar.h"
#include "common/config.h"
#include "engine/engine.h"

namespace vigil::testing {

// "2026-11-20 10:00:05" (Asia/Shanghai) -> epoch ms.
inline TimeMs T(const std::string& local) {
  std::string s = local;
  if (s.size() == 16) s += ":00";
  s[10] = 'T';
  TimeMs t = 0;
  EXPECT_EQ(ParseRfc3339Ms(s + "+08:00", &t), TimeParse::kOk) << local;
  return t;
}

struct Rec {
  TimeMs time = 0;
  std::string txn, ret = "000000", sys, svc_sys, svc_ret, node, serial;
  double dur = -1;
  Phase phase = Phase::kEnd;
  bool has_mc = false, has_ma = false;
  double mismatch_count = 0, mismatch_amount = 0;
};

class CollectSink : public AlertSink {
 public:
  void OnAlert(const AlertEvent& e) override { events.push_back(e); }
  std::vector<AlertEvent> events;
};

class Harness {
 public:
  explicit Harness(const std::string& yaml, EngineOptions options = {}) {
    load_ = LoadConfigText(yaml);
    for (const auto& e : load_.errors) ADD_FAILURE() << e.ToString();
    auto tz = LoadTimeZone(load_.config.timezone);
    EXPECT_TRUE(tz.ok());
    calendar_ = std::make_unique<Calendar>(load_.config.calendar, *tz);
    engine_ = std::make_unique<Engine>(load_.config, *calendar_, &sink_, options);
  }

  Rec& Add(const std::string& local, const std::string& txn, const std::string& ret = "000000") {
    Rec r;
    r.time = T(local);
    r.txn = txn;
    r.ret = ret;
    pending_.push_back(r);
    return pending_.back();
  }
  // n records of `txn` spread evenly over [from, to).
  void Fill(const std::string& from, const std::string& to, const std::string& txn, int n,
            const std::string& ret = "000000") {
    TimeMs a = T(from), b = T(to);
    for (int i = 0; i < n; ++i) {
      Rec r;
      r.time = a + (b - a) * i / n;
      r.txn = txn;
      r.ret = ret;
      pending_.push_back(r);
    }
  }
  std::vector<Rec>& pending() { return pending_; }

  // Feeds every pending record in time order (as replay does), then evaluates up to `until`.
  void Run(const std::string& until) {
    std::stable_sort(pending_.begin(), pending_.end(), [](const Rec& a, const Rec& b) { return a.time < b.time; });
    for (const Rec& r : pending_) Feed(r);
    pending_.clear();
    engine_->AdvanceTo(T(until));
  }
  AddResult Feed(const Rec& r) {
    RecordView v;
    v.time = r.time;
    v.ts = r.phase == Phase::kStart ? r.time : (r.dur >= 0 ? r.time - static_cast<int64_t>(r.dur) : r.time);
    v.duration_ms = r.dur;
    v.txn = r.txn, v.ret = r.ret, v.sys = r.sys, v.svc_sys = r.svc_sys, v.svc_ret = r.svc_ret;
    v.node = r.node, v.serial = r.serial;
    v.phase = r.phase;
    v.has_mismatch_count = r.has_mc, v.mismatch_count = r.mismatch_count;
    v.has_mismatch_amount = r.has_ma, v.mismatch_amount = r.mismatch_amount;
    AddResult res = engine_->Add(v);
    TimeMs wm = engine_->RecordWatermark();
    if (wm >= engine_->next_minute()) engine_->AdvanceTo(wm);
    return res;
  }

  // Events of one rule, as "HH:MM firing key" strings for readable assertions.
  std::vector<std::string> Events(Rule rule) const {
    std::vector<std::string> out;
    for (const auto& e : sink_.events) {
      if (e.rule != rule) continue;
      std::string at = FormatRfc3339(e.at, calendar_->time_zone());
      out.push_back(at.substr(5, 11) + " " + (e.firing ? "firing " : "resolved ") + e.key.ToJson());
    }
    return out;
  }
  const std::vector<AlertEvent>& all() const { return sink_.events; }
  Engine& engine() { return *engine_; }
  const Calendar& calendar() const { return *calendar_; }

 private:
  ConfigLoad load_;
  std::unique_ptr<Calendar> calendar_;
  CollectSink sink_;
  std::unique_ptr<Engine> engine_;
  std::vector<Rec> pending_;
};

// The base configuration of most engine tests: one code A001, defaults from the contract.
inline std::string BaseYaml(const std::string& extra = "") {
  return R"(timezone: Asia/Shanghai
calendar:
  busy_hours: "08:00-19:00"
  weekend: [sat, sun]
  holidays: ["2026-10-01", "2026-10-02", "2026-10-05"]
  workdays: ["2026-10-10"]
return_codes:
  global: {success: ["000000"], business: ["1*"], system: ["9*"]}
)" + extra;
}

}  // namespace vigil::testing
