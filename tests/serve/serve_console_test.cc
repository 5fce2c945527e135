// The web console's server side (docs/console-api.md) against the real binary on a test clock:
// the overview's tiles and alert counts, service systems, hourly volume against the previous
// same-type days, return-code breakdown, sparklines, the configuration view, the event stream
// (stats, alerts, filtered records, its limit, its end when the server stops) and the static
// files (caching, client-side routes, no way out of the web root).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>

#include <gtest/gtest.h>

#include "serve_fixture.h"

namespace vigil::testing {
namespace {

using nlohmann::json;
constexpr const char* kStart = "2026-11-20T10:00:00+08:00";  // a Friday: a workday

// Two requesting systems (MBNK with traffic, CORP without), two configured service systems
// (ACCT with traffic, LOAN without). A001 is financial: its alerts are critical.
std::string ConsoleConfig(int webhook_port) {
  return fmt::format(R"(timezone: Asia/Shanghai
allowed_lateness: 30s
return_codes:
  global:
    success: ["000000"]
    system: ["9*"]
service_systems:
  ACCT: {{name: 核心账务, success: ["0000"], service_success_min: 0.9, window: 1m, min_count: 5}}
  LOAN: {{name: 信贷, success: ["00"]}}
txn_codes:
  A001: {{name: 转账, sys: MBNK, svc_sys: ACCT, financial: true}}
  A002: {{name: 查询, sys: MBNK, svc_sys: ACCT}}
  B001: {{name: 放款, sys: CORP, svc_sys: LOAN}}
defaults:
  window: 1m
  min_count: 5
  system_success_min: 0.9
  service_success_min: 0.8
  off: [volume_ratio, abnormal_count, timeout_count, ret_ratio, business_success]
alerting:
  receivers:
    hook: {{webhook: {{url: "http://127.0.0.1:{}/hook"}}}}
  route:
    receiver: hook
    group_by: [rule, txn, svc_sys]
    group_wait: 0s
    group_interval: 1m
    repeat_interval: 4h
)",
                     webhook_port);
}

// One record at 2026-11-20 `hhmmss` (local); an empty svc_ret is left out of the record.
std::string Rec(const std::string& txn, const std::string& hhmmss, const std::string& ret, const std::string& sys = "MBNK",
                const std::string& svc_sys = "ACCT", const std::string& svc_ret = "0000") {
  static int serial = 0;
  json j{{"ts", "2026-11-20T" + hhmmss + ".000+08:00"}, {"dur_ms", 20}, {"txn", txn}, {"ret", ret},
         {"sys", sys}, {"svc_sys", svc_sys}, {"node", "n1"}, {"serial", "S" + std::to_string(++serial)}};
  if (!svc_ret.empty()) j["svc_ret"] = svc_ret;
  return j.dump() + "\n";
}

std::string Repeat(int n, const std::function<std::string(int)>& one) {
  std::string out;
  for (int i = 0; i < n; ++i) out += one(i);
  return out;
}

std::string Sec(const std::string& hhmm, int i) { return fmt::format("{}:{:02d}", hhmm, i % 60); }

const json* Find(const json& rows, const char* key, const std::string& value) {
  for (const json& r : rows) {
    if (r.value(key, "") == value) return &r;
  }
  return nullptr;
}

class ServeConsoleTest : public ::testing::Test {
 protected:
  void StartServer(std::vector<std::string> extra = {}) {
    server_ = std::make_unique<ServerProcess>(dir_.path(), ConsoleConfig(hook_.port()), kStart);
    server_->Start(std::move(extra));
  }
  void Post(const std::string& body) {
    auto r = server_->PostRecords(body);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    ASSERT_EQ(json::parse(r->body)["rejected"], 0) << r->body;
  }
  ScratchDir dir_;
  HttpTestListener hook_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServeConsoleTest, OverviewHasATileForEveryConfiguredSystemAndCountsUnsuppressedAlerts) {
  StartServer();
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  auto s = server_->http().Post("/api/v1/silences", {{"Authorization", "Bearer api-secret"}},
                                R"({"matchers":["txn=A002"],"duration_ms":3600000})", "application/json");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->status, 201) << s->body;
  // A001: 10 of 20 fail (critical); A002: 8 of 10 fail (warning, silenced); Z999 is not
  // configured and comes from CARD.
  Post(Repeat(20, [](int i) { return Rec("A001", Sec("10:00", i), i < 10 ? "900001" : "000000"); }) +
       Repeat(10, [](int i) { return Rec("A002", Sec("10:00", i), i < 8 ? "900001" : "000000"); }) +
       Repeat(4, [](int i) { return Rec("Z999", Sec("10:00", i), "000000", "CARD", "ACCT"); }));
  server_->AdvanceClock(90'000);  // minute 10:00 evaluated at 10:01:30
  ASSERT_TRUE(hook_.WaitForRequests(1)) << server_->Log();

  auto o = server_->GetJson("/api/v1/overview?from=2026-11-20T10:00:00%2B08:00&to=2026-11-20T10:01:00%2B08:00");
  EXPECT_EQ(o["now_ms"], 1795140090000);  // 2026-11-20T10:01:30+08:00
  EXPECT_EQ(o["ingest"]["records_total"], 34);
  EXPECT_EQ(o["ingest"]["rejected_total"], 0);
  EXPECT_EQ(o["ingest"]["per_minute"].size(), 60u);
  int64_t per_minute_total = 0;
  for (const auto& m : o["ingest"]["per_minute"]) per_minute_total += m["count"].get<int64_t>();
  EXPECT_EQ(per_minute_total, 34);
  EXPECT_EQ(o["alerts"], (json{{"firing", 1}, {"critical", 1}, {"warning", 0}, {"info", 0}, {"suppressed", 1}})) << o.dump();

  const json& systems = o["systems"];
  ASSERT_EQ(systems.size(), 3u) << systems.dump();
  EXPECT_EQ(systems[0]["name"], "CORP");  // configured ones first, even without traffic
  EXPECT_EQ(systems[0]["count"], 0);
  EXPECT_TRUE(systems[0]["system_success"].is_null());
  EXPECT_TRUE(systems[0]["worst_severity"].is_null());
  EXPECT_EQ(systems[1]["name"], "MBNK");
  EXPECT_EQ(systems[1]["kind"], "sys");
  EXPECT_EQ(systems[1]["count"], 30);
  EXPECT_DOUBLE_EQ(systems[1]["system_success"].get<double>(), 12.0 / 30);
  EXPECT_EQ(systems[1]["firing"], 1);  // A002's alert is silenced
  EXPECT_EQ(systems[1]["worst_severity"], "critical");
  EXPECT_EQ(systems[2]["name"], "CARD");  // seen in the records, not configured
  EXPECT_EQ(systems[2]["configured"], false);
  EXPECT_EQ(systems[2]["count"], 4);

  const json& services = o["services"];
  ASSERT_EQ(services.size(), 2u) << services.dump();
  EXPECT_EQ(services[0]["name"], "ACCT");
  EXPECT_EQ(services[0]["title"], "核心账务");
  EXPECT_EQ(services[0]["count"], 34);
  EXPECT_DOUBLE_EQ(services[0]["success"].get<double>(), 1.0);
  EXPECT_EQ(services[1]["name"], "LOAN");
  EXPECT_EQ(services[1]["count"], 0);
  EXPECT_TRUE(services[1]["success"].is_null());

  // The codes table: the worst severity firing on each code.
  auto codes = server_->GetJson("/api/v1/codes?from=2026-11-20T10:00:00%2B08:00&to=2026-11-20T10:01:00%2B08:00");
  EXPECT_EQ((*Find(codes["codes"], "txn", "A001"))["severity"], "critical");
  EXPECT_EQ((*Find(codes["codes"], "txn", "A002"))["severity"], "warning");
  EXPECT_TRUE((*Find(codes["codes"], "txn", "Z999"))["severity"].is_null());
}

TEST_F(ServeConsoleTest, ServicesCountAMissingServiceReturnAsAFailure) {
  StartServer();
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  // A002 calls ACCT 10 times: 6 answered 0000, 2 answered E999, 2 without svc_ret.
  Post(Repeat(10, [](int i) { return Rec("A002", Sec("10:00", i), "000000", "MBNK", "ACCT", i < 6 ? "0000" : i < 8 ? "E999" : ""); }) +
       Repeat(5, [](int i) { return Rec("A001", Sec("10:01", i), "000000"); }));
  auto j = server_->GetJson("/api/v1/services?from=2026-11-20T10:00:00%2B08:00&to=2026-11-20T10:02:00%2B08:00");
  EXPECT_EQ(j["from_ms"], 1795140000000);
  const json& rows = j["services"];
  ASSERT_EQ(rows.size(), 2u) << rows.dump();
  const json& acct = rows[0];
  EXPECT_EQ(acct["svc_sys"], "ACCT");
  EXPECT_EQ(acct["name"], "核心账务");
  EXPECT_EQ(acct["configured"], true);
  EXPECT_EQ(acct["count"], 15);
  EXPECT_EQ(acct["failures"], 4);
  EXPECT_DOUBLE_EQ(acct["success"].get<double>(), 11.0 / 15);
  EXPECT_DOUBLE_EQ(acct["success_min"].get<double>(), 0.9);
  ASSERT_EQ(acct["codes"].size(), 2u);
  const json* a002 = Find(acct["codes"], "txn", "A002");
  ASSERT_NE(a002, nullptr);
  EXPECT_EQ((*a002)["name"], "查询");
  EXPECT_EQ((*a002)["count"], 10);
  EXPECT_EQ((*a002)["failures"], 4);
  EXPECT_EQ((*Find(acct["codes"], "txn", "A001"))["failures"], 0);
  ASSERT_EQ(acct["minutes"].size(), 2u);
  EXPECT_EQ(acct["minutes"][0], (json{{"minute_ms", 1795140000000}, {"count", 10}, {"failures", 4}}));
  EXPECT_EQ(acct["minutes"][1], (json{{"minute_ms", 1795140060000}, {"count", 5}, {"failures", 0}}));
  const json& loan = rows[1];
  EXPECT_EQ(loan["svc_sys"], "LOAN");
  EXPECT_EQ(loan["count"], 0);
  EXPECT_TRUE(loan["success"].is_null());
  EXPECT_DOUBLE_EQ(loan["success_min"].get<double>(), 0.8);  // the default
  EXPECT_EQ(loan["minutes"].size(), 2u);
}

// One code's day aggregate as `vigil replay --write-history` writes it: (minute of the day,
// records) pairs.
void WriteHistoryDay(const std::string& dir, const std::string& day, const std::string& txn,
                     const std::vector<std::pair<int, int>>& minutes) {
  json pairs = json::array();
  for (const auto& [m, n] : minutes) pairs.push_back(json::array({m, n}));
  std::ofstream(dir + "/" + day + ".jsonl", std::ios::app) << json{{"day", day}, {"txn", txn}, {"minutes", pairs}}.dump() << "\n";
}

TEST_F(ServeConsoleTest, HourlyComparesTodayWithThePreviousSameTypeDaysWithData) {
  const std::string history = dir_.path() + "/history";
  std::filesystem::create_directories(history);
  WriteHistoryDay(history, "2026-11-19", "A001", {{10 * 60 + 5, 100}});  // Thursday
  WriteHistoryDay(history, "2026-11-18", "A001", {{10 * 60 + 30, 150}, {10 * 60 + 59, 50}});
  WriteHistoryDay(history, "2026-11-17", "A002", {{10 * 60, 50}});       // a day with data, none of A001
  WriteHistoryDay(history, "2026-11-16", "A001", {{9 * 60 + 59, 7}, {10 * 60, 400}});
  WriteHistoryDay(history, "2026-11-13", "A001", {{10 * 60, 999}});      // beyond baseline_days (4)
  WriteHistoryDay(history, "2026-11-15", "A001", {{10 * 60, 5000}});     // a Sunday: another day type
  StartServer({"--history", history});
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  Post(Repeat(20, [](int i) { return Rec("A001", Sec("10:00", i), "000000"); }) + Rec("A001", "09:59:00", "000000"));

  auto j = server_->GetJson("/api/v1/codes/A001/hourly");
  EXPECT_EQ(j["date"], "2026-11-20");
  EXPECT_EQ(j["day_type"], "workday");
  ASSERT_EQ(j["today"].size(), 24u);
  EXPECT_EQ(j["today"][9], 1);
  EXPECT_EQ(j["today"][10], 20);
  EXPECT_EQ(j["today"][0], 0);
  EXPECT_TRUE(j["today"][11].is_null());  // not begun at 10:00
  ASSERT_EQ(j["days"].size(), 4u) << j.dump();
  std::vector<std::string> dates;
  for (const auto& d : j["days"]) dates.push_back(d["date"]);
  EXPECT_EQ(dates, (std::vector<std::string>{"2026-11-19", "2026-11-18", "2026-11-17", "2026-11-16"}));
  EXPECT_EQ(j["days"][0]["counts"][10], 100);
  EXPECT_EQ(j["days"][2]["counts"][10], 0);
  EXPECT_EQ(j["days"][3]["counts"][9], 7);
  EXPECT_DOUBLE_EQ(j["median"][10].get<double>(), 150.0);  // of 0, 100, 200, 400
  EXPECT_DOUBLE_EQ(j["median"][9].get<double>(), 0.0);

  // A past day comes from the history; the holiday before compares with holidays.
  auto sunday = server_->GetJson("/api/v1/codes/A001/hourly?date=2026-11-15");
  EXPECT_EQ(sunday["day_type"], "holiday");
  EXPECT_EQ(sunday["today"][10], 5000);
  EXPECT_EQ(sunday["days"].size(), 0u);
  EXPECT_TRUE(sunday["median"][10].is_null());
  auto bad = server_->http().Get("/api/v1/codes/A001/hourly?date=20261115");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400) << bad->body;
}

