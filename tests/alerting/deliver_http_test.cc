// HTTP receivers end to end against a real listener on 127.0.0.1: the payload of each kind
// (WeCom, DingTalk with its signature, Feishu with its signature, webhook, Alertmanager),
// robots that answer 200 with an error, a receiver answering 500 and recovering (backoff via
// the clock), one that hangs (timeout), giving up, and a restart of the whole pipeline.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>

#include "alerting/notify.h"
#include "delivery_fixture.h"
#include "http_test_listener.h"
#include "sodium.h"

namespace vigil::alerting {
namespace {

using ::testing::HasSubstr;
using namespace testing_support;
using testing_http::HttpTestListener;
using Json = nlohmann::json;

// HMAC-SHA256 + base64 computed here with libsodium's fixed 32-byte-key API: HMAC pads a
// shorter key with zeros, so the zero-padded key gives the same MAC. Independent of the
// notifier's arbitrary-length-key code path.
std::string ExpectedSign(const std::string& key, const std::string& message) {
  unsigned char k[crypto_auth_hmacsha256_KEYBYTES] = {};
  EXPECT_LE(key.size(), sizeof k);
  std::copy(key.begin(), key.end(), k);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), k);
  char b64[sodium_base64_ENCODED_LEN(sizeof mac, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(b64, sizeof b64, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
  return b64;
}

class HttpDeliveryTest : public DeliveryFixture {
 protected:
  void SetUp() override {
    setenv("VIGIL_TEST_DING_SECRET", "SECding", 1);
    setenv("VIGIL_TEST_FEISHU_SECRET", "feishu-secret", 1);
    setenv("VIGIL_TEST_WECOM_URL", http_.url("/wecom?key=abc").c_str(), 1);
    StartPipeline(Yaml());
  }

  std::string Yaml(const std::string& extra_receivers = "", const std::string& delivery = "") {
    return std::string(kCodes) + R"(alerting:
  receivers:
    wecom: {wecom: {url_env: VIGIL_TEST_WECOM_URL}}
    ding: {dingtalk: {url: ")" + http_.url("/ding?access_token=tok") +
           R"(", secret_env: VIGIL_TEST_DING_SECRET}}
    feishu: {feishu: {url: ")" + http_.url("/feishu") +
           R"(", secret_env: VIGIL_TEST_FEISHU_SECRET}}
    hook: {webhook: {url: ")" + http_.url("/hook") + R"(", headers: {X-Team: ops}}}
    am: {alertmanager: {url: ")" + http_.url("/am/") + R"("}}
)" + extra_receivers + R"(  route:
    receiver: hook
    group_wait: 0s
    group_interval: 1m
    routes:
      - {matchers: ["rule=system_success"], receiver: wecom, continue: true}
      - {matchers: ["rule=system_success"], receiver: ding, continue: true}
      - {matchers: ["rule=system_success"], receiver: feishu, continue: true}
      - {matchers: ["rule=system_success"], receiver: am, continue: true}
      - {matchers: ["rule=system_success"], receiver: hook}
)" + delivery;
  }


  std::map<std::string, HttpTestListener::Request> ByPath() {
    std::map<std::string, HttpTestListener::Request> out;
    for (auto& r : http_.requests()) out[r.path] = r;
    return out;
  }

  HttpTestListener http_;
};

TEST_F(HttpDeliveryTest, EachKindGetsItsPayload) {
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}}, "critical",
              "A001 查询挂账 system success 95.00% < 99.00%")});
  EXPECT_EQ(deliverer_->RunOnce(clock_.Now()), 5);
  ASSERT_TRUE(http_.WaitForRequests(5));
  auto req = ByPath();

  Json wecom = Json::parse(req.at("/wecom").body);
  EXPECT_EQ(req.at("/wecom").params.at("key"), "abc");
  EXPECT_EQ(wecom["msgtype"], "markdown");
  EXPECT_THAT(wecom["markdown"]["content"].get<std::string>(),
              HasSubstr("**[FIRING:1] A001 查询挂账 system success 95.00% < 99.00%**"));
  EXPECT_THAT(req.at("/wecom").Header("Content-Type"), HasSubstr("application/json"));

  const auto& ding = req.at("/ding");
  EXPECT_EQ(ding.params.at("access_token"), "tok");
  EXPECT_EQ(ding.params.at("timestamp"), std::to_string(kT0));
  EXPECT_EQ(ding.params.at("sign"),
            ExpectedSign("SECding", std::to_string(kT0) + "\nSECding"));
  Json ding_body = Json::parse(ding.body);
  EXPECT_EQ(ding_body["msgtype"], "markdown");
  EXPECT_THAT(ding_body["markdown"]["title"].get<std::string>(), HasSubstr("[FIRING:1]"));

  Json feishu = Json::parse(req.at("/feishu").body);
  const std::string ts = std::to_string(kT0 / 1000);
  EXPECT_EQ(feishu["timestamp"], ts);
  EXPECT_EQ(feishu["sign"], ExpectedSign(ts + "\nfeishu-secret", ""));
  EXPECT_EQ(feishu["msg_type"], "interactive");
  EXPECT_EQ(feishu["card"]["header"]["template"], "red");
  EXPECT_THAT(feishu["card"]["elements"][0]["content"].get<std::string>(), HasSubstr("查询挂账"));

  const auto& hook = req.at("/hook");
  EXPECT_EQ(hook.Header("X-Team"), "ops");
  Json body = Json::parse(hook.body);
  EXPECT_EQ(body["version"], "4");
  EXPECT_EQ(body["status"], "firing");
  EXPECT_EQ(body["receiver"], "hook");
  ASSERT_EQ(body["alerts"].size(), 1u);
  const Json& alert = body["alerts"][0];
  EXPECT_EQ(alert["labels"]["txn"], "A001");
  EXPECT_EQ(alert["labels"]["name"], "查询挂账");
  EXPECT_EQ(alert["labels"]["severity"], "critical");
  EXPECT_EQ(alert["annotations"]["summary"], "A001 查询挂账 system success 95.00% < 99.00%");
  EXPECT_EQ(alert["startsAt"], "2026-11-20T15:00:00.000+08:00");
  EXPECT_EQ(alert["endsAt"], "0001-01-01T00:00:00Z");
  EXPECT_EQ(body["commonLabels"]["sys"], "MBNK");

  // Alertmanager: the v2 API path under the base URL, an array of alerts whose endsAt lies
  // two repeat intervals (default 4h) ahead.
  ASSERT_TRUE(req.contains("/am/api/v2/alerts"));
  Json am = Json::parse(req.at("/am/api/v2/alerts").body);
  ASSERT_TRUE(am.is_array());
  EXPECT_EQ(am[0]["labels"]["rule"], "system_success");
  EXPECT_EQ(am[0]["startsAt"], "2026-11-20T15:00:00.000+08:00");
  EXPECT_EQ(am[0]["endsAt"], "2026-11-20T23:00:00.000+08:00");

  for (const char* r : {"wecom", "ding", "feishu", "hook", "am"}) {
    EXPECT_EQ(deliverer_->Stats().receivers[r].sent, 1) << r;
  }
  EXPECT_EQ(store_->Outbox()->delivered, 5);
}

