#!/usr/bin/env bash
# .ci/package.sh — the package as users get it (.ci/run calls it):
#
#   1. prebuilds for linux-x64 (scripts/prebuild-x64.sh), linux-arm64 and linux-loong64
#      (npm run build:arm64 / build:loong64), each rebuilt only when native/ or binding.gyp is
#      newer than the binary (GUOMI_PACKAGE_REBUILD=1 rebuilds them all);
#   2. npm pack: dist/ (JavaScript and .d.ts for every export), the native sources and
#      binding.gyp for builds from source, the three prebuilds, and nothing else (no tests,
#      benchmarks, native test or fuzz harnesses, source maps);
#   3. the tarball installed in an empty folder with a PATH that has node and npm but no
#      compiler, make or python: the native backend loads from the prebuild and its self-tests
#      pass; with GUOMI_BACKEND=pure too; import and require() of every subpath; the guomi
#      command; the type declarations under TypeScript's nodenext resolution (ESM and CJS);
#   4. the pure backend bundled for the browser with esbuild (from the source tree and from the
#      installed tarball), its known answers run in headless Chromium (Debian's chromium).
#
# It installs what it needs from apt (chromium, file, binutils); the project's devDependencies
# (esbuild, typescript) must be installed (npm ci). The arm64/loong64 builds install their own
# toolchains (scripts/cross-build.sh).
# Prints ok/FAILED per check, and ends with "N passed, N failed"; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=$root/tmp/package
rm -rf "$out" && mkdir -p "$out"

passed=0
failed=0
t0=$(date +%s)
stage() { echo; echo "=== $* ($(($(date +%s) - t0)) s) ==="; }
check() {
  local name=$1; shift
  local s=$(date +%s)
  if "$@"; then
    passed=$((passed + 1)); echo "ok: $name ($(($(date +%s) - s)) s)"
  else
    failed=$((failed + 1)); echo "FAILED: $name ($(($(date +%s) - s)) s)"
  fi
}

# ---------------------------------------------------------------------------------------------
stage "system packages"
need=()
command -v file >/dev/null || need+=(file)
command -v objdump >/dev/null || need+=(binutils)
command -v chromium >/dev/null || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "  apt-get install ${need[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >"$out/apt.log" 2>&1 ||
    tail -5 "$out/apt.log"
fi

# ---------------------------------------------------------------------------------------------
stage "prebuilds"
# fresh FILE: FILE exists and nothing it is built from is newer.
fresh() {
  [ "${GUOMI_PACKAGE_REBUILD:-0}" != 1 ] && [ -f "$1" ] &&
    [ -z "$(find native binding.gyp scripts/exports.map -type f -newer "$1" -not -path 'native/test/*' -not -path 'native/fuzz/*' -print -quit)" ]
}
# prebuild ARCH CMD...: builds prebuilds/linux-ARCH unless fresh; logs to $out/prebuild-ARCH.log.
prebuild() {
  local arch=$1; shift
  local bin=prebuilds/linux-$arch/guomi.napi.glibc.node
  if fresh "$bin"; then echo "  $bin is up to date"; return 0; fi
  "$@" >"$out/prebuild-$arch.log" 2>&1 || { tail -20 "$out/prebuild-$arch.log"; return 1; }
  [ -f "$bin" ]
}
check "prebuild linux-x64" prebuild x64 bash scripts/prebuild-x64.sh
check "prebuild linux-arm64" prebuild arm64 npm run --silent build:arm64
check "prebuild linux-loong64" prebuild loong64 npm run --silent build:loong64

