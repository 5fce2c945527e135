// Tests of configuration error reporting: every kind of mistake is reported with its YAML path,
// its 1-based line and a message that says what was expected; several errors come at once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "common/config.h"
#include "config_test_util.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;

using config_test::All;
using config_test::ExpectOneError;

TEST(ConfigErrorsTest, UnknownRuleInOffWithHint) {
  ExpectOneError("overrides:\n  A007: {abnormal_threshold: 1, off: [volum_ratio]}\n",
                 "overrides.A007.off[0]", 2,
                 "unknown rule 'volum_ratio', did you mean 'volume_ratio'?");
  ConfigLoad load = LoadConfigText("defaults:\n  off:\n    - batch\n    - nonsense\n");
  ASSERT_EQ(load.errors.size(), 1u) << All(load);
  EXPECT_EQ(load.errors[0].path, "defaults.off[1]");
  EXPECT_EQ(load.errors[0].line, 4);
  EXPECT_THAT(load.errors[0].message, HasSubstr("known: abnormal_count, batch, business_success"));
}

TEST(ConfigErrorsTest, UnknownKeysAtEveryLevel) {
  ExpectOneError("defaults:\n  window: 5m\n  system_sucess_min: 0.99\n",
                 "defaults.system_sucess_min", 3, "did you mean 'system_success_min'?");
  ExpectOneError("timezon: UTC\n", "timezon", 1, "did you mean 'timezone'?");
  ExpectOneError("calendar:\n  busy_hour: \"08:00-19:00\"\n", "calendar.busy_hour", 2,
                 "did you mean 'busy_hours'?");
  ExpectOneError("txn_codes:\n  A001: {name: x, finacial: true}\n", "txn_codes.A001.finacial", 2,
                 "did you mean 'financial'?");
  ExpectOneError("batch:\n  - {name: S, txn: B, colour: red}\n", "batch[0].colour", 2,
                 "unknown key 'colour' (known here: name, txn, opens");
  ExpectOneError("return_codes:\n  global: {sucess: [\"0\"]}\n", "return_codes.global.sucess", 2,
                 "did you mean 'success'?");
  // A per-code parameter at the top level is pointed to where it belongs.
  ExpectOneError("min_count: 5\n", "min_count", 1, "set it under defaults");
}

TEST(ConfigErrorsTest, DurationsAreCheckedByKind) {
  ExpectOneError("defaults: {window: five}\n", "defaults.window", 1,
                 "expected a duration like 30s, 5m or 1h, got 'five'");
  ExpectOneError("defaults:\n  silence: 5\n", "defaults.silence", 2, "got '5'");
  ExpectOneError("defaults:\n  ratio_window: 90s\n", "defaults.ratio_window", 2,
                 "whole number of minutes");
  ExpectOneError("defaults:\n  abnormal_period: 30s\n", "defaults.abnormal_period", 2,
                 "at least 1m");
  ExpectOneError("overrides:\n  X:\n    timeout_period: 0m\n", "overrides.X.timeout_period", 3,
                 "at least 1m");
  ExpectOneError("max_future_skew: 0s\n", "max_future_skew", 1, "longer than 0");
  ExpectOneError("allowed_lateness: -5s\n", "allowed_lateness", 1, "got '-5s'");
  ExpectOneError("defaults: {for: soon}\n", "defaults.for", 1, "got 'soon'");
  ExpectOneError("defaults: {window: [5m]}\n", "defaults.window", 1, "got a list");
  ExpectOneError("defaults:\n  window:\n", "defaults.window", 2, "got nothing");
}

TEST(ConfigErrorsTest, NumbersRatesAndCounts) {
  ExpectOneError("defaults: {system_success_min: 99}\n", "defaults.system_success_min", 1,
                 "between 0 and 1 (0.99 means 99%), got '99'");
  ExpectOneError("defaults: {business_success_min: -0.1}\n", "defaults.business_success_min", 1,
                 "between 0 and 1");
  ExpectOneError("service_systems:\n  ACCT: {success: [\"0\"], service_success_min: 1.01}\n",
                 "service_systems.ACCT.service_success_min", 2, "between 0 and 1");
  ExpectOneError("defaults: {min_count: -1}\n", "defaults.min_count", 1, "at least 0");
  ExpectOneError("defaults: {min_count: 2.5}\n", "defaults.min_count", 1, "whole number");
  ExpectOneError("defaults: {abnormal_threshold: 0}\n", "defaults.abnormal_threshold", 1,
                 "at least 1");
  ExpectOneError("defaults: {timeout_threshold: 0}\n", "defaults.timeout_threshold", 1,
                 "at least 1");
  ExpectOneError("defaults: {timeout_ms: 0}\n", "defaults.timeout_ms", 1, "at least 1");
  ExpectOneError("defaults: {ratio_min_baseline: 0}\n", "defaults.ratio_min_baseline", 1,
                 "at least 1");
  ExpectOneError("defaults: {baseline_days: 31}\n", "defaults.baseline_days", 1,
                 "between 1 and 30");
  ExpectOneError("defaults: {baseline_days: 0}\n", "defaults.baseline_days", 1, "between 1 and 30");
  ExpectOneError("defaults: {per_node: maybe}\n", "defaults.per_node", 1, "true or false");
}