TEST_F(ServeConsoleTest, ReturnsNameTheFailingCodesPerMinuteLargestFirst) {
  StartServer();
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  Post(Repeat(10, [](int i) { return Rec("A001", Sec("10:00", i), "000000"); }) +
       Repeat(5, [](int i) { return Rec("A001", Sec("10:00", i + 10), "E101"); }) +
       Repeat(3, [](int i) { return Rec("A001", Sec("10:00", i + 20), "900001"); }) +
       Repeat(2, [](int i) { return Rec("A001", Sec("10:01", i), "E101"); }));
  auto j = server_->GetJson("/api/v1/codes/A001/returns?from=2026-11-20T10:00:00%2B08:00&to=2026-11-20T10:02:00%2B08:00");
  EXPECT_EQ(j["txn"], "A001");
  EXPECT_EQ(j["returns"], (json::array({json{{"ret", "E101"}, {"class", "business"}, {"count", 7}},
                                         json{{"ret", "900001"}, {"class", "system"}, {"count", 3}}})));
  ASSERT_EQ(j["minutes"].size(), 2u);
  EXPECT_EQ(j["minutes"][0], (json{{"minute_ms", 1795140000000}, {"success", 10}, {"by_ret", {{"E101", 5}, {"900001", 3}}}}));
  EXPECT_EQ(j["minutes"][1], (json{{"minute_ms", 1795140060000}, {"success", 0}, {"by_ret", {{"E101", 2}}}}));
}

