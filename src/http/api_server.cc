#include "http/api_server.h"

#include <sys/socket.h>

#include <algorithm>

#include "fmt/format.h"
#include "http/desk_stream.h"
#include "http/listen_backlog.h"
#include "http/history_days.h"
#include "http/http_util.h"
#include "http/incident_routes.h"
#include "http/routes.h"
#include "http/stream_hub.h"
#include "httplib.h"
#include "spdlog/spdlog.h"

namespace vigil::http {
namespace {

// httplib compresses an answer in the best encoding the client accepts. Its brotli runs at
// quality 11 (about 1 MB/s: a 5,000-code answer would take seconds), and browsers offer
// brotli with gzip: leave them gzip. Events must leave as they happen, and a compressor would
// hold them back: the event stream is never compressed.
void LimitResponseEncodings(httplib::Request& req) {
  if (!req.has_header("Accept-Encoding")) return;
  const std::string accepted = req.get_header_value("Accept-Encoding");
  if (req.path == "/api/v1/stream") {
    req.headers.erase("Accept-Encoding");
  } else if (accepted.find("br") != std::string::npos) {
    req.headers.erase("Accept-Encoding");
    if (accepted.find("gzip") != std::string::npos) req.headers.emplace("Accept-Encoding", "gzip");
  }
}

}  // namespace

ApiServer::ApiServer(HttpOptions options, Services services)
    : options_(std::move(options)), services_(std::move(services)) {}

ApiServer::~ApiServer() { Stop(); }

absl::Status ApiServer::Start() {
  server_ = std::make_unique<httplib::Server>();
  httplib::Server& s = *server_;
  // httplib hands each connection to one pool thread for its whole life, and an event stream
  // keeps its connection: room for every stream beside the ordinary workers.
  const int desk_streams = services_.incidents ? std::max(0, options_.max_desk_streams) : 0;
  const size_t threads = static_cast<size_t>(options_.threads) +
                         static_cast<size_t>(std::max(0, options_.max_streams)) +
                         static_cast<size_t>(desk_streams);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.set_payload_max_length(options_.max_body_bytes);
  s.set_read_timeout(options_.read_timeout_s, 0);
  s.set_write_timeout(options_.write_timeout_s, 0);
  s.set_keep_alive_timeout(5);
  s.set_keep_alive_max_count(10'000);
  // httplib writes a response's headers and body in two send()s: with Nagle's algorithm on,
  // the body waits for the client's delayed ACK of the headers (40 ms on Linux), which capped
  // one keep-alive producer at about 11 requests/s (bench/serve_bench.cc). Accepted sockets
  // inherit the option from the listening one.
  s.set_tcp_nodelay(true);
  s.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    LimitResponseEncodings(const_cast<httplib::Request&>(req));
    // Record bodies are journaled as sent: keep httplib from inflating them (DecodeBody does,
    // under a size limit that stops gzip bombs).
    if (req.method == "POST" && req.path == "/api/v1/records" && req.has_header("Content-Encoding")) {
      auto& headers = const_cast<httplib::Request&>(req).headers;
      std::string encoding = req.get_header_value("Content-Encoding");
      headers.erase("Content-Encoding");
      headers.emplace("X-Vigil-Content-Encoding", encoding);
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const char* what = res.status == 404   ? "no such endpoint"
                       : res.status == 413 ? "the body is larger than the server accepts"
                       : res.status == 400 ? "bad request"
                                           : "request failed";
    SendError(res, res.status, fmt::format("{} {}: {}", req.method, req.path, what));
  });
  s.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "internal error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    spdlog::error("{} {}: {}", req.method, req.path, what);
    SendError(res, 500, what);
  });
  ingest_rate_ = std::make_unique<RateMeter>();
  RouteContext ctx{options_, services_, counters_, nullptr, ingest_rate_.get()};
  streams_ = std::make_unique<StreamHub>(MakeStreamSources(ctx), options_.max_streams);
  ctx.streams = streams_.get();
  if (services_.incidents) {
    desk_streams_ = std::make_unique<DeskStreamHub>(services_.incidents, options_.max_desk_streams);
    ctx.desk_streams = desk_streams_.get();
  }
  AddIngestRoutes(s, ctx);
  AddAlertRoutes(s, ctx);
  AddTrafficRoutes(s, ctx);
  AddSilenceRoutes(s, ctx);
  AddSystemRoutes(s, ctx);
  AddConsoleRoutes(s, ctx);
  AddStreamRoutes(s, ctx);
  if (services_.desk) AddAuthRoutes(s, ctx);
  if (services_.desk && services_.incidents) AddIncidentRoutes(s, ctx);
  AddStaticRoutes(s, ctx);  // last: it answers every other GET outside the API

  if (options_.port == 0) {
    port_ = s.bind_to_any_port(options_.host);
  } else {
    port_ = s.bind_to_port(options_.host, options_.port) ? options_.port : -1;
  }
  if (port_ <= 0) {
    return absl::UnavailableError(
        fmt::format("cannot listen on {}:{} (in use, or not an address of this machine)",
                    options_.host, options_.port));
  }
  if (RaiseListenBacklog(port_, SOMAXCONN) == 0) {
    spdlog::warn("http: the listening socket on port {} was not found; its backlog stays httplib's 5",
                 port_);
  }
  streams_->Start();
  if (desk_streams_) desk_streams_->Start();
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // A code page's baseline band and 交易量环比 read the previous days of today's type from the
  // store (1-2 s each at 5,000 codes): read them now rather than at the first visit.
  warm_thread_ = std::thread([this] {
    serve::Runtime& rt = *services_.runtime;
    const auto config = rt.config();
    const Calendar& cal = config->calendar;
    HistoryDays::For(&rt.store())
        ->Warm(rt.store(), cal, cal.DayOf(rt.clock().Now()),
               config->config.ResolveParams("").baseline_days, stopping_);
  });
  return absl::OkStatus();
}

void ApiServer::Stop() {
  // Streams first: their workers return, so the pool can be joined.
  if (streams_) streams_->Stop();
  if (desk_streams_) desk_streams_->Stop();
  stopping_ = true;
  if (warm_thread_.joinable()) warm_thread_.join();
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace vigil::http
