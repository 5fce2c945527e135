// E-mail over SMTP with libcurl (notify.h): STARTTLS, SMTPS or plain; AUTH when a user is
// configured; a MIME message whose body is multipart/alternative (text/plain, text/html, UTF-8,
// base64) and whose subject is RFC 2047 encoded.
#include "absl/time/time.h"
#include "alerting/curl_easy.h"
#include "alerting/notify.h"
#include "fmt/format.h"

namespace vigil::alerting {
namespace {

// Header values must not break lines (a name from the configuration could hold one).
std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return s;
}

// Owns a curl_mime tree.
struct Mime {
  explicit Mime(CURL* curl) : mime(curl_mime_init(curl)) {}
  ~Mime() { curl_mime_free(mime); }
  curl_mime* mime;
};

void AddTextPart(curl_mime* alt, const std::string& text, const char* type) {
  curl_mimepart* part = curl_mime_addpart(alt);
  curl_mime_data(part, text.data(), text.size());
  curl_mime_type(part, type);
  curl_mime_encoder(part, "base64");
}

}  // namespace

absl::Status SendEmail(const EmailReceiver& email, const nlohmann::json& payload,
                       const std::string& message_id, TimeMs now, const SendLimits& limits) {
  const std::string what = fmt::format("SMTP {}", email.smarthost);
  CurlEasy curl(limits);
  CURL* c = curl.get();
  const std::string url =
      fmt::format("{}://{}", email.tls == SmtpTls::kSmtps ? "smtps" : "smtp", email.smarthost);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_USE_SSL,
                   email.tls == SmtpTls::kNone ? CURLUSESSL_NONE : CURLUSESSL_ALL);
  std::string password;
  if (!email.username.empty()) {
    absl::StatusOr<std::string> secret = SecretFromEnv(email.password_env, "SMTP password");
    if (!secret.ok()) return secret.status();
    password = *secret;
    curl_easy_setopt(c, CURLOPT_USERNAME, email.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, password.c_str());
  }
  const std::string from = fmt::format("<{}>", OneLine(email.from));
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  // A desk mail to a reporter names its one recipient; everything else goes to the receiver's.
  std::vector<std::string> recipients = email.to;
  if (auto it = payload.find("to"); it != payload.end() && it->is_array() && !it->empty()) {
    recipients.clear();
    for (const auto& a : *it) {
      if (a.is_string()) recipients.push_back(a.get<std::string>());
    }
  }
  if (recipients.empty()) return absl::InvalidArgumentError("an e-mail with no recipient");
  curl_slist* rcpt = nullptr;
  for (const std::string& to : recipients) {
    rcpt = curl_slist_append(rcpt, fmt::format("<{}>", OneLine(to)).c_str());
  }
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);

  curl.AddHeader(fmt::format(
      "Date: {}", absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", absl::FromUnixMillis(now),
                                   absl::UTCTimeZone())));
  curl.AddHeader(fmt::format("From: {}", OneLine(email.from)));
  curl.AddHeader(fmt::format("To: {}", OneLine(fmt::format("{}", fmt::join(recipients, ", ")))));
  curl.AddHeader(fmt::format("Subject: {}",
                             EncodeHeaderWords(payload.value("subject", "vigil alert"))));
  curl.AddHeader(fmt::format("Message-ID: <{}@vigil>", OneLine(message_id)));

  Mime top(c);
  curl_mime* alt = curl_mime_init(c);  // owned by `top` once attached
  AddTextPart(alt, payload.value("text", ""), "text/plain; charset=utf-8");
  AddTextPart(alt, payload.value("html", ""), "text/html; charset=utf-8");
  curl_mimepart* body = curl_mime_addpart(top.mime);
  curl_mime_subparts(body, alt);
  curl_mime_type(body, "multipart/alternative");
  curl_easy_setopt(c, CURLOPT_MIMEPOST, top.mime);

  absl::Status s = curl.Perform(what);
  curl_slist_free_all(rcpt);
  return s;
}

}  // namespace vigil::alerting
