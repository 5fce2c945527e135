// The ITSM import: RFC 4180 CSV as spreadsheets export it (quotes, commas and line breaks in
// cells, CRLF, a BOM), the column mapping, per-row and per-field errors, values in Chinese or
// English, and the whole-file problems that stop an import before any row.
#include "desk/itsm_import.h"

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "desk/csv_reader.h"
#include "desk/itsm_values.h"

namespace vigil::desk {
namespace {

absl::TimeZone Shanghai() {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &tz));
  return tz;
}

TimeMs Local(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::ToUnixMillis(Shanghai().At(absl::CivilSecond(y, mo, d, h, mi, s)).pre);
}

ImportMapping ChineseMapping() {
  return {{{"ref", "工单号"},
           {"title", "标题"},
           {"description", "描述"},
           {"system", "系统"},
           {"status", "状态"},
           {"priority", "优先级"},
           {"class", "分类"},
           {"created_at", "创建时间"},
           {"resolved_at", "解决时间"},
           {"customer_name", "客户姓名"}}};
}

constexpr std::string_view kHeader =
    "工单号,标题,描述,系统,状态,优先级,分类,创建时间,解决时间,客户姓名";

TEST(CsvReaderTest, QuotesEmbeddedCommasLineBreaksCrlfAndBom) {
  auto r = ReadCsv(
      "\xEF\xBB\xBF"
      "a,b,c\r\n\"x, y\",\"line1\r\nline2\",\"say \"\"hi\"\"\"\r\n,,\n");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].cells, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ((*r)[1].cells, (std::vector<std::string>{"x, y", "line1\r\nline2", "say \"hi\""}));
  EXPECT_EQ((*r)[1].line, 2);
  EXPECT_EQ((*r)[2].cells, (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ((*r)[2].line, 4) << "the quoted line break counts as a line";
  EXPECT_TRUE((*r)[1].error.empty());
}

TEST(CsvReaderTest, StrayQuotesAreRecordErrorsAndAnUnclosedQuoteFailsTheFile) {
  auto r = ReadCsv("a,b\n5\"6,x\n\"p\"q,y\nok,ok");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[1].error, "a quote inside unquoted cell 1");
  EXPECT_EQ((*r)[1].cells[0], "5\"6");
  EXPECT_EQ((*r)[2].error, "text after the closing quote of cell 1");
  EXPECT_EQ((*r)[3].cells, (std::vector<std::string>{"ok", "ok"})) << "no line end at the end";
  auto open = ReadCsv("a,b\n1,2\n3,\"never closed\n4,5\n");
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.status().message().find("line 3"), std::string_view::npos) << open.status();
}

TEST(ItsmImportTest, ParsesAChineseExportWithTheMapping) {
  std::string csv = std::string("\xEF\xBB\xBF") + std::string(kHeader) + "\r\n" +
                    "ITSM-1,股票交易不了,\"客户反馈：\r\n委托失败，提示\"\"资金不足\"\"\",交易,"
                    "已解决,紧急,程序类,"
                    "2026-11-20 09:15,2026-11-20 10:00:30,张三\r\n" +
                    "ITSM-2,  开户咨询  ,,开户,,低,咨询类,2026-11-19T14:00:00+08:00,,李四\r\n";
  auto r = ParseItsmCsv(csv, ChineseMapping(), Shanghai());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rows, 2);
  ASSERT_TRUE(r->errors.empty()) << r->errors[0].field << ": " << r->errors[0].message;
  ASSERT_EQ(r->valid.size(), 2u);
  const ImportedTicket& a = r->valid[0];
  EXPECT_EQ(a.row, 1);
  EXPECT_EQ(a.external_ref, "ITSM-1");
  EXPECT_EQ(a.title, "股票交易不了");
  EXPECT_EQ(a.description, "客户反馈：\r\n委托失败，提示\"资金不足\"");
  EXPECT_EQ(a.system, "交易");
  EXPECT_EQ(a.status, "resolved");
  EXPECT_EQ(a.priority, "P1");
  EXPECT_EQ(a.klass, "program");
  EXPECT_EQ(a.created_at, Local(2026, 11, 20, 9, 15));
  EXPECT_EQ(a.resolved_at, Local(2026, 11, 20, 10, 0, 30));
  EXPECT_FALSE(a.closed_at.has_value());
  EXPECT_EQ(a.customer_name, "张三");
  const ImportedTicket& b = r->valid[1];
  EXPECT_EQ(b.row, 2);
  EXPECT_EQ(b.title, "开户咨询") << "the title is trimmed";
  EXPECT_EQ(b.status, "new") << "no status and no end time";
  EXPECT_EQ(b.priority, "P4");
  EXPECT_EQ(b.klass, "consultation");
  EXPECT_EQ(b.created_at, Local(2026, 11, 19, 14, 0));
}

