// HTTP receivers (notify.h): WeCom, DingTalk and Feishu robots, webhooks, Alertmanager; and
// the dispatch of a payload to its receiver kind.
#include <variant>

#include "absl/status/statusor.h"
#include "alerting/curl_easy.h"
#include "alerting/notify.h"
#include "common/strings.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace vigil::alerting {

namespace {

using Json = nlohmann::json;

// The robots answer HTTP 200 with {"errcode": N, "errmsg": ...} (WeCom, DingTalk) or
// {"code": N, "msg": ...} (Feishu); anything but 0 is a failure.
absl::Status CheckRobotAnswer(const std::string& what, const std::string& body) {
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return absl::UnavailableError(
        fmt::format("{}: the answer is not JSON: {}", what, body.substr(0, 200)));
  }
  for (const auto& [code_key, msg_key] :
       {std::pair{"errcode", "errmsg"}, std::pair{"code", "msg"},
        std::pair{"StatusCode", "StatusMessage"}}) {
    if (!j.contains(code_key)) continue;
    const Json& code = j[code_key];
    if (code.is_number_integer() && code.get<int64_t>() == 0) return absl::OkStatus();
    std::string msg = j.contains(msg_key) && j[msg_key].is_string() ? j[msg_key].get<std::string>()
                                                                    : std::string();
    return absl::UnavailableError(
        fmt::format("{}: the robot refused the message: {} {}", what, code.dump(), msg));
  }
  return absl::UnavailableError(
      fmt::format("{}: the answer has no errcode/code: {}", what, body.substr(0, 200)));
}

struct Post {
  std::string url;
  std::string body;
  std::map<std::string, std::string> headers;
  bool robot = false;  // check the answer's errcode
};

absl::Status PostJson(const std::string& what, const Post& post, const SendLimits& limits) {
  CurlEasy curl(limits);
  std::string answer;
  curl_easy_setopt(curl.get(), CURLOPT_URL, post.url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, post.body.data());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(post.body.size()));
  curl.AddHeader("Content-Type: application/json; charset=utf-8");
  for (const auto& [name, value] : post.headers) curl.AddHeader(fmt::format("{}: {}", name, value));
  curl.CaptureBody(&answer);
  if (absl::Status s = curl.Perform(what); !s.ok()) return s;
  long code = curl.ResponseCode();
  if (code < 200 || code > 299) {
    return absl::UnavailableError(
        fmt::format("{}: HTTP {}: {}", what, code, answer.substr(0, 200)));
  }
  return post.robot ? CheckRobotAnswer(what, answer) : absl::OkStatus();
}

// Builds the POST for an HTTP receiver kind.
absl::StatusOr<Post> MakePost(const ReceiverKind& kind, const Json& body, TimeMs now) {
  return std::visit(
      [&](const auto& k) -> absl::StatusOr<Post> {
        using K = std::decay_t<decltype(k)>;
        if constexpr (std::is_same_v<K, EmailReceiver>) {
          return absl::InternalError("e-mail is not sent over HTTP");
        } else {
        absl::StatusOr<std::string> url = ResolveUrl(k.target);
        if (!url.ok()) return url.status();
        Post post{*url, "", {}, false};
        Json signed_body = body;
        if constexpr (std::is_same_v<K, WecomReceiver>) {
          post.robot = true;
        } else if constexpr (std::is_same_v<K, DingtalkReceiver>) {
          post.robot = true;
          if (!k.secret_env.empty()) {
            absl::StatusOr<std::string> secret = SecretFromEnv(k.secret_env, "DingTalk secret");
            if (!secret.ok()) return secret.status();
            post.url = DingtalkSignedUrl(post.url, now, *secret);
          }
        } else if constexpr (std::is_same_v<K, FeishuReceiver>) {
          post.robot = true;
          if (!k.secret_env.empty()) {
            absl::StatusOr<std::string> secret = SecretFromEnv(k.secret_env, "Feishu secret");
            if (!secret.ok()) return secret.status();
            const int64_t ts = now / 1000;
            signed_body["timestamp"] = fmt::format("{}", ts);
            signed_body["sign"] = FeishuSign(ts, *secret);
          }
        } else if constexpr (std::is_same_v<K, WebhookReceiver>) {
          post.headers = k.headers;
        } else {  // Alertmanager
          while (!post.url.empty() && post.url.back() == '/') post.url.pop_back();
          post.url += "/api/v2/alerts";
        }
        post.body = signed_body.dump(-1, ' ', false, Json::error_handler_t::replace);
        return post;
        }
      },
      kind);
}

}  // namespace

absl::Status SendPayload(const ReceiverConfig& receiver, const std::string& payload_json,
                         const std::string& message_id, TimeMs now, const SendLimits& limits) {
  Json payload = Json::parse(payload_json, nullptr, /*allow_exceptions=*/false);
  const std::string kind = ReceiverKindName(receiver.kind);
  if (!payload.is_object() || payload.value("kind", "") != kind) {
    return absl::InvalidArgumentError(fmt::format(
        "receiver {} is now {}, but the message was rendered for {}", receiver.name, kind,
        payload.is_object() ? payload.value("kind", "?") : std::string("nothing readable")));
  }
  const std::string what = fmt::format("{} receiver {}", kind, receiver.name);
  if (const auto* email = std::get_if<EmailReceiver>(&receiver.kind)) {
    return SendEmail(*email, payload, message_id, now, limits);
  }
  absl::StatusOr<Post> post = MakePost(receiver.kind, payload["body"], now);
  if (!post.ok()) {
    return absl::Status(post.status().code(),
                        fmt::format("{}: {}", what, AsStd(post.status().message())));
  }
  return PostJson(what, *post, limits);
}

}  // namespace vigil::alerting
