// Notification texts (notify_text.h): a tag and a sentence per event kind and language, then the
// same facts laid out as plain text and as robot markdown.
#include "desk/notify_text.h"

#include <vector>

#include "fmt/format.h"

namespace vigil::desk {
namespace {

struct Words {
  std::string tag;       // [新事件] / [New incident]
  std::string sentence;  // who did what
};

std::string_view Target(const DeskEvent& e, bool zh) {
  if (e.action == "first_response") return zh ? "首次响应" : "first response";
  return zh ? "解决" : "resolution";
}

Words StatusWordsZh(const DeskEvent& e) {
  const std::string& a = e.action;
  if (a == "accept") return {"已受理", fmt::format("{} 受理了 {}", e.actor, e.ref)};
  if (a == "transfer")
    return {"已转派", fmt::format("{} 将 {} 转派给 {} 组", e.actor, e.ref, e.group)};
  if (a == "return")
    return {"已退回", fmt::format("{} 组的 {} 将 {} 退回处理人", e.group, e.actor, e.ref)};
  if (a == "take_back") return {"已收回", fmt::format("{} 收回了 {}", e.actor, e.ref)};
  if (a == "resolve") return {"已解决", fmt::format("{} 解决了 {}，请确认", e.actor, e.ref)};
  if (a == "confirm")
    return {"已关闭", fmt::format("{} 确认了 {} 的解决，事件已关闭", e.actor, e.ref)};
  if (a == "close") return {"已关闭", fmt::format("{} 关闭了 {}", e.actor, e.ref)};
  if (a == "reopen") return {"已重新打开", fmt::format("{} 重新打开了 {}", e.actor, e.ref)};
  return {"状态变更",
          fmt::format("{} 将 {} 从 {} 改为 {}", e.actor, e.ref, e.from_status, e.to_status)};
}

Words StatusWordsEn(const DeskEvent& e) {
  const std::string& a = e.action;
  if (a == "accept") return {"Accepted", fmt::format("{} accepted {}", e.actor, e.ref)};
  if (a == "transfer")
    return {"Transferred",
            fmt::format("{} transferred {} to the {} group", e.actor, e.ref, e.group)};
  if (a == "return")
    return {"Returned", fmt::format("{} ({}) returned {} to its handler", e.actor, e.group, e.ref)};
  if (a == "take_back") return {"Taken back", fmt::format("{} took {} back", e.actor, e.ref)};
  if (a == "resolve")
    return {"Resolved", fmt::format("{} resolved {}; please confirm", e.actor, e.ref)};
  if (a == "confirm")
    return {"Closed", fmt::format("{} confirmed the solution of {}; it is closed", e.actor, e.ref)};
  if (a == "close") return {"Closed", fmt::format("{} closed {}", e.actor, e.ref)};
  if (a == "reopen") return {"Reopened", fmt::format("{} reopened {}", e.actor, e.ref)};
  return {"Status changed",
          fmt::format("{} changed {} from {} to {}", e.actor, e.ref, e.from_status, e.to_status)};
}

Words WordsZh(const DeskEvent& e) {
  switch (e.kind) {
    case DeskEventKind::kIncidentCreated:
      return {"新事件", fmt::format("{} 报告了新事件 {}", e.actor, e.ref)};
    case DeskEventKind::kMessagePosted:
      return e.internal ? Words{"内部备注", fmt::format("{} 在 {} 添加了内部备注", e.actor, e.ref)}
                        : Words{"新回复", fmt::format("{} 回复了 {}", e.actor, e.ref)};
    case DeskEventKind::kStatusChanged:
      return StatusWordsZh(e);
    case DeskEventKind::kAssigned:
      return e.assignee.empty()
                 ? Words{"已指派", fmt::format("{} 取消了 {} 的处理人", e.actor, e.ref)}
                 : Words{"已指派", fmt::format("{} 将 {} 指派给 {}", e.actor, e.ref, e.assignee)};
    case DeskEventKind::kUpdated:
      return {"已更新", fmt::format("{} 更新了 {}", e.actor, e.ref)};
    case DeskEventKind::kScriptAdded:
      return {"脚本待审批", fmt::format("{} 为 {} 提交了数据修复脚本 #{}，等待运维审批", e.actor,
                                        e.ref, e.script_id)};
    case DeskEventKind::kScriptReviewed:
      return e.script_status == "approved"
                 ? Words{"脚本已批准", fmt::format("{} 批准了 {} 的数据修复脚本 #{}（作者 {}）",
                                                   e.actor, e.ref, e.script_id, e.script_author)}
                 : Words{"脚本被驳回", fmt::format("{} 驳回了 {} 的数据修复脚本 #{}（作者 {}）",
                                                   e.actor, e.ref, e.script_id, e.script_author)};
    case DeskEventKind::kScriptResult:
      return e.script_status == "executed"
                 ? Words{"脚本已执行", fmt::format("{} 的数据修复脚本 #{} 已执行（{} 记录）", e.ref,
                                                   e.script_id, e.actor)}
                 : Words{"脚本执行失败", fmt::format("{} 的数据修复脚本 #{} 执行失败（{} 记录）",
                                                     e.ref, e.script_id, e.actor)};
    case DeskEventKind::kSlaAtRisk:
      return {"SLA 即将超时", fmt::format("{} 的{}时限已用去 80%", e.ref, Target(e, true))};
    case DeskEventKind::kSlaBreached:
      return {"SLA 已超时", fmt::format("{} 已超过{}时限", e.ref, Target(e, true))};
  }
  return {"事件", e.ref};
}

Words WordsEn(const DeskEvent& e) {
  switch (e.kind) {
    case DeskEventKind::kIncidentCreated:
      return {"New incident", fmt::format("{} reported {}", e.actor, e.ref)};
    case DeskEventKind::kMessagePosted:
      return e.internal ? Words{"Internal note",
                                fmt::format("{} added an internal note to {}", e.actor, e.ref)}
                        : Words{"Reply", fmt::format("{} replied on {}", e.actor, e.ref)};
    case DeskEventKind::kStatusChanged:
      return StatusWordsEn(e);
    case DeskEventKind::kAssigned:
      return e.assignee.empty()
                 ? Words{"Assigned", fmt::format("{} left {} without an assignee", e.actor, e.ref)}
                 : Words{"Assigned",
                         fmt::format("{} assigned {} to {}", e.actor, e.ref, e.assignee)};
    case DeskEventKind::kUpdated:
      return {"Updated", fmt::format("{} updated {}", e.actor, e.ref)};
    case DeskEventKind::kScriptAdded:
      return {"Script to approve",
              fmt::format(
                  "{} attached data-fix script #{} to {}; it waits for an ops member's approval",
                  e.actor, e.script_id, e.ref)};
    case DeskEventKind::kScriptReviewed:
      return e.script_status == "approved"
                 ? Words{"Script approved",
                         fmt::format("{} approved data-fix script #{} on {} (by {})", e.actor,
                                     e.script_id, e.ref, e.script_author)}
                 : Words{"Script rejected",
                         fmt::format("{} rejected data-fix script #{} on {} (by {})", e.actor,
                                     e.script_id, e.ref, e.script_author)};
    case DeskEventKind::kScriptResult:
      return e.script_status == "executed"
                 ? Words{"Script executed",
                         fmt::format("Data-fix script #{} on {} was executed (recorded by {})",
                                     e.script_id, e.ref, e.actor)}
                 : Words{"Script failed",
                         fmt::format("Data-fix script #{} on {} failed (recorded by {})",
                                     e.script_id, e.ref, e.actor)};
    case DeskEventKind::kSlaAtRisk:
      return {"SLA at risk",
              fmt::format("{}: 80% of the {} time is used", e.ref, Target(e, false))};
    case DeskEventKind::kSlaBreached:
      return {"SLA breached", fmt::format("{}: the {} time is past due", e.ref, Target(e, false))};
  }
  return {"Incident", e.ref};
}

// User text in markdown: no links, tags or code spans of its own.
std::string Inert(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "\uFF1C";
        break;
      case '>':
        out += "\uFF1E";
        break;
      case '[':
        out += "\uFF3B";
        break;
      case ']':
        out += "\uFF3D";
        break;
      case '`':
        out += "\uFF40";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Markdown quote of a possibly multi-line excerpt.
std::string Quote(std::string_view s) {
  std::string out = "> ";
  for (char c : Inert(s)) {
    if (c == '\r') continue;
    out += c;
    if (c == '\n') out += "> ";
  }
  return out;
}

}  // namespace

NotifyText RenderDeskEvent(const DeskEvent& e, std::string_view lang, std::string_view link) {
  const bool zh = lang == "zh";
  const Words w = zh ? WordsZh(e) : WordsEn(e);
  NotifyText out;
  out.title = fmt::format("[{}] {} {}", w.tag, e.ref, e.title);
  std::vector<std::string> facts;
  auto fact = [&](std::string_view zh_label, std::string_view en_label, const std::string& v) {
    if (!v.empty()) facts.push_back(std::string(zh ? zh_label : en_label) + v);
  };
  fact("系统：", "System: ", e.system);
  fact("优先级：", "Priority: ", e.priority);
  fact("报告人：", "Reporter: ", e.reporter);
  fact("处理人：", "Assignee: ", e.assignee);
  const std::string fact_line = fmt::format("{}", fmt::join(facts, " · "));
  const std::string link_word = zh ? "查看事件" : "Open the incident";

  out.text = fmt::format("{}\n{} {}\n", w.sentence, e.ref, e.title);
  if (!fact_line.empty()) out.text += fact_line + "\n";
  if (!e.excerpt.empty()) out.text += e.excerpt + "\n";
  if (!link.empty()) out.text += fmt::format("{}: {}\n", link_word, link);

  out.markdown =
      fmt::format("### {}\n\n**{}**\n\n{}", Inert(out.title), Inert(w.sentence), Inert(fact_line));
  if (!e.excerpt.empty()) out.markdown += "\n\n" + Quote(e.excerpt);
  if (!link.empty()) out.markdown += fmt::format("\n\n[{}]({})", link_word, link);
  return out;
}

}  // namespace vigil::desk
