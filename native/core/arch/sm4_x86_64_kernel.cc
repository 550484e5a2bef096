// sm4_x86_64_kernel.cc — the SM4 kernels of every x86-64 path, written once and compiled once
// per instruction set. The path files (sm4_aesni_x86_64.cc, sm4_gfni_x86_64.cc) include this text
// inside a target region (function-level target attributes, so the binary stays baseline x86-64)
// and a namespace of its own, with these macros set:
//
//   GUOMI_SM4_VEC_BITS  128, 256 or 512: the widest vectors the region may use;
//   GUOMI_SM4_BULK_VEC  Vec128, Vec256 or Vec512: the vector type of the bulk kernels;
//   GUOMI_SM4_SETS      how many register sets a bulk pass interleaves (see kSets);
//   GUOMI_SM4_SBOX      GUOMI_SM4_SBOX_AESNI, _VAES or _GFNI: how the S-box is computed;
//   GUOMI_SM4_EVEX      (optional) AVX-512VL is available for 128-bit code too.
//
// It defines expand_key, crypt1, crypt_blocks, crypt_blocks_masked, ctr128 and ctr32 (the
// Sm4Kernels of sm4_internal.h). Compiled on its own this file is empty. (It is a .cc only so
// that its name matches the project's layout rules for SM4 sources.)
//
// Layout. The bulk kernels are word-sliced: four blocks are loaded per 128-bit lane group, each
// 32-bit word byte-swapped to its big-endian value (GB/T 32907-2016 §5.2 reads the block as four
// big-endian words), and a 4×4 transpose within each 128-bit lane gathers word j of every block
// into register j. A round is then X_{i+4} = X_i ^ T(X_{i+1} ^ X_{i+2} ^ X_{i+3} ^ rk_i) on whole
// registers. Block b of a group of W = 4·(lanes) blocks sits in element 4·L + e of the registers,
// with b = e·(W/4) + L (L the 128-bit lane, e the register it was loaded into); counter blocks are
// generated directly in that order, which saves the input transpose in CTR and GCM.
//
// S-box. S(x) = A·inv(A·x ⊕ C) ⊕ C maps onto the AES field (sm4_internal.h):
//   GFNI:   gf2p8affineqb (pre map) then gf2p8affineinvqb (inverse and post map): 2 instructions.
//   AES-NI: nibble-table pshufb pair (pre map), aesenclast with a zero key (AES inverse and
//           affine, after ShiftRows), nibble-table pshufb pair (post map). ShiftRows moves bytes
//           between columns, i.e. between blocks; the bulk kernels undo it inside the byte
//           shuffles that L needs anyway, and the single-block kernel keeps every word broadcast
//           to all four columns, where ShiftRows changes nothing.
// The single-block kernel (CBC-encrypt, CFB-encrypt, OFB, CBC-MAC) is latency-bound and runs in
// the x̂ domain described at crypt1. Everything stays in registers: no memory access depends on
// the key or the data.
#if defined(GUOMI_SM4_X86_KERNEL)

#define GUOMI_SM4_INLINE inline __attribute__((always_inline))

// ---- constants ---------------------------------------------------------------------------------

// Byte shuffles within each 32-bit lane (little-endian lanes, so byte 0 is the least significant).
struct Shuffle16 {
  int8_t v[16];
};
constexpr Shuffle16 shuffle_bswap32() {
  Shuffle16 s{};
  for (int i = 0; i < 16; i++) s.v[i] = static_cast<int8_t>((i & ~3) | (3 - (i & 3)));
  return s;
}
// rotl32 by 8·n: result byte b is source byte (b - n) mod 4.
constexpr Shuffle16 shuffle_rotl_bytes(int n) {
  Shuffle16 s{};
  for (int i = 0; i < 16; i++) s.v[i] = static_cast<int8_t>((i & ~3) | ((i - n) & 3));
  return s;
}
// Undo AES ShiftRows (FIPS 197 §5.1.2): after aesenclast, byte r + 4c holds the S-box of input
// byte r + 4((c + r) mod 4); so output byte r + 4c is read from r + 4((c - r) mod 4).
constexpr Shuffle16 shuffle_inv_shift_rows() {
  Shuffle16 s{};
  for (int i = 0; i < 16; i++) {
    const int r = i & 3, c = i >> 2;
    s.v[i] = static_cast<int8_t>(r + 4 * ((c - r) & 3));
  }
  return s;
}
constexpr Shuffle16 shuffle_compose(const Shuffle16& first, const Shuffle16& then) {
  Shuffle16 s{};
  for (int i = 0; i < 16; i++) s.v[i] = first.v[then.v[i]];
  return s;
}
constexpr Shuffle16 kBswap32 = shuffle_bswap32();
constexpr Shuffle16 kRot8 = shuffle_rotl_bytes(1);
constexpr Shuffle16 kRot16 = shuffle_rotl_bytes(2);
constexpr Shuffle16 kRot24 = shuffle_rotl_bytes(3);
constexpr Shuffle16 kIsr = shuffle_inv_shift_rows();
constexpr Shuffle16 kIsrRot8 = shuffle_compose(kIsr, kRot8);
constexpr Shuffle16 kIsrRot16 = shuffle_compose(kIsr, kRot16);
constexpr Shuffle16 kIsrRot24 = shuffle_compose(kIsr, kRot24);

