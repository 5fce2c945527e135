// Rendering one group's notification for one receiver, before it is queued: the outbox keeps
// the rendered payload, so what a restart re-sends is exactly what would have been sent.
//
// The payload is a JSON object with "kind" (the receiver kind it was rendered for) and:
//   email:                          "subject", "text", "html"
//   wecom, dingtalk, feishu:        "body" (the robot's JSON message, markdown; signing, which
//                                   needs the send time, is added by the notifier)
//   webhook:                        "body" (Alertmanager's webhook JSON, version 4)
//   alertmanager:                   "body" (the alert array of Alertmanager's POST /api/v2/alerts)
#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "alerting/tracked_alert.h"
#include "common/alerting_config.h"

namespace vigil::alerting {

// What one message says: a group's alerts that fire (and are not suppressed) and those that
// resolved since the last message.
struct Message {
  std::string receiver;
  std::string group_key;
  Labels group_labels;
  std::vector<const TrackedAlert*> firing;
  std::vector<const TrackedAlert*> resolved;
  TimeMs now = 0;
  int64_t repeat_interval_ms = kDefaultRepeatIntervalMs;
};

// "[FIRING:2] system_success A001 查询挂账": status, count and what the alerts share (a single
// alert's summary).
std::string Title(const Message& m);
std::string EmailText(const Message& m, const absl::TimeZone& tz);
std::string EmailHtml(const Message& m, const absl::TimeZone& tz);
// Markdown for the chat robots, at most `max_bytes` (cut at a character boundary).
std::string RobotMarkdown(const Message& m, const absl::TimeZone& tz, size_t max_bytes);

// The payload_json of the outbox row (see the top of this file).
std::string RenderPayload(const ReceiverConfig& receiver, const Message& m,
                          const absl::TimeZone& tz);

// & < > " as HTML entities.
std::string HtmlEscape(std::string_view s);
// `s` cut to at most `max_bytes` without splitting a UTF-8 character.
std::string CutUtf8(std::string s, size_t max_bytes);

// Time as people read it: "2026-11-20 15:08:00 +08:00".
std::string DisplayTime(TimeMs t, const absl::TimeZone& tz);

}  // namespace vigil::alerting
