// The words of the mail to a reporter (notify_text.h): short, addressed to the person who
// reported, with the reply or the resolution in full (up to kReporterMailChars) and the link to
// their page, where they answer or confirm.
#include "desk/notify_text.h"
#include "desk/utf8.h"
#include "fmt/format.h"

namespace vigil::desk {
namespace {

// At most `max_chars` code points of `s`, with "…" when cut; invalid bytes end the text there.
std::string CutChars(std::string_view s, size_t max_chars) {
  size_t i = 0, chars = 0;
  while (i < s.size() && chars < max_chars) {
    const size_t n = Utf8SequenceLength(s, i);
    if (n == 0) break;
    i += n;
    ++chars;
  }
  std::string out(s.substr(0, i));
  if (i < s.size()) out += "…";
  return out;
}

// The mail's words in one language; {0} the ref, {1} the title, {2} who did it.
struct MailWords {
  const char* reply_title;
  const char* resolved_title;
  const char* reply_lead;
  const char* resolved_lead;
  const char* cause;
  const char* solution;
  const char* confirm;
  const char* link;
  const char* footer;
};

constexpr MailWords kZh = {
    "您报告的事件 {0} 有新回复：{1}",
    "您报告的事件 {0} 已解决：{1}",
    "{2} 回复了您报告的事件 {0}（{1}）：\n\n",
    "{2} 已解决您报告的事件 {0}（{1}）。\n\n",
    "原因：",
    "解决方案：",
    "\n请确认问题已经解决；如果没有，可以重新打开。\n",
    "\n查看并回复：",
    "\n（此邮件由 vigil 事件台发出，请勿直接回复邮件。）\n",
};

constexpr MailWords kEn = {
    "New reply on your incident {0}: {1}",
    "Your incident {0} was resolved: {1}",
    "{2} replied on the incident you reported, {0} ({1}):\n\n",
    "{2} resolved the incident you reported, {0} ({1}).\n\n",
    "Cause: ",
    "Solution: ",
    "\nPlease confirm it is solved; if it is not, reopen it.\n",
    "\nOpen and answer: ",
    "\n(Sent by the vigil incident desk; replies to this mail are not read.)\n",
};

}  // namespace

NotifyText RenderReporterMail(const DeskEvent& e, std::string_view body, std::string_view solution,
                              std::string_view lang, std::string_view link) {
  const MailWords& w = lang == "zh" ? kZh : kEn;
  const bool resolved = e.kind == DeskEventKind::kStatusChanged;
  const std::string text = CutChars(body, kReporterMailChars);
  NotifyText out;
  out.title = fmt::format(fmt::runtime(resolved ? w.resolved_title : w.reply_title), e.ref, e.title);
  out.text = fmt::format(fmt::runtime(resolved ? w.resolved_lead : w.reply_lead), e.ref, e.title,
                         e.actor);
  if (resolved) {
    out.text += std::string(w.cause) + text + "\n";
    if (!solution.empty()) {
      out.text += std::string(w.solution) + CutChars(solution, kReporterMailChars) + "\n";
    }
    out.text += w.confirm;
  } else {
    out.text += text + "\n";
  }
  if (!link.empty()) out.text += std::string(w.link) + std::string(link) + "\n";
  out.text += w.footer;
  return out;
}

}  // namespace vigil::desk
