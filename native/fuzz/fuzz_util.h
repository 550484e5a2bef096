// fuzz_util.h — what the libFuzzer targets in native/fuzz/ share: a CHECK that crashes the fuzzer
// with a message, the list of CPU paths this machine can run (found by switching features off with
// cpu_set_disabled(), the same switch GUOMI_DISABLE drives), and the SM2 field implementations.
//
// Every target is built with -fsanitize=fuzzer,address,undefined (native/fuzz/build.sh), so a
// CHECK failure, an out-of-bounds access or undefined behaviour all stop the run with a reproducer.
#ifndef GUOMI_FUZZ_UTIL_H_
#define GUOMI_FUZZ_UTIL_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../core/cpu.h"

#define FUZZ_CHECK(cond, what)                                                         \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s (%s)\n", __FILE__, __LINE__, \
                   (what), #cond);                                                     \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)

namespace guomi_fuzz {

// A CPU path: the features to switch off to get it, and the names the dispatchers report.
struct Path {
  uint32_t disabled;
  std::string name;
};

// paths_by returns disable-masks, found over every subset of the detected features, such that
// every distinct value of each name function appears in at least one of them; the portable path
// (everything off) comes first. On an AVX-512 + GFNI + VAES host, with the SM4 and GHASH names,
// that is all seven SM4 paths and all four GHASH paths in seven masks.
inline std::vector<Path> paths_by(std::vector<std::string (*)()> name_fns) {
  const uint32_t detected = guomi::cpu_detected();
  std::vector<uint32_t> bits;
  for (uint32_t b = 0; b < 32; b++)
    if (detected & (1u << b)) bits.push_back(1u << b);
  std::vector<Path> out;
  std::vector<std::vector<std::string>> seen(name_fns.size());
  auto add = [&](uint32_t mask) {
    guomi::cpu_set_disabled(mask);
    bool fresh = false;
    std::string label;
    for (size_t f = 0; f < name_fns.size(); f++) {
      const std::string name = name_fns[f]();
      label += (f ? " / " : "") + name;
      bool known = false;
      for (const std::string& s : seen[f]) known = known || s == name;
      if (!known) {
        seen[f].push_back(name);
        fresh = true;
      }
    }
    if (fresh) out.push_back(Path{mask, label});
  };
  add(~0u);
  const size_t n = bits.size() > 16 ? 16 : bits.size();
  // Fewest features off first, so the widest combinations are found early.
  for (size_t off = 0; off <= n; off++) {
    for (uint32_t subset = 0; subset < (1u << n); subset++) {
      if (static_cast<size_t>(__builtin_popcount(subset)) != off) continue;
      uint32_t mask = 0;
      for (size_t i = 0; i < n; i++)
        if (subset & (1u << i)) mask |= bits[i];
      add(mask);
    }
  }
  guomi::cpu_set_disabled(0);
  return out;
}

// Prints the paths once, so a fuzz log says what was compared.
inline void print_paths(const char* what, const std::vector<Path>& paths) {
  std::fprintf(stderr, "%s paths:", what);
  for (const Path& p : paths) std::fprintf(stderr, " [%s]", p.name.c_str());
  std::fprintf(stderr, "\n");
}

// A minimal reader over the fuzz input: fixed-size fields first, then the rest.
class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : p_(data), n_(size) {}
  // Copies up to len bytes into out (zero-filling what the input lacks).
  void bytes(uint8_t* out, size_t len) {
    const size_t k = len < n_ ? len : n_;
    if (k) std::memcpy(out, p_, k);
    if (k < len) std::memset(out + k, 0, len - k);
    p_ += k;
    n_ -= k;
  }
  uint8_t u8() {
    uint8_t v = 0;
    bytes(&v, 1);
    return v;
  }
  uint16_t u16() {
    uint8_t b[2];
    bytes(b, 2);
    return static_cast<uint16_t>(b[0] | (b[1] << 8));
  }
  // A length-prefixed piece of at most max bytes (one byte of length).
  std::vector<uint8_t> piece(size_t max) {
    size_t len = u8();
    if (len > max) len = max;
    if (len > n_) len = n_;
    std::vector<uint8_t> v(p_, p_ + len);
    p_ += len;
    n_ -= len;
    return v;
  }
  std::vector<uint8_t> rest() {
    std::vector<uint8_t> v(p_, p_ + n_);
    p_ += n_;
    n_ = 0;
    return v;
  }
  size_t left() const { return n_; }

 private:
  const uint8_t* p_;
  size_t n_;
};

}  // namespace guomi_fuzz

#endif  // GUOMI_FUZZ_UTIL_H_
