// sm2_binding.cc — SM2 keys, signatures, encryption, ECDH and the key-exchange point.
//
// Key objects are the plain structs of sm2.h kept in JS-owned Uint8Arrays (StateView, args.h);
// the TypeScript side wipes private keys on destroy() and on collection. Functions that can fail
// return the Sm2Status as a number, which the TypeScript side turns into a GuomiError code.
// Async variants copy the key struct and the inputs, so JavaScript may reuse or free them at once.
#include <napi.h>

#include <cstring>
#include <utility>

#include "../core/sm2.h"
#include "args.h"
#include "async.h"
#include "bindings.h"

namespace guomi_addon {
namespace {

using guomi::Sm2PrivateKey;
using guomi::Sm2PublicKey;
using guomi::Sm2Status;

Napi::Value status(const Napi::CallbackInfo& info, Sm2Status s) {
  return Napi::Number::New(info.Env(), static_cast<int>(s));
}

bool get_priv(const Napi::CallbackInfo& info, size_t i, Bytes* out) {
  return get_bytes_len(info, i, "privateKey", sizeof(Sm2PrivateKey), out);
}

bool get_pub(const Napi::CallbackInfo& info, size_t i, Bytes* out) {
  return get_bytes_len(info, i, "publicKey", sizeof(Sm2PublicKey), out);
}

// The error code and message an async rejection carries, per status (GuomiError codes).
void set_error(AsyncResult& r, Sm2Status s) {
  switch (s) {
    case Sm2Status::kOk:
      return;
    case Sm2Status::kInvalidKey:
      r.error_code = "ERR_SM2_INVALID_KEY";
      r.error_message = "invalid SM2 private key";
      return;
    case Sm2Status::kInvalidPoint:
      r.error_code = "ERR_SM2_INVALID_POINT";
      r.error_message = "invalid SM2 point";
      return;
    case Sm2Status::kDecryptFailed:
      r.error_code = "ERR_SM2_DECRYPT_FAILED";
      r.error_message = "SM2 decryption failed";
      return;
    case Sm2Status::kRandomFailure:
      r.error_code = "ERR_RANDOM";
      r.error_message = "the operating system's random number generator failed";
      return;
    case Sm2Status::kInvalidArgument:
    default:
      r.error_code = "ERR_OUT_OF_RANGE";
      r.error_message = "SM2 argument out of range";
      return;
  }
}

// sm2PrivateKeyInit(state, d32) -> status
Napi::Value PrivateKeyInit(const Napi::CallbackInfo& info) {
  Bytes st, d;
  if (!get_priv(info, 0, &st) || !get_bytes_len(info, 1, "d", 32, &d)) return {};
  StateView<Sm2PrivateKey> k(st);
  return status(info, guomi::sm2_private_key_init(k.get(), d.data));
}

// sm2PrivateKeyPublic(state, out65)
Napi::Value PrivateKeyPublic(const Napi::CallbackInfo& info) {
  Bytes st, out;
  if (!get_priv(info, 0, &st) || !get_bytes_len(info, 1, "out", 65, &out)) return {};
  StateView<Sm2PrivateKey> k(st);
  std::memcpy(out.data, k.get()->public_point, 65);
  return {};
}

// sm2GenerateScalar(out32) -> status
Napi::Value GenerateScalar(const Napi::CallbackInfo& info) {
  Bytes out;
  if (!get_bytes_len(info, 0, "out", 32, &out)) return {};
  return status(info, guomi::sm2_generate_scalar(out.data));
}

// sm2PublicKeyInit(state, point 65 or 33 bytes, precompute) -> status. With precompute the key
// carries tables that make each verification and encryption about twice as fast but cost about
// 60 µs to build, so the TypeScript side asks for them on a key's second use.
Napi::Value PublicKeyInit(const Napi::CallbackInfo& info) {
  Bytes st, point;
  bool precompute;
  if (!get_pub(info, 0, &st) || !get_bytes(info, 1, "point", &point) ||
      !get_bool(info, 2, "precompute", &precompute))
    return {};
  StateView<Sm2PublicKey> k(st);
  return status(info, guomi::sm2_public_key_init(k.get(), point.data, point.len, precompute));
}

// sm2PublicKeyEncode(state, compressed, out (65 or 33)) -> bytes written
Napi::Value PublicKeyEncode(const Napi::CallbackInfo& info) {
  Bytes st, out;
  bool compressed;
  if (!get_pub(info, 0, &st) || !get_bool(info, 1, "compressed", &compressed) ||
      !get_bytes_len(info, 2, "out", compressed ? 33 : 65, &out))
    return {};
  StateView<Sm2PublicKey> k(st);
  return Napi::Number::New(info.Env(),
                           static_cast<double>(guomi::sm2_public_key_encode(k.get(), compressed, out.data)));
}

// sm2Sign(privateKey, e32, sig64[, k32 for tests]) -> status
Napi::Value Sign(const Napi::CallbackInfo& info) {
  Bytes st, e, sig, k;
  if (!get_priv(info, 0, &st) || !get_bytes_len(info, 1, "e", 32, &e) ||
      !get_bytes_len(info, 2, "signature", 64, &sig))
    return {};
  StateView<Sm2PrivateKey> key(st);
  if (info.Length() > 3 && !info[3].IsUndefined()) {
    if (!get_bytes_len(info, 3, "k", 32, &k)) return {};
    return status(info, guomi::sm2_sign_with_nonce_for_testing(key.get(), e.data, k.data, sig.data));
  }
  return status(info, guomi::sm2_sign(key.get(), e.data, sig.data));
}

// sm2Verify(publicKey, e32, sig64) -> boolean
Napi::Value Verify(const Napi::CallbackInfo& info) {
  Bytes st, e, sig;
  if (!get_pub(info, 0, &st) || !get_bytes_len(info, 1, "e", 32, &e) ||
      !get_bytes_len(info, 2, "signature", 64, &sig))
    return {};
  StateView<Sm2PublicKey> key(st);
  return Napi::Boolean::New(info.Env(), guomi::sm2_verify(key.get(), e.data, sig.data));
}

// sm2Encrypt(publicKey, message, out (97 + length)[, k32 for tests]) -> status
Napi::Value Encrypt(const Napi::CallbackInfo& info) {
  Bytes st, msg, out, k;
  if (!get_pub(info, 0, &st) || !get_bytes(info, 1, "message", &msg) ||
      !get_bytes_len(info, 2, "out", msg.len + guomi::kSm2CiphertextOverhead, &out))
    return {};
  StateView<Sm2PublicKey> key(st);
  if (info.Length() > 3 && !info[3].IsUndefined()) {
    if (!get_bytes_len(info, 3, "k", 32, &k)) return {};
    return status(info, guomi::sm2_encrypt_with_nonce_for_testing(key.get(), msg.data, msg.len,
                                                                   k.data, out.data));
  }
  return status(info, guomi::sm2_encrypt(key.get(), msg.data, msg.len, out.data));
}

// sm2Decrypt(privateKey, c1 (65), c3 (32), c2, out (c2.length)) -> status
Napi::Value Decrypt(const Napi::CallbackInfo& info) {
  Bytes st, c1, c3, c2, out;
  if (!get_priv(info, 0, &st) || !get_bytes_len(info, 1, "c1", 65, &c1) ||
      !get_bytes_len(info, 2, "c3", 32, &c3) || !get_bytes(info, 3, "c2", &c2) ||
      !get_bytes(info, 4, "out", &out))
    return {};
  if (out.len != c2.len) {
    throw_range_error(info.Env(), "\"out\" must be as long as \"c2\"");
    return {};
  }
  StateView<Sm2PrivateKey> key(st);
  return status(info, guomi::sm2_decrypt(key.get(), c1.data, c3.data, c2.data, c2.len, out.data));
}

// sm2Ecdh(privateKey, publicKey, out64) -> status
Napi::Value Ecdh(const Napi::CallbackInfo& info) {
  Bytes priv, pub, out;
  if (!get_priv(info, 0, &priv) || !get_pub(info, 1, &pub) || !get_bytes_len(info, 2, "out", 64, &out))
    return {};
  StateView<Sm2PrivateKey> k(priv);
  StateView<Sm2PublicKey> p(pub);
  return status(info, guomi::sm2_ecdh(k.get(), p.get(), out.data));
}

// sm2KeyExchangePoint(privateKey, r32, ownR65, peerPublicKey, peerR65, out64) -> status
Napi::Value KeyExchangePoint(const Napi::CallbackInfo& info) {
  Bytes priv, r, own, pub, peer, out;
  if (!get_priv(info, 0, &priv) || !get_bytes_len(info, 1, "ownEphemeral", 32, &r) ||
      !get_bytes_len(info, 2, "ownEphemeralPoint", 65, &own) || !get_pub(info, 3, &pub) ||
      !get_bytes_len(info, 4, "peerEphemeral", 65, &peer) || !get_bytes_len(info, 5, "out", 64, &out))
    return {};
  StateView<Sm2PrivateKey> k(priv);
  StateView<Sm2PublicKey> p(pub);
  return status(info, guomi::sm2_key_exchange_point(k.get(), r.data, own.data, p.get(), peer.data,
                                                    out.data));
}

// A copy of a key struct that is wiped when the async work is done.
template <typename T>
struct OwnedKey {
  SecretBytes bytes;
  explicit OwnedKey(const Bytes& b) : bytes(b) {}
  // SecretBytes is a std::vector underneath, whose storage is suitably aligned for any
  // fundamental type (operator new), so the struct can be used in place.
  const T* get() const { return reinterpret_cast<const T*>(bytes.data()); }
};

// sm2SignAsync(privateKey, e32) -> Promise<Uint8Array(64)>
Napi::Value SignAsync(const Napi::CallbackInfo& info) {
  Bytes st, e;
  if (!get_priv(info, 0, &st) || !get_bytes_len(info, 1, "e", 32, &e)) return {};
  OwnedKey<Sm2PrivateKey> key(st);
  SecretBytes digest(e);
  return run_async(info.Env(), [key, digest](AsyncResult& r) {
    r.bytes.resize(64);
    set_error(r, guomi::sm2_sign(key.get(), digest.data(), r.bytes.data()));
  });
}

// sm2VerifyAsync(publicKey, e32, sig64) -> Promise<boolean>
Napi::Value VerifyAsync(const Napi::CallbackInfo& info) {
  Bytes st, e, sig;
  if (!get_pub(info, 0, &st) || !get_bytes_len(info, 1, "e", 32, &e) ||
      !get_bytes_len(info, 2, "signature", 64, &sig))
    return {};
  OwnedKey<Sm2PublicKey> key(st);
  SecretBytes digest(e), signature(sig);
  return run_async(info.Env(), [key, digest, signature](AsyncResult& r) {
    r.kind = AsyncResult::kBool;
    r.flag = guomi::sm2_verify(key.get(), digest.data(), signature.data());
  });
}

// sm2VerifyBatchAsync(publicKeys: Uint8Array[], keyIndex: Uint32Array(n), e: 32n bytes,
// signatures: 64n bytes) -> Promise<Uint8Array(n)> of 0/1, item i checked against
// publicKeys[keyIndex[i]]. One pool job for many verifications: libuv's per-job hand-off (queue
// lock, completion wake-up, callback scope, Promise) costs several µs, a sizeable share of one
// ~35 µs verification, so the TypeScript side sends a batch as a few such jobs.
// Each distinct key struct is copied once into the job (a few KB with its tables, about 1 µs),
// like VerifyAsync does: JavaScript may destroy() or collect the keys while the job runs.
Napi::Value VerifyBatchAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) {
    throw_type_error(env, "\"publicKeys\" must be an array");
    return {};
  }
  Napi::Array list = info[0].As<Napi::Array>();
  const uint32_t key_count = list.Length();
  // Everything the job owns is a byte vector (the key structs back to back, the indices as
  // native-endian u32s). A std::vector of any wider element type makes g++ 11+ emit
  // a call to std::__throw_bad_array_new_length (GLIBCXX_3.4.29) where the vector is copied,
  // newer than the libstdc++ the official arm64 Node binary needs, so the prebuilt addon would
  // not load where that Node runs (.ci/cross.sh checks the symbol versions).
  // sizeof(Sm2PublicKey) is a multiple of its alignment, so every struct in `keys` is aligned
  // like OwnedKey's single copy.
  constexpr size_t kKeySize = sizeof(Sm2PublicKey);
  SecretBytes keys(static_cast<size_t>(key_count) * kKeySize);
  for (uint32_t k = 0; k < key_count; k++) {
    Napi::Value v = list.Get(k);
    bool is_typed = false;
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    if (napi_is_typedarray(env, v, &is_typed) != napi_ok || !is_typed ||
        napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok ||
        type != napi_uint8_array || length != kKeySize) {
      throw_type_error(env, "\"publicKeys\" must hold SM2 public key structs");
      return {};
    }
    std::memcpy(keys.data() + k * kKeySize, data, kKeySize);
  }
  const uint32_t* index = nullptr;
  size_t n = 0;
  if (!get_u32s(info, 1, "keyIndex", &index, &n)) return {};
  Bytes e, sig;
  if (!get_bytes_len(info, 2, "e", 32 * n, &e) || !get_bytes_len(info, 3, "signatures", 64 * n, &sig))
    return {};
  for (size_t i = 0; i < n; i++) {
    if (index[i] >= key_count) {
      throw_range_error(env, "\"keyIndex\" is out of range");
      return {};
    }
  }
  SecretBytes which(Bytes{reinterpret_cast<uint8_t*>(const_cast<uint32_t*>(index)), n * sizeof(uint32_t)});
  SecretBytes digests(e), signatures(sig);
  return run_async(env, [keys = std::move(keys), which = std::move(which), n, digests = std::move(digests),
                         signatures = std::move(signatures)](AsyncResult& r) {
    r.bytes.resize(n);
    for (size_t i = 0; i < n; i++) {
      uint32_t k;
      std::memcpy(&k, which.data() + sizeof k * i, sizeof k);
      const auto* key = reinterpret_cast<const Sm2PublicKey*>(keys.data() + k * kKeySize);
      r.bytes.data()[i] = guomi::sm2_verify(key, digests.data() + 32 * i, signatures.data() + 64 * i) ? 1 : 0;
    }
  });
}