GUOMI_SM4_INLINE __m128i xmm_bytes(const Shuffle16& s) {
  return _mm_setr_epi8(s.v[0], s.v[1], s.v[2], s.v[3], s.v[4], s.v[5], s.v[6], s.v[7], s.v[8],
                       s.v[9], s.v[10], s.v[11], s.v[12], s.v[13], s.v[14], s.v[15]);
}
GUOMI_SM4_INLINE __m128i xmm_table(const uint8_t* t) {
  return _mm_setr_epi8(static_cast<char>(t[0]), static_cast<char>(t[1]), static_cast<char>(t[2]),
                       static_cast<char>(t[3]), static_cast<char>(t[4]), static_cast<char>(t[5]),
                       static_cast<char>(t[6]), static_cast<char>(t[7]), static_cast<char>(t[8]),
                       static_cast<char>(t[9]), static_cast<char>(t[10]), static_cast<char>(t[11]),
                       static_cast<char>(t[12]), static_cast<char>(t[13]), static_cast<char>(t[14]),
                       static_cast<char>(t[15]));
}

// ---- 128-bit vectors (also the single-block kernel of every path) ------------------------------

struct Vec128 {
  using T = __m128i;
  static constexpr int kBlocks = 4;
  static constexpr int kBytes = 16;
  static GUOMI_SM4_INLINE T load(const uint8_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
  static GUOMI_SM4_INLINE void store(uint8_t* p, T v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v); }
  static GUOMI_SM4_INLINE T set1(uint32_t v) { return _mm_set1_epi32(static_cast<int>(v)); }
  static GUOMI_SM4_INLINE T bcast128(__m128i v) { return v; }
  static GUOMI_SM4_INLINE T vxor(T a, T b) { return _mm_xor_si128(a, b); }
  static GUOMI_SM4_INLINE T vand(T a, T b) { return _mm_and_si128(a, b); }
  static GUOMI_SM4_INLINE T add32(T a, T b) { return _mm_add_epi32(a, b); }
  static GUOMI_SM4_INLINE T sub32(T a, T b) { return _mm_sub_epi32(a, b); }
  static GUOMI_SM4_INLINE T eq32(T a, T b) { return _mm_cmpeq_epi32(a, b); }
  // All-ones where a < b as unsigned 32-bit integers.
  static GUOMI_SM4_INLINE T ltu32(T a, T b) {
    const T bias = _mm_set1_epi32(static_cast<int>(0x80000000u));
    return _mm_cmpgt_epi32(_mm_xor_si128(b, bias), _mm_xor_si128(a, bias));
  }
  static GUOMI_SM4_INLINE T shuffle(T a, T idx) { return _mm_shuffle_epi8(a, idx); }
  template <int N>
  static GUOMI_SM4_INLINE T rotl(T a) {
#if defined(GUOMI_SM4_EVEX)
    return _mm_rol_epi32(a, N);
#else
    return _mm_xor_si128(_mm_slli_epi32(a, N), _mm_srli_epi32(a, 32 - N));
#endif
  }
  static GUOMI_SM4_INLINE T unpacklo32(T a, T b) { return _mm_unpacklo_epi32(a, b); }
  static GUOMI_SM4_INLINE T unpackhi32(T a, T b) { return _mm_unpackhi_epi32(a, b); }
  static GUOMI_SM4_INLINE T unpacklo64(T a, T b) { return _mm_unpacklo_epi64(a, b); }
  static GUOMI_SM4_INLINE T unpackhi64(T a, T b) { return _mm_unpackhi_epi64(a, b); }
  // Element 4·L + e holds the block offset e·(W/4) + L (W/4 = 1 here).
  static GUOMI_SM4_INLINE T block_index() { return _mm_setr_epi32(0, 1, 2, 3); }
#if GUOMI_SM4_SBOX == GUOMI_SM4_SBOX_GFNI
  static GUOMI_SM4_INLINE T sbox(T x) {
    const T pre = _mm_set1_epi64x(static_cast<long long>(sm4_detail::kGfniPre));
    const T post = _mm_set1_epi64x(static_cast<long long>(sm4_detail::kGfniPost));
    x = _mm_gf2p8affine_epi64_epi8(x, pre, sm4_detail::kGfniPreConst);
    return _mm_gf2p8affineinv_epi64_epi8(x, post, sm4_detail::kGfniPostConst);
  }
#else
  // S-box followed by ShiftRows (columns = 32-bit lanes); identity on broadcast words.
  static GUOMI_SM4_INLINE T sbox_shift_rows(T x) {
    const T mask = _mm_set1_epi8(0x0f);
    const T pre = _mm_xor_si128(_mm_shuffle_epi8(xmm_table(sm4_detail::kAesniPre.lo), _mm_and_si128(x, mask)),
                                _mm_shuffle_epi8(xmm_table(sm4_detail::kAesniPre.hi),
                                                 _mm_and_si128(_mm_srli_epi16(x, 4), mask)));
    const T y = _mm_aesenclast_si128(pre, _mm_setzero_si128());
    return _mm_xor_si128(_mm_shuffle_epi8(xmm_table(sm4_detail::kAesniPost.lo), _mm_and_si128(y, mask)),
                         _mm_shuffle_epi8(xmm_table(sm4_detail::kAesniPost.hi),
                                          _mm_and_si128(_mm_srli_epi16(y, 4), mask)));
  }
#endif
};

