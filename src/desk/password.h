// Passwords: the policy a new one must meet, argon2id hashing (libsodium's crypto_pwhash_str),
// verification, and generated one-time passwords.
//
// Cost: opslimit 3, memlimit 32 MiB. Measured on the 2-core development machine under a load
// of ~10: 90 ms per hash (64 MiB took 170-240 ms; libsodium's MODERATE, 256 MiB, ~1 s). A login
// is one verification; hashes made with other limits still verify and are rehashed at the
// next successful login (NeedsRehash).
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace vigil::desk {

struct HashCost {
  unsigned long long ops = 3;
  size_t mem_bytes = 32u << 20;
};

// InvalidArgument saying what is wrong: shorter than 10 characters (code points), equal to the
// user name (ignoring case), or longer than 1024 bytes.
absl::Status CheckPasswordPolicy(std::string_view user, std::string_view password);

absl::StatusOr<std::string> HashPassword(std::string_view password, HashCost cost = {});
// False for a wrong password or a malformed hash.
bool VerifyPassword(std::string_view hash, std::string_view password);
// True when `hash` was made with other limits than `cost` (rehash after a good login).
bool NeedsRehash(std::string_view hash, HashCost cost = {});

// 20 characters from a 56-letter alphabet without look-alikes (~116 bits): meets the policy.
std::string GeneratePassword();

// sodium_init(), once; false when libsodium cannot work here.
bool SodiumReady();

}  // namespace vigil::desk
