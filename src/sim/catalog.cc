// The simulated bank's catalogue. Levels in the shapes are relative to a channel's weekday
// peak; holiday levels already include the channel's holiday volume.
#include "sim/catalog.h"

#include "fmt/format.h"

namespace vigil::sim::catalog {

const std::vector<SystemSpec>& Systems() {
  static const std::vector<SystemSpec> v = {
      // POS and ATM codes are few and named (see NamedCodes); the long tail goes elsewhere.
      {"MBNK", "手机银行", 4, "retail_mobile", false, 0.28},
      {"IBNK", "网上银行", 3, "retail_web", false, 0.15},
      {"WCHT", "微信银行", 2, "retail_mobile", false, 0.08},
      {"CNTR", "柜面系统", 3, "counter", false, 0.22},
      {"ATM", "自助设备", 2, "atm", false, 0.02},
      {"POS", "收单系统", 3, "pos", true, 0.0},
      {"CORP", "企业网银", 2, "corporate", false, 0.16},
      {"OPEN", "开放银行", 2, "open_api", false, 0.09},
  };
  return v;
}

const std::vector<ServiceSpec>& Services() {
  static const std::vector<ServiceSpec> v = {
      {"ACCT", "核心账务", "0000", "1051", "9001", {"0000", "1*"}, 0.00010},
      {"CUST", "客户信息", "AAAAAAA", "EB0404", "ES9999", {"AAAAAAA", "EB*"}, 0.00015},
      {"PAY", "支付系统", "PR00", "PB51", "PS91", {"PR00", "PB*"}, 0.00020},
      {"CARD", "卡系统", "00", "51", "96", {"00", "05", "14", "51", "55", "61"}, 0.00015},
      {"LOAN", "信贷系统", "L0000", "LB031", "LS999", {"L0000", "LB*"}, 0.00025},
      {"FINA", "理财系统", "F0000", "FB051", "FS999", {"F0000", "FB*"}, 0.00025},
      {"AUTH", "统一认证", "AU000", "AB055", "AS999", {"AU000", "AB*"}, 0.00010},
  };
  return v;
}

const std::vector<RetSpec>& Rets() {
  static const std::vector<RetSpec> v = {
      {"000000", "", Outcome::kSuccess},
      {"100404", "查无记录", Outcome::kBusiness},
      {"100051", "余额不足", Outcome::kBusiness},
      {"100055", "密码错误", Outcome::kBusiness},
      {"100061", "超出交易限额", Outcome::kBusiness},
      {"100014", "账户状态异常", Outcome::kBusiness},
      {"100031", "证件信息不符", Outcome::kBusiness},
      {"100120", "短信验证码错误", Outcome::kBusiness},
      {"100088", "重复交易", Outcome::kBusiness},
      {"100033", "收款人户名不符", Outcome::kBusiness},
      {"100075", "密码错误次数超限", Outcome::kBusiness},
      {"999999", "系统内部错误", Outcome::kSystem},
      {"900201", "服务系统响应超时", Outcome::kSystem},
      {"900202", "服务系统处理失败", Outcome::kSystem},
      {"910001", "数据库访问异常", Outcome::kSystem},
      {"201999", "系统错误", Outcome::kBusiness},      // business only where by_txn says so
      {"E00012", "参数校验失败", Outcome::kBusiness},  // unclassified: unknown_class
      {"00", "", Outcome::kSuccess},
      {"51", "余额不足", Outcome::kBusiness},
      {"55", "密码错", Outcome::kBusiness},
      {"61", "超出金额限制", Outcome::kBusiness},
      {"14", "无效卡号", Outcome::kBusiness},
      {"05", "不予承兑", Outcome::kBusiness},
      {"91", "发卡方不能操作", Outcome::kSystem},
      {"96", "系统异常", Outcome::kSystem},
  };
  return v;
}

const std::vector<ShapeSpec>& Shapes() {
  static const std::vector<ShapeSpec> v = {
      {"retail_mobile",
       {{0, .20f},    {60, .12f},   {120, .07f},  {180, .05f},  {270, .04f},  {360, .07f},
        {420, .16f},  {480, .45f},  {540, .85f},  {600, 1.0f},  {690, .95f},  {750, .70f},
        {810, .74f},  {870, .93f},  {930, .98f},  {990, .90f},  {1050, .80f}, {1110, .74f},
        {1200, .76f}, {1260, .72f}, {1320, .55f}, {1380, .36f}, {1440, .20f}},
       {{0, .24f},
        {60, .15f},
        {120, .09f},
        {180, .06f},
        {300, .05f},
        {420, .10f},
        {480, .20f},
        {570, .40f},
        {630, .55f},
        {720, .60f},
        {780, .52f},
        {870, .58f},
        {960, .62f},
        {1080, .56f},
        {1200, .64f},
        {1290, .60f},
        {1380, .38f},
        {1440, .24f}}},
      {"retail_web",
       {{0, .10f},    {60, .06f},   {180, .03f},  {300, .03f},  {420, .09f},
        {480, .40f},  {540, .80f},  {600, 1.0f},  {690, .95f},  {750, .66f},
        {810, .72f},  {870, .95f},  {930, 1.0f},  {1020, .85f}, {1080, .62f},
        {1140, .45f}, {1260, .40f}, {1320, .28f}, {1380, .18f}, {1440, .10f}},
       {{0, .08f},
        {60, .05f},
        {180, .025f},
        {300, .025f},
        {420, .05f},
        {540, .20f},
        {630, .36f},
        {720, .38f},
        {780, .32f},
        {900, .38f},
        {1020, .36f},
        {1140, .30f},
        {1260, .30f},
        {1380, .14f},
        {1440, .08f}}},
      {"counter",
       {{0, 0},
        {510, 0},
        {540, .75f},
        {600, 1.0f},
        {690, .95f},
        {720, .60f},
        {780, .70f},
        {840, .95f},
        {900, 1.0f},
        {960, .80f},
        {1005, .40f},
        {1020, 0},
        {1440, 0}},
       {{0, 0}, {540, 0}, {570, .15f}, {900, .15f}, {960, 0}, {1440, 0}}},
      {"atm",
       {{0, .10f},
        {180, .04f},
        {300, .04f},
        {420, .25f},
        {540, .70f},
        {660, 1.0f},
        {720, .95f},
        {840, .80f},
        {1020, .95f},
        {1140, .85f},
        {1260, .55f},
        {1380, .25f},
        {1440, .10f}},
       {{0, .12f},
        {180, .05f},
        {360, .05f},
        {540, .50f},
        {660, .85f},
        {900, .80f},
        {1140, .85f},
        {1260, .60f},
        {1380, .30f},
        {1440, .12f}}},
      {"pos",
       {{0, .08f},
        {180, .02f},
        {360, .03f},
        {450, .25f},
        {540, .45f},
        {690, 1.0f},
        {780, .85f},
        {900, .60f},
        {1080, .95f},
        {1200, .90f},
        {1320, .45f},
        {1440, .08f}},
       {{0, .12f},
        {180, .03f},
        {420, .08f},
        {600, .70f},
        {720, 1.05f},
        {840, .90f},
        {960, .90f},
        {1110, 1.10f},
        {1230, 1.0f},
        {1350, .50f},
        {1440, .12f}}},
      {"corporate",  // 企业网银: workday business hours only
       {{0, 0},
        {479, 0},
        {480, .40f},
        {540, .85f},
        {600, 1.0f},
        {690, .90f},
        {720, .55f},
        {780, .65f},
        {840, .95f},
        {960, .90f},
        {1050, .60f},
        {1110, .40f},
        {1139, .30f},
        {1140, 0},
        {1440, 0}},
       {{0, 0}, {1440, 0}}},
      {"open_api",
       {{0, .25f},
        {240, .15f},
        {420, .35f},
        {600, 1.0f},
        {720, .85f},
        {900, 1.0f},
        {1080, .70f},
        {1260, .50f},
        {1440, .25f}},
       {{0, .20f}, {240, .12f}, {480, .30f}, {660, .70f}, {900, .70f}, {1200, .45f}, {1440, .20f}}},
  };
  return v;
}

const std::vector<NamedCodeSpec>& NamedCodes() {
  using K = CodeKind;
  static const std::vector<NamedCodeSpec> v = {
      // The article's examples, in code order A001..A008.
      {"查询挂账", "MBNK", "ACCT", K::kQuery, "A001", 3, 0},
      {"账户余额查询", "MBNK", "ACCT", K::kQuery, "A002", 1, 0},
      {"企业网银单笔转账", "CORP", "PAY", K::kTransfer, "A003", 6, 0},
      {"挂失补卡", "CNTR", "CARD", K::kMaintain, "A004", 14, 0.6},
      {"转账汇款", "MBNK", "PAY", K::kTransfer, "A005", 4, 0},
      {"手机银行登录", "MBNK", "AUTH", K::kLogin, "A006", 2, 0},
      {"大额转账", "CORP", "", K::kTransfer, "A007", 13, 0.4},  // booked in-house, no svc
      {"个人贷款申请", "MBNK", "LOAN", K::kLoan, "A008", 12, 0},
      // Well-known busy codes, given the next free ranks in this order.
      {"刷卡消费", "POS", "CARD", K::kPayment, "", 0, 0},
      {"交易明细查询", "MBNK", "ACCT", K::kQuery, "", 0, 0},
      {"ATM取款", "ATM", "ACCT", K::kCash, "", 0, 0},
      {"短信验证码发送", "MBNK", "AUTH", K::kQuery, "", 0, 0},
      {"快捷支付", "OPEN", "PAY", K::kPayment, "", 0, 0},
      {"账户查询", "WCHT", "ACCT", K::kQuery, "", 0, 0},
      {"网银余额查询", "IBNK", "ACCT", K::kQuery, "", 0, 0},
      {"理财产品查询", "MBNK", "FINA", K::kQuery, "", 0, 0},
      {"信用卡账单查询", "MBNK", "CARD", K::kQuery, "", 0, 0},
      {"客户信息查询", "CNTR", "CUST", K::kQuery, "", 0, 0},
      {"消费撤销", "POS", "CARD", K::kPayment, "", 0, 0},
      {"ATM余额查询", "ATM", "ACCT", K::kQuery, "", 0, 0},
      {"生活缴费", "MBNK", "PAY", K::kPayment, "", 0, 0},
      {"网银转账汇款", "IBNK", "PAY", K::kTransfer, "", 0, 0},
      {"柜面现金存款", "CNTR", "ACCT", K::kCash, "", 0, 0},
      {"柜面现金取款", "CNTR", "ACCT", K::kCash, "", 0, 0},
      {"账户实名验证", "OPEN", "CUST", K::kQuery, "", 0, 0},
      {"企业账户余额查询", "CORP", "ACCT", K::kQuery, "", 0, 0},
      {"代发工资", "CORP", "PAY", K::kTransfer, "", 0, 0},
      {"理财产品购买", "MBNK", "FINA", K::kProduct, "", 0, 0},
      {"网银登录", "IBNK", "AUTH", K::kLogin, "", 0, 0},
      {"微信银行登录", "WCHT", "AUTH", K::kLogin, "", 0, 0},
      {"柜面开户", "CNTR", "CUST", K::kMaintain, "", 0, 0},
      {"贷款还款", "MBNK", "LOAN", K::kLoan, "", 0, 0},
      {"预授权", "POS", "CARD", K::kPayment, "", 0, 0},
      {"ATM转账", "ATM", "PAY", K::kTransfer, "", 0, 0},
      {"扫码支付", "POS", "PAY", K::kPayment, "", 0, 0},
      {"ATM存款", "ATM", "ACCT", K::kCash, "", 0, 0},
      {"预授权完成", "POS", "CARD", K::kPayment, "", 0, 0},
      {"退货", "POS", "CARD", K::kPayment, "", 0, 0},
      {"ATM改密", "ATM", "CARD", K::kMaintain, "", 0, 0},
  };
  return v;
}

const std::vector<ObjectSpec>& Objects() {
  static const std::vector<ObjectSpec> v = {
      {"活期账户", "ACCT", 0, " MBNK IBNK WCHT CNTR ATM OPEN "},
      {"定期存款", "ACCT", 0, " MBNK IBNK CNTR "},
      {"大额存单", "ACCT", 3, " MBNK IBNK CNTR "},
      {"借记卡", "CARD", 1, " MBNK IBNK WCHT CNTR ATM "},
      {"信用卡", "CARD", 6, " MBNK IBNK WCHT CNTR "},
      {"个人贷款", "LOAN", 4, " MBNK IBNK CNTR "},
      {"经营贷款", "LOAN", 4, " CORP CNTR MBNK "},
      {"理财产品", "FINA", 3, " MBNK IBNK WCHT CNTR OPEN "},
      {"基金", "FINA", 3, " MBNK IBNK CNTR OPEN "},
      {"保险", "FINA", 3, " MBNK IBNK CNTR "},
      {"贵金属", "FINA", 3, " MBNK IBNK CNTR "},
      {"外汇", "ACCT", 3, " MBNK IBNK CNTR CORP "},
      {"代发工资", "PAY", 2, " CORP CNTR "},
      {"生活缴费", "PAY", 2, " MBNK IBNK WCHT ATM OPEN "},
      {"跨行转账", "PAY", 2, " MBNK IBNK CNTR CORP OPEN "},
      {"预约转账", "PAY", 2, " MBNK IBNK CORP "},
      {"票据", "PAY", 2, " CORP CNTR "},
      {"客户信息", "CUST", 5, " MBNK IBNK WCHT CNTR OPEN "},
      {"联系方式", "CUST", 5, " MBNK IBNK WCHT CNTR "},
      {"证件信息", "CUST", 5, " MBNK CNTR "},
      {"积分", "CUST", 5, " MBNK WCHT "},
      {"电子回单", "ACCT", 5, " MBNK IBNK CORP "},
      {"对公账户", "ACCT", 0, " CORP CNTR "},
      {"签约关系", "CUST", 5, " MBNK IBNK CNTR CORP OPEN "},
      {"交易限额", "AUTH", 5, " MBNK IBNK CNTR "},
      {"数字证书", "AUTH", 5, " IBNK CORP CNTR "},
      {"手机号", "AUTH", 5, " MBNK WCHT CNTR "},
      {"公积金", "PAY", 2, " MBNK WCHT CNTR "},
      {"社保卡", "CARD", 1, " CNTR ATM MBNK "},
      {"电子账户", "ACCT", 0, " MBNK WCHT OPEN "},
  };
  return v;
}

const std::vector<std::vector<ActionSpec>>& ActionGroups() {
  using K = CodeKind;
  static const std::vector<std::vector<ActionSpec>> v = {
      // 0: accounts
      {{"查询", K::kQuery},
       {"明细查询", K::kQuery},
       {"开立", K::kMaintain},
       {"销户", K::kMaintain},
       {"转入", K::kTransfer},
       {"转出", K::kTransfer},
       {"冻结查询", K::kQuery}},
      // 1: debit cards
      {{"查询", K::kQuery},
       {"激活", K::kMaintain},
       {"挂失", K::kMaintain},
       {"解挂", K::kMaintain},
       {"换卡申请", K::kMaintain}},
      // 2: payments
      {{"查询", K::kQuery},
       {"提交", K::kTransfer},
       {"撤销", K::kMaintain},
       {"状态查询", K::kQuery},
       {"签约", K::kMaintain},
       {"批量导入", K::kTransfer}},
      // 3: products
      {{"查询", K::kQuery},
       {"申购", K::kProduct},
       {"赎回", K::kProduct},
       {"撤单", K::kMaintain},
       {"持仓查询", K::kQuery},
       {"收益查询", K::kQuery}},
      // 4: loans
      {{"申请", K::kLoan},
       {"查询", K::kQuery},
       {"还款", K::kLoan},
       {"提前还款", K::kLoan},
       {"放款", K::kLoan},
       {"合同查询", K::kQuery}},
      // 5: information and settings
      {{"查询", K::kQuery}, {"变更", K::kMaintain}, {"维护", K::kMaintain}},
      // 6: credit cards
      {{"账单查询", K::kQuery},
       {"激活", K::kMaintain},
       {"挂失", K::kMaintain},
       {"还款", K::kPayment},
       {"额度调整", K::kMaintain},
       {"分期申请", K::kMaintain}},
  };
  return v;
}

std::vector<std::string> Orgs() {
  std::vector<std::string> orgs;
  for (int region = 11; region <= 22; ++region) {
    for (int branch = 1; branch <= 10; ++branch)
      orgs.push_back(fmt::format("{}{:03d}", region, branch));
  }
  return orgs;
}

}  // namespace vigil::sim::catalog
