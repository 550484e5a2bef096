// bindings.h — one registration function per binding file.
#ifndef GUOMI_ADDON_BINDINGS_H_
#define GUOMI_ADDON_BINDINGS_H_

#include <napi.h>

namespace guomi_addon {

void register_info(Napi::Env env, Napi::Object exports);
void register_sm3(Napi::Env env, Napi::Object exports);
void register_sm4(Napi::Env env, Napi::Object exports);
void register_sm2(Napi::Env env, Napi::Object exports);

}  // namespace guomi_addon

#endif  // GUOMI_ADDON_BINDINGS_H_