TEST(ConfigErrorsTest, BoundsPairs) {
  ExpectOneError("defaults: {ratio_bounds: [1.2, 0.8]}\n", "defaults.ratio_bounds", 1,
                 "lower bound 1.2 is above upper bound 0.8");
  ExpectOneError("defaults: {ratio_bounds: [0.8]}\n", "defaults.ratio_bounds", 1,
                 "expected a pair [lo, hi]");
  ExpectOneError("defaults:\n  ratio_bounds: [-0.1, 1]\n", "defaults.ratio_bounds[0]", 2,
                 "at least 0");
  ExpectOneError("txn_codes:\n  A1:\n    ret_ratio:\n      \"01\": [0.2, x]\n",
                 "txn_codes.A1.ret_ratio.01[1]", 4, "expected a number, got 'x'");
  ExpectOneError("txn_codes:\n  A1:\n    ret_ratio: [0, 1]\n", "txn_codes.A1.ret_ratio", 3,
                 "expected a map");
}

TEST(ConfigErrorsTest, ChoicesListWhatIsAllowed) {
  ExpectOneError("defaults: {severity: urgent}\n", "defaults.severity", 1,
                 "unknown severity 'urgent' (known: critical, warning, info)");
  ExpectOneError("defaults: {monitor: buzy}\n", "defaults.monitor", 1, "did you mean 'busy'?");
  ExpectOneError("defaults: {ratio_periods: always}\n", "defaults.ratio_periods", 1,
                 "known: busy, idle, both, neither");
  ExpectOneError("return_codes: {unknown_class: technical}\n", "return_codes.unknown_class", 1,
                 "known: success, business, system");
  ExpectOneError("batch:\n  - {name: S, txn: B, days: weekdays}\n", "batch[0].days", 2,
                 "did you mean 'workdays'?");
}

TEST(ConfigErrorsTest, TimezoneMustLoad) {
  ExpectOneError("timezone: Asia/Shanghia\n", "timezone", 1, "unknown time zone 'Asia/Shanghia'");
  ExpectOneError("timezone: \"\"\n", "timezone", 1, "got an empty string");
}

TEST(ConfigErrorsTest, CalendarMistakes) {
  ExpectOneError("calendar:\n  busy_hours: \"19:00-08:00\"\n", "calendar.busy_hours", 2,
                 "ends before it begins");
  ExpectOneError("calendar:\n  busy_hours: \"08:00-08:00\"\n", "calendar.busy_hours", 2,
                 "ends before it begins");
  ExpectOneError("calendar:\n  busy_hours: \"8 to 19\"\n", "calendar.busy_hours", 2,
                 "expected a range like \"08:00-19:00\"");
  ExpectOneError("calendar:\n  busy_hours: \"08:00-25:00\"\n", "calendar.busy_hours", 2,
                 "up to 24:00");
  ExpectOneError("calendar:\n  busy_hours:\n    - \"08:00-12:00\"\n    - \"11:30-19:00\"\n",
                 "calendar.busy_hours[1]", 4, "busy range 11:30-19:00 overlaps 08:00-12:00");
  ExpectOneError("calendar:\n  weekend: [sat, sunday, fun]\n", "calendar.weekend[2]", 2,
                 "unknown weekday 'fun'");
  ExpectOneError("calendar:\n  weekend: [sat, sat]\n", "calendar.weekend[1]", 2, "listed twice");
  ExpectOneError("calendar:\n  weekend: sun\n", "calendar.weekend", 2, "expected a list");
  ExpectOneError("calendar:\n  holidays: [\"2026-02-30\"]\n", "calendar.holidays[0]", 2,
                 "expected a valid date \"YYYY-MM-DD\", got '2026-02-30'");
  ExpectOneError("calendar:\n  holidays: [2026-2-3]\n", "calendar.holidays[0]", 2, "valid date");
  ExpectOneError(
      "calendar:\n  holidays: [\"2026-10-01\", \"2026-10-02\"]\n  workdays:\n    - "
      "\"2026-10-02\"\n",
      "calendar.workdays[0]", 4, "listed both as a holiday (calendar.holidays[1], line 2)");
}

