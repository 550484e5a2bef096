// module.cc — the addon's entry point: each *_binding.cc registers its functions on exports.
#include <napi.h>

#include "bindings.h"

namespace guomi_addon {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  register_info(env, exports);
  register_sm3(env, exports);
  register_sm4(env, exports);
  register_sm2(env, exports);
  return exports;
}

}  // namespace guomi_addon

// NAPI_MODULE_INIT rather than NODE_API_MODULE: the latter leaves an unused static function
// behind with these Node headers, which -Werror rejects.
NAPI_MODULE_INIT() { return Napi::RegisterModule(env, exports, guomi_addon::Init); }
