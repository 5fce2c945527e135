// HMAC signing and the encodings the receivers need (notify.h), with libsodium.
#include <algorithm>
#include <mutex>

#include "alerting/notify.h"
#include "fmt/format.h"
#include "sodium.h"

namespace vigil::alerting {
namespace {

void EnsureSodium() {
  static std::once_flag once;
  std::call_once(once, [] { [[maybe_unused]] int rc = sodium_init(); });
}

}  // namespace

std::string Base64(std::string_view bytes) {
  EnsureSodium();
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string HmacSha256Base64(std::string_view key, std::string_view message) {
  EnsureSodium();
  crypto_auth_hmacsha256_state state;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return Base64(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

std::string UrlEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string DingtalkSignedUrl(const std::string& url, TimeMs now, std::string_view secret) {
  const std::string timestamp = fmt::format("{}", now);
  const std::string sign =
      HmacSha256Base64(secret, fmt::format("{}\n{}", timestamp, secret));
  return fmt::format("{}{}timestamp={}&sign={}", url,
                     url.find('?') == std::string::npos ? '?' : '&', timestamp, UrlEncode(sign));
}

std::string FeishuSign(int64_t timestamp_s, std::string_view secret) {
  return HmacSha256Base64(fmt::format("{}\n{}", timestamp_s, secret), "");
}

std::string EncodeHeaderWords(std::string_view text) {
  bool plain = std::all_of(text.begin(), text.end(),
                           [](char c) { return c >= 0x20 && c < 0x7f; });
  if (plain) return std::string(text);
  // 45 bytes of text make 60 base64 characters: with "=?UTF-8?B?" and "?=", 72 <= 75.
  constexpr size_t kChunk = 45;
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t n = std::min(kChunk, text.size() - i);
    while (i + n < text.size() && n > 0 &&
           (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) {
      --n;  // do not cut a character in two
    }
    if (!out.empty()) out += ' ';
    out += fmt::format("=?UTF-8?B?{}?=", Base64(text.substr(i, n)));
    i += n;
  }
  return out;
}

}  // namespace vigil::alerting
