// The words of a desk notification, in Chinese or English: one title, a plain text (in-app
// notifications, e-mail text) and markdown for the WeCom / DingTalk / Feishu robots. Each says
// the incident's ref and title, what happened and who did it, the system and priority, and the
// excerpt (a message, a cause, a review comment) when there is one.
//
// In the markdown, text that users typed (title, excerpt, names) cannot make links or tags:
// < > [ ] and ` are replaced by their full-width forms. Nothing is cut here; the sender cuts to
// its receiver's limit.
//
// Thread safety: pure function.
#pragma once

#include <string>
#include <string_view>

#include "desk/desk_events.h"

namespace vigil::desk {

struct NotifyText {
  std::string title;
  std::string text;
  std::string markdown;
};

// lang "zh" or "en" (anything else is English); link: the incident's URL or "" (then no link).
NotifyText RenderDeskEvent(const DeskEvent& e, std::string_view lang, std::string_view link);

// The mail to an incident's reporter (desk.notify.reporter_email, reporter_mail_text.cc),
// addressed to them ("you"): a public reply by someone else (`body`: the reply) or the
// resolution (`body`: the cause, `solution`). Each text is cut to kReporterMailChars characters.
// Only `title` and `text` are set (it is mailed, never posted to a robot).
inline constexpr size_t kReporterMailChars = 2000;
NotifyText RenderReporterMail(const DeskEvent& e, std::string_view body, std::string_view solution,
                              std::string_view lang, std::string_view link);

}  // namespace vigil::desk
