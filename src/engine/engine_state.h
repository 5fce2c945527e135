// The engine's inside: per-key state and the pieces of one minute's evaluation.
// Private to src/engine.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "common/strings.h"
#include "engine/alert_state.h"
#include "engine/code_hot.h"
#include "engine/code_index.h"
#include "engine/day_history.h"
#include "engine/engine.h"
#include "engine/minute_ring.h"
#include "engine/ret_classifier.h"

namespace vigil {

struct SvcBucket {
  uint32_t total = 0;
  uint32_t failures = 0;
};

// (effective sys, ret) -> what the engine needs to know about that return code.
struct SysRetKey {
  std::string sys, ret;
};
struct SysRetView {
  std::string_view sys, ret;
};
struct SysRetHash {
  using is_transparent = void;
  size_t operator()(const SysRetView& v) const {
    return absl::Hash<std::pair<absl::string_view, absl::string_view>>{}({AsAbsl(v.sys), AsAbsl(v.ret)});
  }
  size_t operator()(const SysRetKey& k) const { return (*this)(SysRetView{k.sys, k.ret}); }
};
struct SysRetEq {
  using is_transparent = void;
  static SysRetView V(const SysRetKey& k) { return {k.sys, k.ret}; }
  static SysRetView V(const SysRetView& v) { return v; }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return V(a).sys == V(b).sys && V(a).ret == V(b).ret;
  }
};
struct RetInfo {
  RetClass cls = RetClass::kBusiness;
  bool unknown = false;
  int tracked = -1;  // index into CodeState::trackers, -1 when ret_ratio does not watch it
  int64_t count = 0;
};

struct RetTracker {
  std::string ret;
  double lo = 0, hi = 1;
  MinuteRing<uint32_t> ring;
  AlertState alert;
};
struct TxnSvcState {
  int svc = 0;  // index into State::services
  MinuteRing<SvcBucket> ring;  // unused for a code's primary (first) service system
  AlertState alert;
};
struct NodeState {
  std::string node;
  MinuteRing<uint32_t> ring;
  int64_t first_minute = 0;
  int64_t last_minute = 0;
  AlertState alert;
};
struct AbnormalRecord {
  TimeMs time = 0, ts = 0;
  double duration_ms = -1;
  uint64_t seq = 0;
  std::string node, serial, sys, svc_sys, ret, svc_ret;
};

// Everything the engine keeps about one transaction code.
//
// Layout matters here: codes are separate heap blocks, read by two paths that each want as few
// cache lines as possible. The minute sweep evaluates hundreds of codes a minute: the members
// an evaluation reads come first (through `p`), and the sweep prefetches just that part
// (kEvalBytes). Every record reads the block that follows (kRecordBlock bytes from
// kRecordOffset), which the reader's hint for the next record prefetches. What only the
// summaries and rare paths use comes last.
struct CodeState {
  // --- read by every evaluation ---
  uint32_t id = 0;  // index into State::codes and State::hot
  // Window lengths in minutes.
  int64_t window_min = 5, silence_min = 10, ratio_window_min = 60, abnormal_min = 10,
          timeout_min = 10;
  int64_t widest_min = 10;  // the widest of the ring windows above (ratio_window is not one)
  AlertState system_success, business_success, no_txn, volume_ratio, abnormal_count, timeout_count;
  std::vector<RetTracker> trackers;
  std::vector<TxnSvcState> svcs;
  absl::flat_hash_map<std::string, std::unique_ptr<NodeState>> nodes;
  std::deque<AbnormalRecord> abnormal;
  // Whether volume_ratio can reach ratio_min_baseline on `ratio_day` at all: the median of the
  // baseline counts is at most the largest whole-day total (with the day before) among the
  // baseline days. Decided once a day, so codes far too quiet for the rule cost nothing.
  LocalDay ratio_day = INT64_MIN;
  bool ratio_possible = true;
  CodeParams p;

