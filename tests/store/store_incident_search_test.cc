// The queue's text search (IncidentQuery::contains, text_search.h) on both backends: a
// case-insensitive substring of title, description or external_ref, through the trigram index
// for 3+ characters and by scan below; the term is literal (LIKE wildcards, quotes, FTS5
// syntax); the index follows updates and imports, is filled for incidents that existed before
// it; PostgreSQL without the right to create pg_trgm still opens and searches.
#include <algorithm>

#include "store/sql_store.h"
#include "store/text_search.h"
#include "store_fixture.h"

namespace vigil::store {
namespace {

constexpr TimeMs kT0 = 1'795'000'000'000;

class StoreIncidentSearchTest : public StoreTest {
 protected:
  static IncidentStore& Incidents(Store& s) { return *dynamic_cast<IncidentStore*>(&s); }
  IncidentStore& inc() { return Incidents(store()); }

  static IncidentRow Row(std::string title, std::string description = "d", std::string ref = "") {
    IncidentRow r;
    r.title = std::move(title);
    r.description = std::move(description);
    r.external_ref = std::move(ref);
    r.system = "交易";
    r.status = "new";
    r.reporter_id = 7;
    r.reporter = "li";
    r.created_at = r.updated_at = kT0;
    r.first_response_due = kT0 + 60'000;
    r.resolution_due = kT0 + 600'000;
    return r;
  }
  static int64_t Create(IncidentStore& s, IncidentRow row) {
    IncidentChange c;
    c.incident = std::move(row);
    EXPECT_OK(s.CommitIncident(&c));
    return c.incident.id;
  }
  int64_t Create(IncidentRow row) { return Create(inc(), std::move(row)); }