TEST(ItsmImportTest, EnglishValuesAndDefaults) {
  ImportMapping m{{{"title", "Summary"},
                   {"created_at", "Opened"},
                   {"closed_at", "Closed"},
                   {"status", "State"},
                   {"priority", "Prio"},
                   {"class", "Type"}}};
  std::string csv =
      "Summary,Opened,Closed,State,Prio,Type\n"
      "a,2026-11-20T01:00:00Z,2026-11-21T01:00:00Z,,,\n"
      "b,2026/11/20 08:00,,Transferred,high,DATA\n"
      "c,2026-11-20,,closed,p2,program\n";
  auto r = ParseItsmCsv(csv, m, Shanghai());
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->valid.size(), 3u) << (r->errors.empty() ? "" : r->errors[0].message);
  EXPECT_EQ(r->valid[0].status, "closed") << "closed_at set, no status";
  EXPECT_EQ(r->valid[0].priority, "P3") << "the API's default";
  EXPECT_EQ(r->valid[0].created_at, Local(2026, 11, 20, 9, 0));
  EXPECT_EQ(r->valid[1].status, "transferred");
  EXPECT_EQ(r->valid[1].priority, "P2");
  EXPECT_EQ(r->valid[1].klass, "data");
  EXPECT_EQ(r->valid[2].created_at, Local(2026, 11, 20, 0, 0)) << "a date alone is midnight";
}

TEST(ItsmImportTest, RowErrorsNameTheRowAndTheFieldAndKeepTheRowOut) {
  std::string csv = std::string(kHeader) + "\n" +
                    "R1,ok,,交易,已关闭,P2,数据类,2026-11-20 09:00,,\n" +   // valid
                    "R2,,,交易,pending,P9,杂项,2026-13-01 09:00,,\n" +      // 5 errors
                    "R3,t,,交易,,,,2026-11-20 09:00,2026-11-20 08:59,\n" +  // before
                    "R4,t,,交易\n" +                                        // short
                    "\n" +                                                  // blank
                    "R6,t,,交易,,,,2026-11-20 09:00,,\xD5\xC5\xC8\xFD\n" +  // GBK
                    "R7,t\"x,,交易,,,,2026-11-20 09:00,,\n";                // stray "
  auto r = ParseItsmCsv(csv, ChineseMapping(), Shanghai());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rows, 6) << "the blank row is not counted";
  ASSERT_EQ(r->valid.size(), 1u);
  EXPECT_EQ(r->valid[0].external_ref, "R1");
  auto has = [&](int row, std::string_view field, std::string_view text) {
    for (const ImportError& e : r->errors) {
      if (e.row == row && e.field == field && e.message.find(text) != std::string::npos)
        return true;
    }
    return false;
  };
  EXPECT_TRUE(has(2, "title", "empty"));
  EXPECT_TRUE(has(2, "status", "'pending'"));
  EXPECT_TRUE(has(2, "status", "已受理"));
  EXPECT_TRUE(has(2, "priority", "'P9'"));
  EXPECT_TRUE(has(2, "class", "'杂项'"));
  EXPECT_TRUE(has(2, "created_at", "not a time"));
  EXPECT_TRUE(has(3, "resolved_at", "before the creation time"));
  EXPECT_TRUE(has(4, "", "4 cells, the header 10"));
  EXPECT_TRUE(has(6, "customer_name", "not UTF-8")) << "row numbers count the blank row";
  EXPECT_TRUE(has(7, "", "quote inside unquoted cell 2"));
  EXPECT_EQ(r->errors.size(), 9u);
}

