#!/usr/bin/env bash
# Renders the documentation into doc/html: the guide (index.html, Asciidoctor),
# with the performance page's charts drawn from the benchmark output kept in
# doc/bench (images/), and the API reference generated from the public
# headers' doc comments (reference/, Doxygen). Fails on any warning, such as
# a snippet include that no longer resolves or a doc comment that refers to
# nothing.
set -euo pipefail
cd "$(dirname "$0")"
bash ../tools/install-deps.sh
version=$(sed -nE 's/^#define BOOST_MUSTER_VERSION ([0-9]+)$/\1/p' \
    ../include/boost/muster/version.hpp)
if [ -z "$version" ]; then
    echo "doc/build.sh: no '#define BOOST_MUSTER_VERSION <number>' in version.hpp" >&2
    exit 1
fi
version="$((version / 100000)).$((version / 100 % 1000)).$((version % 100))"
rm -rf html/reference html/images
python3 ../tools/bench_report.py bench html/images
asciidoctor --failure-level=WARN -a source-highlighter! -a muster-version="$version" \
    -D html -o index.html index.adoc
doxygen Doxyfile
echo "documentation: $(pwd)/html/index.html, reference: $(pwd)/html/reference/index.html"