  // Ids of the incidents whose text contains `term` (optionally: or whose id is `ref_id`),
  // ascending.
  static std::vector<int64_t> Find(IncidentStore& s, const std::string& term,
                                   std::optional<int64_t> ref_id = std::nullopt) {
    IncidentQuery q;
    q.contains = term;
    q.ref_id = ref_id;
    q.limit = 200;
    std::vector<int64_t> ids;
    for (const IncidentRow& r : Must(s.ListIncidents(q), term.c_str())) ids.push_back(r.id);
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  std::vector<int64_t> Find(const std::string& term, std::optional<int64_t> ref_id = std::nullopt) {
    return Find(inc(), term, ref_id);
  }
  // Another empty database of this test's backend, removed with the returned object.
  std::unique_ptr<TestDatabase> Fresh() {
    if (GetParam() == "sqlite") return std::make_unique<SqliteTestDatabase>();
    return std::make_unique<PgTestDatabase>();
  }
  using Ids = std::vector<int64_t>;
};

constexpr const char* kTrgmIndexes =
    "SELECT COUNT(*) FROM pg_indexes WHERE indexname IN ('incidents_title_trgm', "
    "'incidents_description_trgm', 'incidents_external_ref_trgm')";

TEST_P(StoreIncidentSearchTest, FindsASubstringOfTitleDescriptionOrRefInAnyCase) {
  const int64_t title = Create(Row("银证转账不到账"));
  const int64_t description = Create(Row("登录失败", "客户反馈 Gateway Timeout，返回码 100404"));
  const int64_t ref = Create(Row("旧问题", "d", "ITSM-20261120-0042"));
  const int64_t other = Create(Row("密码重置收不到短信", "已核对客户证件信息无误"));

  EXPECT_EQ(Find("转账不到"), Ids{title}) << "4 Chinese characters: the index";
  EXPECT_EQ(Find("不到账"), Ids{title}) << "exactly 3: the index";
  EXPECT_EQ(Find("转账"), Ids{title}) << "2 Chinese characters: a scan";
  EXPECT_EQ(Find("账"), Ids{title});
  EXPECT_EQ(Find("不到"), (Ids{title, other})) << "a substring, not a word";
  EXPECT_EQ(Find("gateway TIMEOUT"), Ids{description}) << "case-insensitive, spaces kept";
  EXPECT_EQ(Find("GaTeWaY"), Ids{description});
  EXPECT_EQ(Find("Ga"), (Ids{description})) << "case-insensitive below 3 characters too";
  EXPECT_EQ(Find("itsm-2026"), Ids{ref});
  EXPECT_EQ(Find("0042"), Ids{ref});
  EXPECT_EQ(Find("客户"), (Ids{description, other}));
  EXPECT_TRUE(Find("网关超时").empty());
  EXPECT_TRUE(Find("Timeout，返回码 100405").empty()) << "every trigram but one is there";
  EXPECT_TRUE(Find("到账银证").empty()) << "the same characters in another order";
  EXPECT_TRUE(Find("Timeout 登录").empty()) << "never across two columns";
  // A ticket number also finds the incident with that id (the desk passes it as ref_id).
  EXPECT_EQ(Find("99999", other), Ids{other});
  EXPECT_EQ(Find("100404", other), (Ids{description, other}));
}

TEST_P(StoreIncidentSearchTest, TheTermIsLiteralNeverAPatternOrAnFtsQuery) {
  const int64_t percent = Create(Row("进度 100%_done"));
  const int64_t near_percent = Create(Row("进度 100x done 1000 done"));
  const int64_t sql = Create(Row("x'); DROP TABLE incidents;--"));
  const int64_t quoted = Create(Row("提示 \"处理中\" 后无响应"));
  const int64_t star = Create(Row("abc*def"));
  const int64_t prefix = Create(Row("abcdef abcxyz"));
  const int64_t and_op = Create(Row("abc AND xyz"));
  const int64_t both = Create(Row("xyz then abc"));
  const int64_t near_op = Create(Row("NEAR(abc xyz)"));
  const int64_t slash = Create(Row("path c:\\temp\\x", "back\\slash"));
  const int64_t column = Create(Row("title:abc -xyz ^abc {title}: + ."));

  EXPECT_EQ(Find("%"), Ids{percent}) << "1 character (scan): % is no wildcard";
  EXPECT_EQ(Find("_"), Ids{percent});
  EXPECT_EQ(Find("%_"), Ids{percent});
  EXPECT_EQ(Find("0%_d"), Ids{percent}) << "3+ (index)";
  EXPECT_EQ(Find("100%"), Ids{percent});
  EXPECT_EQ(Find("'); DROP TABLE"), Ids{sql});
  EXPECT_EQ(Find("'"), Ids{sql});
  EXPECT_EQ(Find("\""), Ids{quoted});
  EXPECT_EQ(Find("\"处理中\""), Ids{quoted});
  EXPECT_EQ(Find("\"处理中"), Ids{quoted}) << "an unbalanced quote";
  EXPECT_EQ(Find("abc*"), Ids{star}) << "not a prefix query";
  EXPECT_EQ(Find("*"), Ids{star});
  EXPECT_EQ(Find("abc AND xyz"), Ids{and_op}) << "not both words anywhere";
  EXPECT_EQ(Find("abc and XYZ"), Ids{and_op});
  EXPECT_EQ(Find("AND"), Ids{and_op}) << "the word itself, not an operator";
  EXPECT_EQ(Find("NEAR(abc"), Ids{near_op});
  EXPECT_EQ(Find("NEAR("), Ids{near_op});
  EXPECT_EQ(Find("title:abc"), Ids{column}) << "not a column filter";
  EXPECT_EQ(Find("-xyz ^abc"), Ids{column});
  EXPECT_EQ(Find("{title}:"), Ids{column});
  EXPECT_EQ(Find("\\"), Ids{slash}) << "the LIKE escape character itself";
  EXPECT_EQ(Find(":\\temp\\"), Ids{slash});
  EXPECT_EQ(Find("k\\s"), Ids{slash});
  EXPECT_TRUE(Find("abc OR xyz").empty());
  EXPECT_TRUE(Find("\"\"\"").empty());
  (void)near_percent, (void)prefix, (void)both;  // rows a pattern or an FTS query would match
  // Nothing was dropped or changed by any of it.
  EXPECT_EQ(Find("进度").size(), 2u);
}

TEST_P(StoreIncidentSearchTest, AnEditIsFoundByItsNewTextAndNotByTheOld) {
  const int64_t id = Create(Row("旧标题甲乙丙", "描述子丑寅", "OLD-REF-1"));
  ASSERT_EQ(Find("甲乙丙"), Ids{id});
  IncidentChange c;
  c.incident = *Must(inc().GetIncident(id));
  c.incident.title = "新标题丁戊己";
  c.incident.external_ref = "NEW-REF-2";
  ASSERT_OK(inc().CommitIncident(&c));
  EXPECT_TRUE(Find("甲乙丙").empty());
  EXPECT_TRUE(Find("旧标题").empty());
  EXPECT_TRUE(Find("old-ref").empty());
  EXPECT_EQ(Find("丁戊己"), Ids{id});
  EXPECT_EQ(Find("new-ref-2"), Ids{id});
  EXPECT_EQ(Find("子丑寅"), Ids{id}) << "the unchanged description is still there";
  // A change that leaves the text alone (a status, a message) keeps it findable.
  IncidentChange reply;
  reply.incident = *Must(inc().GetIncident(id));
  reply.incident.status = "accepted";
  reply.message = IncidentMessageRow{0, 0, "zhang", "handler", "public", "收到", {}, kT0 + 1};
  ASSERT_OK(inc().CommitIncident(&reply));
  EXPECT_EQ(Find("丁戊己"), Ids{id});
  EXPECT_EQ(Find("子丑寅"), Ids{id});
}

TEST_P(StoreIncidentSearchTest, ImportedTicketsAreFoundByTheirReference) {
  std::vector<IncidentChange> batch(3);
  batch[0].incident = Row("旧问题, 带逗号", "导入", "IT-1");
  batch[1].incident = Row("又一个", "导入", "IT-12");
  batch[2].incident = Row("第三个", "导入", "CRM-7781");
  for (IncidentChange& c : batch) c.incident.channel = "itsm";
  ASSERT_OK(inc().CommitIncidents(&batch));
  EXPECT_EQ(Find("IT-1"), (Ids{batch[0].incident.id, batch[1].incident.id}));
  EXPECT_EQ(Find("it-12"), Ids{batch[1].incident.id});
  EXPECT_EQ(Find("crm-7781"), Ids{batch[2].incident.id});
  EXPECT_EQ(Find("带逗号"), Ids{batch[0].incident.id});
}

TEST_P(StoreIncidentSearchTest, IncidentsFromBeforeTheIndexAreIndexedByTheMigration) {
  std::unique_ptr<TestDatabase> fresh = Fresh();
  const std::string url = Must(fresh->Create());  // left at the version before the index
  auto old = OpenStoreAtVersion(url, kTextIndexSchema - 1);
  ASSERT_TRUE(old.ok()) << old.status();
  ASSERT_EQ((*old)->schema_version(), kTextIndexSchema - 1);
  const int64_t a = Create(Incidents(**old), Row("银证转账不到账", "d", "IT-9"));
  const int64_t b = Create(Incidents(**old), Row("基金申购失败", "客户 Timeout"));
  old->reset();

  auto now = Store::Open(url);
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_GE((*now)->schema_version(), kTextIndexSchema);
  EXPECT_EQ(Find(Incidents(**now), "转账不到"), Ids{a});
  EXPECT_EQ(Find(Incidents(**now), "it-9"), Ids{a});
  EXPECT_EQ(Find(Incidents(**now), "timeout"), Ids{b});
  EXPECT_EQ(Find(Incidents(**now), "申购"), Ids{b});
  const int64_t c = Create(Incidents(**now), Row("新的转账不到账"));
  EXPECT_EQ(Find(Incidents(**now), "转账不到"), (Ids{a, c}));
  if (GetParam() == "postgresql") {  // the test server lets vigil create pg_trgm
    EXPECT_EQ(Must(fresh->QueryValue(kTrgmIndexes)), "3");
  }
}

// A production role may not create extensions: the store opens, searches by scan, and gets
// its indexes at the first open after a superuser created pg_trgm.
TEST_P(StoreIncidentSearchTest, WithoutTheRightToCreatePgTrgmTheStoreStillOpensAndSearches) {
  if (GetParam() != "postgresql") GTEST_SKIP() << "a PostgreSQL extension";
  ASSERT_OK(db_->Exec("DO $$ BEGIN CREATE ROLE vigil_plain LOGIN; "
                      "EXCEPTION WHEN duplicate_object THEN NULL; END $$"));
  std::unique_ptr<TestDatabase> fresh = Fresh();
  const std::string url = Must(fresh->Create());  // the superuser's: no CREATE for the role
  ASSERT_OK(fresh->Exec("GRANT CREATE ON SCHEMA public TO vigil_plain"));
  std::string plain = url;
  plain.replace(plain.find("postgres@"), 9, "vigil_plain@");

  auto s = Store::Open(plain);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_GE((*s)->schema_version(), kTextIndexSchema);
  EXPECT_EQ(Must(fresh->QueryValue("SELECT COUNT(*) FROM pg_extension WHERE extname = 'pg_trgm'")),
            "0");
  EXPECT_EQ(Must(fresh->QueryValue(kTrgmIndexes)), "0");
  const int64_t id = Create(Incidents(**s), Row("银证转账不到账", "Gateway Timeout"));
  EXPECT_EQ(Find(Incidents(**s), "转账不到"), Ids{id});
  EXPECT_EQ(Find(Incidents(**s), "gateway"), Ids{id});
  s->reset();

  ASSERT_OK(fresh->Exec("CREATE EXTENSION pg_trgm"));
  s = Store::Open(plain);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(Must(fresh->QueryValue(kTrgmIndexes)), "3");
  EXPECT_EQ(Find(Incidents(**s), "转账不到"), Ids{id});
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreIncidentSearchTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace vigil::store
