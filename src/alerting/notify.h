// Sending one rendered message (render.h) through a receiver: e-mail over SMTP (libcurl, MIME
// multipart/alternative with text and HTML, RFC 2047 subject), and HTTP POSTs of JSON for the
// WeCom / DingTalk / Feishu robots, webhooks and Alertmanager. Every send is bounded by
// SendLimits, so a receiver that hangs costs at most `timeout_ms`.
//
// A send succeeds when the receiver accepted the message: SMTP 250 after DATA; HTTP 2xx, and
// for the robots also errcode / code 0 in the answer (they answer 200 with an error body).
// Secrets (SMTP password, signing secrets, URLs with tokens) are read from the environment
// variables the configuration names, at send time.
//
// Thread safety: the functions may be called from several threads at once.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "common/alerting_config.h"
#include "common/time_util.h"

namespace vigil::alerting {

struct SendLimits {
  int64_t connect_timeout_ms = 5'000;
  int64_t timeout_ms = 15'000;
};

// Sends `payload_json` through `receiver` at `now` (the time signatures carry). `message_id`
// makes the e-mail Message-ID (the outbox dedup key, so a retried message keeps its id).
absl::Status SendPayload(const ReceiverConfig& receiver, const std::string& payload_json,
                         const std::string& message_id, TimeMs now, const SendLimits& limits);

// --- pieces, exposed for tests
// HMAC-SHA256 of `message` under `key` (any length), base64 (standard alphabet, padded).
std::string HmacSha256Base64(std::string_view key, std::string_view message);
std::string Base64(std::string_view bytes);
// Percent-encodes everything but RFC 3986's unreserved characters.
std::string UrlEncode(std::string_view s);
// DingTalk's signed URL: `url` + timestamp (ms) + sign = urlencode(base64(HMAC-SHA256(key:
// secret, message: timestamp + "\n" + secret))).
std::string DingtalkSignedUrl(const std::string& url, TimeMs now, std::string_view secret);
// Feishu's sign for `timestamp_s` (seconds): base64(HMAC-SHA256(key: timestamp + "\n" +
// secret, message: empty)).
std::string FeishuSign(int64_t timestamp_s, std::string_view secret);
// An e-mail header value: as it is when printable ASCII, else RFC 2047 encoded-words
// (=?UTF-8?B?...?=), each at most 75 characters, never splitting a UTF-8 character.
std::string EncodeHeaderWords(std::string_view text);

}  // namespace vigil::alerting
