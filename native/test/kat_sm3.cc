// kat_sm3.cc — SM3 family known answers from vectors/ for the standalone runner.
#include <cstring>
#include <string>

#include "../core/sm3.h"
#include "filetest.h"
#include "kat.h"

namespace guomi_test {

int kat_sm3(const std::string& dir) {
  using namespace guomi;
  int failed = 0;
  failed += run_file_tests(dir + "/sm3.txt", [](FileTestCase& t) {
    const auto msg = t.bytes("Msg");
    const uint64_t repeat = t.has("Repeat") ? t.num("Repeat") : 1;
    const auto want = t.bytes("Digest");
    // Feed the repeated message through the streaming API in pieces of the message length,
    // which also exercises buffering across updates.
    Sm3Ctx ctx;
    sm3_init(&ctx);
    for (uint64_t i = 0; i < repeat; i++) sm3_update(&ctx, msg.data(), msg.size());
    uint8_t got[32];
    sm3_final(&ctx, got);
    if (want.size() != 32 || std::memcmp(got, want.data(), 32) != 0) t.fail("SM3 digest mismatch");
  });
  failed += run_file_tests(dir + "/hmac_sm3.txt", [](FileTestCase& t) {
    const auto key = t.bytes("Key"), msg = t.bytes("Msg"), want = t.bytes("Tag");
    uint8_t got[32];
    hmac_sm3(key.data(), key.size(), msg.data(), msg.size(), got);
    if (want.size() != 32 || std::memcmp(got, want.data(), 32) != 0) t.fail("HMAC-SM3 mismatch");
  });
  failed += run_file_tests(dir + "/sm3_kdf.txt", [](FileTestCase& t) {
    const auto z = t.bytes("Z"), want = t.bytes("Out");
    std::string got(want.size(), '\0');
    sm3_kdf(z.data(), z.size(), reinterpret_cast<uint8_t*>(&got[0]), got.size());
    if (std::memcmp(got.data(), want.data(), want.size()) != 0) t.fail("KDF mismatch");
  });
  failed += run_file_tests(dir + "/hkdf_sm3.txt", [](FileTestCase& t) {
    const auto ikm = t.bytes("IKM"), salt = t.bytes("Salt");
    uint8_t prk[32];
    hkdf_sm3_extract(salt.data(), salt.size(), ikm.data(), ikm.size(), prk);
    if (t.has("PRK")) {
      const auto want = t.bytes("PRK");
      if (want.size() != 32 || std::memcmp(prk, want.data(), 32) != 0) t.fail("HKDF PRK mismatch");
    }
    if (t.has("OKM")) {
      const auto info = t.bytes("Info"), want = t.bytes("OKM");
      std::string okm(want.size(), '\0');
      if (!hkdf_sm3_expand(prk, 32, info.data(), info.size(), reinterpret_cast<uint8_t*>(&okm[0]),
                           okm.size()) ||
          std::memcmp(okm.data(), want.data(), want.size()) != 0)
        t.fail("HKDF OKM mismatch");
    }
  });
  return failed;
}

}  // namespace guomi_test
