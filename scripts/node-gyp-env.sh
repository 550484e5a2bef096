# Sourced by scripts/prebuild-x64.sh and scripts/cross-build.sh (expects $root, the package root).
# Defines node_gyp, which prints the path of node-gyp.js (npm's own copy when no project copy
# exists), and nodedir_args: Node's installed headers (/usr/include/node) when they match the
# running Node, so nothing is downloaded; otherwise empty, and node-gyp downloads the headers of
# this Node version (any version works: Node-API is ABI-stable).

node_gyp() {
  if [ -n "${npm_config_node_gyp:-}" ] && [ -f "$npm_config_node_gyp" ]; then
    echo "$npm_config_node_gyp"
    return
  fi
  local c
  for c in "$root/node_modules/node-gyp/bin/node-gyp.js" \
    "$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"; do
    [ -f "$c" ] && { echo "$c"; return; }
  done
  echo "$(basename "$0"): node-gyp not found (it ships with npm)" >&2
  exit 1
}

nodedir_args=()
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node_version.h ]; then
  hv=$(awk '/define NODE_(MAJOR|MINOR|PATCH)_VERSION/{printf "%s%s", sep, $3; sep="."}' /usr/include/node/node_version.h)
  [ "$hv" = "$(node -p process.versions.node)" ] && nodedir_args=(--nodedir=/usr)
fi
