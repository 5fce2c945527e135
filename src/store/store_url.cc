#include "store/store_url.h"

#include <cctype>

#include "common/strings.h"
#include "fmt/format.h"

namespace vigil::store {
namespace {

// True when `url` starts with "<scheme>://".
bool HasScheme(std::string_view url) {
  size_t i = 0;
  if (url.empty() || !std::isalpha(static_cast<unsigned char>(url[0]))) return false;
  while (i < url.size() && (std::isalnum(static_cast<unsigned char>(url[i])) || url[i] == '+' ||
                            url[i] == '-' || url[i] == '.')) {
    ++i;
  }
  return url.substr(i, 3) == "://";
}

void RedactQueryPassword(std::string* url) {
  size_t q = url->find('?');
  if (q == std::string::npos) return;
  for (size_t at = q + 1; at < url->size();) {
    size_t end = url->find('&', at);
    if (end == std::string::npos) end = url->size();
    if (std::string_view(*url).substr(at, end - at).starts_with("password=")) {
      url->replace(at + 9, end - at - 9, "***");
      end = at + 12;
    }
    at = end + 1;
  }
}

}  // namespace

std::string RedactUrl(std::string_view url) {
  std::string out(url);
  size_t scheme_end = out.find("://");
  if (scheme_end == std::string::npos) return out;
  size_t start = scheme_end + 3;
  size_t authority_end = out.find_first_of("/?#", start);
  if (authority_end == std::string::npos) authority_end = out.size();
  size_t at = out.rfind('@', authority_end);
  if (at != std::string::npos && at >= start) {
    size_t colon = out.find(':', start);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  RedactQueryPassword(&out);
  return out;
}

absl::StatusOr<StoreUrl> ParseStoreUrl(const std::string& url) {
  std::string_view u = url;
  if (u.starts_with("postgresql://") || u.starts_with("postgres://")) {
    return StoreUrl{StoreUrl::Kind::kPostgres, url};
  }
  std::string_view path = u;
  if (u.starts_with("sqlite:")) {
    path.remove_prefix(7);
    if (path.starts_with("//")) path.remove_prefix(2);
  } else if (HasScheme(u)) {
    return absl::InvalidArgumentError(AsAbsl(fmt::format(
        "store URL '{}': unknown scheme; use sqlite:///path/to/vigil.db or "
        "postgresql://user@host:port/database",
        RedactUrl(u))));
  }
  if (path.empty()) {
    return absl::InvalidArgumentError(
        AsAbsl(fmt::format("store URL '{}': no database file named", RedactUrl(u))));
  }
  return StoreUrl{StoreUrl::Kind::kSqlite, std::string(path)};
}

}  // namespace vigil::store