  // --- read by every record (engine_add.cc) ---
  alignas(64) MinuteRing<CodeBucket> ring;
  DayCounts history;         // also read by volume_ratio
  double timeout_ms = 600;   // p.timeout_ms and p.per_node, copied here: read per record
  bool per_node = false;
  bool has_batch_or_recon = false;
  // The service system this code called last, and whether its last svc_ret meant success:
  // codes nearly always call one service system with mostly one answer. The primary one (the
  // first called, svcs[0]) is counted in the code's own bucket.
  bool last_svc_ok = false;
  int last_svc = -1;
  int primary_svc = -1;
  std::string last_svc_ret;
  // Return codes of records whose sys is the code's own (or absent): the common case, looked up
  // by ret alone; the first few inline (a code mostly answers with a handful of return codes),
  // the rest in `rets`. Records from another requesting system go to `rets_by_sys`.
  static constexpr int kInlineRets = 4;
  int inline_rets = 0;
  std::string own_sys;  // the configured requesting system
  std::array<std::pair<std::string, RetInfo>, kInlineRets> first_rets;

  // --- the summaries and the rare paths ---
  std::string txn;
  const TxnCodeConfig* config = nullptr;  // nullptr: unconfigured
  std::string subject;  // "A005 查询挂账": how summaries name the code
  absl::flat_hash_map<std::string, RetInfo> rets;
  absl::flat_hash_map<SysRetKey, RetInfo, SysRetHash, SysRetEq> rets_by_sys;
};
// The leading part of CodeState an evaluation reads (up to the end of `p`).
inline constexpr size_t kEvalBytes = 640;
// The block every record reads: from `ring` to the end of `first_rets`.
inline constexpr size_t kRecordOffset = kEvalBytes;
inline constexpr size_t kRecordBlock = 384;

struct ServiceState {
  std::string id;
  const ServiceSystemConfig* config = nullptr;
  std::string subject;  // "ACCT 核心账务"
  double min = 0.99;
  int64_t window_min = 5, min_count = 20, for_ms = 0;
  std::string severity = "critical";
  absl::flat_hash_map<std::string, bool> success_cache;  // svc_ret -> success
  MinuteRing<SvcBucket> ring;
  AlertState alert;
};

bool AnyAlertOpen(const CodeState& c);

class BatchTracker;
class ReconTracker;

// Everything one minute's evaluation needs to know about time.
struct MinuteContext {
  TimeMs t = 0;
  int64_t minute = 0;
  DaySpan day;
  bool busy = false;
  int64_t run_start_minute = 0;  // first minute of the busy (or idle) run holding t
  int64_t first_minute = 0;      // first evaluated minute
};

}  // namespace vigil

namespace vigil {

// The baseline intervals of one evaluated minute: for volume_ratio at t with window W and
// `days` baseline days, the same clock interval [t' - W, t') on each previous same-type day
// with records. Shared by every code with the same (days, W); recomputed each minute.
class BaselineIntervals {
 public:
  BaselineIntervals(const Calendar& calendar, const DayCatalog& catalog)
      : calendar_(calendar), catalog_(catalog) {}
  void NewMinute(const MinuteContext& m) { m_ = &m, entries_.clear(); }
  // Intervals as [first_minute, end_minute) pairs, newest day first.
  const std::vector<std::pair<int64_t, int64_t>>& Get(int days, int64_t window_min);
  // The baseline days themselves (the same for every window length).
  std::vector<LocalDay> Days(int days) const {
    return catalog_.Previous(m_->day.day, m_->day.type, days, calendar_);
  }

