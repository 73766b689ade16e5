#!/usr/bin/env bash
# Renders the documentation to doc/html/index.html with Asciidoctor. Fails on
# any warning, such as a snippet include that no longer resolves.
set -euo pipefail
cd "$(dirname "$0")"
asciidoctor --failure-level=WARN -a source-highlighter! -D html -o index.html index.adoc
echo "documentation: $(pwd)/html/index.html"
