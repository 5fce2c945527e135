// HTTP delivery of record batches with retries; see live_sender.h.
#include "sim/live_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "zlib.h"

namespace vigil::sim {
namespace {

constexpr size_t kMaxErrorsKept = 20;
constexpr size_t kErrorsLogged = 5;

size_t AppendBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

// "Retry-After: 2" in delay-seconds form; the HTTP-date form is left to the backoff.
size_t ReadHeader(char* data, size_t size, size_t n, void* user) {
  std::string_view line(data, size * n);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size() &&
      std::equal(kName.begin(), kName.end(), line.begin(),
                 [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); })) {
    std::string_view value = line.substr(kName.size());
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    int64_t seconds = 0;
    size_t digits = 0;
    while (digits < value.size() && digits < 9 && std::isdigit(static_cast<unsigned char>(value[digits]))) {
      seconds = seconds * 10 + (value[digits++] - '0');
    }
    if (digits > 0) *static_cast<std::optional<int64_t>*>(user) = seconds * 1000;
  }
  return size * n;
}

int AbortOnStop(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* stop = static_cast<const std::atomic<bool>*>(user);
  return stop != nullptr && stop->load() ? 1 : 0;
}

std::string Snippet(const std::string& body) {
  std::string s = body.substr(0, 200);
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

}  // namespace

bool SystemSleeper::Sleep(int64_t ms) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (true) {
    if (stop_ != nullptr && stop_->load()) return false;
    auto left = until - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        left, std::chrono::milliseconds(100)));
  }
}

std::string GzipCompress(std::string_view data) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);  // the buffer holds deflateBound: one call finishes
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

struct RecordSender::Response {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::optional<int64_t> retry_after_ms;
  std::string error;  // curl's message when code != CURLE_OK
};

RecordSender::RecordSender(SenderOptions options, Sleeper& sleeper,
                           std::function<void(const std::string&)> log)
    : options_(std::move(options)), sleeper_(sleeper), log_(std::move(log)) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::string base = options_.target;
  while (!base.empty() && base.back() == '/') base.pop_back();
  url_ = base + "/api/v1/records";
  CURL* curl = curl_easy_init();
  curl_ = curl;
  curl_slist* h = nullptr;
  h = curl_slist_append(h, "Content-Type: application/x-ndjson");
  h = curl_slist_append(h, "Content-Encoding: gzip");
  h = curl_slist_append(h, "Expect:");  // no 100-continue round trip for large batches
  if (!options_.token.empty()) {
    h = curl_slist_append(h, ("Authorization: Bearer " + options_.token).c_str());
  }
  headers_ = h;
  curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout_ms));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, ReadHeader);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, AbortOnStop);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, options_.stop);
}

RecordSender::~RecordSender() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
  curl_slist_free_all(static_cast<curl_slist*>(headers_));
}

RecordSender::Response RecordSender::Post(const std::string& body) {
  CURL* curl = static_cast<CURL*>(curl_);
  Response r;
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r.retry_after_ms);
  r.code = curl_easy_perform(curl);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  if (r.code != CURLE_OK) {
    r.error = error[0] != '\0' ? error : curl_easy_strerror(r.code);
  } else {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  }
  return r;
}

absl::Status RecordSender::Send(std::string_view jsonl, int64_t records) {
  const std::string body = GzipCompress(jsonl);
  int64_t backoff = options_.backoff_min_ms;
  for (int attempt = 0;; ++attempt) {
    if (attempt > 0) ++stats_.retries;
    Response r = Post(body);
    if (r.code == CURLE_OK && r.status >= 200 && r.status < 300) {
      Delivered(r, records, body.size());
      return absl::OkStatus();
    }
    if (r.code == CURLE_ABORTED_BY_CALLBACK) {
      return absl::CancelledError("stopped while sending a batch");
    }
    std::string why = r.code != CURLE_OK ? r.error : fmt::format("HTTP {}", r.status);
    if (r.code == CURLE_OK && (r.status == 401 || r.status == 403)) {
      return absl::PermissionDeniedError(
          fmt::format("{} refused the token ({}): check --token or VIGIL_INGEST_TOKEN", url_,
                      why));
    }
    const bool retryable = r.code != CURLE_OK || r.status == 429 || r.status >= 500;
    if (!retryable) {
      return absl::InvalidArgumentError(
          fmt::format("{} answered {}: {}", url_, why, Snippet(r.body)));
    }
    int64_t wait = backoff;
    if (r.retry_after_ms) wait = std::min(*r.retry_after_ms, options_.retry_after_max_ms);
    if (!failing_ && r.status != 429) {
      Log(fmt::format("waiting for {} ({}); retrying until it takes the records", url_, why));
      failing_ = true;
    }
    if (!sleeper_.Sleep(wait)) return absl::CancelledError("stopped while waiting for the server");
    backoff = std::min(backoff * 2, options_.backoff_max_ms);
  }
}

void RecordSender::Delivered(const Response& r, int64_t records, size_t bytes) {
  if (failing_) Log(fmt::format("{} takes records again", url_));
  failing_ = false;
  ++stats_.batches;
  stats_.records += records;
  stats_.bytes += static_cast<int64_t>(bytes);
  nlohmann::json answer = nlohmann::json::parse(r.body, nullptr, false);
  if (!answer.is_object()) {  // a 2xx without the expected body: count the batch as taken
    stats_.accepted += records;
    return;
  }
  stats_.accepted += answer.value("accepted", records);
  const int64_t rejected = answer.value("rejected", int64_t{0});
  stats_.rejected += rejected;
  auto errors = answer.find("errors");
  if (errors == answer.end() || !errors->is_array()) return;
  for (const nlohmann::json& e : *errors) {
    if (stats_.errors.size() >= kMaxErrorsKept) break;
    std::string text = e.is_string() ? e.get<std::string>() : e.dump();
    if (stats_.errors.size() < kErrorsLogged) Log("server rejected a record: " + text);
    stats_.errors.push_back(std::move(text));
  }
}

void RecordSender::Log(const std::string& line) const {
  if (log_) log_(line);
}

}  // namespace vigil::sim