# Each prebuild is for its machine and exports only the Node-API entry points (scripts/exports.map).
machine_ok() {
  local arch=$1 want=$2 bin=prebuilds/linux-$1/guomi.napi.glibc.node
  file -b "$bin" | grep -q "$want" || { echo "  $bin: $(file -b "$bin")"; return 1; }
  local extra
  extra=$(objdump -T "$bin" 2>/dev/null | awk '$2 == "g" && $4 != "*UND*" {print $NF}' | grep -v -E '^(napi_register_module_v1|node_api_module_get_api_version_v1)$' || true)
  [ -z "$extra" ] || { echo "  $bin also exports: $(echo "$extra" | head -5 | tr '\n' ' ')"; return 1; }
}
check "linux-x64 prebuild: x86-64, only the Node-API entry points exported" machine_ok x64 'x86-64'
check "linux-arm64 prebuild: aarch64, only the Node-API entry points exported" machine_ok arm64 'aarch64'
check "linux-loong64 prebuild: LoongArch, only the Node-API entry points exported" machine_ok loong64 'LoongArch'
x64_glibc=$(objdump -T prebuilds/linux-x64/guomi.napi.glibc.node | grep -o 'GLIBC_[0-9.]*' | sort -t. -k1,1 -k2,2n -k3,3n -u | tail -1)
echo "  linux-x64 prebuild needs $x64_glibc at most"

# ---------------------------------------------------------------------------------------------
stage "npm pack"
tgz=""
pack() {
  tgz=$out/$(npm pack --silent --pack-destination "$out" 2>"$out/pack.err" | tail -1)
  [ -f "$tgz" ] || { cat "$out/pack.err"; return 1; }
  tar tzf "$tgz" | sed 's|^package/||' | sort >"$out/files.txt"
}
check "npm pack" pack
echo "  $(basename "$tgz"): $(stat -c %s "$tgz") bytes packed, $(wc -l <"$out/files.txt") files"

