// rand.cc — the OS CSPRNG. getrandom(2) with flags 0 blocks only until the kernel pool has been
// initialised once after boot, and then never fails for small requests except by EINTR; older
// kernels (before 3.17) answer ENOSYS, and then /dev/urandom is used.
#include "rand.h"

#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/syscall.h>
#endif

#include "ct.h"

namespace guomi {

namespace {

enum class Source { kDone, kUnavailable, kFailed };

Source try_getrandom(uint8_t* out, size_t len) {
#if defined(__linux__) && defined(SYS_getrandom)
  while (len > 0) {
    // Called through syscall() so that old C libraries without the wrapper still build.
    const long n = syscall(SYS_getrandom, out, len, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOSYS) return Source::kUnavailable;
      return Source::kFailed;
    }
    out += n;
    len -= static_cast<size_t>(n);
  }
  return Source::kDone;
#else
  (void)out;
  (void)len;
  return Source::kUnavailable;
#endif
}

bool read_urandom(uint8_t* out, size_t len) {
  int fd;
  do {
    fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return false;
  while (len > 0) {
    const ssize_t n = read(fd, out, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      return false;
    }
    out += n;
    len -= static_cast<size_t>(n);
  }
  close(fd);
  return true;
}

}  // namespace

bool rand_bytes(uint8_t* out, size_t len) {
  bool ok;
  switch (try_getrandom(out, len)) {
    case Source::kDone:
      ok = true;
      break;
    case Source::kUnavailable:
      ok = read_urandom(out, len);
      break;
    default:
      ok = false;
  }
  if (!ok) secure_zero(out, len);
  return ok;
}

}  // namespace guomi
