# Sourced by scripts/cross-build.sh and scripts/cross-test.sh (both define a log function).

# apt_install PKG...: installs the Debian packages not yet installed (with sudo when not root),
# refreshing the package lists first.
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} from apt"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# npm_fetch PACKAGE@VERSION DIR: unpacks an npm package tarball into DIR/package (once).
npm_fetch() {
  local spec=$1 dir=$2
  [ -f "$dir/package/package.json" ] && return 0
  log "fetching $spec from npm into $dir"
  rm -rf "$dir" && mkdir -p "$dir"
  local tgz
  tgz=$(cd "$dir" && npm pack --silent "$spec" | tail -1)
  tar xzf "$dir/$tgz" -C "$dir"
  rm -f "$dir/$tgz"
}
