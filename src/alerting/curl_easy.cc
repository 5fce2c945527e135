// libcurl easy handles for the notifiers (curl_easy.h).
#include "alerting/curl_easy.h"

#include <cstdlib>
#include <mutex>

#include "absl/status/statusor.h"
#include "fmt/format.h"

namespace vigil::alerting {
namespace {

constexpr size_t kMaxBody = 64 * 1024;

size_t AppendBody(char* data, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  size_t bytes = size * n;
  if (body->size() < kMaxBody) body->append(data, std::min(bytes, kMaxBody - body->size()));
  return bytes;
}

}  // namespace

CurlEasy::CurlEasy(const SendLimits& limits) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.connect_timeout_ms));
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.timeout_ms));
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_);
  curl_easy_setopt(curl_, CURLOPT_USERAGENT, "vigil");
}

CurlEasy::~CurlEasy() {
  curl_easy_cleanup(curl_);
  curl_slist_free_all(headers_);
}

void CurlEasy::AddHeader(const std::string& line) {
  headers_ = curl_slist_append(headers_, line.c_str());
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
}

void CurlEasy::CaptureBody(std::string* body) {
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, body);
}

absl::Status CurlEasy::Perform(const std::string& what) {
  CURLcode rc = curl_easy_perform(curl_);
  if (rc == CURLE_OK) return absl::OkStatus();
  std::string detail = error_[0] != '\0' ? error_ : curl_easy_strerror(rc);
  std::string message = fmt::format("{}: {}", what, detail);
  if (long code = ResponseCode(); code != 0) message += fmt::format(" (server answered {})", code);
  return rc == CURLE_OPERATION_TIMEDOUT ? absl::DeadlineExceededError(message)
                                        : absl::UnavailableError(message);
}

long CurlEasy::ResponseCode() const {
  long code = 0;
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &code);
  return code;
}

absl::StatusOr<std::string> SecretFromEnv(const std::string& name, const char* what) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr || *value == '\0') {
    return absl::FailedPreconditionError(
        fmt::format("environment variable {} ({}) is not set", name, what));
  }
  return std::string(value);
}

absl::StatusOr<std::string> ResolveUrl(const HttpTarget& target) {
  if (!target.url.empty()) return target.url;
  return SecretFromEnv(target.url_env, "the receiver's URL");
}

}  // namespace vigil::alerting
