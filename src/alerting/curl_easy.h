// Internal to the notifiers: an owned libcurl easy handle with the settings every send shares
// (timeouts, no signals, an error buffer), and turning curl's result into an absl::Status.
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "alerting/notify.h"
#include "curl/curl.h"
#include "nlohmann/json.hpp"

namespace vigil::alerting {

class CurlEasy {
 public:
  // Initialises libcurl once per process.
  explicit CurlEasy(const SendLimits& limits);
  ~CurlEasy();
  CurlEasy(const CurlEasy&) = delete;
  CurlEasy& operator=(const CurlEasy&) = delete;

  CURL* get() const { return curl_; }
  // Adds a header line ("Name: value") sent with the request.
  void AddHeader(const std::string& line);
  // Collects the response body (at most 64 KiB are kept).
  void CaptureBody(std::string* body);
  // Runs the transfer; the error names `what` (the receiver) and what curl said.
  absl::Status Perform(const std::string& what);
  long ResponseCode() const;

 private:
  CURL* curl_;
  curl_slist* headers_ = nullptr;
  char error_[CURL_ERROR_SIZE] = {};
};

// The URL of an HTTP receiver: from the file, or from the environment variable it names.
absl::StatusOr<std::string> ResolveUrl(const HttpTarget& target);
// The value of environment variable `name`; an error naming it when it is unset or empty.
absl::StatusOr<std::string> SecretFromEnv(const std::string& name, const char* what);

// Sends a rendered e-mail payload (notify_smtp.cc).
absl::Status SendEmail(const EmailReceiver& email, const nlohmann::json& payload,
                       const std::string& message_id, TimeMs now, const SendLimits& limits);

}  // namespace vigil::alerting