TEST(ConfigErrorsTest, ReturnCodeMistakes) {
  ExpectOneError("return_codes:\n  global: {success: \"000000\"}\n", "return_codes.global.success",
                 2, "expected a list of return codes");
  ExpectOneError("return_codes:\n  by_sys:\n    CARD: {system: [\"91\", [\"96\"]]}\n",
                 "return_codes.by_sys.CARD.system[1]", 3, "expected a return code, got a list");
  ExpectOneError("return_codes:\n  by_txn:\n    A001: {business: [\"\"]}\n",
                 "return_codes.by_txn.A001.business[0]", 3, "must not be empty");
}

TEST(ConfigErrorsTest, CodeKeysAndServiceSystems) {
  const std::string long_code(33, 'A');
  ExpectOneError("txn_codes:\n  " + long_code + ": {name: x}\n", "txn_codes." + long_code, 2,
                 "1-32 characters");
  ExpectOneError("overrides:\n  " + long_code + ": {}\n", "overrides." + long_code, 2,
                 "1-32 characters");
  EXPECT_TRUE(LoadConfigText("txn_codes:\n  " + long_code.substr(1) + ": {}\n").ok());
  // Characters, not bytes: 32 Chinese characters are a valid code, 33 are not.
  std::string han32;
  for (int i = 0; i < 32; ++i) han32 += "码";
  EXPECT_TRUE(LoadConfigText("overrides:\n  " + han32 + ": {}\n").ok());
  ExpectOneError("batch:\n  - {name: S, txn: " + han32 + "码}\n", "batch[0].txn", 2,
                 "(33 characters)");
  ExpectOneError("txn_codes:\n  A001: {}\n  A001: {}\n", "txn_codes.A001", 3,
                 "defined twice (first at line 2)");
  ExpectOneError("service_systems:\n  ACCT: {name: 核心账务}\n", "service_systems.ACCT", 2,
                 "missing 'success'");
  ExpectOneError("service_systems:\n  ACCT: {success: [\"0\"], window: 5}\n",
                 "service_systems.ACCT.window", 2, "got '5'");
  ExpectOneError("txn_codes:\n  A001: {financial: 1x}\n", "txn_codes.A001.financial", 2,
                 "true or false");
}

TEST(ConfigErrorsTest, BatchMistakes) {
  ExpectOneError("batch:\n  - {name: S}\n", "batch[0]", 2, "missing 'txn'");
  ExpectOneError("batch:\n  - {name: S, txn: B}\n  - {name: S, txn: C}\n", "batch[1].name", 3,
                 "name 'S' is already used (line 2)");
  ExpectOneError("batch:\n  - {name: S, txn: B, opens: \"18:00\", latest_start: \"17:59\"}\n",
                 "batch[0].latest_start", 2, "latest_start 17:59 is before opens 18:00");
  ExpectOneError(
      "batch:\n  - {name: S, txn: B, latest_end: \"25:30\"}\n", "batch[0].latest_end", 2,
      "latest_end 25:30 is not before the business day closes at 24:00 (opens 00:00 + 24h)");
  ExpectOneError("batch:\n  - {name: S, txn: B, latest_start: \"49:00\"}\n",
                 "batch[0].latest_start", 2, "out of range (00:00-48:00)");
  ExpectOneError("batch:\n  - {name: S, txn: B, latest_start: \"03:00\", latest_end: \"02:00\"}\n",
                 "batch[0].latest_end", 2, "latest_end 02:00 is before latest_start 03:00");
  ExpectOneError("batch:\n  - {name: S, txn: B, max_duration: 0m}\n", "batch[0].max_duration", 2,
                 "longer than 0");
  ExpectOneError("batch: {name: S}\n", "batch", 1, "expected a list of batch steps");
}

TEST(ConfigErrorsTest, BatchTimeErrorsPointAtTheTimeLine) {
  ExpectOneError(
      "batch:\n  - name: S\n    txn: B\n    opens: \"18:00\"\n"
      "    latest_start: \"12:00\"\n",
      "batch[0].latest_start", 5, "latest_start 12:00 is before opens 18:00");
  ExpectOneError("recon:\n  - name: U\n    txn: R\n    start: \"07:00\"\n    end: \"07:00\"\n",
                 "recon[0].end", 5, "end 07:00 must be after start 07:00");
}

