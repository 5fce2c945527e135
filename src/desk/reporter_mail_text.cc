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

}  // namespace

NotifyText RenderReporterMail(const DeskEvent& e, std::string_view body, std::string_view solution,
                              std::string_view lang, std::string_view link) {
  const bool zh = lang == "zh";
  const bool resolved = e.kind == DeskEventKind::kStatusChanged;
  const std::string text = CutChars(body, kReporterMailChars);
  NotifyText out;
  if (zh) {
    out.title = resolved ? fmt::format("您报告的事件 {} 已解决：{}", e.ref, e.title)
                         : fmt::format("您报告的事件 {} 有新回复：{}", e.ref, e.title);
    out.text = resolved ? fmt::format("{} 已解决您报告的事件 {}（{}）。\n\n", e.actor, e.ref, e.title)
                        : fmt::format("{} 回复了您报告的事件 {}（{}）：\n\n", e.actor, e.ref, e.title);
    if (resolved) {
      out.text += fmt::format("原因：{}\n", text);
      if (!solution.empty()) {
        out.text += fmt::format("解决方案：{}\n", CutChars(solution, kReporterMailChars));
      }
      out.text += "\n请确认问题已经解决；如果没有，可以重新打开。\n";
    } else {
      out.text += text + "\n";
    }
    if (!link.empty()) out.text += fmt::format("\n查看并回复：{}\n", link);
    out.text += "\n（此邮件由 vigil 事件台发出，请勿直接回复邮件。）\n";
  } else {
    out.title = resolved ? fmt::format("Your incident {} was resolved: {}", e.ref, e.title)
                         : fmt::format("New reply on your incident {}: {}", e.ref, e.title);
    out.text = resolved ? fmt::format("{} resolved the incident you reported, {} ({}).\n\n",
                                      e.actor, e.ref, e.title)
                        : fmt::format("{} replied on the incident you reported, {} ({}):\n\n",
                                      e.actor, e.ref, e.title);
    if (resolved) {
      out.text += fmt::format("Cause: {}\n", text);
      if (!solution.empty()) {
        out.text += fmt::format("Solution: {}\n", CutChars(solution, kReporterMailChars));
      }
      out.text += "\nPlease confirm it is solved; if it is not, reopen it.\n";
    } else {
      out.text += text + "\n";
    }
    if (!link.empty()) out.text += fmt::format("\nOpen and answer: {}\n", link);
    out.text += "\n(Sent by the vigil incident desk; replies to this mail are not read.)\n";
  }
  return out;
}

}  // namespace vigil::desk
