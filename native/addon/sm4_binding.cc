// sm4_binding.cc — SM4 and its modes.
//
// Calls take the key itself and expand it on the stack (sm4_set_key costs ~0.1 µs, less than
// allocating and tracking a 256-byte expanded key per cipher object in JavaScript, which
// dominated one-shot calls); the expanded key is wiped before the call returns.
//
// Keys and IVs arrive packed in one "params" buffer that the TypeScript side reuses for every
// call: key at [0, 16), XTS tweak key at [16, 32), IV, nonce or tweak at [32, 32 + ivLen).
// Small Uint8Arrays live on the V8 heap and V8 must move each one before native code can see it,
// which halved the rate of 64-byte GCM calls; one long-lived off-heap buffer avoids that.
//
// Streaming states (which hold their own round keys) are the plain structs of sm4.h kept in
// JS-owned Uint8Arrays (StateView, args.h), wiped by the TypeScript side. Outputs go into
// caller-allocated arrays.
#include <napi.h>

#include <cstdint>
#include <cstring>

#include "../core/sm4.h"
#include "args.h"
#include "async.h"
#include "bindings.h"

namespace guomi_addon {
namespace {

using guomi::Sm4GcmState;
using guomi::Sm4Key;
using guomi::Sm4StreamState;

constexpr size_t kParamsIvOffset = 32;

// Params is the view of a params buffer: the keys and the IV with its length.
struct Params {
  const uint8_t* key;
  const uint8_t* key2;
  const uint8_t* iv;
  size_t iv_len;
};

// get_params reads the params buffer (argument |i|) and the IV length (argument |i + 1|, or
// |fixed_iv_len| when that is not SIZE_MAX, in which case no length argument is read).
bool get_params(const Napi::CallbackInfo& info, size_t i, size_t fixed_iv_len, Params* p) {
  Bytes b;
  if (!get_bytes(info, i, "params", &b)) return false;
  uint32_t iv_len = 0;
  if (fixed_iv_len == SIZE_MAX) {
    if (!get_u32(info, i + 1, "ivLength", 0, 0x7fffffff, &iv_len)) return false;
  } else {
    iv_len = static_cast<uint32_t>(fixed_iv_len);
  }
  if (b.len < kParamsIvOffset + iv_len) {
    throw_range_error(info.Env(), "\"params\" is shorter than its keys and IV");
    return false;
  }
  p->key = b.data;
  p->key2 = b.data + 16;
  p->iv = b.data + kParamsIvOffset;
  p->iv_len = iv_len;
  return true;
}

// ExpandedKey is a key schedule on the stack, wiped when it goes out of scope.
class ExpandedKey {
 public:
  explicit ExpandedKey(const uint8_t* key) { guomi::sm4_set_key(&k_, key); }
  ~ExpandedKey() { guomi::sm4_wipe_key(&k_); }
  ExpandedKey(const ExpandedKey&) = delete;
  ExpandedKey& operator=(const ExpandedKey&) = delete;
  const Sm4Key* get() const { return &k_; }

