// Bad input at the HTTP door: wrong tokens, bad gzip, oversized bodies, malformed records.
// Each gets a clear answer, the good records of a mixed body are kept, the server stays up.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <zlib.h>

#include <gtest/gtest.h>

#include "serve_fixture.h"

namespace vigil::testing {
namespace {

std::string Gzip(const std::string& text) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(compressBound(text.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

class ServeInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path(), ServeConfig(hook_.port(), smtp_.hostport()),
                                              "2026-11-20T10:00:00+08:00");
    server_->Start({"--max-body-bytes", "1000000"});
  }
  httplib::Result PostGzip(const std::string& body) {
    return server_->http().Post("/api/v1/records",
                                {{"Authorization", "Bearer ingest-secret"}, {"Content-Encoding", "gzip"}},
                                body, "application/x-ndjson");
  }
  ScratchDir dir_;
  HttpTestListener hook_;
  SmtpTestServer smtp_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServeInputTest, WrongOrMissingTokenIsRefused) {
  EXPECT_EQ(server_->PostRecords(Records("A001", "10:00", 3, 0), "nope")->status, 401);
  auto r = server_->http().Post("/api/v1/records", Records("A001", "10:00", 3, 0), "application/x-ndjson");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer");
}

TEST_F(ServeInputTest, GzipBodiesAreInflatedAndBadGzipIsA400) {
  auto good = PostGzip(Gzip(Records("A001", "10:00", 50, 0)));
  ASSERT_TRUE(good);
  ASSERT_EQ(good->status, 200) << good->body;
  EXPECT_EQ(nlohmann::json::parse(good->body)["accepted"], 50);
  auto bad = PostGzip("\x1f\x8b\x08\x00 definitely not deflate data");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400) << bad->body;
  EXPECT_NE(bad->body.find("gzip"), std::string::npos) << bad->body;
}

TEST_F(ServeInputTest, OversizedBodiesAreRefusedSentOrInflated) {
  auto big = server_->PostRecords(std::string(2'000'000, ' '));
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  // ~300 KB of gzip that inflates past the server's inflated limit is stopped, not inflated.
  std::string bomb_text(300 << 20, '\n');
  auto bomb = PostGzip(Gzip(bomb_text));
  ASSERT_TRUE(bomb);
  EXPECT_EQ(bomb->status, 413) << bomb->body;
  EXPECT_EQ(server_->http().Get("/healthz")->status, 200);
}

TEST_F(ServeInputTest, MalformedLinesAreCountedAndTheirNeighboursKept) {
  std::string body = Records("A001", "10:00", 2, 0) + "{not json\n" +
                     R"({"ts":"2026-11-20T10:00:05+08:00","txn":"A001"})" "\n" +
                     R"({"ts":"2026-11-20T12:00:05+08:00","txn":"A001","ret":"000000"})" "\n" +
                     Records("A002", "10:00", 1, 0);
  auto r = server_->PostRecords(body);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["accepted"], 3);
  EXPECT_EQ(j["rejected"], 3);
  EXPECT_EQ(j["rejected_by_reason"]["invalid_json"], 1);
  EXPECT_EQ(j["rejected_by_reason"]["missing_field"], 1);
  EXPECT_EQ(j["rejected_by_reason"]["future_time"], 1);
  ASSERT_EQ(j["errors"].size(), 3u);
  EXPECT_EQ(j["errors"][0].get<std::string>().rfind("line 3:", 0), 0u) << j["errors"][0];
  auto metrics = server_->http().Get("/metrics");
  EXPECT_NE(metrics->body.find("vigil_records_rejected_total{reason=\"invalid_json\"} 1"), std::string::npos);
}

TEST_F(ServeInputTest, EveryRouteIsInTheOpenApiDocument) {
  auto doc = server_->GetJson("/api/v1/openapi.json");
  for (const char* path : {"/api/v1/records", "/api/v1/alerts", "/api/v1/alerts/events", "/api/v1/codes",
                           "/api/v1/codes/{txn}/series", "/api/v1/records/recent", "/api/v1/silences",
                           "/api/v1/config", "/metrics", "/healthz", "/readyz"}) {
    EXPECT_TRUE(doc["paths"].contains(path)) << path;
  }
  EXPECT_EQ(server_->http().Get("/readyz")->status, 200);
}

}  // namespace
}  // namespace vigil::testing

namespace vigil::testing {
namespace {

// A client that opens a request and then says nothing must not hold a worker forever, and
// must not stop others from being served meanwhile.
TEST(ServeSlowClientTest, SilentClientIsCutOffAndOthersAreServed) {
  ScratchDir dir;
  testing_http::HttpTestListener hook;
  testing_smtp::SmtpTestServer smtp;
  ServerProcess server(dir.path(), ServeConfig(hook.port(), smtp.hostport()), "2026-11-20T10:00:00+08:00");
  server.Start({"--read-timeout", "1"});
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(server.port()));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  const std::string partial = "POST /api/v1/records HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"ts\":";
  ASSERT_GT(::send(fd, partial.data(), partial.size(), 0), 0);
  EXPECT_EQ(server.http().Get("/healthz")->status, 200);  // served while the slow one waits
  // The server closes the silent connection after its read timeout (1 s here).
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const auto start = std::chrono::steady_clock::now();
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
  }
  EXPECT_EQ(n, 0) << "the connection was not closed by the server";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
  ::close(fd);
  EXPECT_EQ(server.http().Get("/healthz")->status, 200);
}

}  // namespace
}  // namespace vigil::testing
