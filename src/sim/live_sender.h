// Delivers batches of records to a running `vigil serve`: each batch is gzip-compressed JSON
// Lines POSTed to `{target}/api/v1/records` (Content-Type application/x-ndjson,
// Content-Encoding gzip, Authorization: Bearer <token>) over one kept-alive connection
// (libcurl).
//
// A batch is never dropped: on 429 (queue full; Retry-After seconds honoured), 503 (not
// ready), other 5xx and connection errors (server not up yet, restarting) the same batch is
// sent again after a backoff, until the server takes it or the run is stopped. 401/403 and
// other 4xx are final: retrying cannot help. A 200 answer is read as
// {"accepted":N,"rejected":M,"errors":[...]}.
//
// If the server took a batch but its answer was lost (a timeout after the request was read),
// the retry delivers it a second time; HTTP gives no way to tell.
//
// Waiting goes through a Sleeper, so tests run without real waiting.
//
// Thread safety: a RecordSender is used by one thread at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace vigil::sim {

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // Waits `ms` milliseconds; false when the run is stopping (the caller then gives up).
  virtual bool Sleep(int64_t ms) = 0;
};

// Sleeps for real, in slices, and returns false early once `*stop` is set.
class SystemSleeper final : public Sleeper {
 public:
  explicit SystemSleeper(const std::atomic<bool>* stop = nullptr) : stop_(stop) {}
  bool Sleep(int64_t ms) override;

 private:
  const std::atomic<bool>* stop_;
};

struct SenderOptions {
  std::string target;  // "http://127.0.0.1:8080"; the path /api/v1/records is appended
  std::string token;   // bearer token; empty: no Authorization header
  int64_t connect_timeout_ms = 5'000;
  int64_t request_timeout_ms = 60'000;
  int64_t backoff_min_ms = 250;  // first wait after a failure; doubles up to backoff_max_ms
  int64_t backoff_max_ms = 5'000;
  int64_t retry_after_max_ms = 60'000;  // a longer Retry-After is cut to this
  const std::atomic<bool>* stop = nullptr;  // set: an ongoing request is aborted
};

struct SendStats {
  int64_t batches = 0;  // delivered
  int64_t records = 0;  // in delivered batches
  int64_t accepted = 0, rejected = 0;  // as the server counted them
  int64_t retries = 0;                 // attempts after a batch's first, for any cause
  int64_t bytes = 0;                   // compressed bytes of delivered batches
  std::vector<std::string> errors;     // the server's first rejection messages (up to 20)
};

// gzip (RFC 1952) of `data`, zlib level 1 (the fastest; JSON Lines still shrink about 6x).
std::string GzipCompress(std::string_view data);

class RecordSender {
 public:
  // `log` gets one line when deliveries start failing (other than 429) and one when they
  // succeed again, and the server's first rejection messages.
  RecordSender(SenderOptions options, Sleeper& sleeper,
               std::function<void(const std::string&)> log = nullptr);
  ~RecordSender();
  RecordSender(const RecordSender&) = delete;
  RecordSender& operator=(const RecordSender&) = delete;

  // Delivers one batch of `records` JSON lines, retrying as above. Errors:
  // PermissionDenied (401/403), InvalidArgument (another 4xx: the batch or the target is
  // wrong), Cancelled (stopped while waiting).
  absl::Status Send(std::string_view jsonl, int64_t records);

  const SendStats& stats() const { return stats_; }
  const std::string& url() const { return url_; }

 private:
  struct Response;
  Response Post(const std::string& body);
  void Delivered(const Response& r, int64_t records, size_t bytes);
  void Log(const std::string& line) const;

  SenderOptions options_;
  Sleeper& sleeper_;
  std::function<void(const std::string&)> log_;
  std::string url_;
  void* curl_ = nullptr;     // CURL*
  void* headers_ = nullptr;  // curl_slist*
  bool failing_ = false;     // a failure other than 429 was reported and not yet cleared
  SendStats stats_;
};

}  // namespace vigil::sim
