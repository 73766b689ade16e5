#!/usr/bin/env bash
# Fetches a newer Boost's headers from Debian 13 (trixie) and unpacks them
# into a folder, leaving the system untouched: apt-get runs with a private
# sources list (naming trixie on the mirror apt already uses), private
# package lists and a private cache, and dpkg -x unpacks the package without
# installing it.
#
#   tools/fetch-boost.sh 1.88 build/boost   ->  build/boost/1.88/usr/include/boost
#
# Several versions may be named at once. A version already unpacked (and
# checked) is kept.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 VERSION... DEST" >&2; exit 2; }
dest=${*: -1}
versions=("${@:1:$#-1}")
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

wanted=()
for v in "${versions[@]}"; do
    [ -f "$dest/$v/unpacked" ] || wanted+=("$v")
done
((${#wanted[@]})) || exit 0

# The mirror: the first Debian archive URI of apt's own configuration.
mirror=$(sed -nE 's/^URIs:[[:space:]]*([^[:space:]]+).*/\1/p' \
             /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1 || true)
if [ -z "$mirror" ]; then
    mirror=$(sed -nE 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' \
                 /etc/apt/sources.list 2>/dev/null | grep -v security | head -1 || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}

apt_dir="$dest/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" \
    > "$apt_dir/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
          -o APT::Sandbox::User=root -qq)
echo "fetching Boost ${wanted[*]} from $mirror trixie"
apt-get "${apt_opts[@]}" update
cd "$apt_dir"
for v in "${wanted[@]}"; do
    rm -f "libboost${v}-dev_"*.deb
    apt-get "${apt_opts[@]}" download "libboost${v}-dev"
    rm -rf "${dest:?}/$v"
    dpkg -x "libboost${v}-dev_"*.deb "$dest/$v"
    grep -q "BOOST_LIB_VERSION \"${v/./_}\"" "$dest/$v/usr/include/boost/version.hpp"
    touch "$dest/$v/unpacked" # only once the headers are the version asked for
done
