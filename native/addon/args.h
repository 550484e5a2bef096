// args.h — argument checks for the Node-API glue.
//
// The TypeScript layer validates every public argument before calling in, so these checks are a
// second line of defence: they make a wrong call from inside the package throw a TypeError or
// RangeError instead of reading the wrong memory. They use the raw N-API calls because they run on
// every call and the node-addon-api wrappers add a little overhead each.
#ifndef GUOMI_ADDON_ARGS_H_
#define GUOMI_ADDON_ARGS_H_

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace guomi_addon {

// Bytes is a view of a Uint8Array argument's memory, valid until the call returns.
struct Bytes {
  uint8_t* data = nullptr;
  size_t len = 0;
};

inline void throw_type_error(napi_env env, const std::string& msg) {
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg.c_str());
}

inline void throw_range_error(napi_env env, const std::string& msg) {
  napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg.c_str());
}

// get_bytes reads argument |i| as a Uint8Array. On failure it throws a TypeError naming |name| and
// returns false.
inline bool get_bytes(const Napi::CallbackInfo& info, size_t i, const char* name, Bytes* out) {
  napi_env env = info.Env();
  if (i >= info.Length()) {
    throw_type_error(env, std::string("\"") + name + "\" is missing");
    return false;
  }
  napi_value v = info[i];
  bool is_typed = false;
  if (napi_is_typedarray(env, v, &is_typed) != napi_ok || !is_typed) {
    throw_type_error(env, std::string("\"") + name + "\" must be a Uint8Array");
    return false;
  }
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_uint8_array) {
    throw_type_error(env, std::string("\"") + name + "\" must be a Uint8Array");
    return false;
  }
  out->data = static_cast<uint8_t*>(data);
  out->len = length;
  // An empty typed array may report a null pointer; give callers a valid one.
  if (!out->data) {
    static uint8_t empty;
    out->data = &empty;
  }
  return true;
}

// get_u32s reads argument |i| as a Uint32Array (|out| counts elements, not bytes).
inline bool get_u32s(const Napi::CallbackInfo& info, size_t i, const char* name, const uint32_t** out,
                     size_t* count) {
  napi_env env = info.Env();
  bool is_typed = false;
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (i >= info.Length() || napi_is_typedarray(env, info[i], &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, info[i], &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_uint32_array) {
    throw_type_error(env, std::string("\"") + name + "\" must be a Uint32Array");
    return false;
  }
  static const uint32_t empty = 0;
  *out = data ? static_cast<const uint32_t*>(data) : &empty;
  *count = length;
  return true;
}

// get_bytes_len reads a Uint8Array that must be exactly |len| bytes long.
inline bool get_bytes_len(const Napi::CallbackInfo& info, size_t i, const char* name, size_t len,
                          Bytes* out) {
  if (!get_bytes(info, i, name, out)) return false;
  if (out->len != len) {
    throw_range_error(info.Env(), std::string("\"") + name + "\" must be " + std::to_string(len) +
                                      " bytes long");
    return false;
  }
  return true;
}

// get_u32 reads argument |i| as an integer in [min, max].
inline bool get_u32(const Napi::CallbackInfo& info, size_t i, const char* name, uint32_t min,
                    uint32_t max, uint32_t* out) {
  napi_env env = info.Env();
  napi_valuetype t;
  if (i >= info.Length() || napi_typeof(env, info[i], &t) != napi_ok || t != napi_number) {
    throw_type_error(env, std::string("\"") + name + "\" must be a number");
    return false;
  }
  double d = 0;
  napi_get_value_double(env, info[i], &d);
  if (!(d >= min && d <= max) || d != static_cast<double>(static_cast<uint32_t>(d))) {
    throw_range_error(env, std::string("\"") + name + "\" is out of range");
    return false;
  }
  *out = static_cast<uint32_t>(d);
  return true;
}

// get_bool reads argument |i| as a boolean.
inline bool get_bool(const Napi::CallbackInfo& info, size_t i, const char* name, bool* out) {
  napi_env env = info.Env();
  if (i >= info.Length() || napi_get_value_bool(env, info[i], out) != napi_ok) {
    throw_type_error(env, std::string("\"") + name + "\" must be a boolean");
    return false;
  }
  return true;
}

// StateView gives aligned access to a plain-data C++ state kept in a JS-owned Uint8Array (hash
// states live in JS memory so that clone() is a byte copy and the GC owns them). ArrayBuffers are
// allocated with at least 8-byte alignment, but a view may start anywhere, so a misaligned state
// is copied in and out.
template <typename T>
class StateView {
 public:
  explicit StateView(Bytes b) : bytes_(b) {
    aligned_ = reinterpret_cast<uintptr_t>(b.data) % alignof(T) == 0;
    if (!aligned_) std::memcpy(&copy_, b.data, sizeof(T));
  }
  ~StateView() {
    if (!aligned_) {
      std::memcpy(bytes_.data, &copy_, sizeof(T));
      volatile uint8_t* p = reinterpret_cast<volatile uint8_t*>(&copy_);
      for (size_t i = 0; i < sizeof(T); i++) p[i] = 0;
    }
  }
  StateView(const StateView&) = delete;
  StateView& operator=(const StateView&) = delete;
  T* get() { return aligned_ ? reinterpret_cast<T*>(bytes_.data) : &copy_; }

 private:
  Bytes bytes_;
  bool aligned_;
  T copy_;
};

// get_state reads argument |i| as the JS-owned buffer of a T state.
template <typename T>
inline bool get_state(const Napi::CallbackInfo& info, size_t i, Bytes* out) {
  return get_bytes_len(info, i, "state", sizeof(T), out);
}

}  // namespace guomi_addon

#endif  // GUOMI_ADDON_ARGS_H_
