// async.h — running core functions on the libuv thread pool and settling a Promise.
//
// As in node-argon2, an async call copies its inputs into memory it owns (SecretBytes, wiped on
// destruction), so JavaScript may change or collect the originals while the work runs.
#ifndef GUOMI_ADDON_ASYNC_H_
#define GUOMI_ADDON_ASYNC_H_

#include <napi.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "../core/ct.h"
#include "args.h"

namespace guomi_addon {

// SecretBytes owns a copy of some bytes and wipes it when destroyed.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(const Bytes& b) : v_(b.data, b.data + b.len) {}
  explicit SecretBytes(size_t n) : v_(n) {}
  SecretBytes(const SecretBytes& o) : v_(o.v_) {}
  SecretBytes(SecretBytes&& o) noexcept : v_(std::move(o.v_)) {}
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes() {
    if (!v_.empty()) guomi::secure_zero(v_.data(), v_.size());
  }
  uint8_t* data() { return v_.data(); }
  const uint8_t* data() const { return v_.data(); }
  size_t size() const { return v_.size(); }
  void resize(size_t n) { v_.resize(n); }

 private:
  std::vector<uint8_t> v_;
};

// AsyncResult is what a piece of async work produces: bytes, a boolean, or an error with a
// GuomiError code (e.g. "ERR_SM2_DECRYPT_FAILED").
struct AsyncResult {
  enum Kind { kBytes, kBool } kind = kBytes;
  SecretBytes bytes;
  bool flag = false;
  std::string error_code;
  std::string error_message;
};

class PromiseWorker : public Napi::AsyncWorker {
 public:
  PromiseWorker(Napi::Env env, std::function<void(AsyncResult&)> work)
      : Napi::AsyncWorker(env, "guomi"), deferred_(Napi::Promise::Deferred::New(env)),
        work_(std::move(work)) {}

  Napi::Promise promise() { return deferred_.Promise(); }

  void Execute() override {
    work_(result_);
    if (!result_.error_code.empty()) SetError(result_.error_message);
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (result_.kind == AsyncResult::kBool) {
      deferred_.Resolve(Napi::Boolean::New(env, result_.flag));
      return;
    }
    auto out = Napi::Uint8Array::New(env, result_.bytes.size());
    if (result_.bytes.size()) std::memcpy(out.Data(), result_.bytes.data(), result_.bytes.size());
    deferred_.Resolve(out);
  }

  void OnError(const Napi::Error& e) override {
    Napi::Error err = Napi::Error::New(Env(), e.Message());
    err.Set("code", Napi::String::New(Env(), result_.error_code));
    deferred_.Reject(err.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::function<void(AsyncResult&)> work_;
  AsyncResult result_;
};

// run_async queues |work| on the thread pool and returns its Promise. |work| must only use data
// it owns (captured by value).
inline Napi::Value run_async(Napi::Env env, std::function<void(AsyncResult&)> work) {
  auto* worker = new PromiseWorker(env, std::move(work));
  Napi::Promise p = worker->promise();
  worker->Queue();
  return p;
}

}  // namespace guomi_addon

#endif  // GUOMI_ADDON_ASYNC_H_