TEST(ItsmImportTest, WholeFileProblemsStopTheImport) {
  auto tz = Shanghai();
  auto message = [&](std::string_view csv, const ImportMapping& m) {
    auto r = ParseItsmCsv(csv, m, tz);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(r.status().message());
  };
  EXPECT_NE(message("", ChineseMapping()).find("no header"), std::string::npos);
  EXPECT_NE(message("\n\n", ChineseMapping()).find("no header"), std::string::npos);
  EXPECT_NE(message("标题,创建时间\n", ChineseMapping()).find("which the header does not have"),
            std::string::npos);
  ImportMapping unknown = ChineseMapping();
  unknown.columns["severity"] = "标题";
  EXPECT_NE(message(kHeader, unknown).find("unknown field 'severity'"), std::string::npos);
  ImportMapping no_title = ChineseMapping();
  no_title.columns.erase("title");
  EXPECT_NE(message(kHeader, no_title).find("required field 'title'"), std::string::npos);
  EXPECT_NE(
      message("\xB1\xEA\xCC\xE2,x\n", {{{"title", "x"}, {"created_at", "x"}}}).find("not UTF-8"),
      std::string::npos)
      << "a GBK header (标题)";
  EXPECT_NE(message("a,a,b\n", {{{"title", "a"}, {"created_at", "b"}}}).find("2 times"),
            std::string::npos);
  EXPECT_NE(message("a,b\n\"x,1\n", {{{"title", "a"}, {"created_at", "b"}}}).find("never closed"),
            std::string::npos);
}

TEST(ItsmValuesTest, TimesWithAndWithoutZones) {
  auto tz = Shanghai();
  const TimeMs t = Local(2026, 11, 20, 15, 8);
  for (std::string_view s :
       {"2026-11-20T15:08:00+08:00", "2026-11-20T07:08:00Z", "2026-11-20T15:08:00+0800",
        "2026-11-20T15:08", "2026-11-20 15:08", "2026-11-20 15:08:00", "2026/11/20 15:08",
        "  2026-11-20T15:08:00 ", "2026-11-20T09:08:00+02"}) {
    auto ms = ParseImportTime(s, tz);
    ASSERT_TRUE(ms.ok()) << s << ": " << ms.status();
    EXPECT_EQ(*ms, t) << s;
  }
  EXPECT_EQ(*ParseImportTime("2026-11-20 15:08:00.250", tz), t + 250);
  for (std::string_view s : {"", "yesterday", "2026-02-30 10:00", "2026-11-20 24:00",
                             "2026-11-20 10:60", "2026-11-20T10:00:00+25:00", "20261120",
                             "2026-11-20 10:00 extra", "2026-11-20T10:00:00.Z"}) {
    EXPECT_FALSE(ParseImportTime(s, tz).ok()) << s;
  }
}

TEST(ItsmValuesTest, WordsInBothLanguages) {
  EXPECT_EQ(*ParseImportStatus("已受理"), "accepted");
  EXPECT_EQ(*ParseImportStatus(" Closed "), "closed");
  EXPECT_EQ(*ParseImportPriority("中"), "P3");
  EXPECT_EQ(*ParseImportPriority("4"), "P4");
  EXPECT_EQ(*ParseImportPriority("URGENT"), "P1");
  EXPECT_EQ(*ParseImportClass("数据"), "data");
  EXPECT_EQ(*ParseImportClass("Consultation"), "consultation");
  EXPECT_FALSE(ParseImportPriority("P5").ok());
  EXPECT_FALSE(ParseImportClass("其他").ok());
}

}  // namespace
}  // namespace vigil::desk
