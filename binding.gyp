{
  # Two targets: the crypto core as a static library (plain C++17, no Node headers), and the
  # Node-API addon that links it. One binary per architecture: CPU-specific code is compiled with
  # function-level target attributes and chosen at run time (native/core/cpu.cc), so the build
  # itself uses only the baseline instruction set (x86-64, armv8-a, loongarch64).
  "variables": {
    "guomi_warnings": ["-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter"],
    # Set by scripts/cross-build.sh through GYP_DEFINES ("guomi_prebuild=arm64" or "=loong64")
    # when it builds a redistributable binary for prebuilds/; empty for a build from source.
    "guomi_prebuild%": "",
  },
  "target_defaults": {
    "cflags_cc!": ["-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
    "cflags_cc": ["-std=c++17", "-O3", "-fvisibility=hidden", "-fno-strict-aliasing"],
    "cflags!": ["-O2"],
    "cflags": ["-O3", "-fvisibility=hidden"],
    "conditions": [
      ["OS=='linux'", {
        "ldflags": ["-Wl,--gc-sections", "-Wl,-z,noexecstack", "-Wl,-z,relro,-z,now"],
      }],
    ],
  },
  "targets": [
    {
      "target_name": "guomi_core",
      "type": "static_library",
      "cflags_cc": ["<@(guomi_warnings)", "-fno-exceptions", "-ffunction-sections", "-fdata-sections"],
      "sources": [
        "native/core/cpu.cc",
        "native/core/sm3.cc",
        "native/core/sm3_mac.cc",
        "native/core/arch/sm3_x86_64.cc",
        "native/core/arch/sm3_lanes_x86_64.cc",
        "native/core/arch/sm3_arm64.cc",
        "native/core/sm2.cc",
        "native/core/sm2_impl_portable.cc",
        "native/core/sm2_base_table.cc",
        "native/core/arch/sm2_x86_64.cc",
        "native/core/arch/sm2_arm64.cc",
        "native/core/rand.cc",
        "native/core/drbg.cc",
        "native/core/arch/ghash_clmul_x86_64.cc",
        "native/core/arch/sm4_aesni_x86_64.cc",
        "native/core/arch/sm4_arm64.cc",
        "native/core/arch/ghash_pmull_arm64.cc",
        "native/core/arch/sm4_gfni_x86_64.cc",
        "native/core/ghash.cc",
        "native/core/ghash_portable.cc",
        "native/core/sm4_ccm.cc",
        "native/core/sm4_gcm.cc",
        "native/core/sm4_key.cc",
        "native/core/sm4_modes.cc",
        "native/core/sm4_portable.cc",
        "native/core/sm4_xts.cc",
      ],
    },
    {
      "target_name": "guomi",
      "dependencies": ["guomi_core"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_DISABLE_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED",
      ],
      "cflags_cc": ["<@(guomi_warnings)", "-fno-exceptions"],
      "sources": [
        "native/addon/module.cc",
        "native/addon/info_binding.cc",
        "native/addon/sm3_binding.cc",
        "native/addon/sm4_binding.cc",
        "native/addon/sm2_binding.cc",
      ],
      "conditions": [
        # A prebuilt binary exports only the two Node-API entry points (scripts/exports.map) and
        # is stripped. arm64 links the system libstdc++ dynamically like node itself, and needs no
        # symbol version that the official arm64 node binary does not already need (glibc 2.17,
        # GLIBCXX 3.4.21); loong64 (Zig) links libc++ statically and needs glibc 2.36, the first
        # glibc with LoongArch. .ci/cross.sh checks both.
        ["OS=='linux' and guomi_prebuild!=''", {
          "ldflags": ["-Wl,--version-script=<(module_root_dir)/scripts/exports.map", "-s"],
        }],
      ],
    },
  ],
}