#if GUOMI_SM4_VEC_BITS >= 256
struct Vec256 {
  using T = __m256i;
  static constexpr int kBlocks = 8;
  static constexpr int kBytes = 32;
  static GUOMI_SM4_INLINE T load(const uint8_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
  static GUOMI_SM4_INLINE void store(uint8_t* p, T v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
  static GUOMI_SM4_INLINE T set1(uint32_t v) { return _mm256_set1_epi32(static_cast<int>(v)); }
  static GUOMI_SM4_INLINE T bcast128(__m128i v) { return _mm256_broadcastsi128_si256(v); }
  static GUOMI_SM4_INLINE T vxor(T a, T b) { return _mm256_xor_si256(a, b); }
  static GUOMI_SM4_INLINE T vand(T a, T b) { return _mm256_and_si256(a, b); }
  static GUOMI_SM4_INLINE T add32(T a, T b) { return _mm256_add_epi32(a, b); }
  static GUOMI_SM4_INLINE T sub32(T a, T b) { return _mm256_sub_epi32(a, b); }
  static GUOMI_SM4_INLINE T eq32(T a, T b) { return _mm256_cmpeq_epi32(a, b); }
  static GUOMI_SM4_INLINE T ltu32(T a, T b) {
    const T bias = _mm256_set1_epi32(static_cast<int>(0x80000000u));
    return _mm256_cmpgt_epi32(_mm256_xor_si256(b, bias), _mm256_xor_si256(a, bias));
  }
  static GUOMI_SM4_INLINE T shuffle(T a, T idx) { return _mm256_shuffle_epi8(a, idx); }
  template <int N>
  static GUOMI_SM4_INLINE T rotl(T a) {
    return _mm256_xor_si256(_mm256_slli_epi32(a, N), _mm256_srli_epi32(a, 32 - N));
  }
  static GUOMI_SM4_INLINE T unpacklo32(T a, T b) { return _mm256_unpacklo_epi32(a, b); }
  static GUOMI_SM4_INLINE T unpackhi32(T a, T b) { return _mm256_unpackhi_epi32(a, b); }
  static GUOMI_SM4_INLINE T unpacklo64(T a, T b) { return _mm256_unpacklo_epi64(a, b); }
  static GUOMI_SM4_INLINE T unpackhi64(T a, T b) { return _mm256_unpackhi_epi64(a, b); }
  static GUOMI_SM4_INLINE T block_index() { return _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7); }
#if GUOMI_SM4_SBOX == GUOMI_SM4_SBOX_GFNI
  static GUOMI_SM4_INLINE T sbox(T x) {
    const T pre = _mm256_set1_epi64x(static_cast<long long>(sm4_detail::kGfniPre));
    const T post = _mm256_set1_epi64x(static_cast<long long>(sm4_detail::kGfniPost));
    x = _mm256_gf2p8affine_epi64_epi8(x, pre, sm4_detail::kGfniPreConst);
    return _mm256_gf2p8affineinv_epi64_epi8(x, post, sm4_detail::kGfniPostConst);
  }
#else
  static GUOMI_SM4_INLINE T sbox_shift_rows(T x) {
    const T mask = _mm256_set1_epi8(0x0f);
    const T pre = _mm256_xor_si256(
        _mm256_shuffle_epi8(bcast128(xmm_table(sm4_detail::kAesniPre.lo)), _mm256_and_si256(x, mask)),
        _mm256_shuffle_epi8(bcast128(xmm_table(sm4_detail::kAesniPre.hi)),
                            _mm256_and_si256(_mm256_srli_epi16(x, 4), mask)));
#if GUOMI_SM4_SBOX == GUOMI_SM4_SBOX_VAES
    const T y = _mm256_aesenclast_epi128(pre, _mm256_setzero_si256());
#else
    // Without VAES, aesenclast works on one 128-bit half at a time.
    const __m128i lo = _mm_aesenclast_si128(_mm256_castsi256_si128(pre), _mm_setzero_si128());
    const __m128i hi = _mm_aesenclast_si128(_mm256_extracti128_si256(pre, 1), _mm_setzero_si128());
    const T y = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
#endif
    return _mm256_xor_si256(
        _mm256_shuffle_epi8(bcast128(xmm_table(sm4_detail::kAesniPost.lo)), _mm256_and_si256(y, mask)),
        _mm256_shuffle_epi8(bcast128(xmm_table(sm4_detail::kAesniPost.hi)),
                            _mm256_and_si256(_mm256_srli_epi16(y, 4), mask)));
  }
#endif
};
#endif

#if GUOMI_SM4_VEC_BITS == 512
struct Vec512 {
  using T = __m512i;
  static constexpr int kBlocks = 16;
  static constexpr int kBytes = 64;
  static GUOMI_SM4_INLINE T load(const uint8_t* p) { return _mm512_loadu_si512(p); }
  static GUOMI_SM4_INLINE void store(uint8_t* p, T v) { _mm512_storeu_si512(p, v); }
  static GUOMI_SM4_INLINE T set1(uint32_t v) { return _mm512_set1_epi32(static_cast<int>(v)); }
  static GUOMI_SM4_INLINE T bcast128(__m128i v) { return _mm512_broadcast_i32x4(v); }
  static GUOMI_SM4_INLINE T vxor(T a, T b) { return _mm512_xor_si512(a, b); }
  static GUOMI_SM4_INLINE T vand(T a, T b) { return _mm512_and_si512(a, b); }
  static GUOMI_SM4_INLINE T add32(T a, T b) { return _mm512_add_epi32(a, b); }
  static GUOMI_SM4_INLINE T sub32(T a, T b) { return _mm512_sub_epi32(a, b); }
  static GUOMI_SM4_INLINE T eq32(T a, T b) { return _mm512_movm_epi32(_mm512_cmpeq_epi32_mask(a, b)); }
  static GUOMI_SM4_INLINE T ltu32(T a, T b) { return _mm512_movm_epi32(_mm512_cmplt_epu32_mask(a, b)); }
  static GUOMI_SM4_INLINE T shuffle(T a, T idx) { return _mm512_shuffle_epi8(a, idx); }
  template <int N>
  static GUOMI_SM4_INLINE T rotl(T a) { return _mm512_rol_epi32(a, N); }
  static GUOMI_SM4_INLINE T unpacklo32(T a, T b) { return _mm512_unpacklo_epi32(a, b); }
  static GUOMI_SM4_INLINE T unpackhi32(T a, T b) { return _mm512_unpackhi_epi32(a, b); }
  static GUOMI_SM4_INLINE T unpacklo64(T a, T b) { return _mm512_unpacklo_epi64(a, b); }
  static GUOMI_SM4_INLINE T unpackhi64(T a, T b) { return _mm512_unpackhi_epi64(a, b); }
  static GUOMI_SM4_INLINE T block_index() {
    return _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
  }
  static GUOMI_SM4_INLINE T sbox(T x) {
    const T pre = _mm512_set1_epi64(static_cast<long long>(sm4_detail::kGfniPre));
    const T post = _mm512_set1_epi64(static_cast<long long>(sm4_detail::kGfniPost));
    x = _mm512_gf2p8affine_epi64_epi8(x, pre, sm4_detail::kGfniPreConst);
    return _mm512_gf2p8affineinv_epi64_epi8(x, post, sm4_detail::kGfniPostConst);
  }
};
#endif

// ---- the round function T = L∘τ on lanes of independent blocks --------------------------------

// L(B) = B ^ (B<<<2) ^ (B<<<10) ^ (B<<<18) ^ (B<<<24) (§6.2), given B and its byte rotations.
template <class V>
GUOMI_SM4_INLINE typename V::T linear_l(typename V::T b, typename V::T r8, typename V::T r16,
                                        typename V::T r24) {
  // B ^ (B<<<24) ^ ((B ^ (B<<<8) ^ (B<<<16)) <<< 2)
  return V::vxor(V::vxor(b, r24), V::template rotl<2>(V::vxor(V::vxor(b, r8), r16)));
}

// round_t returns T(x) for word-sliced lanes (each lane a different block).
template <class V>
GUOMI_SM4_INLINE typename V::T round_t(typename V::T x) {
#if GUOMI_SM4_SBOX == GUOMI_SM4_SBOX_GFNI
  const typename V::T s = V::sbox(x);
#if GUOMI_SM4_VEC_BITS == 512 || defined(GUOMI_SM4_EVEX)
  // Rotations are single instructions here; xors of three become vpternlogd.
  return V::vxor(V::vxor(V::vxor(s, V::template rotl<2>(s)), V::template rotl<10>(s)),
                 V::vxor(V::template rotl<18>(s), V::template rotl<24>(s)));
#else
  const typename V::T r8 = V::shuffle(s, V::bcast128(xmm_bytes(kRot8)));
  const typename V::T r16 = V::shuffle(s, V::bcast128(xmm_bytes(kRot16)));
  const typename V::T r24 = V::shuffle(s, V::bcast128(xmm_bytes(kRot24)));
  return linear_l<V>(s, r8, r16, r24);
#endif
#else
  // The S-box output comes back with ShiftRows applied across the lanes; each shuffle both
  // undoes it and performs one of L's byte rotations.
  const typename V::T y = V::sbox_shift_rows(x);
  const typename V::T s = V::shuffle(y, V::bcast128(xmm_bytes(kIsr)));
  const typename V::T r8 = V::shuffle(y, V::bcast128(xmm_bytes(kIsrRot8)));
  const typename V::T r16 = V::shuffle(y, V::bcast128(xmm_bytes(kIsrRot16)));
  const typename V::T r24 = V::shuffle(y, V::bcast128(xmm_bytes(kIsrRot24)));
  return linear_l<V>(s, r8, r16, r24);
#endif
}

// sbox_bcast: τ on a 128-bit register holding one word in all four lanes (key schedule).
GUOMI_SM4_INLINE __m128i sbox_bcast(__m128i x) {
#if GUOMI_SM4_SBOX == GUOMI_SM4_SBOX_GFNI
  return Vec128::sbox(x);
#else
  return Vec128::sbox_shift_rows(x);  // ShiftRows is the identity on a broadcast word
#endif
}

// ---- single block and key schedule ---------------------------------------------------------------

// opaque keeps the compiler from re-associating a precomputed xor back into the critical path.
GUOMI_SM4_INLINE __m128i opaque(__m128i v) {
  __asm__("" : "+x"(v));
  return v;
}

// Single block: the cipher runs on x̂ = M1·x (sm4_internal.h), so the S-box needs no input map
// and the images of L(s) come from three independent maps of the S-box output: with GFNI three
// gf2p8affineinvqb straight from the input, with AES-NI one aesenclast and three nibble-table
// maps. Each round's critical path is one S-box plus a rotation and two levels of xor.
#if GUOMI_SM4_SBOX == GUOMI_SM4_SBOX_GFNI
GUOMI_SM4_INLINE __m128i gfni_mat(uint64_t m) { return _mm_set1_epi64x(static_cast<long long>(m)); }

// hat_images: a = M1·s, p = P·s, q = Q·s for s = τ(t), given u = M1·t ⊕ φ·C.
GUOMI_SM4_INLINE void hat_images(__m128i u, __m128i& a, __m128i& p, __m128i& q) {
  using namespace sm4_detail;
  a = _mm_gf2p8affineinv_epi64_epi8(u, gfni_mat(kGfniHatA), kGfniHatAConst);
  p = _mm_gf2p8affineinv_epi64_epi8(u, gfni_mat(kGfniHatP), kGfniHatPConst);
  q = _mm_gf2p8affineinv_epi64_epi8(u, gfni_mat(kGfniHatQ), kGfniHatQConst);
}

// Bytewise linear map into / out of the x̂ domain (plus an optional constant).
GUOMI_SM4_INLINE __m128i hat_in(__m128i x, bool with_const) {
  return with_const ? _mm_gf2p8affine_epi64_epi8(x, gfni_mat(sm4_detail::kGfniHatIn), sm4_detail::kGfniPreConst)
                    : _mm_gf2p8affine_epi64_epi8(x, gfni_mat(sm4_detail::kGfniHatIn), 0);
}
GUOMI_SM4_INLINE __m128i hat_out(__m128i x) {
  return _mm_gf2p8affine_epi64_epi8(x, gfni_mat(sm4_detail::kGfniHatOut), 0);
}
#else
GUOMI_SM4_INLINE __m128i nibble_map(__m128i lo, __m128i hi, const sm4_detail::NibbleTables& t) {
  return _mm_xor_si128(_mm_shuffle_epi8(xmm_table(t.lo), lo), _mm_shuffle_epi8(xmm_table(t.hi), hi));
}

GUOMI_SM4_INLINE __m128i nibble_map(__m128i x, const sm4_detail::NibbleTables& t) {
  const __m128i mask = _mm_set1_epi8(0x0f);
  return nibble_map(_mm_and_si128(x, mask), _mm_and_si128(_mm_srli_epi16(x, 4), mask), t);
}

GUOMI_SM4_INLINE void hat_images(__m128i u, __m128i& a, __m128i& p, __m128i& q) {
  // aesenclast with a zero key: Aaes·inv(u) ⊕ 0x63 (ShiftRows is the identity on broadcast words);
  // the tables undo the AES affine map and apply the three target maps.
  const __m128i z = _mm_aesenclast_si128(u, _mm_setzero_si128());
  const __m128i mask = _mm_set1_epi8(0x0f);
  const __m128i lo = _mm_and_si128(z, mask), hi = _mm_and_si128(_mm_srli_epi16(z, 4), mask);
  a = nibble_map(lo, hi, sm4_detail::kAesniHatA);
  p = nibble_map(lo, hi, sm4_detail::kAesniHatP);
  q = nibble_map(lo, hi, sm4_detail::kAesniHatQ);
}

GUOMI_SM4_INLINE __m128i hat_in(__m128i x, bool with_const) {
  return nibble_map(x, with_const ? sm4_detail::kAesniPre : sm4_detail::kAesniHatIn);
}
GUOMI_SM4_INLINE __m128i hat_out(__m128i x) { return nibble_map(x, sm4_detail::kAesniHatOut); }
#endif

template <int N>
GUOMI_SM4_INLINE __m128i rot_bytes(__m128i x) {
#if defined(GUOMI_SM4_EVEX)
  return _mm_rol_epi32(x, 8 * N);
#else
  return _mm_shuffle_epi8(x, xmm_bytes(N == 1 ? kRot8 : N == 2 ? kRot16 : kRot24));
#endif
}

// hat_step: u is the S-box input of round i (x̂ domain). Updates xi (x̂_i) to x̂_{i+4} = x̂_i ⊕ M1·L(s)
// and returns the next round's input pre ⊕ M1·L(s).
GUOMI_SM4_INLINE __m128i hat_step(__m128i u, __m128i& xi, __m128i pre) {
  __m128i a, p, q;
  hat_images(u, a, p, q);
  // M1·L(s) = a ⊕ R24(a) ⊕ p ⊕ R8(p) ⊕ R16(p) ⊕ R8(q) ⊕ R16(q) ⊕ R24(q).
#if defined(GUOMI_SM4_EVEX)
  const __m128i tp = _mm_ternarylogic_epi32(p, rot_bytes<1>(p), rot_bytes<2>(p), 0x96);
  const __m128i tq = _mm_ternarylogic_epi32(rot_bytes<1>(q), rot_bytes<2>(q), rot_bytes<3>(q), 0x96);
  const __m128i ra = rot_bytes<3>(a);
  xi = _mm_ternarylogic_epi32(_mm_ternarylogic_epi32(xi, a, ra, 0x96), tp, tq, 0x96);
  return _mm_ternarylogic_epi32(_mm_ternarylogic_epi32(pre, a, ra, 0x96), tp, tq, 0x96);
#else
  const __m128i ml = _mm_xor_si128(
      _mm_xor_si128(_mm_xor_si128(a, rot_bytes<3>(a)), _mm_xor_si128(p, rot_bytes<1>(p))),
      _mm_xor_si128(_mm_xor_si128(rot_bytes<2>(p), rot_bytes<1>(q)), _mm_xor_si128(rot_bytes<2>(q), rot_bytes<3>(q))));
  xi = _mm_xor_si128(xi, ml);
  return _mm_xor_si128(pre, ml);
#endif
}

void crypt1(const uint32_t rk[32], const uint8_t in[16], uint8_t out[16]) {
  // Round keys in the x̂ domain, with the S-box's input constant folded in: M1·rk ⊕ φ·C.
  alignas(16) uint32_t rkh[32];
  for (int i = 0; i < 32; i += 4)
    _mm_store_si128(reinterpret_cast<__m128i*>(rkh + i),
                    hat_in(_mm_loadu_si128(reinterpret_cast<const __m128i*>(rk + i)), true));
  const __m128i block =
      hat_in(_mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in)), xmm_bytes(kBswap32)), false);
  __m128i x[4] = {_mm_shuffle_epi32(block, 0x00), _mm_shuffle_epi32(block, 0x55), _mm_shuffle_epi32(block, 0xAA),
                  _mm_shuffle_epi32(block, 0xFF)};
  __m128i u = _mm_xor_si128(_mm_xor_si128(x[1], x[2]), _mm_xor_si128(x[3], _mm_set1_epi32(static_cast<int>(rkh[0]))));
  for (int i = 0; i < 32; i += 4) {
    // t_{i+1} = X_{i+2} ^ X_{i+3} ^ X_{i+4} ^ rk_{i+1} = (X_i ^ X_{i+2} ^ X_{i+3} ^ rk_{i+1}) ^ L(s_i):
    // the bracket is ready before the S-box of round i finishes.
#define GUOMI_SM4_HAT(A, C, D, R)                                                                        \
  do {                                                                                                   \
    const __m128i pre_ = opaque(_mm_xor_si128(_mm_xor_si128(x[A], x[C]),                                 \
                                              _mm_xor_si128(x[D], _mm_set1_epi32(static_cast<int>(      \
                                                                     rkh[(i + (R) + 1) & 31])))));       \
    u = hat_step(u, x[A], pre_);                                                                         \
  } while (0)
    GUOMI_SM4_HAT(0, 2, 3, 0);
    GUOMI_SM4_HAT(1, 3, 0, 1);
    GUOMI_SM4_HAT(2, 0, 1, 2);
    GUOMI_SM4_HAT(3, 1, 2, 3);
#undef GUOMI_SM4_HAT
  }
  // (X35, X34, X33, X32), mapped back by M1⁻¹.
  const __m128i y = hat_out(_mm_unpacklo_epi64(_mm_unpacklo_epi32(x[3], x[2]), _mm_unpacklo_epi32(x[1], x[0])));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_shuffle_epi8(y, xmm_bytes(kBswap32)));
  sm4_detail::wipe(rkh, sizeof(rkh));
}

