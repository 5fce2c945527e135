#include "desk/password.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>

#include "common/strings.h"
#include "fmt/format.h"

namespace vigil::desk {

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

namespace {

size_t CodePoints(std::string_view s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

absl::Status CheckPasswordPolicy(std::string_view user, std::string_view password) {
  if (CodePoints(password) < 10) {
    return absl::InvalidArgumentError("the password must have at least 10 characters");
  }
  if (password.size() > 1024) {
    return absl::InvalidArgumentError("the password must have at most 1024 bytes");
  }
  if (Lower(password) == Lower(user)) {
    return absl::InvalidArgumentError("the password must not be the user name");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> HashPassword(std::string_view password, HashCost cost) {
  if (!SodiumReady()) return absl::InternalError("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), cost.ops, cost.mem_bytes) != 0) {
    return absl::ResourceExhaustedError(
        AsAbsl(fmt::format("hashing a password needs {} MiB of memory", cost.mem_bytes >> 20)));
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  if (!SodiumReady() || hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  char stored[crypto_pwhash_STRBYTES] = {};
  std::copy(hash.begin(), hash.end(), stored);
  return crypto_pwhash_str_verify(stored, password.data(), password.size()) == 0;
}

bool NeedsRehash(std::string_view hash, HashCost cost) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return true;
  char stored[crypto_pwhash_STRBYTES] = {};
  std::copy(hash.begin(), hash.end(), stored);
  return crypto_pwhash_str_needs_rehash(stored, cost.ops, cost.mem_bytes) != 0;
}

std::string GeneratePassword() {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  SodiumReady();
  std::string out;
  for (int i = 0; i < 20; ++i) {
    out += kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
  }
  return out;
}

}  // namespace vigil::desk
