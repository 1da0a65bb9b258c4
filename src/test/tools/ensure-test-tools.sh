#!/usr/bin/env bash
# Makes sure every program the tests run is installed, installing what is missing with apt-get (with sudo
# when not root). A test never skips because a tool is missing: when this cannot install something it
# fails, naming what to install.
set -euo pipefail

# command -> Debian package
declare -A packages=(
  [gcc]=gcc
  [aarch64-linux-gnu-gcc]=gcc-aarch64-linux-gnu
  [arm-linux-gnueabihf-gcc]=gcc-arm-linux-gnueabihf
  [powerpc64le-linux-gnu-gcc]=gcc-powerpc64le-linux-gnu
  [s390x-linux-gnu-gcc]=gcc-s390x-linux-gnu
  [qemu-aarch64-static]=qemu-user-static
  [qemu-arm-static]=qemu-user-static
  [qemu-ppc64le-static]=qemu-user-static
  [qemu-s390x-static]=qemu-user-static
  [skopeo]=skopeo
  [umoci]=umoci
  [docker-registry]=docker-registry
  [htpasswd]=apache2-utils
  [openssl]=openssl
  [file]=file
  [readelf]=binutils
)

missing=()
for cmd in "${!packages[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${packages[$cmd]}")
done
# static amd64 binaries need the C library's static archive too
[ -e /usr/lib/x86_64-linux-gnu/libc.a ] || [ "$(uname -m)" != x86_64 ] || missing+=(libc6-dev)

if [ ${#missing[@]} -eq 0 ]; then
  echo "ensure-test-tools: all test tools present"
  exit 0
fi

mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "ensure-test-tools: installing ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-test-tools: apt-get not found; install these packages (or their equivalents) and run again: ${missing[*]}" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo -n); else
    echo "ensure-test-tools: not root and no sudo; install as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq "${missing[@]}"; } >/dev/null; then
  echo "ensure-test-tools: apt-get could not install: ${missing[*]}" >&2
  exit 1
fi
for cmd in "${!packages[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || { echo "ensure-test-tools: '$cmd' is still missing after installing ${packages[$cmd]}" >&2; exit 1; }
done
echo "ensure-test-tools: installed ${missing[*]}"