// Key schedule (§7.3): K_i = MK_i ^ FK_i; rk_i = K_{i+4} = K_i ^ L'(τ(K_{i+1} ^ K_{i+2} ^ K_{i+3} ^ CK_i)),
// L'(B) = B ^ (B<<<13) ^ (B<<<23). One word at a time, broadcast in an xmm register; as in the
// cipher, the next round's S-box input is formed as (K_i ^ K_{i+2} ^ K_{i+3} ^ CK_{i+1}) ^ L'(s),
// the bracket prepared while the S-box runs.
void expand_key(const uint8_t key[16], uint32_t rk[32]) {
  using sm4_detail::kCK;
  __m128i k[4];
  for (int i = 0; i < 4; i++)
    k[i] = _mm_set1_epi32(static_cast<int>(load_be32(key + 4 * i) ^ sm4_detail::kFK[i]));
  __m128i t = _mm_xor_si128(_mm_xor_si128(k[1], k[2]), _mm_xor_si128(k[3], _mm_set1_epi32(static_cast<int>(kCK.v[0]))));
  for (int i = 0; i < 32; i += 4) {
#define GUOMI_SM4_KEY_STEP(A, C, D, R)                                                                \
  do {                                                                                                \
    const __m128i pre_ = opaque(_mm_xor_si128(_mm_xor_si128(k[A], k[C]),                              \
                                              _mm_xor_si128(k[D], _mm_set1_epi32(static_cast<int>(   \
                                                                     kCK.v[(i + (R) + 1) & 31])))));  \
    const __m128i s_ = sbox_bcast(t);                                                                 \
    const __m128i l_ = _mm_xor_si128(_mm_xor_si128(s_, Vec128::rotl<13>(s_)), Vec128::rotl<23>(s_)); \
    k[A] = _mm_xor_si128(k[A], l_);                                                                   \
    t = _mm_xor_si128(pre_, l_);                                                                      \
    rk[i + (R)] = static_cast<uint32_t>(_mm_cvtsi128_si32(k[A]));                                     \
  } while (0)
    GUOMI_SM4_KEY_STEP(0, 2, 3, 0);
    GUOMI_SM4_KEY_STEP(1, 3, 0, 1);
    GUOMI_SM4_KEY_STEP(2, 0, 1, 2);
    GUOMI_SM4_KEY_STEP(3, 1, 2, 3);
#undef GUOMI_SM4_KEY_STEP
  }
}

