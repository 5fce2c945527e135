#include "desk/tokens.h"

#include <sodium.h>

#include "desk/password.h"

namespace vigil::desk {

std::string NewSecret() {
  SodiumReady();
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

std::string NewApiToken() { return std::string(kApiTokenPrefix) + NewSecret(); }

bool LooksLikeApiToken(std::string_view token) { return token.starts_with(kApiTokenPrefix); }

std::string TokenHash(std::string_view token) {
  SodiumReady();
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

bool SecretsEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace vigil::desk
