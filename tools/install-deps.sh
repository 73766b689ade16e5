#!/usr/bin/env bash
# Installs the Debian 12 packages that building, testing and documenting
# Boost.Muster need, if any is missing. Needs root (or sudo) for apt-get.
set -euo pipefail

packages=(g++ clang clang-format cmake ninja-build git libboost1.81-dev
          libboost-test1.81-dev libboost1.81-tools-dev libclang-rt-14-dev asciidoctor doxygen
          python3)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$p")
done
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi
