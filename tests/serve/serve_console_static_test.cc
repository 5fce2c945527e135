// The web console's files from --web-root: content types and caching, client-side routes
// answered with index.html, the API's own 404s kept, gzip without brotli, no way out of the
// root (.., encoded .., symlinks), and a page saying how to build the console when it is not.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "raw_http.h"
#include "serve_fixture.h"

namespace vigil::testing {
namespace {

constexpr const char* kStart = "2026-11-20T10:00:00+08:00";
constexpr const char* kIndex = "<!doctype html><html><body><div id=\"root\"></div></body></html>\n";
constexpr const char* kMobile = "<!doctype html><html><body><div id=\"root\">mss</div></body></html>\n";
constexpr const char* kSecret = "TOP-SECRET-OUTSIDE-THE-ROOT";

class ServeConsoleStaticTest : public ::testing::Test {
 protected:
  void SetUp() override {
    namespace fs = std::filesystem;
    web_ = dir_.path() + "/web";
    fs::create_directories(web_ + "/assets");
    std::ofstream(web_ + "/index.html") << kIndex;
    for (int i = 0; i < 2000; ++i) script_ += "console.log('vigil console line " + std::to_string(i) + "');\n";
    std::ofstream(web_ + "/assets/index-4f2a9c.js") << script_;
    std::ofstream(web_ + "/favicon.svg") << "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    std::ofstream(dir_.path() + "/secret.txt") << kSecret;
    fs::create_symlink(dir_.path() + "/secret.txt", web_ + "/leak.txt");
    fs::create_symlink(dir_.path(), web_ + "/assets/outside");
  }
  void StartServer(const std::string& web_root) {
    server_ = std::make_unique<ServerProcess>(dir_.path() + "/srv", ServeConfig(hook_.port(), smtp_.hostport()), kStart);
    server_->Start({"--web-root", web_root});
  }
  ScratchDir dir_;
  HttpTestListener hook_;
  SmtpTestServer smtp_;
  std::unique_ptr<ServerProcess> server_;
  std::string web_, script_;
};

TEST_F(ServeConsoleStaticTest, ServesTheConsoleWithCachingAndClientSideRoutes) {
  StartServer(web_);
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  auto index = server_->http().Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->body, kIndex);
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index->get_header_value("Cache-Control"), "no-cache");

  auto script = server_->http().Get("/assets/index-4f2a9c.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  EXPECT_EQ(script->body, script_);
  EXPECT_EQ(script->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(script->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  auto svg = server_->http().Get("/favicon.svg");
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->get_header_value("Content-Type"), "image/svg+xml");

  // Client-side routes answer index.html; a missing asset and unknown API paths do not.
  for (const char* route : {"/codes/A001", "/alerts", "/codes/A001/detail?x=1"}) {
    auto r = server_->http().Get(route);
    ASSERT_TRUE(r) << route;
    EXPECT_EQ(r->status, 200) << route;
    EXPECT_EQ(r->body, kIndex) << route;
  }
  auto missing = server_->http().Get("/assets/index-000000.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto api = server_->http().Get("/api/v1/no-such-thing");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 404);
  EXPECT_NE(api->body.find("\"error\""), std::string::npos) << api->body;
  EXPECT_EQ(server_->http().Get("/healthz")->body, "ok\n");
  EXPECT_NE(server_->http().Get("/metrics")->body.find("vigil_records_applied_total"), std::string::npos);
}

// The MSS mobile pages are a second application (web/m.html): their routes get m.html, the
// console's keep index.html, and without an m.html /m/ falls back to the console.
TEST_F(ServeConsoleStaticTest, MobileRoutesAnswerTheMobilePage) {
  StartServer(web_);
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  auto before = server_->http().Get("/m/mine");
  ASSERT_TRUE(before);
  EXPECT_EQ(before->body, kIndex) << "no m.html yet: the console's page";
  std::ofstream(web_ + "/m.html") << kMobile;
  for (const char* route : {"/m", "/m/", "/m/mine", "/m/incidents/12?x=1"}) {
    auto r = server_->http().Get(route);
    ASSERT_TRUE(r) << route;
    EXPECT_EQ(r->status, 200) << route;
    EXPECT_EQ(r->body, kMobile) << route;
    EXPECT_EQ(r->get_header_value("Cache-Control"), "no-cache") << route;
  }
  for (const char* route : {"/mine", "/desk/incidents/12", "/media"}) {
    auto r = server_->http().Get(route);
    ASSERT_TRUE(r) << route;
    EXPECT_EQ(r->body, kIndex) << route;
  }
  auto asset = server_->http().Get("/assets/m-000000.js");
  ASSERT_TRUE(asset);
  EXPECT_EQ(asset->status, 404);
}

TEST_F(ServeConsoleStaticTest, GzipsForBrowsersThatAlsoOfferBrotli) {
  StartServer(web_);
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  const RawResponse r = RawGet(server_->port(), "/assets/index-4f2a9c.js", "Accept-Encoding: gzip, deflate, br\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-encoding"), "gzip");
  EXPECT_LT(r.body.size(), script_.size() / 4);
}

TEST_F(ServeConsoleStaticTest, NothingOutsideTheRootIsServed) {
  StartServer(web_);
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  for (const char* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt",
                             "/..%2fsecret.txt", "/assets/..%2F..%2Fsecret.txt", "/leak.txt",
                             "/assets/outside/secret.txt", "/assets/outside/web/index.html", "//etc/passwd",
                             "/assets/%5c..%5c..%5csecret.txt"}) {
    const RawResponse r = RawGet(server_->port(), target);
    EXPECT_EQ(r.body.find(kSecret), std::string::npos) << target;
    EXPECT_TRUE(r.status == 400 || r.status == 404 || (r.status == 200 && r.body == kIndex))
        << target << ": " << r.status << " " << r.body.substr(0, 200);
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << target;
  }
  EXPECT_EQ(RawGet(server_->port(), "/../secret.txt").status, 400);
  EXPECT_EQ(RawGet(server_->port(), "/%2e%2e/secret.txt").status, 400);
  EXPECT_EQ(RawGet(server_->port(), "/leak.txt").status, 404);
  EXPECT_EQ(RawGet(server_->port(), "/assets/outside/secret.txt").status, 404);
}

TEST_F(ServeConsoleStaticTest, SaysHowToBuildTheConsoleWhenItIsMissing) {
  StartServer(dir_.path() + "/not-built");
  ASSERT_FALSE(HasFatalFailure()) << "the server did not start";
  auto page = server_->http().Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->body.find("not built"), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("make build"), std::string::npos);
  EXPECT_EQ(server_->http().Get("/codes/A001")->body, page->body);
  EXPECT_EQ(server_->http().Get("/assets/index-4f2a9c.js")->status, 404);
  EXPECT_EQ(server_->http().Get("/api/v1/config")->status, 200);

  // Built while the server runs: served at the next request.
  std::filesystem::copy(web_, dir_.path() + "/not-built", std::filesystem::copy_options::recursive |
                                                             std::filesystem::copy_options::copy_symlinks);
  EXPECT_EQ(server_->http().Get("/")->body, kIndex);
}

}  // namespace
}  // namespace vigil::testing
