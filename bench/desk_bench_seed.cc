// Seeding for bench/desk_bench: realistic incidents and conversations written through the
// store's IncidentStore in batched transactions (one CommitIncidents per 500 incidents).
//
// The mix: 8 systems, 40 handlers, 500 reporters, 16 group members; priorities P1 3% / P2 17% /
// P3 60% / P4 20%; classes data 40% / program 35% / consultation 25%; one year of incidents,
// the newest 5% still open (new, accepted, transferred, resolved) and a few old ones forgotten
// open; SLA states to match; Chinese titles, descriptions and messages; 15% internal notes.
#include <filesystem>
#include <fstream>
#include <random>

#include "common/clock.h"
#include "desk/api_tokens.h"
#include "desk/users.h"
#include "desk_bench.h"
#include "fmt/format.h"
#include "serve_bench_support.h"
#include "store/desk_store.h"
#include "store/incident_store.h"
#include "store/store.h"

namespace vigil::bench {
namespace {

constexpr const char* kSystems[] = {"开户", "交易", "账户", "融资融券", "理财", "基金", "网上营业厅", "柜台"};
constexpr const char* kGroups[] = {"test", "dev", "ops", "product"};
constexpr const char* kProblems[] = {
    "股票交易不了", "委托失败提示资金不足", "开户视频见证卡住", "银证转账不到账", "密码重置收不到短信",
    "融资融券额度不对", "基金申购失败", "理财产品风险测评过期", "手机银行登录闪退", "撤单后资金未解冻",
    "新股申购无法提交", "账户状态显示冻结", "柜台打印凭证乱码", "港股通权限开通失败", "两融合约到期未提醒",
    "客户信息修改不生效", "交易记录查询为空", "行情刷新延迟", "证件有效期更新失败", "佣金费率显示错误"};
constexpr const char* kPhrases[] = {
    "客户反馈在营业部现场操作时", "系统提示“处理中”后无响应", "已让客户重试三次仍然失败", "截图已上传，请尽快处理",
    "客户比较着急，今天必须解决", "同一网点还有两位客户遇到类似问题", "查看日志发现返回码 100404", "已核对客户证件信息无误",
    "请协助确认是否为系统问题", "昨天同样操作是正常的"};
constexpr const char* kReplies[] = {
    "收到，正在排查", "请提供客户号和发生时间", "已联系开发确认", "已转运维执行数据修复脚本", "问题已定位，是参数配置错误",
    "请让客户再试一下", "客户已确认恢复正常", "这个是已知问题，预计今晚修复", "谢谢，已解决", "还是不行，客户又来问了"};

template <typename T, size_t N>
const T& Pick(std::mt19937_64& rng, const T (&a)[N]) {
  return a[rng() % N];
}

std::string Weighted(std::mt19937_64& rng, std::initializer_list<std::pair<const char*, int>> w) {
  int total = 0;
  for (const auto& [v, n] : w) total += n;
  int x = static_cast<int>(rng() % total);
  for (const auto& [v, n] : w) {
    if ((x -= n) < 0) return v;
  }
  return w.begin()->first;
}

store::IncidentRow MakeIncident(std::mt19937_64& rng, int64_t i, int64_t n, TimeMs t0, const DeskSeed& s,
                                const std::vector<int64_t>& reporter_ids) {
  store::IncidentRow r;
  const TimeMs year = 365LL * 86'400'000;
  r.created_at = t0 - year + year * i / n;
  r.updated_at = r.created_at;
  r.title = Pick(rng, kProblems);
  r.description = fmt::format("{}，{}。{}。", Pick(rng, kPhrases), r.title, Pick(rng, kPhrases));
  r.system = Pick(rng, kSystems);
  const size_t who = rng() % s.reporters.size();
  r.reporter = s.reporters[who];
  r.reporter_id = reporter_ids[who];
  r.customer_no = fmt::format("C{:08d}", rng() % 100'000'000);
  r.account = fmt::format("6222{:012d}", rng() % 1'000'000'000'000);
  r.customer_name = "张三";
  r.phone = fmt::format("138{:08d}", rng() % 100'000'000);
  r.occurred_at = r.created_at - 600'000;
  r.priority = Weighted(rng, {{"P1", 3}, {"P2", 17}, {"P3", 60}, {"P4", 20}});
  r.klass = Weighted(rng, {{"data", 40}, {"program", 35}, {"consultation", 25}});
  r.channel = Weighted(rng, {{"mss", 80}, {"desk", 10}, {"alert", 5}, {"itsm", 5}});
  const bool recent = i >= n - n / 20;
  r.status = recent ? Weighted(rng, {{"new", 25}, {"accepted", 40}, {"transferred", 15}, {"resolved", 20}})
                    : Weighted(rng, {{"closed", 985}, {"accepted", 10}, {"resolved", 5}});
  r.first_response_due = r.created_at + 30 * 60'000;
  r.resolution_due = r.created_at + 8 * 3'600'000;
  if (r.status != "new") {
    r.assignee = s.handlers[rng() % s.handlers.size()];
    r.first_response_at = r.created_at + 5 * 60'000;
    r.first_response_state = "met";
  }
  if (r.status == "transferred") r.group = Pick(rng, kGroups);
  const bool done = r.status == "resolved" || r.status == "closed";
  if (done) {
    r.resolved_at = r.created_at + 3 * 3'600'000;
    r.cause = "参数配置错误";
    r.solution = "已修正参数并通知客户重试";
    r.sla_state = Weighted(rng, {{"met", 85}, {"missed", 15}});
  } else {
    r.sla_state = Weighted(rng, {{"ok", 70}, {"at_risk", 15}, {"breached", 15}});
    if (r.status == "new") r.first_response_state = r.sla_state;
  }
  if (r.status == "closed") r.closed_at = r.created_at + 24 * 3'600'000;
  return r;
}

store::IncidentMessageRow MakeMessage(std::mt19937_64& rng, const store::IncidentRow& r, int k) {
  store::IncidentMessageRow m;
  const bool from_reporter = k % 2 == 0 || r.assignee.empty();
  m.author = from_reporter ? r.reporter : r.assignee;
  m.author_role = from_reporter ? "reporter" : "handler";
  m.kind = !from_reporter && rng() % 100 < 30 ? "internal" : "public";  // 15% of all messages
  m.body = k == 0 ? r.description : fmt::format("{}。{}", Pick(rng, kReplies), Pick(rng, kPhrases));
  m.created_at = r.created_at + (k + 1) * 10 * 60'000;
  return m;
}

template <typename T>
T Must(absl::StatusOr<T> v, const char* what) {
  if (!v.ok()) throw std::runtime_error(fmt::format("{}: {}", what, v.status().ToString()));
  return *std::move(v);
}
void Must(const absl::Status& s, const char* what) {
  if (!s.ok()) throw std::runtime_error(fmt::format("{}: {}", what, s.ToString()));
}

std::unique_ptr<store::Store> OpenDir(const std::string& data_dir) {
  std::filesystem::create_directories(data_dir);
  return Must(store::Store::Open("sqlite://" + std::filesystem::absolute(data_dir).string() + "/vigil.db"),
              "open the store");
}

// Users (cheap password hashes: nobody logs in with them) and an admin's API token.
std::string SeedUsers(store::Store* st, DeskSeed* s, std::vector<int64_t>* reporter_ids) {
  auto* ds = dynamic_cast<store::DeskStore*>(st);
  if (ds == nullptr) throw std::runtime_error("the store has no desk tables");
  SystemClock clock;
  desk::Users users(ds, &clock, desk::HashCost{1, 8192});
  const std::string pw = "bench-password-1";
  const store::UserRow admin = Must(users.Create({"bench-admin", "admin", {}, pw}), "create admin");
  for (int h = 1; h <= 40; ++h) {
    s->handlers.push_back(fmt::format("handler{:02d}", h));
    Must(users.Create({s->handlers.back(), "handler", {}, pw}), "create handler");
  }
  for (int m = 0; m < 16; ++m) {
    Must(users.Create({fmt::format("member{:02d}", m), "member", {kGroups[m % 4]}, pw}), "create member");
  }
  for (int r = 1; r <= 500; ++r) {
    s->reporters.push_back(fmt::format("reporter{:03d}", r));
    reporter_ids->push_back(Must(users.Create({s->reporters.back(), "reporter", {}, pw}), "create reporter").id);
  }
  desk::ApiTokens tokens(ds, &clock);
  desk::Principal p;
  p.user_id = admin.id;
  p.name = admin.name;
  p.role = desk::Role::kAdmin;
  return Must(tokens.Create(p, {"", "desk-bench", ""}), "create token").token;
}

}  // namespace

std::string SeedTokenOnly(const std::string& data_dir) {
  auto st = OpenDir(data_dir);
  DeskSeed s;
  std::vector<int64_t> ids;
  return SeedUsers(st.get(), &s, &ids);
}

DeskSeed SeedDesk(const std::string& data_dir, int64_t n, int per_incident) {
  DeskSeed s;
  const std::string marker = data_dir + "/bench-token";
  const std::string want = fmt::format("{} {}", n, per_incident);
  for (int h = 1; h <= 40; ++h) s.handlers.push_back(fmt::format("handler{:02d}", h));
  for (int r = 1; r <= 500; ++r) s.reporters.push_back(fmt::format("reporter{:03d}", r));
  s.incidents = n;
  s.messages = n * per_incident;
  s.max_id = n;
  {
    std::ifstream in(marker);
    std::string counts;
    if (std::getline(in, counts) && counts == want && std::getline(in, s.token)) return s;
  }
  std::filesystem::remove_all(data_dir);
  auto st = OpenDir(data_dir);
  auto* is = dynamic_cast<store::IncidentStore*>(st.get());
  if (is == nullptr) throw std::runtime_error("the store has no incident tables");
  std::vector<int64_t> reporter_ids;
  s.handlers.clear();
  s.reporters.clear();
  s.token = SeedUsers(st.get(), &s, &reporter_ids);
  Must(is->ReplaceSystems(std::vector<std::string>(std::begin(kSystems), std::end(kSystems))), "systems");

  std::mt19937_64 rng(42);
  const TimeMs t0 = 1'795'158'000'000;  // 2026-11-20 15:00 +08:00, the benchmark's clock
  const auto started = Steady::now();
  constexpr int64_t kBatch = 500;
  for (int64_t first = 0; first < n; first += kBatch) {
    std::vector<store::IncidentChange> changes;
    changes.reserve(kBatch * per_incident);
    for (int64_t i = first; i < std::min(n, first + kBatch); ++i) {
      store::IncidentChange c;
      c.incident = MakeIncident(rng, i, n, t0, s, reporter_ids);
      c.history.push_back({0, 0, c.incident.created_at, c.incident.reporter, "create", "", "new", "{}"});
      if (per_incident > 0) c.message = MakeMessage(rng, c.incident, 0);
      changes.push_back(std::move(c));
    }
    Must(is->CommitIncidents(&changes), "commit incidents");
    std::vector<store::IncidentChange> replies;
    replies.reserve(changes.size() * per_incident);
    for (const store::IncidentChange& c : changes) {
      store::IncidentRow row = c.incident;
      for (int k = 1; k < per_incident; ++k) {
        store::IncidentChange r;
        r.incident = row;
        r.incident.version = row.version + k - 1;  // each change bumps it by one, in order
        r.message = MakeMessage(rng, row, k);
        replies.push_back(std::move(r));
      }
    }
    Must(is->CommitIncidents(&replies), "commit messages");
    if ((first / kBatch) % 40 == 39) {
      fmt::print(stderr, "# seeded {} incidents in {:.0f}s\n", first + kBatch, SecondsSince(started));
    }
  }
  s.seconds = SecondsSince(started);
  std::ofstream(marker) << want << "\n" << s.token << "\n";
  return s;
}

}  // namespace vigil::bench
