// sm2.h — SM2 public-key cryptography on the recommended curve (GB/T 32918.1–5): key objects,
// signatures (.2), key exchange (.3) and public-key encryption (.4).
//
// This is the core the Node-API binding wraps; one function per Sm2Backend method
// (src/backend/types.ts). The caller computes Z_A and e = SM3(Z_A || M) (GB/T 32918.2-2016 §5.5,
// §6.1 A1–A2); everything with a secret in it happens here, in constant time: the private key,
// signing nonces, encryption and key-exchange ephemerals, and the shared points.
//
// Byte formats: scalars and coordinates are 32-byte big-endian; points are 65-byte 04||x||y or
// 33-byte 02/03||x (GB/T 32918.1-2016 §4.2.9); signatures raw r||s (64 bytes); ciphertexts
// C1||C3||C2 (GB/T 32918.4-2016 §6.1 A8), 97 + |M| bytes.
//
// Key objects are plain structs that callers allocate (they hold no pointers and may be
// copied); initialise them with sm2_*_key_init, and wipe private keys with
// sm2_private_key_wipe. A key object is read-only after init, so one may be used by many
// threads at once. Nothing here allocates, except that the first fixed-base multiplication
// builds the shared table of multiples of G (sm2_base_table.h); sm2_precompute() does it early.
#ifndef GUOMI_CORE_SM2_H_
#define GUOMI_CORE_SM2_H_

#include <cstddef>
#include <cstdint>

#include "sm2_fe.h"
#include "sm2_point.h"

