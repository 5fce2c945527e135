#include "http/static_files.h"

#include <fstream>
#include <iterator>
#include <string_view>
#include <vector>

#include "fmt/format.h"
#include "http/http_util.h"
#include "http/routes.h"
#include "spdlog/spdlog.h"

namespace vigil::http {
namespace fs = std::filesystem;
namespace {

// The request path's segments, or false when one of them tries to leave the root.
bool Segments(const std::string& path, std::vector<std::string>* out) {
  size_t at = 0;
  while (at <= path.size()) {
    size_t slash = path.find('/', at);
    if (slash == std::string::npos) slash = path.size();
    std::string_view seg(path.data() + at, slash - at);
    at = slash + 1;
    if (seg.empty() || seg == ".") continue;
    if (seg == ".." || seg.find('\\') != std::string_view::npos || seg.find('\0') != std::string_view::npos) {
      return false;
    }
    out->emplace_back(seg);
  }
  return true;
}

std::string HtmlEscape(const std::string& text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

// True when `path` (canonical) is `root` (canonical) or lies below it.
bool Within(const fs::path& path, const fs::path& root) {
  const fs::path rel = path.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

const char* ContentTypeOf(const fs::path& file) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},          {".map", "application/json"},
      {".svg", "image/svg+xml"},              {".png", "image/png"},
      {".jpg", "image/jpeg"},                 {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},                  {".webp", "image/webp"},
      {".ico", "image/x-icon"},               {".woff", "font/woff"},
      {".woff2", "font/woff2"},               {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},  {".wasm", "application/wasm"},
  };
  const std::string ext = file.extension().string();
  for (const auto& [e, type] : kTypes) {
    if (ext == e) return type;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(const std::string& root) : root_(root) {}

std::optional<fs::path> StaticFiles::BuiltRoot() const {
  std::error_code ec;
  fs::path root = fs::canonical(root_, ec);
  if (ec || !fs::is_regular_file(root / "index.html", ec)) return std::nullopt;
  return root;
}

void StaticFiles::Serve(const std::string& path, httplib::Response& res) const {
  std::vector<std::string> segments;
  if (!Segments(path, &segments)) return SendError(res, 400, fmt::format("GET {}: the path leaves the web root", path));
  const bool asset = !segments.empty() && segments.front() == "assets";
  // Looked up on every request (a few system calls): a console built after the server
  // started is served without a restart.
  const std::optional<fs::path> root = BuiltRoot();
  if (!root) {
    if (asset) return SendError(res, 404, fmt::format("GET {}: the console is not built", path));
    return ServeNotBuilt(res);
  }
  fs::path candidate = *root;
  for (const std::string& s : segments) candidate /= s;
  std::error_code ec;
  const fs::path real = fs::canonical(candidate, ec);
  if (!ec) {
    if (!Within(real, *root)) return SendError(res, 404, fmt::format("GET {}: no such file", path));
    if (fs::is_regular_file(real, ec)) return ServeFile(real, asset, res);
  }
  if (asset) return SendError(res, 404, fmt::format("GET {}: no such file", path));
  // A client-side route: the MSS mobile pages (/m/...) are their own application, m.html.
  const bool mobile =
      !segments.empty() && segments.front() == "m" && fs::is_regular_file(*root / "m.html", ec);
  ServeFile(*root / (mobile ? "m.html" : "index.html"), false, res);
}

void StaticFiles::ServeFile(const fs::path& file, bool immutable, httplib::Response& res) const {
  std::ifstream in(file, std::ios::binary);
  if (!in) return SendError(res, 404, fmt::format("{}: cannot be read", file.filename().string()));
  std::string body(std::istreambuf_iterator<char>(in), {});
  res.set_header("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(std::move(body), ContentTypeOf(file));
}

void StaticFiles::ServeNotBuilt(httplib::Response& res) const {
  const std::string page = fmt::format(R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vigil: console not built</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>The vigil console is not built</h1>
<p>This server looks for it in <code>{}</code> (<code>--web-root</code>), and found no
<code>index.html</code> there.</p>
<p>Build it with <code>make build</code>, or <code>cmake --build build --target vigil_web</code>
(it needs Node.js and npm: <code>bash scripts/install-deps.sh</code>), then reload this page.
The REST API works without it: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</body></html>
)",
                                       HtmlEscape(root_.string()));
  res.set_header("Cache-Control", "no-cache");
  res.set_content(page, "text/html; charset=utf-8");
}

void AddStaticRoutes(httplib::Server& s, const RouteContext& c) {
  auto files = std::make_shared<StaticFiles>(c.options.web_root);
  if (files->BuiltRoot()) {
    spdlog::info("web console from {}", files->root().string());
  } else {
    spdlog::warn("web console not built: no index.html in {} (--web-root)", files->root().string());
  }
  // Everything but the API and the operations endpoints (whose unknown paths stay JSON 404s).
  s.Get(R"(/(?!api/|api$|metrics$|healthz$|readyz$).*)",
        [files](const httplib::Request& req, httplib::Response& res) { files->Serve(req.path, res); });
}

}  // namespace vigil::http