TEST(ConfigErrorsTest, ReconMistakes) {
  ExpectOneError("recon:\n  - {name: U, txn: R, start: \"07:00\", end: \"06:00\"}\n",
                 "recon[0].end", 2, "end 06:00 must be after start 07:00");
  ExpectOneError("recon:\n  - {name: U, txn: R, start: \"06:00\", end: \"07:00\", factor: 0}\n",
                 "recon[0].factor", 2, "greater than 0");
  ExpectOneError(
      "recon:\n  - {name: U, txn: R, start: \"06:00\", end: \"07:00\", floor_amount: -1}\n",
      "recon[0].floor_amount", 2, "at least 0");
  ExpectOneError("recon:\n  - {name: U, start: \"06:00\", end: \"07:00\"}\n", "recon[0]", 2,
                 "missing 'txn'");
  ExpectOneError("recon:\n  - {name: U, txn: R, start: \"06:00\"}\n", "recon[0]", 2,
                 "missing 'end'");
}

TEST(ConfigErrorsTest, YamlSyntaxErrorIsOneErrorWithItsLine) {
  ConfigLoad load = LoadConfigText("timezone: UTC\ndefaults:\n  window: [5m\n  min_count: 3\n");
  ASSERT_EQ(load.errors.size(), 1u) << All(load);
  EXPECT_GE(load.errors[0].line, 3);
  EXPECT_THAT(load.errors[0].message, HasSubstr("YAML syntax error"));
  ExpectOneError("timezone: UTC\ncalendar:\n\tweekend: [sun]\n", "", 3, "YAML syntax error");
}

TEST(ConfigErrorsTest, TextMustBeUtf8) {
  // "核心" in GBK is not UTF-8: a file saved in the wrong encoding is named as such.
  ExpectOneError("timezone: UTC\nservice_systems:\n  ACCT: {name: \xba\xcb\xd0\xc4}\n", "", 3,
                 "not valid UTF-8");
  ExpectOneError("\xff\xfet\x00z\x00", "", 1, "not valid UTF-8");
  ExpectOneError("a: \xed\xa0\x80\n", "", 1, "not valid UTF-8");    // a UTF-16 surrogate
  ExpectOneError("a: \xc0\xaf\n", "", 1, "not valid UTF-8");        // overlong '/'
  EXPECT_TRUE(LoadConfigText("\xef\xbb\xbftimezone: UTC\n").ok());  // UTF-8 byte-order mark
}

TEST(ConfigErrorsTest, OnlyOneDocument) {
  ExpectOneError("timezone: UTC\n---\nmin_count: 3\n", "", 3, "a second YAML document");
  EXPECT_TRUE(LoadConfigText("---\ntimezone: UTC\n...\n").ok());
}

TEST(ConfigErrorsTest, TopLevelMustBeAMap) {
  ExpectOneError("- timezone: UTC\n", "", 1, "must be a map of sections");
  ExpectOneError("calendar: [sat]\n", "calendar", 1, "expected a map");
  ExpectOneError("timezone: UTC\ntimezone: Asia/Shanghai\n", "timezone", 2,
                 "duplicate key 'timezone' (first at line 1)");
}

TEST(ConfigErrorsTest, EveryErrorIsReportedInLineOrder) {
  ConfigLoad load = LoadConfigText(R"(timezone: Mars/Olympus
calendar:
  weekend: [sat, sun]
  holidays: ["2026-10-01"]
  workdays: ["2026-10-01"]
defaults:
  window: five
  system_sucess_min: 0.99
overrides:
  A007: {off: [volum_ratio]}
batch:
  - {name: EOD, opens: "18:00"}
)");
  ASSERT_EQ(load.errors.size(), 6u) << All(load);
  const std::vector<std::pair<std::string, int>> expected = {{"timezone", 1},
                                                             {"calendar.workdays[0]", 5},
                                                             {"defaults.window", 7},
                                                             {"defaults.system_sucess_min", 8},
                                                             {"overrides.A007.off[0]", 10},
                                                             {"batch[0]", 12}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(load.errors[i].path, expected[i].first) << All(load);
    EXPECT_EQ(load.errors[i].line, expected[i].second) << All(load);
  }
}

TEST(ConfigErrorsTest, UnreadableFile) {
  ConfigLoad load = LoadConfigFile("/nonexistent/vigil.yaml");
  ASSERT_EQ(load.errors.size(), 1u);
  EXPECT_EQ(load.errors[0].line, 0);
  EXPECT_THAT(load.errors[0].message, HasSubstr("cannot read /nonexistent/vigil.yaml"));
}

}  // namespace
}  // namespace vigil