namespace guomi {

constexpr size_t kSm2ScalarSize = 32;
constexpr size_t kSm2PointSize = 65;            // 04 || x || y
constexpr size_t kSm2CompressedPointSize = 33;  // 02/03 || x
constexpr size_t kSm2SignatureSize = 64;        // r || s
constexpr size_t kSm2CiphertextOverhead = 97;   // C1 (65) + C3 (32)
// The KDF counter is 32 bits (GB/T 32918.4-2016 §5.4.3): at most (2^32 - 1) hash blocks.
constexpr uint64_t kSm2MaxMessageSize = (uint64_t{0xffffffff}) * 32;

enum class Sm2Status : int {
  kOk = 0,
  kInvalidKey,       // private scalar outside [1, n-2]
  kInvalidPoint,     // a point fails GB/T 32918.1-2016 §6.2.1, or a shared point is infinity
  kInvalidArgument,  // a length or a test nonce out of range
  kDecryptFailed,    // the one error for every decryption failure (§7.1 B1, B4, B6)
  kRandomFailure,    // the OS random generator failed
};

// A validated public point with its precomputation. By default (precompute = true in
// sm2_public_key_init) that is the split tables: the multiples 1..16 of 2^(65j)·P for j = 0..3
// (4 KiB; about 60 us to build on x86-64 with BMI2/ADX), which cut the doublings in [t]P from
// 255 to 60, roughly halving verification and encryption. A key used once can skip them
// (precompute = false) and get the odd multiples P, 3P, …, 15P for a plain w-NAF instead
// (about 7 us). sizeof(Sm2PublicKey) is 4680 bytes either way.
struct Sm2PublicKey {
  AffinePoint point;  // Montgomery form
  bool has_tables;
  AffinePoint odd_multiples[8];  // when !has_tables
  AffinePoint tables[4][16];     // when has_tables: tables[j][i] = (i + 1)·2^(65j)·P
};

// A private key: d in [1, n-2] (GB/T 32918.1-2016 §6.1), the signing constant (1+d)^-1 mod n
// (GB/T 32918.2-2016 §6.1 A6, computed once) and the public point [d]G.
struct Sm2PrivateKey {
  Fe d;         // plain integer
  Fe dinv;      // (1 + d)^-1 mod n, Montgomery form
  uint8_t public_point[kSm2PointSize];
};

// sm2_precompute builds the fixed-base table now instead of at the first use.
void sm2_precompute();

// sm2_impl_name names the field implementation in use: "x86-64 bmi2+adx" or "portable".
const char* sm2_impl_name();

// --- keys ---

// Loads d (32 bytes big-endian); kInvalidKey unless 1 <= d <= n-2. Computes the public point.
Sm2Status sm2_private_key_init(Sm2PrivateKey* key, const uint8_t d[kSm2ScalarSize]);
void sm2_private_key_wipe(Sm2PrivateKey* key);

// Writes a fresh private scalar in [1, n-2] from the OS CSPRNG (rejection sampling).
Sm2Status sm2_generate_scalar(uint8_t d[kSm2ScalarSize]);

// Loads a 65-byte uncompressed or 33-byte compressed point; kInvalidPoint unless it decodes to
// a point on the curve with coordinates < p (infinity has no such encoding; 32918.1 §6.2.1).
Sm2Status sm2_public_key_init(Sm2PublicKey* key, const uint8_t* point, size_t len,
                              bool precompute = true);

// Writes the point (65 or 33 bytes, per |compressed|) and returns the length written.
size_t sm2_public_key_encode(const Sm2PublicKey* key, bool compressed, uint8_t* out);

// Writes [k]G (65 bytes) for k in [1, n-1], in constant time; kInvalidArgument otherwise. For
// the ephemeral point R = [r]G of the key exchange (GB/T 32918.3-2016 §6.1 A1–A3 / B1–B3).
Sm2Status sm2_base_point_mul(const uint8_t k[kSm2ScalarSize], uint8_t out[kSm2PointSize]);

// --- signatures (GB/T 32918.2-2016) ---

// Signs the digest e (§6.1 A3–A7), writing r || s. The nonce k comes from an HMAC-SM3 DRBG
// seeded with 32 fresh OS random bytes, e and d (hedged: see drbg.h).
Sm2Status sm2_sign(const Sm2PrivateKey* key, const uint8_t e[32], uint8_t sig[kSm2SignatureSize]);

// Tests only: signs with the given nonce k. kInvalidArgument if k is outside [1, n-1] or gives
// r = 0, r + k = n or s = 0 (where §6.1 would pick another k).
Sm2Status sm2_sign_with_nonce_for_testing(const Sm2PrivateKey* key, const uint8_t e[32],
                                          const uint8_t k[kSm2ScalarSize],
                                          uint8_t sig[kSm2SignatureSize]);

// Verifies r || s over e (§7.1 B1–B7). Variable time (only public data).
bool sm2_verify(const Sm2PublicKey* key, const uint8_t e[32], const uint8_t sig[kSm2SignatureSize]);

// --- encryption (GB/T 32918.4-2016) ---

// Encrypts msg (1 <= len <= kSm2MaxMessageSize) to out = C1 || C3 || C2, 97 + len bytes; out
// must not overlap msg. kInvalidArgument for an empty or too long message.
Sm2Status sm2_encrypt(const Sm2PublicKey* key, const uint8_t* msg, size_t len, uint8_t* out);

// Tests only: encrypts with the given k in [1, n-1]; kInvalidArgument if k is out of range or
// gives an all-zero KDF output (where §6.1 A5 would pick another k).
Sm2Status sm2_encrypt_with_nonce_for_testing(const Sm2PublicKey* key, const uint8_t* msg,
                                             size_t len, const uint8_t k[kSm2ScalarSize],
                                             uint8_t* out);

// Decrypts C1 (65-byte 04||x||y), C3 and C2 (len bytes) into out (len bytes; may be the same
// buffer as c2). Returns kDecryptFailed for every failure — C1 not a valid point, len == 0,
// an all-zero KDF output, C3 mismatch (compared in constant time) — and then out is all zero.
Sm2Status sm2_decrypt(const Sm2PrivateKey* key, const uint8_t c1[kSm2PointSize],
                      const uint8_t c3[32], const uint8_t* c2, size_t len, uint8_t* out);

// --- Diffie–Hellman and key exchange (GB/T 32918.3-2016) ---

// ECDH: out = x || y of [d]Q (64 bytes). kInvalidPoint if the result is infinity.
Sm2Status sm2_ecdh(const Sm2PrivateKey* key, const Sm2PublicKey* peer, uint8_t out[64]);

// The shared point of the §6.1 key exchange, for either role (A4–A7 / B3–B6):
// t = (d + x̄_own·r) mod n, U = [t](P_peer + [x̄_peer]R_peer), x̄ = 2^127 + (x mod 2^127).
// r is the own ephemeral scalar, own_ephemeral_point = [r]G (only its x is used) and
// peer_ephemeral_point R_peer (65 bytes, validated here). kInvalidPoint if R_peer is not a valid
// point or U is infinity; kInvalidArgument if r is not in [1, n-1] or own_ephemeral_point is
// not an uncompressed encoding. out = xU || yU.
Sm2Status sm2_key_exchange_point(const Sm2PrivateKey* key, const uint8_t r[kSm2ScalarSize],
                                 const uint8_t own_ephemeral_point[kSm2PointSize],
                                 const Sm2PublicKey* peer,
                                 const uint8_t peer_ephemeral_point[kSm2PointSize],
                                 uint8_t out[64]);

}  // namespace guomi

#endif  // GUOMI_CORE_SM2_H_
