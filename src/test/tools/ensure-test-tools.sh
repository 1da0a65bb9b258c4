#!/usr/bin/env bash
# Makes sure every program the tests run is installed, installing what is missing with apt-get (with sudo
# when not root), and that the node modules of src/test/sigstore are installed, with npm ci. A test never
# skips because a tool is missing: when this cannot install something it fails, naming what to install.
set -euo pipefail

# command -> Debian package
declare -A packages=(
  [gcc]=gcc
  [aarch64-linux-gnu-gcc]=gcc-aarch64-linux-gnu
  [arm-linux-gnueabihf-gcc]=gcc-arm-linux-gnueabihf
  [powerpc64le-linux-gnu-gcc]=gcc-powerpc64le-linux-gnu
  [s390x-linux-gnu-gcc]=gcc-s390x-linux-gnu
  [x86_64-w64-mingw32-gcc]=gcc-mingw-w64-x86-64
  [qemu-aarch64-static]=qemu-user-static
  [qemu-arm-static]=qemu-user-static
  [qemu-ppc64le-static]=qemu-user-static
  [qemu-s390x-static]=qemu-user-static
  [skopeo]=skopeo
  [umoci]=umoci
  [docker-registry]=docker-registry
  [htpasswd]=apache2-utils
  [openssl]=openssl
  [gpg]=gnupg
  [unzip]=unzip
  [python3]=python3
  [file]=file
  [readelf]=binutils
  [node]=nodejs
  [npm]=npm
)

missing=()
for cmd in "${!packages[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${packages[$cmd]}")
done
# static amd64 binaries need the C library's static archive too
[ -e /usr/lib/x86_64-linux-gnu/libc.a ] || [ "$(uname -m)" != x86_64 ] || missing+=(libc6-dev)

# Installs the Debian packages in "$@" and checks every command of the map is there afterwards.
install_packages() {
  local -a wanted
  mapfile -t wanted < <(printf '%s\n' "$@" | sort -u)
  echo "ensure-test-tools: installing ${wanted[*]}"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-test-tools: apt-get not found; install these packages (or their equivalents) and run again: ${wanted[*]}" >&2
    exit 1
  fi
  local -a sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo -n); else
      echo "ensure-test-tools: not root and no sudo; install as root: apt-get install -y ${wanted[*]}" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq "${wanted[@]}"; } >/dev/null; then
    echo "ensure-test-tools: apt-get could not install: ${wanted[*]}" >&2
    exit 1
  fi
  local cmd
  for cmd in "${!packages[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || { echo "ensure-test-tools: '$cmd' is still missing after installing ${packages[$cmd]}" >&2; exit 1; }
  done
  echo "ensure-test-tools: installed ${wanted[*]}"
}

# The Sigstore bundle tests run Sigstore's own JavaScript verifier, pinned by src/test/sigstore/package-lock.json.
# npm ci installs exactly the locked versions; it runs again whenever the lock file is newer than what is installed.
install_node_modules() {
  local dir
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../sigstore" && pwd)"
  if [ -d "$dir/node_modules" ] && [ ! "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    return
  fi
  echo "ensure-test-tools: installing the node modules of $dir"
  if ! (cd "$dir" && npm ci --no-audit --no-fund >/dev/null); then
    echo "ensure-test-tools: 'npm ci' failed in $dir; run it there by hand to see why" >&2
    exit 1
  fi
  # npm ci may keep the directory's old time; the mark says these modules match the current lock file
  touch "$dir/node_modules"
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "ensure-test-tools: all test tools present"
else
  install_packages "${missing[@]}"
fi
install_node_modules
