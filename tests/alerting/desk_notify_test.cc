// The desk's external notifications end to end: desk events through DeskNotifier into the real
// outbox (SQLite), sent by the real Deliverer to a real HTTP listener. Each configured receiver
// gets one message per event, exactly once (an event announced twice is queued once); events
// nobody configured, and chat messages, go nowhere; a receiver that is down gets the message
// after its backoff, also across a restart.
#include "alerting/desk_notify.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "alerting/deliverer.h"
#include "http_test_listener.h"
#include "test_support.h"

namespace vigil::alerting {
namespace {

using ::testing::HasSubstr;
using namespace testing_support;
using testing_http::HttpTestListener;
using Json = nlohmann::json;

desk::DeskEvent Event(desk::DeskEventKind kind, std::string action = "") {
  desk::DeskEvent e;
  e.kind = kind;
  e.at = kT0;
  e.incident_id = 123;
  e.ref = "INC-000123";
  e.title = "股票交易不了";
  e.system = "交易";
  e.priority = "P2";
  e.actor = "li";
  e.reporter = "li";
  e.action = std::move(action);
  return e;
}

class DeskNotifyTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }

  void Start() {
    deliverer_.reset();
    notifier_.reset();
    config_ = LoadYaml(R"(alerting:
  receivers:
    hook: {webhook: {url: ")" +
                       http_.url("/hook") + R"("}}
    wecom: {wecom: {url: ")" +
                       http_.url("/wecom") + R"("}}
    ding: {dingtalk: {url: ")" +
                       http_.url("/ding") + R"("}}
    feishu: {feishu: {url: ")" +
                       http_.url("/feishu") + R"("}}
  route: {receiver: hook}
desk:
  notify:
    new_incident: [hook, wecom]
    transfer: [hook]
    approval: [ding]
    sla: [feishu]
    resolution: [hook]
  incident_url: "http://vigil.test/desk/incidents/{id}"
)");
    notifier_ = std::make_unique<DeskNotifier>(config_, store_.get());
    notifier_->SetOnEnqueued([this] { ++wakeups_; });
    deliverer_ = std::make_unique<Deliverer>(config_.alerting, store_.get(), &clock_);
  }

  std::vector<std::string> Paths() {
    std::vector<std::string> out;
    for (const auto& r : http_.requests()) out.push_back(r.path);
    return out;
  }

  HttpTestListener http_;
  TempDir dir_;
  std::unique_ptr<store::Store> store_ = OpenStore(dir_);
  ManualClock clock_{kT0};
  Config config_;
  std::unique_ptr<DeskNotifier> notifier_;
  std::unique_ptr<Deliverer> deliverer_;
  int wakeups_ = 0;
};

TEST_F(DeskNotifyTest, ANewIncidentReachesEachConfiguredReceiverExactlyOnce) {
  desk::DeskEventListener listen = notifier_->Listener();
  listen(Event(desk::DeskEventKind::kIncidentCreated));
  listen(Event(desk::DeskEventKind::kIncidentCreated));  // announced twice: queued once
  EXPECT_EQ(notifier_->Stats().enqueued, 2);
  EXPECT_EQ(wakeups_, 2) << "the deliverer is woken after each enqueue";
  EXPECT_EQ(deliverer_->RunOnce(clock_.Now()), 2);
  EXPECT_EQ(deliverer_->RunOnce(clock_.Now() + kMin), 0);
  ASSERT_THAT(Paths(), ::testing::UnorderedElementsAre("/hook", "/wecom"));

  std::map<std::string, Json> body;
  for (const auto& r : http_.requests()) body[r.path] = Json::parse(r.body);
  const Json& hook = body["/hook"];
  EXPECT_EQ(hook["source"], "vigil-desk");
  EXPECT_EQ(hook["event"], "incident_created");
  EXPECT_EQ(hook["at"], kT0);
  EXPECT_EQ(hook["incident"]["ref"], "INC-000123");
  EXPECT_EQ(hook["incident"]["system"], "交易");
  EXPECT_EQ(hook["actor"], "li");
  EXPECT_EQ(hook["title"], "[新事件] INC-000123 股票交易不了");
  EXPECT_EQ(hook["url"], "http://vigil.test/desk/incidents/123");
  const std::string md = body["/wecom"]["markdown"]["content"];
  EXPECT_THAT(md, HasSubstr("li 报告了新事件 INC-000123"));
  EXPECT_THAT(md, HasSubstr("(http://vigil.test/desk/incidents/123)"));
  EXPECT_EQ(store_->Outbox()->delivered, 2);
}