// ---- bulk kernels -------------------------------------------------------------------------------

using V = GUOMI_SM4_BULK_VEC;
using VT = typename V::T;

// How many independent register sets one pass interleaves. A round is a chain of about a dozen
// dependent instructions (the GFNI or AES instructions alone take 4-5 cycles each), so one set
// leaves the vector units mostly idle; measured on Zen 4, throughput keeps rising up to 8 sets
// for GFNI (4.2 GB/s with zmm) even though that many sets no longer fit in registers. The AES-NI
// paths serve older CPUs with 16 vector registers and use 4.
constexpr int kSets = GUOMI_SM4_SETS;

// transpose4 turns four registers of four blocks per 128-bit lane into four registers of one word
// per block (and back: it is an involution).
GUOMI_SM4_INLINE void transpose4(VT& a, VT& b, VT& c, VT& d) {
  const VT t0 = V::unpacklo32(a, b), t1 = V::unpackhi32(a, b);
  const VT t2 = V::unpacklo32(c, d), t3 = V::unpackhi32(c, d);
  a = V::unpacklo64(t0, t2);
  b = V::unpackhi64(t0, t2);
  c = V::unpacklo64(t1, t3);
  d = V::unpackhi64(t1, t3);
}

template <int S>
GUOMI_SM4_INLINE void rounds(const uint32_t* rk, VT (&x)[S][4]) {
  for (int i = 0; i < 32; i += 4) {
#define GUOMI_SM4_ROUND(A, B, C, D, R)                                                          \
  do {                                                                                          \
    const VT k_ = V::set1(rk[i + (R)]);                                                         \
    _Pragma("GCC unroll 4") for (int s = 0; s < S; s++) x[s][A] =                               \
        V::vxor(x[s][A], round_t<V>(V::vxor(V::vxor(x[s][B], x[s][C]), V::vxor(x[s][D], k_)))); \
  } while (0)
    GUOMI_SM4_ROUND(0, 1, 2, 3, 0);
    GUOMI_SM4_ROUND(1, 2, 3, 0, 1);
    GUOMI_SM4_ROUND(2, 3, 0, 1, 2);
    GUOMI_SM4_ROUND(3, 0, 1, 2, 3);
#undef GUOMI_SM4_ROUND
  }
}

