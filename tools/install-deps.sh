#!/bin/sh
# Installs the Debian packages Recoup builds with, only those that are missing.
# Runs apt-get update first (a fresh machine has no package lists). Needs root
# for the install; without root it says what to install and fails.
#   sh tools/install-deps.sh        what `make build` and `make test` need
#                                   (chromium: the HTML report's browser test)
#   sh tools/install-deps.sh fuzz   what `make fuzz` needs (clang 14, libFuzzer, LLVM 19)
set -eu
case "${1:-}" in
    "") PACKAGES="tao-pegtl-dev llvm-19-dev libfmt-dev libcli11-dev catch2 cmake ninja-build g++ make chromium chromium-driver python3" ;;
    fuzz) PACKAGES="tao-pegtl-dev libfmt-dev llvm-19-dev cmake ninja-build make clang-14 libclang-rt-14-dev" ;;
    *) echo "usage: sh tools/install-deps.sh [fuzz]" >&2; exit 2 ;;
esac
missing=""
for package in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done
if [ -z "$missing" ]; then
    exit 0
fi
echo "recoup: installing missing packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    else
        echo "recoup: not root; please install:$missing" >&2
        exit 1
    fi
else
    SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
