// GET /api/v1/stream: the console's live updates as server-sent events (docs/console-api.md).
// The listeners and the thread feeding them are in
// stream_hub.h; this file says what each event holds and answers the HTTP side.
#include <string_view>

#include "fmt/format.h"
#include "http/routes.h"
#include "spdlog/spdlog.h"

namespace vigil::http {
namespace {

constexpr int kMaxRecordsPerEvent = 200;

std::string StatsEvent(const RouteContext& c) {
  serve::Runtime& rt = *c.services.runtime;
  const serve::RuntimeStats st = rt.stats();
  c.ingest_rate->Sample(st.records);
  return Json{{"now_ms", rt.clock().Now()},
              {"timezone", rt.config()->config.timezone},  // pages show times in it without the config
              {"records_per_s", c.ingest_rate->PerSecond()},
              {"records_total", st.records},
              {"queue_depth", rt.queue().depth().records},
              {"lag_ms", st.lag_ms}}
      .dump();
}

// The body of GET /api/v1/alerts?state=firing, built by the same function as that route (so
// the event carries exactly what the route answers). Once a second, on the stream thread.
std::optional<std::string> FiringAlerts(const RouteContext& c) {
  absl::StatusOr<Json> body = AlertsJson(c, "firing", std::nullopt);
  if (!body.ok()) {
    spdlog::warn("event stream: reading the firing alerts failed: {}", std::string(body.status().message()));
    return std::nullopt;
  }
  return body->dump(-1, ' ', false, Json::error_handler_t::replace);
}

serve::RecentFilter RecentFilterOf(const StreamFilter& f) {
  serve::RecentFilter out;
  out.txn = f.txn;
  out.node = f.node;
  out.ret = f.ret;
  out.svc_sys = f.svc_sys;
  out.sys = f.sys;
  return out;
}

std::optional<std::string> NewRecords(const RouteContext& c, const StreamFilter& filter, TimeMs* after) {
  serve::RecentFilter f = RecentFilterOf(filter);
  f.after = *after;
  f.limit = kMaxRecordsPerEvent;
  const std::vector<serve::RecentRecord> records = c.services.runtime->series().Recent(f);
  if (records.empty()) return std::nullopt;
  const auto config = c.services.runtime->config();
  Json rows = Json::array();
  for (const serve::RecentRecord& r : records) {
    rows.push_back(RecentRecordJson(r, config->tz));
    *after = std::max(*after, r.time);
  }
  return Json{{"records", std::move(rows)}}.dump(-1, ' ', false, Json::error_handler_t::replace);
}

TimeMs NewestRecord(const RouteContext& c, const StreamFilter& filter) {
  serve::RecentFilter f = RecentFilterOf(filter);
  f.limit = 1;
  const auto records = c.services.runtime->series().Recent(f);
  return records.empty() ? INT64_MIN : records.front().time;
}

absl::Status ParseTopics(const httplib::Request& req, StreamTopics* topics) {
  if (!req.has_param("topics")) {
    *topics = {true, true, true};
    return absl::OkStatus();
  }
  const std::string list = req.get_param_value("topics");
  size_t at = 0;
  while (at <= list.size()) {
    size_t comma = list.find(',', at);
    if (comma == std::string::npos) comma = list.size();
    const std::string_view t(list.data() + at, comma - at);
    at = comma + 1;
    if (t == "stats") topics->stats = true;
    else if (t == "alerts") topics->alerts = true;
    else if (t == "records") topics->records = true;
    else if (!t.empty()) {
      return absl::InvalidArgumentError(
          fmt::format("query parameter topics: unknown topic '{}' (stats, alerts, records)", t));
    }
  }
  return absl::OkStatus();
}

void Stream(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  StreamTopics topics;
  if (auto s = ParseTopics(req, &topics); !s.ok()) return SendStatus(res, s);
  StreamFilter filter;
  filter.txn = req.get_param_value("txn");
  filter.node = req.get_param_value("node");
  filter.ret = req.get_param_value("ret");
  filter.svc_sys = req.get_param_value("svc_sys");
  filter.sys = req.get_param_value("sys");
  StreamHub* hub = c.streams;
  std::shared_ptr<StreamHub::Listener> listener = hub->Open(topics, std::move(filter));
  if (!listener) {
    res.set_header("Retry-After", "10");
    return SendError(res, 503, fmt::format("{} event streams are open, the most this server takes (--max-streams)",
                                           c.options.max_streams));
  }
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");  // a reverse proxy must not hold events back
  res.set_chunked_content_provider(
      "text/event-stream",
      [hub, listener](size_t, httplib::DataSink& sink) {
        std::string text;
        if (!hub->Next(*listener, &text)) return false;  // server stopping, or client too slow
        return sink.write(text.data(), text.size());
      },
      [hub, listener](bool) { hub->Close(listener); });
}

}  // namespace

StreamSources MakeStreamSources(const RouteContext& c) {
  StreamSources s;
  s.stats = [c] { return StatsEvent(c); };
  s.alerts = [c] { return FiringAlerts(c); };
  s.records = [c](const StreamFilter& f, TimeMs* after) { return NewRecords(c, f, after); };
  s.newest = [c](const StreamFilter& f) { return NewestRecord(c, f); };
  return s;
}

void AddStreamRoutes(httplib::Server& s, const RouteContext& c) {
  s.Get("/api/v1/stream", [c](const httplib::Request& req, httplib::Response& res) { Stream(c, req, res); });
}

}  // namespace vigil::http