// store_sets writes the output blocks of S sets: (X35, X34, X33, X32) transposed back and
// byte-swapped, xored with |in| when |in| is not null (counter mode).
template <int S>
GUOMI_SM4_INLINE void store_sets(VT (&x)[S][4], const uint8_t* in, uint8_t* out) {
  const VT bswap = V::bcast128(xmm_bytes(kBswap32));
  _Pragma("GCC unroll 4") for (int s = 0; s < S; s++) {
    VT r0 = x[s][3], r1 = x[s][2], r2 = x[s][1], r3 = x[s][0];
    transpose4(r0, r1, r2, r3);
    VT r[4] = {V::shuffle(r0, bswap), V::shuffle(r1, bswap), V::shuffle(r2, bswap), V::shuffle(r3, bswap)};
    for (int e = 0; e < 4; e++) {
      const size_t off = static_cast<size_t>(4 * s + e) * V::kBytes;
      if (in) r[e] = V::vxor(r[e], V::load(in + off));
      V::store(out + off, r[e]);
    }
  }
}

// crypt_sets encrypts S sets of blocks; with a |mask|, each block is xored with its mask block
// before and after (XTS), inside the same pass.
template <int S>
GUOMI_SM4_INLINE void crypt_sets(const uint32_t* rk, const uint8_t* in, uint8_t* out, const uint8_t* mask) {
  const VT bswap = V::bcast128(xmm_bytes(kBswap32));
  VT x[S][4];
  _Pragma("GCC unroll 4") for (int s = 0; s < S; s++) {
    for (int e = 0; e < 4; e++) {
      const size_t off = static_cast<size_t>(4 * s + e) * V::kBytes;
      VT r = V::load(in + off);
      if (mask) r = V::vxor(r, V::load(mask + off));
      x[s][e] = V::shuffle(r, bswap);
    }
    transpose4(x[s][0], x[s][1], x[s][2], x[s][3]);
  }
  rounds<S>(rk, x);
  store_sets<S>(x, mask, out);
}

