// The built web console, served from a directory (`--web-root`): every GET that is not the API,
// /metrics, /healthz or /readyz.
//
// - A path naming a regular file under the root answers that file with its Content-Type;
//   `/assets/*` (Vite's content-hashed bundles) are cached for a year, everything else
//   (index.html above all) is `no-cache`, so a new build is picked up at the next load.
// - Any other path outside /assets/ answers index.html: the console's client-side routes
//   (/codes/A001, /alerts ...) work on reload and from bookmarks. A missing asset is a 404.
// - Paths with a `..` segment are refused (400) and a file is served only when its real path
//   (symlinks resolved) lies under the root's real path, so nothing outside the root leaks.
// - Without an index.html in the root, every such path answers a small HTML page saying the
//   console was not built and how to build it (200, not a 404: someone opened the server's
//   address in a browser).
//
// Compression is httplib's: text, JavaScript, JSON and SVG are gzipped when the client
// accepts it (ApiServer keeps brotli out: httplib runs it at quality 11, far too slow).
//
// Thread safety: immutable after construction; Serve may run on any number of threads.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "httplib.h"

namespace vigil::http {

class StaticFiles {
 public:
  explicit StaticFiles(const std::string& root);

  // Answers a GET of `path` (the request's decoded path, starting with '/').
  void Serve(const std::string& path, httplib::Response& res) const;
  // The root's real path when it holds an index.html (the console was built).
  std::optional<std::filesystem::path> BuiltRoot() const;
  const std::filesystem::path& root() const { return root_; }

 private:
  void ServeFile(const std::filesystem::path& file, bool immutable, httplib::Response& res) const;
  void ServeNotBuilt(httplib::Response& res) const;

  std::filesystem::path root_;  // as configured
};

// The Content-Type for a file name ("index.html" -> "text/html; charset=utf-8").
const char* ContentTypeOf(const std::filesystem::path& file);

}  // namespace vigil::http
