// Secret tokens: session cookies, CSRF tokens and API tokens are 256 random bits
// (randombytes_buf) in unpadded base64url; the store keeps only a hash (BLAKE2b-256,
// crypto_generichash, hex) of session and API tokens, so a copy of the database lets nobody in.
// API tokens carry the prefix "vgt_" so they are recognisable in logs and secret scanners.
#pragma once

#include <string>
#include <string_view>

namespace vigil::desk {

inline constexpr std::string_view kApiTokenPrefix = "vgt_";

// 43 characters of base64url (32 bytes).
std::string NewSecret();
// "vgt_" + NewSecret().
std::string NewApiToken();
bool LooksLikeApiToken(std::string_view token);
// 64 hex digits.
std::string TokenHash(std::string_view token);
// Constant-time equality (for CSRF tokens).
bool SecretsEqual(std::string_view a, std::string_view b);

}  // namespace vigil::desk