// crypt_passes runs passes of S sets while they fit, then halves S for the remainder.
template <int S>
GUOMI_SM4_INLINE void crypt_passes(const uint32_t* rk, const uint8_t*& in, uint8_t*& out, size_t& n,
                                   const uint8_t*& mask) {
  constexpr size_t kPass = static_cast<size_t>(S) * V::kBlocks;
  for (; n >= kPass; n -= kPass, in += 16 * kPass, out += 16 * kPass) {
    crypt_sets<S>(rk, in, out, mask);
    if (mask) mask += 16 * kPass;
  }
  if constexpr (S > 1) crypt_passes<S / 2>(rk, in, out, n, mask);
}

GUOMI_SM4_INLINE void crypt_blocks_impl(const uint32_t rk[32], const uint8_t* in, uint8_t* out, size_t n,
                                        const uint8_t* mask) {
  constexpr size_t kW = V::kBlocks;
  crypt_passes<kSets>(rk, in, out, n, mask);
  if (n) {
    alignas(64) uint8_t buf[16 * kW];
    alignas(64) uint8_t mbuf[16 * kW];
    std::memcpy(buf, in, 16 * n);
    std::memset(buf + 16 * n, 0, sizeof(buf) - 16 * n);
    if (mask) {
      std::memcpy(mbuf, mask, 16 * n);
      std::memset(mbuf + 16 * n, 0, sizeof(mbuf) - 16 * n);
    }
    crypt_sets<1>(rk, buf, buf, mask ? mbuf : nullptr);
    std::memcpy(out, buf, 16 * n);
    sm4_detail::wipe(buf, sizeof(buf));
    if (mask) sm4_detail::wipe(mbuf, sizeof(mbuf));
  }
}

