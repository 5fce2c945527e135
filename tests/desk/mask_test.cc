// Masked customer identifiers: the documented examples, the length thresholds where the kept
// part changes, and UTF-8: a multi-byte character is kept whole or starred whole, never cut.
#include "desk/mask.h"

#include <gtest/gtest.h>

#include "desk/utf8.h"

namespace vigil::desk {
namespace {

TEST(MaskTest, DocumentedExamples) {
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskName("张三丰"), "张**");
  EXPECT_EQ(MaskName("张三"), "张*");
  EXPECT_EQ(MaskName("Li Lei"), "L*****");
  EXPECT_EQ(MaskAccount("6222021234561234"), "6222********1234");
  EXPECT_EQ(MaskCustomerNo("C00123456"), "*****3456");
}

TEST(MaskTest, PhoneThresholds) {
  EXPECT_EQ(MaskPhone(""), "");
  EXPECT_EQ(MaskPhone("1234"), "****");
  EXPECT_EQ(MaskPhone("12345"), "***45");
  EXPECT_EQ(MaskPhone("1234567"), "*****67");
  EXPECT_EQ(MaskPhone("12345678"), "123*5678");
  EXPECT_EQ(MaskPhone("+8613812345678"), "+86*******5678");
}

TEST(MaskTest, AccountAndCustomerNumberThresholds) {
  EXPECT_EQ(MaskAccount("1234"), "****");
  EXPECT_EQ(MaskAccount("12345"), "*2345");
  EXPECT_EQ(MaskAccount("12345678"), "****5678") << "first 4 + last 4 would show it all";
  EXPECT_EQ(MaskAccount("123456789"), "1234*6789");
  EXPECT_EQ(MaskCustomerNo("1234"), "****");
  EXPECT_EQ(MaskCustomerNo("C0012"), "*0012");
  EXPECT_EQ(MaskCustomerNo(""), "");
}

TEST(MaskTest, NamesOfOneCharacterAreMaskedWhole) {
  EXPECT_EQ(MaskName("张"), "*");
  EXPECT_EQ(MaskName("L"), "*");
  EXPECT_EQ(MaskName(""), "");
  EXPECT_EQ(MaskName("欧阳娜娜"), "欧***");
  EXPECT_EQ(MaskName("阿卜杜·热合曼"), "阿******");
}

TEST(MaskTest, NeverCutsAMultiByteCharacter) {
  // Full-width digits (3 bytes each) and an emoji (4 bytes) in kept positions stay whole.
  const std::string fullwidth = "１３８１２３４５６７８";
  EXPECT_EQ(MaskPhone(fullwidth), "１３８****５６７８");
  EXPECT_EQ(MaskCustomerNo("客户号😀１２３"), "***😀１２３");
  for (const std::string& s :
       {MaskPhone(fullwidth), MaskName("张三丰"), MaskAccount("账户６２２２０２１２３４"),
        MaskCustomerNo("客户号😀１２３")}) {
    EXPECT_TRUE(IsValidUtf8(s)) << s;
  }
}

TEST(MaskTest, BytesThatAreNotUtf8CountAsOneCharacterAndStayValid) {
  // "\xD5\xC5\xC8\xFD" is GBK for 张三: four bytes, none of which starts a UTF-8 sequence.
  EXPECT_EQ(MaskName("\xD5\xC5\xC8\xFD"), "\uFFFD***");
  EXPECT_TRUE(
      IsValidUtf8(MaskCustomerNo("12\xFF\xFE"
                                 "34")));
  EXPECT_EQ(MaskCustomerNo("12\xFF\xFE"
                           "34"),
            "**\uFFFD\uFFFD"
            "34");
}

TEST(Utf8Test, PrefixCutsAtCharacters) {
  EXPECT_EQ(Utf8Prefix("股票交易不了", 4), "股票交易\u2026");
  EXPECT_EQ(Utf8Prefix("股票交易不了", 6), "股票交易不了");
  EXPECT_EQ(Utf8Prefix("ab\xE8\x82", 5), "ab\uFFFD\uFFFD") << "a cut sequence is not UTF-8";
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // a UTF-16 surrogate
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong '/'
  EXPECT_TRUE(IsValidUtf8("张三 😀"));
}

}  // namespace
}  // namespace vigil::desk
