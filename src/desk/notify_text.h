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

}  // namespace vigil::desk