# Every export's types and JavaScript, read from the packed package.json.
exports_complete() {
  node -e '
    const fs = require("fs");
    const files = new Set(fs.readFileSync(process.argv[1], "utf8").split("\n"));
    const pkg = JSON.parse(require("child_process").execFileSync("tar", ["xzf", process.argv[2], "-O", "package/package.json"]));
    let bad = 0;
    for (const [sub, target] of Object.entries(pkg.exports)) {
      const paths = typeof target === "string" ? [target] : Object.values(target).flatMap((v) => (typeof v === "string" ? [v] : Object.values(v)));
      for (const p of paths) if (!files.has(p.replace(/^\.\//, ""))) { console.log(`  ${sub}: ${p} is not in the tarball`); bad++; }
      if (typeof target !== "string" && sub !== "./package.json" && !JSON.stringify(target).includes(".d.ts")) { console.log(`  ${sub}: no types`); bad++; }
    }
    if (!files.has(pkg.bin.guomi.replace(/^\.\//, ""))) { console.log("  bin guomi missing"); bad++; }
    process.exit(bad ? 1 : 0);' "$out/files.txt" "$tgz"
}
check "tarball: JavaScript and .d.ts for every export, and the guomi command" exports_complete
has_build_inputs() {
  local missing=0 f
  for f in binding.gyp scripts/install.cjs native/addon/module.cc native/core/sm4_gcm.cc native/core/arch/sm4_gfni_x86_64.cc \
    prebuilds/linux-x64/guomi.napi.glibc.node prebuilds/linux-arm64/guomi.napi.glibc.node prebuilds/linux-loong64/guomi.napi.glibc.node; do
    grep -qxF "$f" "$out/files.txt" || { echo "  missing: $f"; missing=1; }
  done
  # Every source file binding.gyp compiles is in the tarball.
  for f in $(grep -o '"native/[^"]*\.cc"' binding.gyp | tr -d '"'); do
    grep -qxF "$f" "$out/files.txt" || { echo "  missing: $f"; missing=1; }
  done
  return $missing
}
check "tarball: native sources, binding.gyp, install script and the three prebuilds" has_build_inputs
no_junk() {
  local junk
  junk=$(grep -E '^(test|bench|src|vectors|examples|browser|tmp|build|coverage|\.ci|native/test|native/fuzz)/|\.(js|ts)\.map$|\.test\.|(^|/)\.' "$out/files.txt" || true)
  [ -z "$junk" ] || { echo "$junk" | head -20 | sed 's/^/  junk: /'; return 1; }
}
check "tarball: no tests, benchmarks, sources maps, native test/fuzz harnesses or dotfiles" no_junk

# ---------------------------------------------------------------------------------------------
stage "install the tarball where there is no compiler"
# A PATH of symlinks to node, npm and a shell's basic tools only: no cc, gcc, g++, c++, make,
# python (node-gyp could not run even if it tried).
nocc=$out/nocc-bin
mkdir -p "$nocc"
for t in node npm npx sh bash env cat ls mkdir rm cp mv ln chmod tar gzip uname dirname basename readlink grep sed head tail tr sort wc; do
  p=$(command -v "$t") && ln -sf "$(readlink -f "$p")" "$nocc/$t"
done
# npm and npx are scripts that find their own files relative to themselves.
ln -sf "$(command -v npm)" "$nocc/npm"
ln -sf "$(command -v npx)" "$nocc/npx"
no_compiler() {
  local t
  for t in cc gcc g++ c++ clang make python3 python; do
    if PATH=$nocc command -v "$t" >/dev/null 2>&1; then echo "  $t is reachable"; return 1; fi
  done
}
check "the install PATH has no compiler, make or python" no_compiler

app=$out/app
mkdir -p "$app"
install_app() {
  (
    cd "$app" &&
      echo '{"name":"guomi-package-test","private":true,"version":"1.0.0"}' >package.json &&
      PATH=$nocc npm install --no-audit --no-fund --foreground-scripts "$tgz" >"$out/install.log" 2>&1
  ) || { tail -30 "$out/install.log"; return 1; }
  # The prebuild was taken as it is: nothing was compiled and no fallback note was written.
  ! grep -qiE 'gyp (info|ERR)|could not be built' "$out/install.log" &&
    [ ! -e "$app/node_modules/guomi/build/guomi-native-unavailable.txt" ]
}
check "npm install of the tarball without a compiler (prebuild used, nothing compiled)" install_app

# in_app [ENV=VALUE...] FILE: runs a script inside the app with the compiler-free PATH.
in_app() { (cd "$app" && env PATH="$nocc" "$@"); }

cat >"$app/native.mjs" <<'EOF'
import { backendInfo, selfTest, complianceReport, sm3 } from 'guomi';
const info = backendInfo();
const st = selfTest();
const c = complianceReport();
const ok = info.backend === 'native' && st.ok && st.results.length >= 20 && c.ok && c.addon?.origin === 'prebuild' &&
  Buffer.from(sm3('abc')).toString('hex') === '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0';
console.log(`  backend ${info.backend} (${Object.values(info.implementations).join(', ')}); ${st.results.length} known answers ${st.ok ? 'pass' : 'FAIL'}; addon ${c.addon?.path}`);
process.exit(ok ? 0 : 1);
EOF
check "(a) import 'guomi': native backend from the prebuild, selfTest() and complianceReport() pass" in_app node native.mjs
check "(a) GUOMI_SELFTEST=startup on the native backend" in_app GUOMI_SELFTEST=startup GUOMI_BACKEND=native node -e "import('guomi').then((g) => { g.sm4.gcm(new Uint8Array(16), new Uint8Array(12)).encrypt('x'); })"

cat >"$app/pure.mjs" <<'EOF'
import { backendInfo, selfTest } from 'guomi';
const info = backendInfo();
const st = selfTest();
console.log(`  backend ${info.backend}; ${st.results.length} known answers ${st.ok ? 'pass' : 'FAIL'}`);
process.exit(info.backend === 'pure' && st.ok ? 0 : 1);
EOF
check "(b) GUOMI_BACKEND=pure: pure backend, selfTest() passes" in_app GUOMI_BACKEND=pure node pure.mjs
cli_works() {
  in_app "$app/node_modules/.bin/guomi" selftest >"$out/cli-selftest.txt" &&
    in_app GUOMI_BACKEND=pure "$app/node_modules/.bin/guomi" compliance report --format markdown >"$out/compliance.md" &&
    grep -q '^| Backend | pure' "$out/compliance.md" &&
    [ "$(printf abc | in_app "$app/node_modules/.bin/guomi" sm3)" = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0  -" ]
}
check "the guomi command from node_modules/.bin (selftest, compliance report, sm3)" cli_works

# A platform with no matching prebuild and no compiler: node-gyp-build is pointed at an empty
# prebuild folder (GUOMI_PREBUILD, its documented override), so the install step tries node-gyp,
# which cannot run; the install still succeeds and guomi runs on the pure backend, saying why.
app2=$out/app-noprebuild
mkdir -p "$app2" "$out/empty-prebuilds"
no_prebuild() {
  (
    cd "$app2" &&
      echo '{"name":"guomi-package-test-2","private":true,"version":"1.0.0"}' >package.json &&
      PATH=$nocc GUOMI_PREBUILD=$out/empty-prebuilds npm install --no-audit --no-fund --foreground-scripts "$tgz" >"$out/install-noprebuild.log" 2>&1
  ) || { tail -20 "$out/install-noprebuild.log"; return 1; }
  grep -q 'the pure-TypeScript backend will be used' "$out/install-noprebuild.log" || { tail -20 "$out/install-noprebuild.log"; return 1; }
  (cd "$app2" && PATH=$nocc GUOMI_PREBUILD=$out/empty-prebuilds node -e "
    import('guomi').then((g) => {
      const i = g.backendInfo();
      console.log('  backend ' + i.backend + '; fallback: ' + String(i.fallbackReason).slice(0, 90) + '...');
      process.exit(i.backend === 'pure' && /could not be built/.test(i.fallbackReason ?? '') && g.selfTest().ok ? 0 : 1);
    })")
}
check "no matching prebuild and no compiler: install succeeds, pure backend with the reason recorded" no_prebuild

# (c) import and require() of every subpath.
subpaths=$(node -e 'const p=require(process.argv[1]); console.log(Object.keys(p.exports).filter((k)=>k!=="./package.json").map((k)=>k.replace(/^\./,"guomi")).join(" "))' "$app/node_modules/guomi/package.json")
cat >"$app/all.mjs" <<EOF
const names = '$subpaths'.split(' ');
for (const n of names) { const m = await import(n); if (Object.keys(m).length === 0) throw new Error(n + ' exports nothing'); }
const { sm3 } = await import('guomi/sm3');
const { sm4 } = await import('guomi/sm4');
const hex = (b) => Buffer.from(b).toString('hex');
if (hex(sm3('abc')) !== '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0') process.exit(1);
const k = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
if (hex(sm4.ecb(k, { padding: 'none' }).encrypt(k)) !== '681edf34d206965e86b3e94f536e4246') process.exit(1);
console.log('  import: ' + names.join(', '));
EOF
cat >"$app/all.cjs" <<EOF
'use strict';
const names = '$subpaths'.split(' ');
for (const n of names) { const m = require(n); if (Object.keys(m).length === 0) throw new Error(n + ' exports nothing'); }
const { sm3, sm4, Sm2PrivateKey, verify, backendInfo } = require('guomi');
const hex = (b) => Buffer.from(b).toString('hex');
if (hex(sm3('abc')) !== '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0') process.exit(1);
const k = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
if (hex(sm4.ecb(k, { padding: 'none' }).encrypt(k)) !== '681edf34d206965e86b3e94f536e4246') process.exit(1);
const key = Sm2PrivateKey.generate();
if (!verify('m', key.sign('m'), key.publicKey)) process.exit(1);
// require() and import give the same module instance (one backend choice per process).
if (require('guomi/sm3').sm3 !== sm3) process.exit(1);
console.log('  require: ' + names.join(', ') + ' (backend ' + backendInfo().backend + ')');
EOF
check "(c) import of every subpath (ESM)" in_app node all.mjs
check "(c) require() of every subpath from a .cjs file" in_app node all.cjs
check "(c) require() on the pure backend" in_app GUOMI_BACKEND=pure node all.cjs

# The declarations, as a TypeScript user with node16 resolution sees them, from ESM and CJS.
cat >"$app/types.mts" <<'EOF'
import { sm3, selfTest, complianceReport, type ComplianceReport } from 'guomi';
import { sm4 } from 'guomi/sm4';
import { Sm2PrivateKey } from 'guomi/sm2';
import { parseCertificate } from 'guomi/x509';
import { connect } from 'guomi/tls';
import { createFieldHasher } from 'guomi/log';
const digest: Uint8Array = sm3('abc');
const report: ComplianceReport = complianceReport();
const ok: boolean = selfTest().ok && report.ok;
void [digest, ok, sm4.gcm, Sm2PrivateKey.generate, parseCertificate, connect, createFieldHasher];
EOF
cat >"$app/types.cts" <<'EOF'
import guomi = require('guomi');
import sm4 = require('guomi/sm4');
const digest: Uint8Array = guomi.sm3('abc');
const modes: unknown = sm4.sm4.cbc;
void [digest, modes];
EOF
types_ok() {
  node "$root/node_modules/typescript/bin/tsc" --noEmit --strict --module nodenext --moduleResolution nodenext --target es2022 \
    --types node --typeRoots "$root/node_modules/@types" "$app/types.mts" "$app/types.cts"
}
check "(c) type declarations resolve for ESM and CJS consumers (tsc, nodenext)" types_ok

# ---------------------------------------------------------------------------------------------
stage "browser: the pure backend bundled with esbuild, known answers in headless Chromium"
esbuild=$root/node_modules/.bin/esbuild
# bundle ENTRY NAME: an IIFE for the browser platform (esbuild refuses node:* imports there).
bundle() {
  "$esbuild" "$1" --bundle --platform=browser --format=iife --target=es2022 --minify --outfile="$out/$2.js" --log-level=warning &&
    ! grep -q 'node:' "$out/$2.js" &&
    { printf '<!doctype html><html><head><meta charset="utf-8"><title>guomi KAT: not run</title></head><body><script>'; cat "$out/$2.js"; printf '</script></body></html>\n'; } >"$out/$2.html" &&
    echo "  $2.js: $(stat -c %s "$out/$2.js") bytes minified"
}
# The same entry, reading the installed tarball's dist/ instead of src/.
sed -e "s|'../src/backend/pure.js'|'$app/node_modules/guomi/dist/backend/pure.js'|" \
  -e "s|'../src/kat.js'|'$app/node_modules/guomi/dist/kat.js'|" browser/guomi-kat.ts >"$out/guomi-kat-installed.ts"
check "esbuild bundles the pure backend and its known answers (source tree)" bundle browser/guomi-kat.ts guomi-kat-src
check "esbuild bundles the pure backend and its known answers (installed tarball)" bundle "$out/guomi-kat-installed.ts" guomi-kat-installed

expected=$(GUOMI_BACKEND=pure node -e "import('$app/node_modules/guomi/dist/index.js').then((g) => console.log(g.selfTest().results.length))")
# in_chromium NAME: loads NAME.html headless and checks the title the page set.
in_chromium() {
  local profile
  profile=$(mktemp -d)
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" \
    --virtual-time-budget=30000 --dump-dom "file://$out/$1.html" >"$out/$1.dom" 2>"$out/$1.chromium.log"
  rm -rf "$profile"
  local title
  title=$(grep -o '<title>[^<]*</title>' "$out/$1.dom" | sed 's/<[^>]*>//g')
  echo "  $title ($(grep -o '"userAgent": "[^"]*"' "$out/$1.dom" | grep -o 'Chrome/[0-9.]*'))"
  [ "$title" = "guomi KAT: PASS $expected" ]
}
check "known answers pass in headless Chromium (source tree bundle)" in_chromium guomi-kat-src
check "known answers pass in headless Chromium (installed tarball bundle)" in_chromium guomi-kat-installed

echo
echo "package: $(($(date +%s) - t0)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
