// rand.h — bytes from the operating system's CSPRNG.
#ifndef GUOMI_CORE_RAND_H_
#define GUOMI_CORE_RAND_H_

#include <cstddef>
#include <cstdint>

namespace guomi {

// rand_bytes fills |len| bytes from getrandom(2) (Linux), retrying on EINTR and short reads,
// and falls back to reading /dev/urandom where getrandom is missing (ENOSYS). Returns false
// if no randomness could be had; the buffer is then wiped.
bool rand_bytes(uint8_t* out, size_t len);

}  // namespace guomi

#endif  // GUOMI_CORE_RAND_H_
