// Assembles the simulated bank from the catalogue: codes, ranks, outcome mixes, rates.
#include "sim/bank_model.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "fmt/format.h"
#include "sim/catalog.h"

namespace vigil::sim {
namespace {

void FillShape(const std::vector<std::pair<int, float>>& anchors, std::array<float, 1440>* out) {
  for (int m = 0; m < 1440; ++m) {
    size_t j = 1;
    while (j + 1 < anchors.size() && anchors[j].first <= m) ++j;
    const auto& [m0, v0] = anchors[j - 1];
    const auto& [m1, v1] = anchors[j];
    float f = m1 > m0 ? static_cast<float>(m - m0) / static_cast<float>(m1 - m0) : 1.0f;
    (*out)[static_cast<size_t>(m)] = std::max(0.0f, v0 + (v1 - v0) * std::clamp(f, 0.0f, 1.0f));
  }
}

void AddSystemsAndShapes(Bank* bank) {
  for (const catalog::ShapeSpec& spec : catalog::Shapes()) {
    Shape s;
    s.name = spec.name;
    FillShape(spec.workday, &s.workday);
    FillShape(spec.holiday, &s.holiday);
    for (int m = 0; m < 1440; ++m) s.workday_sum += s.workday[m], s.holiday_sum += s.holiday[m];
    bank->shapes.push_back(std::move(s));
  }
  bank->shapes.push_back(Shape{.name = "none"});
  auto shape_index = [bank](const std::string& name) {
    for (size_t i = 0; i < bank->shapes.size(); ++i) {
      if (bank->shapes[i].name == name) return static_cast<int>(i);
    }
    return static_cast<int>(bank->shapes.size() - 1);
  };
  auto add = [&](const char* code, const char* name, int nodes, const char* shape, bool iso) {
    RequestSystem r{code, name, nodes, shape_index(shape), iso, {}};
    for (int n = 1; n <= nodes; ++n) r.node_names.push_back(fmt::format("{}-app{:02d}", code, n));
    bank->systems.push_back(std::move(r));
  };
  for (const catalog::SystemSpec& s : catalog::Systems()) {
    add(s.code, s.name, s.nodes, s.shape, s.iso_rets);
  }
  add("BTCH", "批量调度平台", 1, "none", false);
  add("RECN", "对账平台", 1, "none", false);
  for (const catalog::ServiceSpec& s : catalog::Services()) {
    ServiceSystem svc{s.code, s.name, s.ok, s.business, s.failure, {}, s.failure_rate};
    for (const char* p : s.success_list) svc.success_list.push_back(p);
    bank->services.push_back(std::move(svc));
  }
  for (const catalog::RetSpec& r : catalog::Rets()) bank->rets.push_back({r.code, r.msg, r.cls});
}

int FindSystem(const Bank& bank, const std::string& code) {
  for (size_t i = 0; i < bank.systems.size(); ++i) {
    if (bank.systems[i].code == code) return static_cast<int>(i);
  }
  return 0;
}

int FindService(const Bank& bank, const std::string& code) {
  for (size_t i = 0; i < bank.services.size(); ++i) {
    if (bank.services[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

bool IsFinancial(CodeKind k) {
  return k == CodeKind::kTransfer || k == CodeKind::kPayment || k == CodeKind::kCash ||
         k == CodeKind::kProduct || k == CodeKind::kLoan;
}

// Latency, amounts and business rejections typical of the kind of transaction.
void DescribeKind(const Bank& bank, Rng& rng, TxnCode* c) {
  auto biz = [&](const char* ret, double lo, double hi) {
    c->business.push_back({bank.FindRet(ret), rng.Range(lo, hi)});
  };
  struct Latency {
    double lo, hi;
  };
  static const Latency kLatency[] = {{20, 80},   {120, 300}, {80, 200},  {50, 120}, {60, 200},
                                     {150, 400}, {150, 350}, {200, 500}, {0, 0},    {0, 0}};
  const Latency& l = kLatency[static_cast<int>(c->kind)];
  c->latency_median_ms = rng.Range(l.lo, l.hi);
  c->latency_sigma = rng.Range(0.30, 0.50);
  switch (c->kind) {
    case CodeKind::kQuery:
      biz("100404", 0.005, 0.04);
      biz("100014", 0.001, 0.003);
      break;
    case CodeKind::kTransfer:
      biz("100051", 0.015, 0.03);
      biz("100061", 0.003, 0.008);
      biz("100033", 0.002, 0.005);
      c->amount_median = 2000, c->amount_sigma = 1.4;
      break;
    case CodeKind::kPayment:
      biz("100051", 0.02, 0.04);
      biz("100055", 0.005, 0.01);
      c->amount_median = 150, c->amount_sigma = 1.1;
      break;
    case CodeKind::kLogin:
      biz("100055", 0.02, 0.03);
      biz("100120", 0.01, 0.02);
      biz("100075", 0.0005, 0.0015);
      break;
    case CodeKind::kMaintain:
      biz("100031", 0.01, 0.03);
      biz("100014", 0.002, 0.004);
      break;
    case CodeKind::kCash:
      biz("100051", 0.015, 0.025);
      biz("100061", 0.005, 0.01);
      c->amount_median = 800, c->amount_sigma = 0.9, c->amount_round_100 = true;
      break;
    case CodeKind::kProduct:
      biz("100051", 0.015, 0.025);
      biz("100088", 0.001, 0.003);
      c->amount_median = 20000, c->amount_sigma = 1.2;
      break;
    case CodeKind::kLoan:
      biz("100031", 0.03, 0.06);
      biz("100014", 0.005, 0.01);
      c->amount_median = 50000, c->amount_sigma = 1.0;
      break;
    default:
      break;
  }
}

// POS speaks ISO 8583: map the standard codes onto "00", "51", "55", "61", "14", "96".
void UseIsoRets(const Bank& bank, TxnCode* c) {
  static const std::pair<const char*, const char*> kMap[] = {
      {"100051", "51"}, {"100055", "55"}, {"100061", "61"}, {"100404", "14"}, {"100014", "05"},
      {"100031", "05"}, {"100120", "55"}, {"100075", "55"}, {"100088", "05"}, {"100033", "14"}};
  for (OutcomeShare& o : c->business) {
    for (const auto& [from, to] : kMap) {
      if (bank.rets[static_cast<size_t>(o.ret)].code == from) o.ret = bank.FindRet(to);
    }
  }
  c->success_ret = bank.FindRet("00");
  c->system_ret = bank.FindRet("96");
  c->svc_failure_ret = bank.FindRet("91");
}

// Fills the per-code details that depend on the kind and the channel.
void FinishCode(const Bank& bank, Rng& rng, TxnCode* c) {
  c->financial = IsFinancial(c->kind);
  DescribeKind(bank, rng, c);
  c->success_ret = bank.FindRet("000000");
  c->system_ret = bank.FindRet(rng.Chance(0.8) ? "999999" : "910001");
  c->svc_failure_ret = bank.FindRet(rng.Chance(0.7) ? "900201" : "900202");
  // Own technical failures: log-uniform 3e-5 .. 5e-4; some quiet financial codes have none.
  c->system_rate = 3e-5 * std::pow(5e-4 / 3e-5, rng.Uniform());
  if (bank.systems[static_cast<size_t>(c->sys)].iso_rets) UseIsoRets(bank, c);
}

// Quirks of a real estate: quiet financial codes without technical failures, a code whose
// 201999 operators reclassified as business (by_txn), and a code returning an unclassified
// ret (返回码标准化 backlog).
void AddQuirks(const Bank& bank, Rng& rng, size_t first_tail, std::vector<TxnCode>* codes,
               std::vector<int>* reclassified, std::vector<int>* unclassified) {
  const double n = static_cast<double>(codes->size());
  for (size_t i = first_tail; i < codes->size(); ++i) {
    TxnCode& c = (*codes)[i];
    if (c.financial && c.rank > 0.3 * n && rng.Chance(0.3)) c.system_rate = 0;
    const std::string& sys = bank.systems[static_cast<size_t>(c.sys)].code;
    if (reclassified->empty() && sys == "CNTR" && c.kind == CodeKind::kQuery) {
      c.business.push_back({bank.FindRet("201999"), 0.05});
      reclassified->push_back(static_cast<int>(i));
    } else if (unclassified->empty() && sys == "OPEN") {
      c.business.push_back({bank.FindRet("E00012"), 0.004});
      unclassified->push_back(static_cast<int>(i));
    }
  }
}

}  // namespace

int Bank::FindRet(const std::string& code) const {
  for (size_t i = 0; i < rets.size(); ++i) {
    if (rets[i].code == code) return static_cast<int>(i);
  }
  return 0;
}

namespace internal {
std::vector<TxnCode> MakeCodes(const Bank& bank, const BankOptions& options, Rng& rng);
void AssignRanks(const BankOptions& options, Rng& rng, std::vector<TxnCode>* codes);
}  // namespace internal

Bank BuildBank(const BankOptions& options, const SimCalendar& calendar) {
  Bank bank;
  Rng rng(DeriveSeed(options.seed, 0xBA4C));
  AddSystemsAndShapes(&bank);
  bank.orgs = catalog::Orgs();
  std::vector<double> org_weights;
  for (size_t i = 0; i < bank.orgs.size(); ++i) {
    org_weights.push_back(1.0 / std::pow(static_cast<double>(i + 1), 0.8));
  }
  bank.org_table = AliasTable(org_weights);
  bank.codes = internal::MakeCodes(bank, options, rng);
  internal::AssignRanks(options, rng, &bank.codes);
  AddQuirks(bank, rng, std::min(catalog::NamedCodes().size(), bank.codes.size()), &bank.codes,
            &bank.reclassified_codes, &bank.unclassified_codes);
  for (TxnCode& c : bank.codes) {
    double biz = 0;
    for (const OutcomeShare& o : c.business) biz += o.share;
    c.success_share = 1.0 - biz - c.system_rate;
  }
  // Scale: expected total records = options.records.
  double units = 0;
  for (const TxnCode& c : bank.codes) {
    const Shape& s =
        bank.shapes[static_cast<size_t>(bank.systems[static_cast<size_t>(c.sys)].shape)];
    for (const SimDay& d : calendar.days())
      units += c.weight * (d.workday ? s.workday_sum : s.holiday_sum);
  }
  double k = units > 0 ? static_cast<double>(options.records) / units : 0;
  for (TxnCode& c : bank.codes) c.rate_per_min = k * c.weight;
  auto eod = [&](const char* code, const char* name, const char* sys, CodeKind kind) {
    TxnCode c;
    c.code = code, c.name = name, c.sys = FindSystem(bank, sys), c.kind = kind;
    c.success_ret = bank.FindRet("000000");
    c.system_ret = bank.FindRet("999999");
    bank.eod_codes.push_back(std::move(c));
  };
  eod("B001", "批量计息", "BTCH", CodeKind::kBatch);
  eod("B002", "日终清算", "BTCH", CodeKind::kBatch);
  eod("B003", "报表生成", "BTCH", CodeKind::kBatch);
  eod("R001", "银联对账", "RECN", CodeKind::kRecon);
  eod("R002", "网联对账", "RECN", CodeKind::kRecon);
  return bank;
}

namespace internal {

TxnCode NamedCode(const Bank& bank, const catalog::NamedCodeSpec& spec, Rng& rng) {
  TxnCode c;
  c.name = spec.name;
  c.sys = FindSystem(bank, spec.sys);
  c.svc = FindService(bank, spec.svc);
  c.kind = spec.kind;
  c.role = spec.role;
  FinishCode(bank, rng, &c);
  if (c.role == "A001") {  // 查询挂账: normally 查无记录; a found 挂账 is the rare success
    c.business = {{bank.FindRet("100404"), 0.87}, {bank.FindRet("100014"), 0.004}};
  } else if (c.role == "A007") {  // a quiet, important financial code
    c.system_rate = 0;
  } else if (c.role == "A008") {  // the article's 300 ms code
    c.latency_median_ms = 300;
    c.latency_sigma = 0.30;
  }
  return c;
}

std::vector<TxnCode> MakeCodes(const Bank& bank, const BankOptions& options, Rng& rng) {
  std::vector<TxnCode> codes;
  const auto& named = catalog::NamedCodes();
  for (size_t i = 0; i < named.size() && codes.size() < static_cast<size_t>(options.codes); ++i) {
    codes.push_back(NamedCode(bank, named[i], rng));
  }
  std::vector<double> share;
  for (const catalog::SystemSpec& s : catalog::Systems()) share.push_back(s.code_share);
  AliasTable sys_table(share);
  std::set<std::pair<std::string, int>> used;
  for (const TxnCode& c : codes) used.insert({c.name, c.sys});
  const auto& objects = catalog::Objects();
  const auto& groups = catalog::ActionGroups();
  int version = 1, misses = 0;  // when names run out, a second generation of codes ("V2")
  while (codes.size() < static_cast<size_t>(options.codes)) {
    int sys = static_cast<int>(sys_table.Draw(rng));
    const catalog::ObjectSpec& obj = objects[rng.Below(static_cast<uint32_t>(objects.size()))];
    std::string channel = fmt::format(" {} ", catalog::Systems()[static_cast<size_t>(sys)].code);
    if (std::string_view(obj.channels).find(channel) == std::string_view::npos) continue;
    const auto& actions = groups[static_cast<size_t>(obj.action_group)];
    const catalog::ActionSpec& act = actions[rng.Below(static_cast<uint32_t>(actions.size()))];
    std::string name = fmt::format("{}{}", obj.name, act.name);
    if (version > 1) name += fmt::format("V{}", version);
    if (!used.insert({name, sys}).second) {
      if (++misses > 400) ++version, misses = 0;
      continue;
    }
    misses = 0;
    TxnCode c;
    c.name = std::move(name);
    c.sys = sys;
    c.kind = act.kind;
    c.svc = (c.kind == CodeKind::kQuery && rng.Chance(0.1)) ? -1 : FindService(bank, obj.svc);
    FinishCode(bank, rng, &c);
    codes.push_back(std::move(c));
  }
  for (size_t i = 0; i < codes.size(); ++i) codes[i].code = fmt::format("A{:03d}", i + 1);
  return codes;
}

void AssignRanks(const BankOptions& options, Rng& rng, std::vector<TxnCode>* codes) {
  const int n = static_cast<int>(codes->size());
  const auto& named = catalog::NamedCodes();
  std::vector<bool> taken(static_cast<size_t>(n) + 1, false);
  auto take = [&](int want) {
    want = std::clamp(want, 1, n);
    for (int r = want; r <= n; ++r)
      if (!taken[r]) {
        taken[r] = true;
        return r;
      }
    for (int r = want; r >= 1; --r)
      if (!taken[r]) {
        taken[r] = true;
        return r;
      }
    return n;
  };
  size_t named_n = std::min(named.size(), codes->size());
  for (size_t i = 0; i < named_n; ++i) {  // fixed ranks first
    if (named[i].rank == 0) continue;
    int want = std::max(named[i].rank, static_cast<int>(std::lround(named[i].rank_fraction * n)));
    (*codes)[i].rank = take(want);
  }
  for (size_t i = 0; i < named_n; ++i) {
    if (named[i].rank == 0) (*codes)[i].rank = take(1);
  }
  std::vector<int> rest;
  for (int r = 1; r <= n; ++r)
    if (!taken[r]) rest.push_back(r);
  for (size_t i = rest.size(); i > 1; --i)
    std::swap(rest[i - 1], rest[rng.Below(static_cast<uint32_t>(i))]);
  size_t next = 0;
  for (size_t i = named_n; i < codes->size(); ++i) (*codes)[i].rank = rest[next++];
  for (TxnCode& c : *codes) c.weight = 1.0 / std::pow(static_cast<double>(c.rank), options.zipf_s);
}

}  // namespace internal
}  // namespace vigil::sim