TEST_F(ServeConsoleTest, CodeSparksEndAtTheWindowsEnd) {
  StartServer();
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  Post(Repeat(4, [](int i) { return Rec("A002", Sec("10:00", i), "000000"); }) +
       Repeat(3, [](int i) { return Rec("A002", Sec("10:02", i), "000000"); }));
  const std::string window = "from=2026-11-20T10:00:00%2B08:00&to=2026-11-20T10:05:00%2B08:00";
  auto j = server_->GetJson("/api/v1/codes?" + window + "&spark_minutes=5");
  const json* a002 = Find(j["codes"], "txn", "A002");
  ASSERT_NE(a002, nullptr) << j.dump();
  EXPECT_EQ((*a002)["count"], 7);
  EXPECT_EQ((*a002)["spark"], json::array({4, 0, 3, 0, 0}));
  auto shorter = server_->GetJson("/api/v1/codes?" + window + "&spark_minutes=2");
  EXPECT_EQ((*Find(shorter["codes"], "txn", "A002"))["spark"], json::array({0, 0}));
  auto off = server_->GetJson("/api/v1/codes?" + window + "&spark_minutes=0");
  EXPECT_FALSE(Find(off["codes"], "txn", "A002")->contains("spark"));
  auto too_long = server_->http().Get("/api/v1/codes?spark_minutes=121");
  ASSERT_TRUE(too_long);
  EXPECT_EQ(too_long->status, 400);
}

