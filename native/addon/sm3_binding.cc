// sm3_binding.cc — SM3, HMAC-SM3, the SM2 KDF, HKDF-SM3 and PBKDF2-SM3.
//
// Outputs are written into Uint8Arrays that the caller allocates; streaming states are plain
// C++ structs kept in JS-owned Uint8Arrays of stateSize bytes (see StateView in args.h).
#include <napi.h>

#include <cstring>
#include <vector>

#include "../core/ct.h"
#include "../core/sm3.h"
#include "args.h"
#include "async.h"
#include "bindings.h"

namespace guomi_addon {
namespace {

using guomi::HmacSm3Ctx;
using guomi::Sm3Ctx;

// sm3(data, out32)
Napi::Value Sm3(const Napi::CallbackInfo& info) {
  Bytes data, out;
  if (!get_bytes(info, 0, "data", &data) || !get_bytes_len(info, 1, "out", 32, &out)) return {};
  guomi::sm3(data.data, data.len, out.data);
  return {};
}

// sm3Init(state)
Napi::Value Sm3Init(const Napi::CallbackInfo& info) {
  Bytes st;
  if (!get_state<Sm3Ctx>(info, 0, &st)) return {};
  StateView<Sm3Ctx> ctx(st);
  guomi::sm3_init(ctx.get());
  return {};
}

// sm3Update(state, data)
Napi::Value Sm3Update(const Napi::CallbackInfo& info) {
  Bytes st, data;
  if (!get_state<Sm3Ctx>(info, 0, &st) || !get_bytes(info, 1, "data", &data)) return {};
  StateView<Sm3Ctx> ctx(st);
  guomi::sm3_update(ctx.get(), data.data, data.len);
  return {};
}

// sm3Final(state, out32): the state is wiped.
Napi::Value Sm3Final(const Napi::CallbackInfo& info) {
  Bytes st, out;
  if (!get_state<Sm3Ctx>(info, 0, &st) || !get_bytes_len(info, 1, "out", 32, &out)) return {};
  StateView<Sm3Ctx> ctx(st);
  guomi::sm3_final(ctx.get(), out.data);
  return {};
}

// hmacSm3(key, data, out32)
Napi::Value HmacSm3(const Napi::CallbackInfo& info) {
  Bytes key, data, out;
  if (!get_bytes(info, 0, "key", &key) || !get_bytes(info, 1, "data", &data) ||
      !get_bytes_len(info, 2, "out", 32, &out))
    return {};
  guomi::hmac_sm3(key.data, key.len, data.data, data.len, out.data);
  return {};
}

// hmacSm3Init(state, key)
Napi::Value HmacSm3Init(const Napi::CallbackInfo& info) {
  Bytes st, key;
  if (!get_state<HmacSm3Ctx>(info, 0, &st) || !get_bytes(info, 1, "key", &key)) return {};
  StateView<HmacSm3Ctx> ctx(st);
  guomi::hmac_sm3_init(ctx.get(), key.data, key.len);
  return {};
}

// hmacSm3Update(state, data)
Napi::Value HmacSm3Update(const Napi::CallbackInfo& info) {
  Bytes st, data;
  if (!get_state<HmacSm3Ctx>(info, 0, &st) || !get_bytes(info, 1, "data", &data)) return {};
  StateView<HmacSm3Ctx> ctx(st);
  guomi::hmac_sm3_update(ctx.get(), data.data, data.len);
  return {};
}

// hmacSm3Final(state, out32): the state is wiped.
Napi::Value HmacSm3Final(const Napi::CallbackInfo& info) {
  Bytes st, out;
  if (!get_state<HmacSm3Ctx>(info, 0, &st) || !get_bytes_len(info, 1, "out", 32, &out)) return {};
  StateView<HmacSm3Ctx> ctx(st);
  guomi::hmac_sm3_final(ctx.get(), out.data);
  return {};
}

// hmacSm3Prepare(key, out64): the prepared key (chaining values after the ipad and opad blocks).
Napi::Value HmacSm3Prepare(const Napi::CallbackInfo& info) {
  Bytes key, out;
  if (!get_bytes(info, 0, "key", &key) ||
      !get_bytes_len(info, 1, "out", guomi::kHmacSm3PreparedWords * 4, &out))
    return {};
  uint32_t prepared[guomi::kHmacSm3PreparedWords];
  guomi::hmac_sm3_prepare(key.data, key.len, prepared);
  std::memcpy(out.data, prepared, sizeof(prepared));
  guomi::secure_zero(prepared, sizeof(prepared));
  return {};
}

// hmacSm3Batch(prepared (64 bytes per key), which (Uint32Array), data, ends (Uint32Array), out)
// out[32i .. 32i + 32) = HMAC-SM3 under key which[i] of data[ends[i-1] .. ends[i]).
Napi::Value HmacSm3Batch(const Napi::CallbackInfo& info) {
  Bytes prep, data, out;
  const uint32_t *which, *ends;
  size_t n_which, n_ends;
  if (!get_bytes(info, 0, "prepared", &prep) || !get_u32s(info, 1, "which", &which, &n_which) ||
      !get_bytes(info, 2, "data", &data) || !get_u32s(info, 3, "ends", &ends, &n_ends) ||
      !get_bytes(info, 4, "out", &out))
    return {};
  napi_env env = info.Env();
  constexpr size_t kPreparedBytes = guomi::kHmacSm3PreparedWords * 4;
  const size_t nkeys = prep.len / kPreparedBytes;
  if (prep.len % kPreparedBytes != 0 || n_ends != n_which || out.len < 32 * n_which) {
    throw_range_error(env, "hmacSm3Batch: inconsistent lengths");
    return {};
  }
  uint32_t prev = 0;
  for (size_t i = 0; i < n_which; i++) {
    if (which[i] >= nkeys || ends[i] < prev || ends[i] > data.len) {
      throw_range_error(env, "hmacSm3Batch: a key index or message end is out of range");
      return {};
    }
    prev = ends[i];
  }
  // The prepared words are read in place when aligned (offHeap buffers are), copied otherwise.
  std::vector<uint32_t> copy;
  const uint32_t* words = reinterpret_cast<const uint32_t*>(prep.data);
  if (reinterpret_cast<uintptr_t>(prep.data) % alignof(uint32_t) != 0) {
    copy.resize(prep.len / 4);
    std::memcpy(copy.data(), prep.data, prep.len);
    words = copy.data();
  }
  guomi::hmac_sm3_batch(words, nkeys, which, data.data, ends, n_which, out.data);
  if (!copy.empty()) guomi::secure_zero(copy.data(), copy.size() * 4);
  return {};
}

// sm3Kdf(z, out): fills out with KDF(z, 8·out.length).
Napi::Value Sm3Kdf(const Napi::CallbackInfo& info) {
  Bytes z, out;
  if (!get_bytes(info, 0, "z", &z) || !get_bytes(info, 1, "out", &out)) return {};
  guomi::sm3_kdf(z.data, z.len, out.data, out.len);
  return {};
}

// hkdfSm3Extract(salt, ikm, out32)
Napi::Value HkdfSm3Extract(const Napi::CallbackInfo& info) {
  Bytes salt, ikm, out;
  if (!get_bytes(info, 0, "salt", &salt) || !get_bytes(info, 1, "ikm", &ikm) ||
      !get_bytes_len(info, 2, "out", 32, &out))
    return {};
  guomi::hkdf_sm3_extract(salt.data, salt.len, ikm.data, ikm.len, out.data);
  return {};
}

// hkdfSm3Expand(prk, info, out): out.length <= 8160.
Napi::Value HkdfSm3Expand(const Napi::CallbackInfo& info) {
  Bytes prk, inf, out;
  if (!get_bytes(info, 0, "prk", &prk) || !get_bytes(info, 1, "info", &inf) ||
      !get_bytes(info, 2, "out", &out))
    return {};
  if (!guomi::hkdf_sm3_expand(prk.data, prk.len, inf.data, inf.len, out.data, out.len)) {
    throw_range_error(info.Env(), "\"length\" must be at most 8160");
  }
  return {};
}

// pbkdf2Sm3(password, salt, iterations, out)
Napi::Value Pbkdf2Sm3(const Napi::CallbackInfo& info) {
  Bytes pw, salt, out;
  uint32_t iterations;
  if (!get_bytes(info, 0, "password", &pw) || !get_bytes(info, 1, "salt", &salt) ||
      !get_u32(info, 2, "iterations", 1, 0xffffffffu, &iterations) ||
      !get_bytes(info, 3, "out", &out))
    return {};
  if (!guomi::pbkdf2_sm3(pw.data, pw.len, salt.data, salt.len, iterations, out.data, out.len)) {
    throw_range_error(info.Env(), "\"length\" is too large");
  }
  return {};
}

// pbkdf2Sm3Async(password, salt, iterations, length) -> Promise<Uint8Array>
Napi::Value Pbkdf2Sm3Async(const Napi::CallbackInfo& info) {
  Bytes pw, salt;
  uint32_t iterations, length;
  if (!get_bytes(info, 0, "password", &pw) || !get_bytes(info, 1, "salt", &salt) ||
      !get_u32(info, 2, "iterations", 1, 0xffffffffu, &iterations) ||
      !get_u32(info, 3, "length", 0, 0x7fffffffu, &length))
    return {};
  SecretBytes password(pw), salt_copy(salt);
  return run_async(info.Env(), [password, salt_copy, iterations, length](AsyncResult& r) {
    r.bytes.resize(length);
    if (!guomi::pbkdf2_sm3(password.data(), password.size(), salt_copy.data(), salt_copy.size(),
                           iterations, r.bytes.data(), length)) {
      r.error_code = "ERR_OUT_OF_RANGE";
      r.error_message = "\"length\" is too large";
    }
  });
}

}  // namespace

void register_sm3(Napi::Env env, Napi::Object exports) {
  exports.Set("sm3", Napi::Function::New(env, Sm3, "sm3"));
  exports.Set("sm3StateSize", Napi::Number::New(env, sizeof(Sm3Ctx)));
  exports.Set("sm3Init", Napi::Function::New(env, Sm3Init, "sm3Init"));
  exports.Set("sm3Update", Napi::Function::New(env, Sm3Update, "sm3Update"));
  exports.Set("sm3Final", Napi::Function::New(env, Sm3Final, "sm3Final"));
  exports.Set("hmacSm3", Napi::Function::New(env, HmacSm3, "hmacSm3"));
  exports.Set("hmacSm3StateSize", Napi::Number::New(env, sizeof(HmacSm3Ctx)));
  exports.Set("hmacSm3Init", Napi::Function::New(env, HmacSm3Init, "hmacSm3Init"));
  exports.Set("hmacSm3Update", Napi::Function::New(env, HmacSm3Update, "hmacSm3Update"));
  exports.Set("hmacSm3Final", Napi::Function::New(env, HmacSm3Final, "hmacSm3Final"));
  exports.Set("hmacSm3Prepare", Napi::Function::New(env, HmacSm3Prepare, "hmacSm3Prepare"));
  exports.Set("hmacSm3Batch", Napi::Function::New(env, HmacSm3Batch, "hmacSm3Batch"));
  exports.Set("sm3Kdf", Napi::Function::New(env, Sm3Kdf, "sm3Kdf"));
  exports.Set("hkdfSm3Extract", Napi::Function::New(env, HkdfSm3Extract, "hkdfSm3Extract"));
  exports.Set("hkdfSm3Expand", Napi::Function::New(env, HkdfSm3Expand, "hkdfSm3Expand"));
  exports.Set("pbkdf2Sm3", Napi::Function::New(env, Pbkdf2Sm3, "pbkdf2Sm3"));
  exports.Set("pbkdf2Sm3Async", Napi::Function::New(env, Pbkdf2Sm3Async, "pbkdf2Sm3Async"));
}

}  // namespace guomi_addon