// sm2EncryptAsync(publicKey, message) -> Promise<Uint8Array(97 + length)>
Napi::Value EncryptAsync(const Napi::CallbackInfo& info) {
  Bytes st, msg;
  if (!get_pub(info, 0, &st) || !get_bytes(info, 1, "message", &msg)) return {};
  OwnedKey<Sm2PublicKey> key(st);
  SecretBytes message(msg);
  return run_async(info.Env(), [key, message](AsyncResult& r) {
    r.bytes.resize(message.size() + guomi::kSm2CiphertextOverhead);
    set_error(r, guomi::sm2_encrypt(key.get(), message.data(), message.size(), r.bytes.data()));
  });
}

// sm2DecryptAsync(privateKey, c1, c3, c2) -> Promise<Uint8Array>
Napi::Value DecryptAsync(const Napi::CallbackInfo& info) {
  Bytes st, c1, c3, c2;
  if (!get_priv(info, 0, &st) || !get_bytes_len(info, 1, "c1", 65, &c1) ||
      !get_bytes_len(info, 2, "c3", 32, &c3) || !get_bytes(info, 3, "c2", &c2))
    return {};
  OwnedKey<Sm2PrivateKey> key(st);
  SecretBytes a(c1), b(c3), c(c2);
  return run_async(info.Env(), [key, a, b, c](AsyncResult& r) {
    r.bytes.resize(c.size());
    set_error(r, guomi::sm2_decrypt(key.get(), a.data(), b.data(), c.data(), c.size(), r.bytes.data()));
  });
}

}  // namespace