TEST_F(ServeConsoleTest, MinutesAsksForTheLastMinutesUpToTheEndOfTheClocksMinute) {
  StartServer();  // the clock stands at 10:00:00
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  constexpr int64_t kEnd = 1795140060000;  // 10:01, the end of the clock's minute
  Post(Rec("A001", "09:59:30", "000000"));
  server_->GetJson("/api/v1/stats/ingest?wait_records=1");
  auto day = server_->GetJson("/api/v1/codes?minutes=1440");
  EXPECT_EQ(day["to_ms"], kEnd);
  EXPECT_EQ(day["from_ms"], kEnd - 1440 * 60000);
  EXPECT_EQ(day["now_ms"], 1795140000000);  // in the sparks' last minute: still open
  auto series = server_->GetJson("/api/v1/codes/A001/series?minutes=360");
  EXPECT_EQ(series["minutes"].size(), 360u);
  EXPECT_EQ(series["now_ms"], 1795140000000);
  // `from` wins over `minutes`; outside 1-1440 is a 400 naming the parameter.
  auto both = server_->GetJson("/api/v1/services?minutes=60&from=2026-11-20T09:58:00%2B08:00");
  EXPECT_EQ(both["from_ms"], kEnd - 3 * 60000);
  for (const char* bad : {"0", "1441", "x"}) {
    auto r = server_->http().Get(std::string("/api/v1/codes?minutes=") + bad);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_NE(r->body.find("minutes"), std::string::npos) << r->body;
  }
}

