// sm4_binding.cc — SM4 and its modes.
//
// Calls take the 16-byte key itself and expand it on the stack (sm4_set_key costs ~0.3 µs, less
// than allocating and tracking a 256-byte expanded key per cipher object in JavaScript, which
// dominated one-shot calls); the expanded key is wiped before the call returns. Streaming states
// (which hold their own round keys) are the plain structs of sm4.h kept in JS-owned Uint8Arrays
// (StateView, args.h), wiped by the TypeScript side. Outputs go into caller-allocated arrays.
#include <napi.h>

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

bool get_key(const Napi::CallbackInfo& info, size_t i, Bytes* out) {
  return get_bytes_len(info, i, "key", guomi::kSm4KeySize, out);
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

// sm4Ecb(keyState, decrypt, input, output)
Napi::Value Ecb(const Napi::CallbackInfo& info) {
  Bytes ks, in, out;
  bool decrypt;
  if (!get_key(info, 0, &ks) || !get_bool(info, 1, "decrypt", &decrypt) ||
      !get_bytes(info, 2, "input", &in) || !get_bytes(info, 3, "output", &out) ||
      !whole_blocks(info.Env(), in, out))
    return {};
  ExpandedKey k(ks.data);
  if (decrypt) guomi::sm4_ecb_decrypt(k.get(), in.data, out.data, in.len / 16);
  else guomi::sm4_ecb_encrypt(k.get(), in.data, out.data, in.len / 16);
  return {};
}

// sm4Cbc(keyState, decrypt, iv16 (updated), input, output)
Napi::Value Cbc(const Napi::CallbackInfo& info) {
  Bytes ks, iv, in, out;
  bool decrypt;
  if (!get_key(info, 0, &ks) || !get_bool(info, 1, "decrypt", &decrypt) ||
      !get_bytes_len(info, 2, "iv", 16, &iv) || !get_bytes(info, 3, "input", &in) ||
      !get_bytes(info, 4, "output", &out) || !whole_blocks(info.Env(), in, out))
    return {};
  ExpandedKey k(ks.data);
  if (decrypt) guomi::sm4_cbc_decrypt(k.get(), iv.data, in.data, out.data, in.len / 16);
  else guomi::sm4_cbc_encrypt(k.get(), iv.data, in.data, out.data, in.len / 16);
  return {};
}

// sm4StreamInit(state, keyState, mode (0 ctr, 1 cfb, 2 ofb), decrypt, iv16)
Napi::Value StreamInit(const Napi::CallbackInfo& info) {
  Bytes st, ks, iv;
  uint32_t mode;
  bool decrypt;
  if (!get_state<Sm4StreamState>(info, 0, &st) || !get_key(info, 1, &ks) ||
      !get_u32(info, 2, "mode", 0, 2, &mode) || !get_bool(info, 3, "decrypt", &decrypt) ||
      !get_bytes_len(info, 4, "iv", 16, &iv))
    return {};
  StateView<Sm4StreamState> s(st);
  ExpandedKey k(ks.data);
  guomi::sm4_stream_init(s.get(), k.get(), static_cast<guomi::Sm4StreamMode>(mode), decrypt,
                         iv.data);
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

// sm4GcmEncrypt(keyState, iv, aad, input, output (input.length + tagLength), tagLength)
Napi::Value GcmEncrypt(const Napi::CallbackInfo& info) {
  Bytes ks, iv, aad, in, out;
  uint32_t tag_len;
  if (!get_key(info, 0, &ks) || !get_bytes(info, 1, "iv", &iv) || !get_bytes(info, 2, "aad", &aad) ||
      !get_bytes(info, 3, "input", &in) || !get_bytes(info, 4, "output", &out) ||
      !get_u32(info, 5, "tagLength", 4, 16, &tag_len))
    return {};
  if (out.len != in.len + tag_len) {
    throw_range_error(info.Env(), "\"output\" must be input.length + tagLength bytes");
    return {};
  }
  ExpandedKey k(ks.data);
  if (!guomi::sm4_gcm_encrypt(k.get(), iv.data, iv.len, aad.data, aad.len, in.data, in.len,
                              out.data, out.data + in.len, tag_len)) {
    throw_range_error(info.Env(), "SM4-GCM parameters out of range (IV empty or data too long)");
  }
  return {};
}

// sm4GcmDecrypt(keyState, iv, aad, input, tag, output) -> boolean
Napi::Value GcmDecrypt(const Napi::CallbackInfo& info) {
  Bytes ks, iv, aad, in, tag, out;
  if (!get_key(info, 0, &ks) || !get_bytes(info, 1, "iv", &iv) || !get_bytes(info, 2, "aad", &aad) ||
      !get_bytes(info, 3, "input", &in) || !get_bytes(info, 4, "tag", &tag) ||
      !get_bytes(info, 5, "output", &out))
    return {};
  if (out.len != in.len) {
    throw_range_error(info.Env(), "\"output\" must be as long as \"input\"");
    return {};
  }
  ExpandedKey k(ks.data);
  const bool ok = guomi::sm4_gcm_decrypt(k.get(), iv.data, iv.len, aad.data, aad.len, in.data,
                                         in.len, tag.data, tag.len, out.data);
  return Napi::Boolean::New(info.Env(), ok);
}

// sm4GcmInit(state, keyState, iv, decrypt)
Napi::Value GcmInit(const Napi::CallbackInfo& info) {
  Bytes st, ks, iv;
  bool decrypt;
  if (!get_state<Sm4GcmState>(info, 0, &st) || !get_key(info, 1, &ks) ||
      !get_bytes(info, 2, "iv", &iv) || !get_bool(info, 3, "decrypt", &decrypt))
    return {};
  StateView<Sm4GcmState> s(st);
  ExpandedKey k(ks.data);
  if (!guomi::sm4_gcm_init(s.get(), k.get(), iv.data, iv.len, decrypt)) {
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

// sm4CcmEncrypt(keyState, nonce, aad, input, output (input.length + tagLength), tagLength)
Napi::Value CcmEncrypt(const Napi::CallbackInfo& info) {
  Bytes ks, nonce, aad, in, out;
  uint32_t tag_len;
  if (!get_key(info, 0, &ks) || !get_bytes(info, 1, "nonce", &nonce) ||
      !get_bytes(info, 2, "aad", &aad) || !get_bytes(info, 3, "input", &in) ||
      !get_bytes(info, 4, "output", &out) || !get_u32(info, 5, "tagLength", 4, 16, &tag_len))
    return {};
  if (out.len != in.len + tag_len) {
    throw_range_error(info.Env(), "\"output\" must be input.length + tagLength bytes");
    return {};
  }
  ExpandedKey k(ks.data);
  if (!guomi::sm4_ccm_encrypt(k.get(), nonce.data, nonce.len, aad.data, aad.len, in.data, in.len,
                              out.data, out.data + in.len, tag_len)) {
    throw_range_error(info.Env(), "SM4-CCM parameters out of range (nonce, tag or data length)");
  }
  return {};
}

// sm4CcmDecrypt(keyState, nonce, aad, input, tag, output) -> boolean
Napi::Value CcmDecrypt(const Napi::CallbackInfo& info) {
  Bytes ks, nonce, aad, in, tag, out;
  if (!get_key(info, 0, &ks) || !get_bytes(info, 1, "nonce", &nonce) ||
      !get_bytes(info, 2, "aad", &aad) || !get_bytes(info, 3, "input", &in) ||
      !get_bytes(info, 4, "tag", &tag) || !get_bytes(info, 5, "output", &out))
    return {};
  if (out.len != in.len) {
    throw_range_error(info.Env(), "\"output\" must be as long as \"input\"");
    return {};
  }
  ExpandedKey k(ks.data);
  const bool ok = guomi::sm4_ccm_decrypt(k.get(), nonce.data, nonce.len, aad.data, aad.len,
                                         in.data, in.len, tag.data, tag.len, out.data);
  return Napi::Boolean::New(info.Env(), ok);
}

// sm4Xts(key1State, key2State, tweak16, variant (0 gb, 1 ieee), decrypt, input, output)
Napi::Value Xts(const Napi::CallbackInfo& info) {
  Bytes k1, k2, tweak, in, out;
  uint32_t variant;
  bool decrypt;
  if (!get_bytes_len(info, 0, "key1", guomi::kSm4KeySize, &k1) ||
      !get_bytes_len(info, 1, "key2", guomi::kSm4KeySize, &k2) ||
      !get_bytes_len(info, 2, "tweak", 16, &tweak) || !get_u32(info, 3, "variant", 0, 1, &variant) ||
      !get_bool(info, 4, "decrypt", &decrypt) || !get_bytes(info, 5, "input", &in) ||
      !get_bytes(info, 6, "output", &out))
    return {};
  if (in.len < 16 || out.len != in.len) {
    throw_range_error(info.Env(), "XTS needs at least 16 bytes, and \"output\" as long as \"input\"");
    return {};
  }
  ExpandedKey a(k1.data), b(k2.data);
  const auto v = static_cast<guomi::Sm4XtsVariant>(variant);
  if (decrypt) guomi::sm4_xts_decrypt(a.get(), b.get(), tweak.data, v, in.data, out.data, in.len);
  else guomi::sm4_xts_encrypt(a.get(), b.get(), tweak.data, v, in.data, out.data, in.len);
  return {};
}

enum AsyncMode : uint32_t { kEcb, kCbc, kCtr, kCfb, kOfb, kGcm, kCcm, kXts };

// sm4Async(mode, key, key2 | undefined, decrypt, iv, aad, tagLength, variant, input)
//   -> Promise<Uint8Array>
// One whole-message operation on the libuv thread pool (src/backend/sm4-job.ts is the same
// sequence of synchronous calls). Every input and the expanded keys are copied first. ECB and
// CBC take whole blocks; GCM and CCM decryption take ciphertext || tag and reject with
// ERR_AUTH_FAILED, releasing nothing, when the tag does not verify.
Napi::Value Async(const Napi::CallbackInfo& info) {
  Bytes k1, k2, iv, aad, in;
  uint32_t mode, tag_len, variant;
  bool decrypt;
  if (!get_u32(info, 0, "mode", kEcb, kXts, &mode) || !get_key(info, 1, &k1)) return {};
  const bool has_key2 = info.Length() > 2 && !info[2].IsUndefined();
  if (has_key2 && !get_bytes_len(info, 2, "key2", guomi::kSm4KeySize, &k2)) return {};
  if (!get_bool(info, 3, "decrypt", &decrypt) || !get_bytes(info, 4, "iv", &iv) ||
      !get_bytes(info, 5, "aad", &aad) || !get_u32(info, 6, "tagLength", 4, 16, &tag_len) ||
      !get_u32(info, 7, "variant", 0, 1, &variant) || !get_bytes(info, 8, "input", &in))
    return {};
  napi_env env = info.Env();
  if ((mode == kEcb || mode == kCbc) && in.len % 16 != 0) {
    throw_range_error(env, "\"input\" must be whole 16-byte blocks");
    return {};
  }
  if ((mode == kCbc || mode == kCtr || mode == kCfb || mode == kOfb || mode == kXts) && iv.len != 16) {
    throw_range_error(env, "\"iv\" must be 16 bytes long");
    return {};
  }
  if ((mode == kGcm || mode == kCcm) && decrypt && in.len < tag_len) {
    throw_range_error(env, "\"input\" is shorter than the tag");
    return {};
  }
  if (mode == kXts && (!has_key2 || in.len < 16)) {
    throw_range_error(env, "XTS needs key2 and at least 16 bytes");
    return {};
  }
  SecretBytes key(k1), key2(has_key2 ? k2 : k1);
  SecretBytes v(iv), a(aad), input(in);
  return run_async(env, [=](AsyncResult& r) {
    const ExpandedKey expanded(key.data()), expanded2(key2.data());
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
