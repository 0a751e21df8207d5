#include "core/crypto.h"

#include <gtest/gtest.h>

namespace codecrew::core {
namespace {

// RFC 4648 §10's test vectors.
TEST(Base64Test, EncodesAndDecodesRfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64Encode(plain), encoded);
    auto decoded = base64Decode(encoded);
    ASSERT_TRUE(decoded.has_value()) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64Test, DecodesBinaryBytesExactly) {
  std::string bytes("\x00\xff\x10\x80", 4);
  auto decoded = base64Decode(base64Encode(bytes));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, bytes);
}

TEST(Base64Test, RefusesWhatIsNotPaddedBase64) {
  EXPECT_FALSE(base64Decode("Zm9").has_value());
  EXPECT_FALSE(base64Decode("Zm9v!A==").has_value());
  EXPECT_FALSE(base64Decode("not base64").has_value());
}

}  // namespace
}  // namespace codecrew::core