TEST_F(ServeConsoleTest, ConfigShowsResolvedParametersCalendarAndServiceSystems) {
  StartServer();
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  auto j = server_->GetJson("/api/v1/config");
  const json* a001 = Find(j["codes"], "txn", "A001");
  ASSERT_NE(a001, nullptr);
  EXPECT_EQ((*a001)["params"]["min_count"], 5);
  EXPECT_EQ((*a001)["params"]["window_ms"], 60000);
  EXPECT_DOUBLE_EQ((*a001)["params"]["system_success_min"].get<double>(), 0.9);
  EXPECT_TRUE((*a001)["params"]["business_success_min"].is_null());
  EXPECT_EQ((*a001)["params"]["severity"], "critical");  // financial
  EXPECT_EQ((*a001)["params"]["baseline_days"], 4);
  EXPECT_DOUBLE_EQ((*a001)["params"]["service_success_min"].get<double>(), 0.9);  // ACCT's
  const json* b001 = Find(j["codes"], "txn", "B001");
  ASSERT_NE(b001, nullptr);
  EXPECT_DOUBLE_EQ((*b001)["params"]["service_success_min"].get<double>(), 0.8);  // LOAN has none: the default
  const auto off = (*a001)["rules_off"].get<std::vector<std::string>>();
  const auto on = (*a001)["rules_on"].get<std::vector<std::string>>();
  EXPECT_EQ(off, (std::vector<std::string>{"abnormal_count", "business_success", "ret_ratio", "timeout_count", "volume_ratio"}));
  EXPECT_EQ(on.size(), 5u);
  EXPECT_NE(std::find(on.begin(), on.end(), "system_success"), on.end());
  const json* acct = Find(j["service_systems"], "svc_sys", "ACCT");
  ASSERT_NE(acct, nullptr);
  EXPECT_EQ((*acct)["success"], json::array({"0000"}));
  EXPECT_DOUBLE_EQ((*acct)["service_success_min"].get<double>(), 0.9);
  const json& cal = j["calendar"];
  EXPECT_EQ(cal["busy_hours"], json::array({"08:00-19:00"}));
  EXPECT_EQ(cal["weekend"], json::array({"sat", "sun"}));
  ASSERT_EQ(cal["days"].size(), 61u);
  EXPECT_EQ(cal["days"][30], (json{{"date", "2026-11-20"}, {"type", "workday"}}));
  EXPECT_EQ(cal["days"][31], (json{{"date", "2026-11-21"}, {"type", "holiday"}}));
  EXPECT_TRUE(j["batch"].is_array());
  EXPECT_TRUE(j["recon"].is_array());
}