TEST_F(DeskNotifyTest, EachKindGoesToItsListAndChatStaysInside) {
  desk::DeskEvent transfer = Event(desk::DeskEventKind::kStatusChanged, "transfer");
  transfer.group = "ops";
  notifier_->OnEvent(transfer);
  notifier_->OnEvent(Event(desk::DeskEventKind::kStatusChanged, "resolve"));
  desk::DeskEvent script = Event(desk::DeskEventKind::kScriptAdded);
  script.script_id = 7;
  notifier_->OnEvent(script);
  desk::DeskEvent sla = Event(desk::DeskEventKind::kSlaAtRisk, "resolution");
  sla.actor = "system";
  notifier_->OnEvent(sla);
  // Nobody configured for these:
  notifier_->OnEvent(Event(desk::DeskEventKind::kStatusChanged, "accept"));
  notifier_->OnEvent(Event(desk::DeskEventKind::kMessagePosted));
  desk::DeskEvent note = Event(desk::DeskEventKind::kMessagePosted);
  note.internal = true;
  note.excerpt = "内部：客户资金账户冻结";
  notifier_->OnEvent(note);
  notifier_->OnEvent(Event(desk::DeskEventKind::kUpdated));

  EXPECT_EQ(deliverer_->RunOnce(clock_.Now()), 4);
  std::multimap<std::string, Json> got;
  for (const auto& r : http_.requests()) got.emplace(r.path, Json::parse(r.body));
  ASSERT_EQ(got.size(), 4u);
  ASSERT_EQ(got.count("/hook"), 2u);
  auto hooks = got.equal_range("/hook");
  std::set<std::string> actions;
  for (auto it = hooks.first; it != hooks.second; ++it) actions.insert(it->second["action"]);
  EXPECT_EQ(actions, (std::set<std::string>{"transfer", "resolve"}));
  const Json& ding = got.find("/ding")->second;
  EXPECT_EQ(ding["msgtype"], "markdown");
  EXPECT_EQ(ding["markdown"]["title"], "[脚本待审批] INC-000123 股票交易不了");
  const Json& feishu = got.find("/feishu")->second;
  EXPECT_EQ(feishu["msg_type"], "interactive");
  EXPECT_THAT(feishu["card"]["elements"][0]["content"].get<std::string>(),
              HasSubstr("解决时限已用去 80%"));
  for (const auto& [path, j] : got)
    EXPECT_THAT(j.dump(), ::testing::Not(HasSubstr("资金账户冻结")));
}

TEST_F(DeskNotifyTest, AReceiverThatIsDownGetsTheMessageLaterEvenAfterARestart) {
  http_.Answer(500, "maintenance");
  notifier_->OnEvent(Event(desk::DeskEventKind::kStatusChanged, "resolve"));
  EXPECT_EQ(deliverer_->RunOnce(kT0), 1);
  auto pending = Pending(store_.get());
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_THAT(pending[0].last_error, HasSubstr("HTTP 500"));
  const TimeMs retry = pending[0].next_attempt_at;
  EXPECT_GT(retry, kT0);

  // vigil restarts while the receiver is down: the message waits in the store.
  store_.reset();
  store_ = OpenStore(dir_);
  Start();
  http_.Answer(200, "{}");
  EXPECT_EQ(deliverer_->RunOnce(retry - 1), 0) << "not before its backoff";
  EXPECT_EQ(deliverer_->RunOnce(retry), 1);
  EXPECT_TRUE(Pending(store_.get()).empty());
  EXPECT_EQ(store_->Outbox()->delivered, 1);
  ASSERT_EQ(http_.requests().size(), 2u) << "one failed attempt, one delivery";
  EXPECT_EQ(Json::parse(http_.requests()[1].body)["action"], "resolve");
  // Announced again after the restart (a redelivered event): nothing new is queued.
  notifier_->OnEvent(Event(desk::DeskEventKind::kStatusChanged, "resolve"));
  EXPECT_EQ(notifier_->Stats().enqueued, 0);
  EXPECT_EQ(deliverer_->RunOnce(retry + kMin), 0);
}

TEST(DeskNotifyPiecesTest, LinkAndDedupKey) {
  DeskConfig d;
  EXPECT_EQ(IncidentLink(d, 5), "");
  d.incident_url = "https://v.example/desk/{id}?x=1";
  EXPECT_EQ(IncidentLink(d, 5), "https://v.example/desk/5?x=1");
  desk::DeskEvent a = Event(desk::DeskEventKind::kMessagePosted);
  desk::DeskEvent b = a;
  b.message_id = 9;
  EXPECT_NE(DeskDedupKey(a, "hook"), DeskDedupKey(b, "hook"));
  EXPECT_NE(DeskDedupKey(a, "hook"), DeskDedupKey(a, "wecom"));
  EXPECT_EQ(DeskDedupKey(b, "hook"), DeskDedupKey(b, "hook"));
}

}  // namespace
}  // namespace vigil::alerting
