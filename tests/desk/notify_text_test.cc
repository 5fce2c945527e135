// Notification texts: every event kind in both languages carries the ref, the title, what
// happened and who did it; the markdown cannot be turned into links or tags by what users typed;
// the link appears only when given.
#include "desk/notify_text.h"

#include <gtest/gtest.h>

#include "desk/utf8.h"

namespace vigil::desk {
namespace {

DeskEvent Event(DeskEventKind kind) {
  DeskEvent e;
  e.kind = kind;
  e.incident_id = 123;
  e.ref = "INC-000123";
  e.title = "股票交易不了";
  e.system = "交易";
  e.priority = "P2";
  e.actor = "zhang";
  e.reporter = "li";
  e.assignee = "zhang";
  return e;
}

bool Has(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

constexpr DeskEventKind kAllKinds[] = {
    DeskEventKind::kIncidentCreated, DeskEventKind::kMessagePosted, DeskEventKind::kStatusChanged,
    DeskEventKind::kAssigned,        DeskEventKind::kUpdated,       DeskEventKind::kScriptAdded,
    DeskEventKind::kScriptReviewed,  DeskEventKind::kScriptResult,  DeskEventKind::kSlaAtRisk,
    DeskEventKind::kSlaBreached};

TEST(NotifyTextTest, EveryKindInBothLanguagesNamesTheIncident) {
  for (DeskEventKind kind : kAllKinds) {
    for (std::string_view lang : {"zh", "en"}) {
      DeskEvent e = Event(kind);
      e.excerpt = "委托失败";
      NotifyText t = RenderDeskEvent(e, lang, "https://vigil.bank.example/desk/incidents/123");
      const std::string where = std::string(DeskEventKindName(kind)) + "/" + std::string(lang);
      for (const std::string* s : {&t.title, &t.text, &t.markdown}) {
        EXPECT_TRUE(Has(*s, "INC-000123")) << where << ": " << *s;
        EXPECT_TRUE(Has(*s, "股票交易不了")) << where << ": " << *s;
        EXPECT_TRUE(IsValidUtf8(*s)) << where;
      }
      EXPECT_TRUE(Has(t.text, lang == "zh" ? "系统：交易" : "System: 交易")) << where;
      EXPECT_TRUE(Has(t.text, "P2")) << where;
      EXPECT_TRUE(Has(t.text, "委托失败")) << where;
      EXPECT_TRUE(Has(t.markdown, "> 委托失败")) << where;
      EXPECT_TRUE(Has(t.markdown, "(https://vigil.bank.example/desk/incidents/123)")) << where;
    }
  }
}

TEST(NotifyTextTest, TitlesSayWhatHappened) {
  DeskEvent created = Event(DeskEventKind::kIncidentCreated);
  created.actor = "li";
  EXPECT_EQ(RenderDeskEvent(created, "zh", "").title, "[新事件] INC-000123 股票交易不了");
  EXPECT_EQ(RenderDeskEvent(created, "en", "").title, "[New incident] INC-000123 股票交易不了");
  EXPECT_TRUE(Has(RenderDeskEvent(created, "zh", "").text, "li 报告了新事件 INC-000123"));

  DeskEvent transfer = Event(DeskEventKind::kStatusChanged);
  transfer.action = "transfer";
  transfer.group = "ops";
  EXPECT_TRUE(Has(RenderDeskEvent(transfer, "zh", "").text, "zhang 将 INC-000123 转派给 ops 组"));
  EXPECT_TRUE(
      Has(RenderDeskEvent(transfer, "en", "").text, "transferred INC-000123 to the ops group"));

  DeskEvent resolve = Event(DeskEventKind::kStatusChanged);
  resolve.action = "resolve";
  resolve.excerpt = "原因：柜台参数错误";
  EXPECT_EQ(RenderDeskEvent(resolve, "zh", "").title, "[已解决] INC-000123 股票交易不了");
  EXPECT_TRUE(Has(RenderDeskEvent(resolve, "zh", "").text, "原因：柜台参数错误"));

  DeskEvent note = Event(DeskEventKind::kMessagePosted);
  note.internal = true;
  EXPECT_EQ(RenderDeskEvent(note, "en", "").title, "[Internal note] INC-000123 股票交易不了");

  DeskEvent rejected = Event(DeskEventKind::kScriptReviewed);
  rejected.script_id = 7;
  rejected.script_status = "rejected";
  rejected.script_author = "zhang";
  rejected.actor = "wang";
  EXPECT_TRUE(
      Has(RenderDeskEvent(rejected, "zh", "").text, "wang 驳回了 INC-000123 的数据修复脚本 #7"));
  rejected.script_status = "approved";
  EXPECT_EQ(RenderDeskEvent(rejected, "en", "").title, "[Script approved] INC-000123 股票交易不了");

  DeskEvent sla = Event(DeskEventKind::kSlaAtRisk);
  sla.action = "first_response";
  sla.actor = "system";
  EXPECT_TRUE(Has(RenderDeskEvent(sla, "zh", "").text, "INC-000123 的首次响应时限已用去 80%"));
  sla.kind = DeskEventKind::kSlaBreached;
  sla.action = "resolution";
  EXPECT_TRUE(Has(RenderDeskEvent(sla, "en", "").text, "the resolution time is past due"));
}

TEST(NotifyTextTest, NoLinkWhenNoneIsGiven) {
  NotifyText t = RenderDeskEvent(Event(DeskEventKind::kUpdated), "zh", "");
  EXPECT_FALSE(Has(t.text, "查看事件"));
  EXPECT_FALSE(Has(t.markdown, "]("));
}

TEST(NotifyTextTest, UserTextCannotMakeLinksOrTagsInMarkdown) {
  DeskEvent e = Event(DeskEventKind::kMessagePosted);
  e.title = "[click](http://evil.example) <font color=\"red\">x</font>";
  e.excerpt = "line one\r\n[phish](http://evil.example)\n`code`";
  NotifyText t = RenderDeskEvent(e, "en", "");
  EXPECT_FALSE(Has(t.markdown, "](http://evil")) << t.markdown;
  EXPECT_FALSE(Has(t.markdown, "<font")) << t.markdown;
  EXPECT_FALSE(Has(t.markdown, "`")) << t.markdown;
  EXPECT_TRUE(Has(t.markdown, "> line one\n> ［phish］(http://evil.example)")) << t.markdown;
  EXPECT_TRUE(Has(t.text, "[click](http://evil.example)")) << "plain text stays as typed";
}

TEST(NotifyTextTest, UnknownLanguageIsEnglish) {
  EXPECT_EQ(RenderDeskEvent(Event(DeskEventKind::kUpdated), "fr", "").title,
            "[Updated] INC-000123 股票交易不了");
}

TEST(ReporterMailTextTest, AReplyIsAddressedToTheReporterWithTheWholeTextAndTheLink) {
  DeskEvent e = Event(DeskEventKind::kMessagePosted);
  const std::string link = "https://vigil.bank.example/m/incidents/123";
  NotifyText zh = RenderReporterMail(e, "请客户重新登录后再试。\n第二行", "", "zh", link);
  EXPECT_EQ(zh.title, "您报告的事件 INC-000123 有新回复：股票交易不了");
  EXPECT_TRUE(Has(zh.text, "zhang 回复了您报告的事件 INC-000123")) << zh.text;
  EXPECT_TRUE(Has(zh.text, "请客户重新登录后再试。\n第二行")) << zh.text;
  EXPECT_TRUE(Has(zh.text, link)) << zh.text;
  NotifyText en = RenderReporterMail(e, "Please log in again.", "", "en", "");
  EXPECT_EQ(en.title, "New reply on your incident INC-000123: 股票交易不了");
  EXPECT_TRUE(Has(en.text, "zhang replied on the incident you reported")) << en.text;
  EXPECT_FALSE(Has(en.text, "Open and answer")) << "no link configured, no link line";
}

TEST(ReporterMailTextTest, TheResolutionHasCauseSolutionAndTheWayToReopen) {
  DeskEvent e = Event(DeskEventKind::kStatusChanged);
  e.action = "resolve";
  NotifyText zh = RenderReporterMail(e, "参数错误", "已修正", "zh", "");
  EXPECT_EQ(zh.title, "您报告的事件 INC-000123 已解决：股票交易不了");
  EXPECT_TRUE(Has(zh.text, "原因：参数错误")) << zh.text;
  EXPECT_TRUE(Has(zh.text, "解决方案：已修正")) << zh.text;
  EXPECT_TRUE(Has(zh.text, "重新打开")) << zh.text;
  NotifyText en = RenderReporterMail(e, "wrong parameter", "", "en", "");
  EXPECT_TRUE(Has(en.text, "Cause: wrong parameter")) << en.text;
  EXPECT_FALSE(Has(en.text, "Solution:")) << "no solution given, no empty line for it";
}

TEST(ReporterMailTextTest, LongTextIsCutAtTheCharacterLimitNeverInsideACharacter) {
  DeskEvent e = Event(DeskEventKind::kMessagePosted);
  std::string body;
  for (size_t i = 0; i < kReporterMailChars; ++i) body += "字";
  NotifyText exact = RenderReporterMail(e, body, "", "zh", "");
  EXPECT_TRUE(Has(exact.text, body));
  EXPECT_FALSE(Has(exact.text, "…")) << "exactly at the limit: nothing cut";
  NotifyText cut = RenderReporterMail(e, body + "尾", "", "zh", "");
  EXPECT_TRUE(Has(cut.text, body + "…"));
  EXPECT_FALSE(Has(cut.text, "尾"));
  EXPECT_TRUE(IsValidUtf8(cut.text));
}

}  // namespace
}  // namespace vigil::desk
