#!/usr/bin/env python3
#
# Copyright (c) 2026 The Boost.Muster authors
#
# Distributed under the Boost Software License, Version 1.0. (See accompanying
# file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
#
"""Checks that every C++ snippet in README.md is an excerpt of a compiled
example: its lines, indentation aside, appear in the same order and
consecutively in one file under example/. Exits with 1 naming each snippet
that is not found.
"""

import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
readme = (root / "README.md").read_text()
snippets = re.findall(r"```cpp\n(.*?)```", readme, re.S)
sources = {p: [l.strip() for l in p.read_text().splitlines()]
           for p in sorted((root / "example").rglob("*.cpp"))}


def found_in(lines, text):
    n = len(lines)
    return any(text[i:i + n] == lines for i in range(len(text) - n + 1))


missing = 0
for k, snippet in enumerate(snippets, 1):
    lines = [l.strip() for l in snippet.splitlines()]
    # A blank line in the snippet matches a blank line in the source.
    where = [p for p, text in sources.items() if found_in(lines, text)]
    if not where:
        missing += 1
        print(f"README.md: C++ snippet {k} (starting '{lines[0]}') is in no example")
print(f"README: {len(snippets)} C++ snippets, {missing} not found in example/")
sys.exit(1 if missing or not snippets else 0)
