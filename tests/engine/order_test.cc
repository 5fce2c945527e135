// The contract's event order and format: by minute, then rule name, then key as written.
#include "engine/alert.h"
#include "harness.h"

namespace vigil::testing {
namespace {

TEST(EventOrder, ByRuleNameThenKeyWithinAMinute) {
  Harness h(BaseYaml(R"(
defaults: {min_count: 1, window: 1m, abnormal_threshold: 1}
)"));
  for (const char* code : {"B2", "A1", "C3"}) h.Add("2026-11-20 10:00:10", code, "999999");
  h.Run("2026-11-20 10:01");
  std::vector<std::string> got;
  for (const auto& e : h.all()) got.push_back(std::string(RuleName(e.rule)) + " " + e.key.ToJson());
  EXPECT_EQ(got, (std::vector<std::string>{
                     "abnormal_count {\"txn\":\"A1\"}", "abnormal_count {\"txn\":\"B2\"}",
                     "abnormal_count {\"txn\":\"C3\"}", "system_success {\"txn\":\"A1\"}",
                     "system_success {\"txn\":\"B2\"}", "system_success {\"txn\":\"C3\"}"}));
}

TEST(EventFormat, JsonLineWithOffsetAndKeyFieldsInOrder) {
  Harness h(BaseYaml(R"(
txn_codes:
  A005: {name: 查询挂账, ret_ratio: {"100404": [0, 0.1]}, min_count: 1, window: 1m}
)"));
  h.Add("2026-11-20 15:07:10", "A005", "100404");
  h.Run("2026-11-20 15:08");
  ASSERT_FALSE(h.all().empty());
  std::string line = AlertToJson(h.all().back(), h.calendar().time_zone());
  EXPECT_EQ(line.rfind("{\"at\":\"2026-11-20T15:08:00+08:00\",\"state\":\"firing\",\"rule\":\"ret_ratio\","
                       "\"key\":{\"txn\":\"A005\",\"ret\":\"100404\"},\"severity\":\"warning\",\"value\":1.0,"
                       "\"threshold\":[0.0,0.1],\"summary\":\"A005 查询挂账 return code 100404",
                       0),
            0u)
      << line;
}

}  // namespace
}  // namespace vigil::testing