void crypt_blocks(const uint32_t rk[32], const uint8_t* in, uint8_t* out, size_t n) {
  crypt_blocks_impl(rk, in, out, n, nullptr);
}

void crypt_blocks_masked(const uint32_t rk[32], const uint8_t* in, uint8_t* out, size_t n, const uint8_t* mask) {
  crypt_blocks_impl(rk, in, out, n, mask);
}

// Counter blocks for S sets starting at the counter words c[0..3] (big-endian words of the
// 16-byte counter block), block b of the pass getting counter + b: the low word is incremented
// per lane and, unless kInc32, the carry ripples into the higher words (without branches).
template <int S, bool kInc32>
GUOMI_SM4_INLINE void counter_sets(const uint32_t c[4], VT (&x)[S][4]) {
  const VT idx = V::block_index();
  _Pragma("GCC unroll 4") for (int s = 0; s < S; s++) {
    const VT inc = V::add32(idx, V::set1(static_cast<uint32_t>(s * V::kBlocks)));
    x[s][3] = V::add32(V::set1(c[3]), inc);
    if (kInc32) {
      x[s][2] = V::set1(c[2]);
      x[s][1] = V::set1(c[1]);
      x[s][0] = V::set1(c[0]);
    } else {
      const VT zero = V::set1(0);
      const VT carry3 = V::ltu32(x[s][3], inc);  // all-ones where the low word wrapped
      x[s][2] = V::sub32(V::set1(c[2]), carry3);
      const VT carry2 = V::vand(carry3, V::eq32(x[s][2], zero));
      x[s][1] = V::sub32(V::set1(c[1]), carry2);
      const VT carry1 = V::vand(carry2, V::eq32(x[s][1], zero));
      x[s][0] = V::sub32(V::set1(c[0]), carry1);
    }
  }
}

template <int S, bool kInc32>
GUOMI_SM4_INLINE void ctr_sets(const uint32_t* rk, uint8_t ctr[16], const uint8_t* in, uint8_t* out) {
  uint32_t c[4];
  for (int i = 0; i < 4; i++) c[i] = load_be32(ctr + 4 * i);
  VT x[S][4];
  counter_sets<S, kInc32>(c, x);
  rounds<S>(rk, x);
  store_sets<S>(x, in, out);
  sm4_detail::ctr_add(ctr, static_cast<uint64_t>(S) * V::kBlocks, kInc32);
}

template <int S, bool kInc32>
GUOMI_SM4_INLINE void ctr_passes(const uint32_t* rk, uint8_t ctr[16], const uint8_t*& in, uint8_t*& out,
                                 size_t& n) {
  constexpr size_t kPass = static_cast<size_t>(S) * V::kBlocks;
  for (; n >= kPass; n -= kPass, in += 16 * kPass, out += 16 * kPass) ctr_sets<S, kInc32>(rk, ctr, in, out);
  if constexpr (S > 1) ctr_passes<S / 2, kInc32>(rk, ctr, in, out, n);
}

template <bool kInc32>
GUOMI_SM4_INLINE void ctr_blocks(const uint32_t rk[32], uint8_t ctr[16], const uint8_t* in, uint8_t* out,
                                 size_t n) {
  constexpr size_t kW = V::kBlocks;
  ctr_passes<kSets, kInc32>(rk, ctr, in, out, n);
  if (n) {
    alignas(64) uint8_t buf[16 * kW];
    uint8_t scratch_ctr[16];
    std::memcpy(buf, in, 16 * n);
    std::memset(buf + 16 * n, 0, sizeof(buf) - 16 * n);
    std::memcpy(scratch_ctr, ctr, 16);
    ctr_sets<1, kInc32>(rk, scratch_ctr, buf, buf);  // advances scratch_ctr by a whole set
    std::memcpy(out, buf, 16 * n);
    sm4_detail::wipe(buf, sizeof(buf));
    sm4_detail::ctr_add(ctr, n, kInc32);
  }
}

void ctr128(const uint32_t rk[32], uint8_t ctr[16], const uint8_t* in, uint8_t* out, size_t n) {
  ctr_blocks<false>(rk, ctr, in, out, n);
}

void ctr32(const uint32_t rk[32], uint8_t ctr[16], const uint8_t* in, uint8_t* out, size_t n) {
  ctr_blocks<true>(rk, ctr, in, out, n);
}

#undef GUOMI_SM4_INLINE

#endif  // defined(GUOMI_SM4_X86_KERNEL)