 private:
  struct Entry {
    int days;
    int64_t window_min;
    std::vector<std::pair<int64_t, int64_t>> intervals;
  };
  const Calendar& calendar_;
  const DayCatalog& catalog_;
  const MinuteContext* m_ = nullptr;
  std::vector<Entry> entries_;
};

struct EvalEnv {
  const Config& config;
  const absl::TimeZone& tz;
  const EngineOptions& options;
  std::vector<std::unique_ptr<ServiceState>>& services;
  BaselineIntervals& baselines;
  std::vector<AlertEvent>* out;
};

// Rules 1-4 for a code's own keys (txn), (txn, ret), (txn, svc_sys).
void EvaluateRateRules(CodeState& c, const MinuteContext& m, const WindowSums& w, EvalEnv& env);
// Rules 5-8: no_txn (also per node), volume_ratio, abnormal_count, timeout_count.
void EvaluateVolumeRules(CodeState& c, const MinuteContext& m, const WindowSums& w, EvalEnv& env);
void EvaluateCountRules(CodeState& c, const MinuteContext& m, const WindowSums& w, EvalEnv& env);
// Rule 4 for the (svc_sys) key.
void EvaluateService(ServiceState& s, const MinuteContext& m, std::vector<AlertEvent>* out);

// An event for one of a code's keys with the code's severity; the caller adds the rest.
AlertEvent CodeEvent(const CodeState& c, Rule rule, TimeMs t, Transition tr);
std::string Percent(double v);  // 0.9876 -> "98.76%"
inline bool InPeriods(Periods p, bool busy) {  // inline: the sweep asks it of every code
  switch (p) {
    case Periods::kBusy: return busy;
    case Periods::kIdle: return !busy;
    case Periods::kBoth: return true;
    case Periods::kNeither: return false;
  }
  return false;
}

}  // namespace vigil

#include "engine/batch.h"
#include "engine/recon.h"

namespace vigil {

struct Engine::State {
  State(const Config& c, const Calendar& cal, AlertSink* s, EngineOptions o)
      : config(c), calendar(cal), sink(s), options(o), classifier(c.return_codes), days(cal),
        baselines(cal, catalog) {}

  const Config& config;
  const Calendar& calendar;
  AlertSink* sink;
  EngineOptions options;
  RetClassifier classifier;
  DayIndex days;
  DayCatalog catalog;
  BaselineIntervals baselines;

  CodeIndex code_ids;
  std::vector<std::unique_ptr<CodeState>> codes;
  std::vector<CodeGate> gates;  // parallel to codes: what the sweep reads of every code
  std::vector<CodeHot> hot;     // parallel to codes
  std::vector<uint32_t> due;  // the codes the current minute evaluates (reused)
  absl::flat_hash_map<std::string, int> service_ids;  // configured service systems only
  std::vector<std::unique_ptr<ServiceState>> services;
  absl::flat_hash_map<std::string, int64_t> unconfigured_services;  // svc_sys -> records
  std::vector<std::unique_ptr<BatchTracker>> batches;
  std::vector<std::unique_ptr<ReconTracker>> recons;

  TimeMs max_time = INT64_MIN;
  TimeMs next_minute = INT64_MIN;
  TimeMs first_minute = INT64_MIN;
  TimeMs last_evaluated = INT64_MIN;
  TimeMs clock = INT64_MIN;  // serve only
  uint64_t seq = 0;
  int64_t ring_slack_min = 0;  // how far ahead of the cursor a record may land, in minutes
  int64_t max_silence_min = 0;
  LocalDay pruned_for_day = INT64_MIN;
  LocalDay last_closed_day = INT64_MIN;
  MinuteContext prev;  // the previous evaluated minute, for the busy / idle run
  EngineStats stats;
  std::vector<AlertEvent> pending;

  uint32_t CodeId(std::string_view txn);  // creates the code on its first record
  CodeState* Code(std::string_view txn) { return codes[CodeId(txn)].get(); }
  CodeState* CreateCode(const std::string& txn);
  RetInfo NewRetInfo(const CodeState& c, std::string_view sys, std::string_view ret) const;
  RetInfo& LookupRet(CodeState& c, const RecordView& r);
  void AddToCode(uint32_t id, const RecordView& r, int64_t minute, const DaySpan& span);
  void AddService(CodeState& c, const RecordView& r, int64_t minute, CodeBucket& bucket);
  void EvaluateMinute(TimeMs t);
  void CollectDue(const MinuteContext& m);
  MinuteContext Context(TimeMs t);
  void PruneHistory(const DaySpan& today);
  void CloseDay(LocalDay day);
  void Emit();
};

}  // namespace vigil