TEST_F(ServeConsoleTest, ConfigSummaryHasTheZoneAndFileWithoutTheCodes) {
  StartServer();
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  auto full = server_->GetJson("/api/v1/config");
  auto j = server_->GetJson("/api/v1/config?view=summary");
  EXPECT_EQ(j["timezone"], "Asia/Shanghai");
  EXPECT_EQ(j["path"], full["path"]);
  // The file's name, not the directory it was started from (a temporary one in tests).
  EXPECT_EQ(j["file"], std::filesystem::path(full["path"].get<std::string>()).filename().string());
  EXPECT_EQ(full["file"], j["file"]);
  EXPECT_EQ(j["code_count"], 3);
  EXPECT_EQ(j["calendar"], full["calendar"]);
  EXPECT_EQ(j["service_systems"], full["service_systems"]);
  EXPECT_FALSE(j.contains("codes"));
  EXPECT_FALSE(j.contains("yaml"));
  auto bad = server_->http().Get("/api/v1/config?view=short");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("view"), std::string::npos) << bad->body;
}

TEST_F(ServeConsoleTest, AnUnknownCodeIsA404NamingItWhileCodesWithRecordsOrConfigAreKnown) {
  StartServer();
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  Post(Rec("Z999", "10:00:01", "000000"));  // not configured, but seen
  server_->GetJson("/api/v1/stats/ingest?wait_records=1");
  for (const char* what : {"series", "hourly", "returns"}) {
    auto unknown = server_->http().Get(fmt::format("/api/v1/codes/NOPE/{}", what));
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 404) << what;
    EXPECT_NE(json::parse(unknown->body)["error"]["message"].get<std::string>().find("'NOPE'"), std::string::npos)
        << unknown->body;
    for (const char* known : {"B001", "Z999"}) {  // configured without records; seen unconfigured
      auto r = server_->http().Get(fmt::format("/api/v1/codes/{}/{}", known, what));
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 200) << known << " " << what << ": " << r->body;
    }
  }
}

TEST_F(ServeConsoleTest, LogsTheConsoleAddressWithTheApiToken) {
  // The server logs to standard output, which it inherits: point ours at a file meanwhile.
  const std::string log = dir_.path() + "/stdout.log";
  std::fflush(stdout);
  const int saved = ::dup(1);
  const int file = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ::dup2(file, 1);
  StartServer();
  std::fflush(stdout);
  ::dup2(saved, 1);
  ::close(saved);
  ::close(file);
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  // Logged before the port file is written: there by now.
  std::ifstream in(log);
  const std::string text(std::istreambuf_iterator<char>(in), {});
  EXPECT_NE(text.find(fmt::format("console: http://127.0.0.1:{}/#token=api-secret\n", server_->port())), std::string::npos)
      << text;
}

}  // namespace
}  // namespace vigil::testing
