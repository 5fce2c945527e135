// Tests of `vigil check-config FILE` through the built binary: the ok line on stdout, every
// error as FILE:LINE: PATH: MESSAGE on stderr, and the exit codes 0 / 1 / 2. Skipped when the
// binary has not been built (common_tests does not depend on it).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct CmdResult {
  int exit_code = -1;
  std::string out, err;
};

std::string Slurp(const std::string& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

CmdResult CheckConfig(const std::string& file) {
  // One pair of files per test: ctest runs the tests in parallel processes.
  const std::string base = testing::TempDir() + "/check_config_" +
                           testing::UnitTest::GetInstance()->current_test_info()->name();
  const std::string out = base + ".out", err = base + ".err";
  std::string cmd = std::string("'") + VIGIL_BINARY + "' check-config '" + file + "' >'" + out +
                    "' 2>'" + err + "'";
  int status = std::system(cmd.c_str());
  return CmdResult{WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(out), Slurp(err)};
}

class CheckConfigCmdTest : public testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(VIGIL_BINARY)) GTEST_SKIP() << "vigil binary not built";
  }
};

TEST_F(CheckConfigCmdTest, ExampleIsOk) {
  const std::string file = std::string(VIGIL_SOURCE_DIR) + "/examples/vigil.yaml";
  CmdResult r = CheckConfig(file);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, file +
                       ": ok (4 transaction codes, 2 service systems, 1 batch step, 1 recon "
                       "check, timezone Asia/Shanghai)\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(CheckConfigCmdTest, EveryErrorWithFileLineAndPath) {
  const std::string file = testing::TempDir() + "/bad_vigil.yaml";
  std::ofstream(file) << "timezone: UTC\n"
                         "defaults:\n"
                         "  window: five\n"
                         "overrides:\n"
                         "  A007: {off: [volum_ratio]}\n";
  CmdResult r = CheckConfig(file);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, file +
                       ":3: defaults.window: expected a duration like 30s, 5m or 1h, got "
                       "'five' (units: ms, s, m, h, d)\n" +
                       file +
                       ":5: overrides.A007.off[0]: unknown rule 'volum_ratio', did you "
                       "mean 'volume_ratio'? (known: abnormal_count, batch, "
                       "business_success, no_txn, recon, ret_ratio, service_success, "
                       "system_success, timeout_count, volume_ratio)\n" +
                       file + ": 2 errors\n");
}

TEST_F(CheckConfigCmdTest, UnreadableFileExitsTwo) {
  CmdResult r = CheckConfig("/nonexistent/vigil.yaml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("/nonexistent/vigil.yaml: cannot read"), std::string::npos) << r.err;
}

}  // namespace