void register_sm2(Napi::Env env, Napi::Object exports) {
  exports.Set("sm2PrivateKeySize", Napi::Number::New(env, sizeof(Sm2PrivateKey)));
  exports.Set("sm2PublicKeySize", Napi::Number::New(env, sizeof(Sm2PublicKey)));
  exports.Set("sm2PrivateKeyInit", Napi::Function::New(env, PrivateKeyInit, "sm2PrivateKeyInit"));
  exports.Set("sm2PrivateKeyPublic", Napi::Function::New(env, PrivateKeyPublic, "sm2PrivateKeyPublic"));
  exports.Set("sm2GenerateScalar", Napi::Function::New(env, GenerateScalar, "sm2GenerateScalar"));
  exports.Set("sm2PublicKeyInit", Napi::Function::New(env, PublicKeyInit, "sm2PublicKeyInit"));
  exports.Set("sm2PublicKeyEncode", Napi::Function::New(env, PublicKeyEncode, "sm2PublicKeyEncode"));
  exports.Set("sm2Sign", Napi::Function::New(env, Sign, "sm2Sign"));
  exports.Set("sm2Verify", Napi::Function::New(env, Verify, "sm2Verify"));
  exports.Set("sm2Encrypt", Napi::Function::New(env, Encrypt, "sm2Encrypt"));
  exports.Set("sm2Decrypt", Napi::Function::New(env, Decrypt, "sm2Decrypt"));
  exports.Set("sm2Ecdh", Napi::Function::New(env, Ecdh, "sm2Ecdh"));
  exports.Set("sm2KeyExchangePoint", Napi::Function::New(env, KeyExchangePoint, "sm2KeyExchangePoint"));
  exports.Set("sm2SignAsync", Napi::Function::New(env, SignAsync, "sm2SignAsync"));
  exports.Set("sm2VerifyAsync", Napi::Function::New(env, VerifyAsync, "sm2VerifyAsync"));
  exports.Set("sm2VerifyBatchAsync", Napi::Function::New(env, VerifyBatchAsync, "sm2VerifyBatchAsync"));
  exports.Set("sm2EncryptAsync", Napi::Function::New(env, EncryptAsync, "sm2EncryptAsync"));
  exports.Set("sm2DecryptAsync", Napi::Function::New(env, DecryptAsync, "sm2DecryptAsync"));
}

}  // namespace guomi_addon
