// info_binding.cc — what the addon reports about itself: CPU features, the implementation chosen
// for each primitive, and (for tests) switching features off at run time.
#include <napi.h>

#include "../core/cpu.h"
#include "../core/ghash.h"
#include "../core/sm2.h"
#include "../core/sm3.h"
#include "../core/sm4.h"
#include "args.h"
#include "bindings.h"

namespace guomi_addon {
namespace {

Napi::Array feature_names(Napi::Env env, uint32_t mask) {
  Napi::Array out = Napi::Array::New(env);
  uint32_t n = 0;
  for (uint32_t bit = 1; bit; bit <<= 1) {
    if (!(mask & bit)) continue;
    if (const char* name = guomi::cpu_feature_name(bit)) out.Set(n++, name);
  }
  return out;
}

// cpuInfo() -> { arch, detected: string[], enabled: string[], disabled: string[] }
Napi::Value CpuInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("arch", guomi::cpu_arch());
  o.Set("detected", feature_names(env, guomi::cpu_detected()));
  o.Set("enabled", feature_names(env, guomi::cpu_enabled()));
  o.Set("disabled", feature_names(env, guomi::cpu_disabled() & guomi::cpu_detected()));
  return o;
}

// implementations() -> { sm3: "x86-64 avx2" | "portable" | … }
Napi::Value Implementations(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("sm3", guomi::sm3_impl_name());
  o.Set("sm3Lanes", guomi::sm3_lanes_impl_name());
  o.Set("sm4", guomi::sm4_impl_name());
  o.Set("ghash", guomi::ghash_impl_name());
  o.Set("sm2", guomi::sm2_impl_name());
  return o;
}

// setDisabledFeatures("gfni,avx512" | "all" | "") -> number of unknown names. Replaces the
// GUOMI_DISABLE setting; for tests that drive every path in one process.
Napi::Value SetDisabledFeatures(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    throw_type_error(env, "\"features\" must be a string");
    return {};
  }
  const std::string list = info[0].As<Napi::String>().Utf8Value();
  int unknown = 0;
  guomi::cpu_set_disabled(guomi::cpu_parse_feature_list(list.c_str(), &unknown));
  return Napi::Number::New(env, unknown);
}

}  // namespace

void register_info(Napi::Env env, Napi::Object exports) {
  exports.Set("cpuInfo", Napi::Function::New(env, CpuInfo, "cpuInfo"));
  exports.Set("implementations", Napi::Function::New(env, Implementations, "implementations"));
  exports.Set("setDisabledFeatures",
              Napi::Function::New(env, SetDisabledFeatures, "setDisabledFeatures"));
}

}  // namespace guomi_addon