 private:
  Sm4Key k_;
};

bool whole_blocks(napi_env env, const Bytes& in, const Bytes& out) {
  if (in.len % 16 != 0 || out.len != in.len) {
    throw_range_error(env, "\"input\" must be whole 16-byte blocks and \"output\" as long");
    return false;
  }
  return true;
}

// sm4Ecb(params, decrypt, input, output)
Napi::Value Ecb(const Napi::CallbackInfo& info) {
  Params p;
  Bytes in, out;
  bool decrypt;
  if (!get_params(info, 0, 0, &p) || !get_bool(info, 1, "decrypt", &decrypt) ||
      !get_bytes(info, 2, "input", &in) || !get_bytes(info, 3, "output", &out) ||
      !whole_blocks(info.Env(), in, out))
    return {};
  ExpandedKey k(p.key);
  if (decrypt) guomi::sm4_ecb_decrypt(k.get(), in.data, out.data, in.len / 16);
  else guomi::sm4_ecb_encrypt(k.get(), in.data, out.data, in.len / 16);
  return {};
}

// sm4Cbc(params, decrypt, iv16 (updated in place, for chaining), input, output)
Napi::Value Cbc(const Napi::CallbackInfo& info) {
  Params p;
  Bytes iv, in, out;
  bool decrypt;
  if (!get_params(info, 0, 0, &p) || !get_bool(info, 1, "decrypt", &decrypt) ||
      !get_bytes_len(info, 2, "iv", 16, &iv) || !get_bytes(info, 3, "input", &in) ||
      !get_bytes(info, 4, "output", &out) || !whole_blocks(info.Env(), in, out))
    return {};
  ExpandedKey k(p.key);
  if (decrypt) guomi::sm4_cbc_decrypt(k.get(), iv.data, in.data, out.data, in.len / 16);
  else guomi::sm4_cbc_encrypt(k.get(), iv.data, in.data, out.data, in.len / 16);
  return {};
}

// sm4StreamInit(state, params (16-byte IV), mode (0 ctr, 1 cfb, 2 ofb), decrypt)
Napi::Value StreamInit(const Napi::CallbackInfo& info) {
  Bytes st;
  Params p;
  uint32_t mode;
  bool decrypt;
  if (!get_state<Sm4StreamState>(info, 0, &st) || !get_params(info, 1, 16, &p) ||
      !get_u32(info, 2, "mode", 0, 2, &mode) || !get_bool(info, 3, "decrypt", &decrypt))
    return {};
  StateView<Sm4StreamState> s(st);
  ExpandedKey k(p.key);
  guomi::sm4_stream_init(s.get(), k.get(), static_cast<guomi::Sm4StreamMode>(mode), decrypt, p.iv);
  return {};
}

// sm4StreamUpdate(state, input, output)
Napi::Value StreamUpdate(const Napi::CallbackInfo& info) {
  Bytes st, in, out;
  if (!get_state<Sm4StreamState>(info, 0, &st) || !get_bytes(info, 1, "input", &in) ||
      !get_bytes(info, 2, "output", &out))
    return {};
  if (out.len != in.len) {
    throw_range_error(info.Env(), "\"output\" must be as long as \"input\"");
    return {};
  }
  StateView<Sm4StreamState> s(st);
  guomi::sm4_stream_update(s.get(), in.data, out.data, in.len);
  return {};
}

// sm4GcmEncrypt(params, ivLength, aad, input, output (input.length + tagLength), tagLength)
Napi::Value GcmEncrypt(const Napi::CallbackInfo& info) {
  Params p;
  Bytes aad, in, out;
  uint32_t tag_len;
  if (!get_params(info, 0, SIZE_MAX, &p) || !get_bytes(info, 2, "aad", &aad) ||
      !get_bytes(info, 3, "input", &in) || !get_bytes(info, 4, "output", &out) ||
      !get_u32(info, 5, "tagLength", 4, 16, &tag_len))
    return {};
  if (out.len != in.len + tag_len) {
    throw_range_error(info.Env(), "\"output\" must be input.length + tagLength bytes");
    return {};
  }
  ExpandedKey k(p.key);
  if (!guomi::sm4_gcm_encrypt(k.get(), p.iv, p.iv_len, aad.data, aad.len, in.data, in.len,
                              out.data, out.data + in.len, tag_len)) {
    throw_range_error(info.Env(), "SM4-GCM parameters out of range (IV empty or data too long)");
  }
  return {};
}

// sm4GcmDecrypt(params, ivLength, aad, input, tag, output) -> boolean
Napi::Value GcmDecrypt(const Napi::CallbackInfo& info) {
  Params p;
  Bytes aad, in, tag, out;
  if (!get_params(info, 0, SIZE_MAX, &p) || !get_bytes(info, 2, "aad", &aad) ||
      !get_bytes(info, 3, "input", &in) || !get_bytes(info, 4, "tag", &tag) ||
      !get_bytes(info, 5, "output", &out))
    return {};
  if (out.len != in.len) {
    throw_range_error(info.Env(), "\"output\" must be as long as \"input\"");
    return {};
  }
  ExpandedKey k(p.key);
  const bool ok = guomi::sm4_gcm_decrypt(k.get(), p.iv, p.iv_len, aad.data, aad.len, in.data,
                                         in.len, tag.data, tag.len, out.data);
  return Napi::Boolean::New(info.Env(), ok);
}

// sm4GcmInit(state, params, ivLength, decrypt)
Napi::Value GcmInit(const Napi::CallbackInfo& info) {
  Bytes st;
  Params p;
  bool decrypt;
  if (!get_state<Sm4GcmState>(info, 0, &st) || !get_params(info, 1, SIZE_MAX, &p) ||
      !get_bool(info, 3, "decrypt", &decrypt))
    return {};
  StateView<Sm4GcmState> s(st);
  ExpandedKey k(p.key);
  if (!guomi::sm4_gcm_init(s.get(), k.get(), p.iv, p.iv_len, decrypt)) {
    throw_range_error(info.Env(), "\"iv\" must not be empty");
  }
  return {};
}

// sm4GcmAad(state, data)
Napi::Value GcmAad(const Napi::CallbackInfo& info) {
  Bytes st, aad;
  if (!get_state<Sm4GcmState>(info, 0, &st) || !get_bytes(info, 1, "aad", &aad)) return {};
  StateView<Sm4GcmState> s(st);
  if (!guomi::sm4_gcm_aad(s.get(), aad.data, aad.len)) {
    throw_range_error(info.Env(), "SM4-GCM: AAD after data, or AAD too long");
  }
  return {};
}

// sm4GcmUpdate(state, input, output)
Napi::Value GcmUpdate(const Napi::CallbackInfo& info) {
  Bytes st, in, out;
  if (!get_state<Sm4GcmState>(info, 0, &st) || !get_bytes(info, 1, "input", &in) ||
      !get_bytes(info, 2, "output", &out))
    return {};
  if (out.len != in.len) {
    throw_range_error(info.Env(), "\"output\" must be as long as \"input\"");
    return {};
  }
  StateView<Sm4GcmState> s(st);
  if (!guomi::sm4_gcm_update(s.get(), in.data, out.data, in.len)) {
    throw_range_error(info.Env(), "SM4-GCM: data too long for one key and IV, or after final");
  }
  return {};
}

// sm4GcmFinal(state, tag16)
Napi::Value GcmFinal(const Napi::CallbackInfo& info) {
  Bytes st, tag;
  if (!get_state<Sm4GcmState>(info, 0, &st) || !get_bytes_len(info, 1, "tag", 16, &tag)) return {};
  StateView<Sm4GcmState> s(st);
  guomi::sm4_gcm_final(s.get(), tag.data);
  return {};
}

// sm4CcmEncrypt(params, nonceLength, aad, input, output (input.length + tagLength), tagLength)
Napi::Value CcmEncrypt(const Napi::CallbackInfo& info) {
  Params p;
  Bytes aad, in, out;
  uint32_t tag_len;
  if (!get_params(info, 0, SIZE_MAX, &p) || !get_bytes(info, 2, "aad", &aad) ||
      !get_bytes(info, 3, "input", &in) || !get_bytes(info, 4, "output", &out) ||
      !get_u32(info, 5, "tagLength", 4, 16, &tag_len))
    return {};
  if (out.len != in.len + tag_len) {
    throw_range_error(info.Env(), "\"output\" must be input.length + tagLength bytes");
    return {};
  }
  ExpandedKey k(p.key);
  if (!guomi::sm4_ccm_encrypt(k.get(), p.iv, p.iv_len, aad.data, aad.len, in.data, in.len,
                              out.data, out.data + in.len, tag_len)) {
    throw_range_error(info.Env(), "SM4-CCM parameters out of range (nonce, tag or data length)");
  }
  return {};
}

// sm4CcmDecrypt(params, nonceLength, aad, input, tag, output) -> boolean
Napi::Value CcmDecrypt(const Napi::CallbackInfo& info) {
  Params p;
  Bytes aad, in, tag, out;
  if (!get_params(info, 0, SIZE_MAX, &p) || !get_bytes(info, 2, "aad", &aad) ||
      !get_bytes(info, 3, "input", &in) || !get_bytes(info, 4, "tag", &tag) ||
      !get_bytes(info, 5, "output", &out))
    return {};
  if (out.len != in.len) {
    throw_range_error(info.Env(), "\"output\" must be as long as \"input\"");
    return {};
  }
  ExpandedKey k(p.key);
  const bool ok = guomi::sm4_ccm_decrypt(k.get(), p.iv, p.iv_len, aad.data, aad.len, in.data,
                                         in.len, tag.data, tag.len, out.data);
  return Napi::Boolean::New(info.Env(), ok);
}

// sm4Xts(params (key, tweak key, 16-byte tweak), variant (0 gb, 1 ieee), decrypt, input, output)
Napi::Value Xts(const Napi::CallbackInfo& info) {
  Params p;
  Bytes in, out;
  uint32_t variant;
  bool decrypt;
  if (!get_params(info, 0, 16, &p) || !get_u32(info, 1, "variant", 0, 1, &variant) ||
      !get_bool(info, 2, "decrypt", &decrypt) || !get_bytes(info, 3, "input", &in) ||
      !get_bytes(info, 4, "output", &out))
    return {};
  if (in.len < 16 || out.len != in.len) {
    throw_range_error(info.Env(), "XTS needs at least 16 bytes, and \"output\" as long as \"input\"");
    return {};
  }
  ExpandedKey a(p.key), b(p.key2);
  const auto v = static_cast<guomi::Sm4XtsVariant>(variant);
  if (decrypt) guomi::sm4_xts_decrypt(a.get(), b.get(), p.iv, v, in.data, out.data, in.len);
  else guomi::sm4_xts_encrypt(a.get(), b.get(), p.iv, v, in.data, out.data, in.len);
  return {};
}

enum AsyncMode : uint32_t { kEcb, kCbc, kCtr, kCfb, kOfb, kGcm, kCcm, kXts };

// sm4Async(mode, params, ivLength, decrypt, aad, tagLength, variant, input) -> Promise<Uint8Array>
// One whole-message operation on the libuv thread pool (src/backend/sm4-job.ts is the same
// sequence of synchronous calls). The params, the AAD and the input are copied first. ECB and
// CBC take whole blocks; GCM and CCM decryption take ciphertext || tag and reject with
// ERR_AUTH_FAILED, releasing nothing, when the tag does not verify.
Napi::Value Async(const Napi::CallbackInfo& info) {
  Params p;
  Bytes aad, in;
  uint32_t mode, tag_len, variant;
  bool decrypt;
  if (!get_u32(info, 0, "mode", kEcb, kXts, &mode) || !get_params(info, 1, SIZE_MAX, &p) ||
      !get_bool(info, 3, "decrypt", &decrypt) || !get_bytes(info, 4, "aad", &aad) ||
      !get_u32(info, 5, "tagLength", 4, 16, &tag_len) || !get_u32(info, 6, "variant", 0, 1, &variant) ||
      !get_bytes(info, 7, "input", &in))
    return {};
  napi_env env = info.Env();
  if ((mode == kEcb || mode == kCbc) && in.len % 16 != 0) {
    throw_range_error(env, "\"input\" must be whole 16-byte blocks");
    return {};
  }
  if ((mode == kCbc || mode == kCtr || mode == kCfb || mode == kOfb || mode == kXts) && p.iv_len != 16) {
    throw_range_error(env, "\"iv\" must be 16 bytes long");
    return {};
  }
  if ((mode == kGcm || mode == kCcm) && decrypt && in.len < tag_len) {
    throw_range_error(env, "\"input\" is shorter than the tag");
    return {};
  }
  if (mode == kXts && in.len < 16) {
    throw_range_error(env, "XTS needs at least 16 bytes");
    return {};
  }
  SecretBytes key(Bytes{const_cast<uint8_t*>(p.key), 16}), key2(Bytes{const_cast<uint8_t*>(p.key2), 16});
  SecretBytes v(Bytes{const_cast<uint8_t*>(p.iv), p.iv_len}), a(aad), input(in);
  return run_async(env, [=](AsyncResult& r) {
    const ExpandedKey expanded(key.data());
    const Sm4Key* k = expanded.get();
    const size_t n = input.size();
    switch (mode) {
      case kEcb:
        r.bytes.resize(n);
        if (decrypt) guomi::sm4_ecb_decrypt(k, input.data(), r.bytes.data(), n / 16);
        else guomi::sm4_ecb_encrypt(k, input.data(), r.bytes.data(), n / 16);
        return;
      case kCbc: {
        uint8_t chain[16];
        std::memcpy(chain, v.data(), 16);
        r.bytes.resize(n);
        if (decrypt) guomi::sm4_cbc_decrypt(k, chain, input.data(), r.bytes.data(), n / 16);
        else guomi::sm4_cbc_encrypt(k, chain, input.data(), r.bytes.data(), n / 16);
        return;
      }
      case kCtr:
      case kCfb:
      case kOfb: {
        Sm4StreamState st;
        guomi::sm4_stream_init(&st, k, static_cast<guomi::Sm4StreamMode>(mode - kCtr), decrypt,
                               v.data());
        r.bytes.resize(n);
        guomi::sm4_stream_update(&st, input.data(), r.bytes.data(), n);
        guomi::sm4_stream_wipe(&st);
        return;
      }
      case kGcm:
      case kCcm: {
        const bool gcm = mode == kGcm;
        if (!decrypt) {
          r.bytes.resize(n + tag_len);
          const bool ok =
              gcm ? guomi::sm4_gcm_encrypt(k, v.data(), v.size(), a.data(), a.size(), input.data(),
                                           n, r.bytes.data(), r.bytes.data() + n, tag_len)
                  : guomi::sm4_ccm_encrypt(k, v.data(), v.size(), a.data(), a.size(), input.data(),
                                           n, r.bytes.data(), r.bytes.data() + n, tag_len);
          if (!ok) {
            r.error_code = "ERR_OUT_OF_RANGE";
            r.error_message = "SM4 AEAD parameters out of range";
          }
          return;
        }
        const size_t m = n - tag_len;
        r.bytes.resize(m);
        const bool ok =
            gcm ? guomi::sm4_gcm_decrypt(k, v.data(), v.size(), a.data(), a.size(), input.data(), m,
                                         input.data() + m, tag_len, r.bytes.data())
                : guomi::sm4_ccm_decrypt(k, v.data(), v.size(), a.data(), a.size(), input.data(), m,
                                         input.data() + m, tag_len, r.bytes.data());
        if (!ok) {
          r.error_code = "ERR_AUTH_FAILED";
          r.error_message = "SM4 decryption failed: the authentication tag does not match";
        }
        return;
      }
      case kXts:
      default: {
        const ExpandedKey expanded2(key2.data());
        r.bytes.resize(n);
        const auto var = static_cast<guomi::Sm4XtsVariant>(variant);
        if (decrypt) guomi::sm4_xts_decrypt(k, expanded2.get(), v.data(), var, input.data(), r.bytes.data(), n);
        else guomi::sm4_xts_encrypt(k, expanded2.get(), v.data(), var, input.data(), r.bytes.data(), n);
        return;
      }
    }
  });
}

}  // namespace

void register_sm4(Napi::Env env, Napi::Object exports) {
  exports.Set("sm4StreamStateSize", Napi::Number::New(env, sizeof(Sm4StreamState)));
  exports.Set("sm4GcmStateSize", Napi::Number::New(env, sizeof(Sm4GcmState)));
    exports.Set("sm4Ecb", Napi::Function::New(env, Ecb, "sm4Ecb"));
  exports.Set("sm4Cbc", Napi::Function::New(env, Cbc, "sm4Cbc"));
  exports.Set("sm4StreamInit", Napi::Function::New(env, StreamInit, "sm4StreamInit"));
  exports.Set("sm4StreamUpdate", Napi::Function::New(env, StreamUpdate, "sm4StreamUpdate"));
  exports.Set("sm4GcmEncrypt", Napi::Function::New(env, GcmEncrypt, "sm4GcmEncrypt"));
  exports.Set("sm4GcmDecrypt", Napi::Function::New(env, GcmDecrypt, "sm4GcmDecrypt"));
  exports.Set("sm4GcmInit", Napi::Function::New(env, GcmInit, "sm4GcmInit"));
  exports.Set("sm4GcmAad", Napi::Function::New(env, GcmAad, "sm4GcmAad"));
  exports.Set("sm4GcmUpdate", Napi::Function::New(env, GcmUpdate, "sm4GcmUpdate"));
  exports.Set("sm4GcmFinal", Napi::Function::New(env, GcmFinal, "sm4GcmFinal"));
  exports.Set("sm4CcmEncrypt", Napi::Function::New(env, CcmEncrypt, "sm4CcmEncrypt"));
  exports.Set("sm4CcmDecrypt", Napi::Function::New(env, CcmDecrypt, "sm4CcmDecrypt"));
  exports.Set("sm4Xts", Napi::Function::New(env, Xts, "sm4Xts"));
  exports.Set("sm4Async", Napi::Function::New(env, Async, "sm4Async"));
}

}  // namespace guomi_addon