TEST_F(HttpDeliveryTest, ARobotAnswering200WithAnErrorCodeHasFailed) {
  http_.Answer(200, R"({"errcode":310000,"errmsg":"keywords not in content"})");
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}})});
  deliverer_->RunOnce(clock_.Now());
  std::map<std::string, store::Notification> pending;
  for (auto& n : Pending(store_.get())) pending[n.receiver] = n;
  // The robots failed; the webhook and Alertmanager do not read the body.
  EXPECT_EQ(pending.size(), 3u);
  EXPECT_THAT(pending["ding"].last_error, HasSubstr("310000 keywords not in content"));
  EXPECT_TRUE(pending.contains("wecom") && pending.contains("feishu"));
  http_.Answer(200, R"({"code":19021,"msg":"sign match fail"})");
  deliverer_->RunOnce(clock_.Now() + 15'000);
  EXPECT_THAT(Pending(store_.get()).size(), 3u);
  http_.Answer(200, R"({"code":0,"msg":"success"})");
  deliverer_->RunOnce(clock_.Now() + 60'000);
  EXPECT_TRUE(Pending(store_.get()).empty());
}

TEST_F(HttpDeliveryTest, A500IsRetriedWithBackoffUntilTheReceiverRecovers) {
  http_.Answer(500, "down for maintenance");
  Fire({Event(kT0, true, "ret_ratio", {{"txn", "A002"}, {"ret", "1"}})});  // hook only
  EXPECT_EQ(deliverer_->RunOnce(kT0), 1);
  auto pending = Pending(store_.get());
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_THAT(pending[0].last_error, HasSubstr("HTTP 500: down for maintenance"));
  const TimeMs first_retry = pending[0].next_attempt_at;
  EXPECT_GE(first_retry, kT0 + 9'000);
  EXPECT_LE(first_retry, kT0 + 11'000);
  EXPECT_EQ(deliverer_->RunOnce(first_retry - 1), 0);  // not before the backoff
  EXPECT_EQ(deliverer_->RunOnce(first_retry), 1);      // fails again: 20s now
  pending = Pending(store_.get());
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].attempts, 2);
  EXPECT_GE(pending[0].next_attempt_at - first_retry, 18'000);
  EXPECT_LE(pending[0].next_attempt_at - first_retry, 22'000);
  http_.Answer(200, "ok");
  EXPECT_EQ(deliverer_->RunOnce(pending[0].next_attempt_at), 1);
  EXPECT_TRUE(Pending(store_.get()).empty());
  EXPECT_EQ(http_.requests().size(), 3u);
  EXPECT_EQ(deliverer_->Stats().receivers["hook"].failed, 2);
  EXPECT_EQ(deliverer_->Stats().receivers["hook"].sent, 1);
}

TEST_F(HttpDeliveryTest, AHangingReceiverTimesOutWithoutHoldingTheOthers) {
  HttpTestListener slow;
  slow.Hang(true);
  StartPipeline(Yaml("    slow: {webhook: {url: \"" + slow.url("/slow") + "\"}}\n",
             "  delivery: {timeout: 1s, connect_timeout: 1s}\n"));
  // Two messages for the hanging receiver, one for a healthy one.
  RouteConfig slow_route;
  slow_route.receiver = "slow";
  slow_route.matchers = {{"rule", "=", "no_txn"}};
  slow_route.group_by = std::vector<std::string>{"txn"};
  config_.alerting.route->routes.insert(config_.alerting.route->routes.begin(), slow_route);
  ASSERT_TRUE(alerting_->Reload(config_).ok());
  Fire({Event(kT0, true, "no_txn", {{"txn", "A001"}}), Event(kT0, true, "no_txn", {{"txn", "A002"}}),
        Event(kT0, true, "ret_ratio", {{"txn", "A002"}, {"ret", "1"}})});
  ASSERT_EQ(Pending(store_.get()).size(), 3u);
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(deliverer_->RunOnce(clock_.Now()), 3);
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_LT(took, std::chrono::seconds(8)) << "one timeout, not one per message";
  EXPECT_EQ(slow.requests().size(), 1u) << "the second message was not tried after the timeout";
  ASSERT_EQ(http_.requests().size(), 1u);
  EXPECT_EQ(http_.requests()[0].path, "/hook");
  auto pending = Pending(store_.get());
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_THAT(pending[0].last_error, HasSubstr("timed out"));
  EXPECT_THAT(pending[1].last_error, HasSubstr("not tried"));
  EXPECT_EQ(pending[0].next_attempt_at, pending[1].next_attempt_at);
  slow.Hang(false);
  EXPECT_EQ(deliverer_->RunOnce(pending[0].next_attempt_at), 2);
  EXPECT_TRUE(Pending(store_.get()).empty());
}

TEST_F(HttpDeliveryTest, MessagesAreGivenUpAfterMaxAgeOrWhenTheirReceiverIsGone) {
  StartPipeline(Yaml("", "  delivery: {max_age: 1m}\n"));
  http_.Answer(503, "no");
  Fire({Event(kT0, true, "ret_ratio", {{"txn", "A002"}, {"ret", "1"}})});
  deliverer_->RunOnce(kT0);
  deliverer_->RunOnce(kT0 + 30'000);
  EXPECT_EQ(store_->Outbox()->pending, 1);
  deliverer_->RunOnce(kT0 + 61'000);
  EXPECT_EQ(store_->Outbox()->gave_up, 1);
  EXPECT_EQ(deliverer_->Stats().receivers["hook"].gave_up, 1);

  // A receiver removed from the configuration: given up at once, nothing sent.
  http_.Answer(200, "ok");
  clock_.Set(kT0 + 2 * kMin);
  Fire({Event(kT0 + 2 * kMin, true, "ret_ratio", {{"txn", "A001"}, {"ret", "2"}})});
  AlertingConfig without_hook = config_.alerting;
  without_hook.receivers.erase("hook");
  deliverer_->Reload(without_hook);
  const size_t before = http_.requests().size();
  deliverer_->RunOnce(clock_.Now());
  EXPECT_EQ(store_->Outbox()->gave_up, 2);
  EXPECT_EQ(http_.requests().size(), before);
}

TEST_F(HttpDeliveryTest, ARestartSendsWhatWasPendingAndNothingTwice) {
  Fire({Event(kT0, true, "ret_ratio", {{"txn", "A001"}, {"ret", "1"}})});
  deliverer_->RunOnce(clock_.Now());
  ASSERT_EQ(http_.requests().size(), 1u);
  http_.Answer(500, "down");
  clock_.Set(kT0 + kMin);
  Fire({Event(kT0 + kMin, true, "ret_ratio", {{"txn", "A002"}, {"ret", "1"}})});
  deliverer_->RunOnce(clock_.Now());
  ASSERT_EQ(http_.requests().size(), 2u);
  ASSERT_EQ(store_->Outbox()->pending, 1);

  // Stop everything; start again on the same store, the receiver healthy again.
  http_.Answer(200, "ok");
  clock_.Set(kT0 + 2 * kMin);
  StartPipeline(Yaml());
  alerting_->Tick(clock_.Now());
  alerting_->Tick(clock_.Now() + 10 * kMin);
  EXPECT_EQ(deliverer_->RunOnce(clock_.Now()), 1);
  EXPECT_EQ(deliverer_->RunOnce(clock_.Now() + 10 * kMin), 0);
  // One group for everything (no group_by): the second message holds both alerts, and the
  // restart sent exactly that pending message again, once.
  std::vector<std::string> txns;
  for (const auto& r : http_.requests()) {
    std::string list;
    const Json body = Json::parse(r.body);  // kept: the loop must not outlive it
    for (const auto& a : body["alerts"]) {
      list += (list.empty() ? "" : ",") + a["labels"]["txn"].get<std::string>();
    }
    txns.push_back(list);
  }
  EXPECT_EQ(txns, (std::vector<std::string>{"A001", "A001,A002", "A001,A002"}));
  EXPECT_EQ(store_->Outbox()->delivered, 2);
}

TEST_F(HttpDeliveryTest, TheThreadSendsWhatWasJustEnqueued) {
  alerting_->SetOnEnqueued([this] { deliverer_->Notify(); });
  deliverer_->Start();
  Fire({Event(kT0, true, "system_success", {{"txn", "A001"}})});
  EXPECT_TRUE(http_.WaitForRequests(5));
  deliverer_->Stop();
  deliverer_->Stop();  // twice is fine
  EXPECT_EQ(store_->Outbox()->delivered, 5);
}

TEST(SigningTest, HmacMatchesRfc4231AndHeadersEncodeByWords) {
  // RFC 4231 test case 2.
  EXPECT_EQ(HmacSha256Base64("Jefe", "what do ya want for nothing?"),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
  // A key longer than the block (RFC 4231 test case 6), hashed first.
  EXPECT_EQ(HmacSha256Base64(std::string(131, '\xaa'),
                             "Test Using Larger Than Block-Size Key - Hash Key First"),
            "YOQxWR7gtn8Niiaqy/W3f44LxiE3KMUUBUYEDw7jf1Q=");
  EXPECT_EQ(UrlEncode("a+b/c=d ~"), "a%2Bb%2Fc%3Dd%20~");
  EXPECT_EQ(EncodeHeaderWords("plain ASCII"), "plain ASCII");
  const std::string subject = "[FIRING:1] A001 查询挂账 系统成功率 95% 低于 99%，持续 5 分钟以上";
  std::string encoded = EncodeHeaderWords(subject);
  EXPECT_EQ(encoded.find('\n'), std::string::npos);
  size_t words = 0;
  for (size_t at = 0; (at = encoded.find("=?UTF-8?B?", at)) != std::string::npos; ++at) {
    size_t end = encoded.find("?=", at + 10);
    EXPECT_LE(end + 2 - at, 75u);
    ++words;
  }
  EXPECT_GE(words, 2u);
  EXPECT_NE(EncodeHeaderWords("line\r\nBcc: x@y").find("=?UTF-8?B?"), std::string::npos);
}

}  // namespace
}  // namespace vigil::alerting
