// The simulated bank: requesting systems (channels) with their nodes, service systems, return
// codes, transaction codes with names, Zipf-like popularity, latency and outcome mixes, and
// the daily traffic shapes. Everything a record is drawn from lives here.
//
// Thread safety: immutable after BuildBank.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/random.h"
#include "sim/sim_calendar.h"

namespace vigil::sim {

// Day-to-day level noise: every day's traffic is scaled by a factor uniform in
// 1 +- kDayLevelSpread, and each code's by a further 1 +- kCodeDayLevelSpread.
inline constexpr double kDayLevelSpread = 0.025;
inline constexpr double kCodeDayLevelSpread = 0.01;
inline constexpr double kLevelLow = (1 - kDayLevelSpread) * (1 - kCodeDayLevelSpread);
inline constexpr double kLevelHigh = (1 + kDayLevelSpread) * (1 + kCodeDayLevelSpread);

enum class Outcome : uint8_t { kSuccess, kBusiness, kSystem };

struct RetCode {
  std::string code;
  std::string msg;                  // 返回信息, empty for success
  Outcome cls = Outcome::kSuccess;  // class under the generated configuration
};

// A requesting system / channel (请求系统).
struct RequestSystem {
  std::string code;       // "MBNK"
  std::string name;       // "手机银行"
  int nodes = 2;          // app01..app0N
  int shape = 0;          // index into Bank::shapes
  bool iso_rets = false;  // returns ISO 8583-style codes ("00", "51", "96")
  std::vector<std::string> node_names;
};

// A downstream service system (服务系统) and its response codes.
struct ServiceSystem {
  std::string code, name;
  std::string ok, business, failure;      // one response code of each kind
  std::vector<std::string> success_list;  // patterns that mean "the service answered"
  double failure_rate = 0;                // technical failures in normal operation
};

enum class CodeKind : uint8_t {
  kQuery,
  kTransfer,
  kPayment,
  kLogin,
  kMaintain,
  kCash,
  kProduct,
  kLoan,
  kBatch,
  kRecon
};

// One possible outcome of a code with its probability.
struct OutcomeShare {
  int ret = 0;  // index into Bank::rets
  double share = 0;
};

struct TxnCode {
  std::string code;  // "A001"
  std::string name;  // "查询挂账"
  int sys = 0;       // index into Bank::systems
  int svc = -1;      // index into Bank::services, -1: calls none
  CodeKind kind = CodeKind::kQuery;
  bool financial = false;
  std::string role;         // the code's part in the source article ("A001"...), empty otherwise
  int rank = 0;             // popularity rank, 1 = busiest
  double weight = 0;        // Zipf weight
  double rate_per_min = 0;  // expected records per minute at shape level 1.0
  double latency_median_ms = 50;
  double latency_sigma = 0.4;
  double amount_median = 0;  // yuan, financial codes
  double amount_sigma = 1.0;
  bool amount_round_100 = false;  // cash: multiples of 100 yuan
  int success_ret = 0;
  int system_ret = 0;                  // its own technical failure
  int svc_failure_ret = 0;             // what it returns when the service system fails
  double system_rate = 0;              // own technical failures in normal operation
  std::vector<OutcomeShare> business;  // business rejections (and reclassified codes)
  double success_share = 1;            // 1 - business shares - system_rate (own)
};

// A traffic shape: relative level per local minute, for workdays and holidays.
struct Shape {
  std::string name;
  std::array<float, 1440> workday{};
  std::array<float, 1440> holiday{};
  double workday_sum = 0, holiday_sum = 0;
};

struct BankOptions {
  int codes = 500;
  int64_t records = 1'000'000;  // approximate total over the simulation
  uint64_t seed = 1;
  double zipf_s = 1.05;
};

struct Bank {
  std::vector<RequestSystem> systems;
  std::vector<ServiceSystem> services;
  std::vector<RetCode> rets;
  std::vector<Shape> shapes;
  std::vector<TxnCode> codes;      // online codes, A001...
  std::vector<TxnCode> eod_codes;  // batch steps and reconciliation checks (B001, R001...)
  std::vector<std::string> orgs;   // branch codes
  AliasTable org_table;
  // Codes whose ret 201999 is reclassified as business (by_txn), and codes returning a
  // code no list classifies (返回码标准化 backlog).
  std::vector<int> reclassified_codes, unclassified_codes;

  int FindRet(const std::string& code) const;
  // Expected records per minute of code `c` at local minute `m` of a day of the given type.
  double Rate(const TxnCode& c, int minute, bool workday) const {
    const Shape& s = shapes[static_cast<size_t>(systems[static_cast<size_t>(c.sys)].shape)];
    return c.rate_per_min * (workday ? s.workday : s.holiday)[static_cast<size_t>(minute)];
  }
};

// Builds the bank for `days` of the calendar, scaling code rates so that the expected total
// is `options.records`.
Bank BuildBank(const BankOptions& options, const SimCalendar& calendar);

}  // namespace vigil::sim
