// Token formats and password hashing: sizes, alphabets, hashes, policy.
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "desk/password.h"
#include "desk/tokens.h"

namespace vigil::desk {
namespace {

TEST(TokensTest, SecretsAre256BitBase64UrlAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string s = NewSecret();
    EXPECT_EQ(s.size(), 43u);
    EXPECT_EQ(s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos) << s;
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 100u);
  std::string api = NewApiToken();
  EXPECT_TRUE(api.starts_with("vgt_"));
  EXPECT_EQ(api.size(), 47u);
  EXPECT_TRUE(LooksLikeApiToken(api));
  EXPECT_FALSE(LooksLikeApiToken("abcdef"));
}

TEST(TokensTest, HashIsStableHexAndNotTheToken) {
  const std::string t = NewSecret();
  EXPECT_EQ(TokenHash(t), TokenHash(t));
  EXPECT_EQ(TokenHash(t).size(), 64u);
  EXPECT_NE(TokenHash(t), TokenHash(t + "x"));
  EXPECT_EQ(TokenHash(t).find(t), std::string::npos);
  EXPECT_TRUE(SecretsEqual("abc", "abc"));
  EXPECT_FALSE(SecretsEqual("abc", "abd"));
  EXPECT_FALSE(SecretsEqual("", ""));
}

TEST(PasswordTest, PolicyLengthAndNotTheUserName) {
  EXPECT_FALSE(CheckPasswordPolicy("li", "short").ok());
  EXPECT_FALSE(CheckPasswordPolicy("li", "123456789").ok());
  EXPECT_TRUE(CheckPasswordPolicy("li", "1234567890").ok());
  EXPECT_TRUE(CheckPasswordPolicy("li", "密码密码密码密码密码").ok()) << "characters, not bytes";
  EXPECT_FALSE(CheckPasswordPolicy("longusername", "LongUserName").ok());
  EXPECT_FALSE(CheckPasswordPolicy("u", std::string(1025, 'a')).ok());
  EXPECT_TRUE(CheckPasswordPolicy("u", GeneratePassword()).ok());
}

TEST(PasswordTest, Argon2idHashVerifiesAndKnowsItsCost) {
  const auto start = std::chrono::steady_clock::now();
  auto hash = HashPassword("correct horse battery");
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(hash.ok()) << hash.status();
  std::printf("argon2id hash (ops 3, 32 MiB): %lld ms\n", static_cast<long long>(ms));
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword("garbage", "x"));
  EXPECT_FALSE(VerifyPassword("", ""));
  EXPECT_FALSE(NeedsRehash(*hash));
  auto cheap = HashPassword("correct horse battery", {1, 8u << 20});
  ASSERT_TRUE(cheap.ok());
  EXPECT_TRUE(NeedsRehash(*cheap));
  EXPECT_TRUE(VerifyPassword(*cheap, "correct horse battery")) << "old hashes still verify";
}

}  // namespace
}  // namespace vigil::desk
