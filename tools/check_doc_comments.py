#!/usr/bin/env python3
#
# Copyright (c) 2026 The Boost.Muster authors
#
# Distributed under the Boost Software License, Version 1.0. (See accompanying
# file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
#
"""Checks that every public asynchronous operation's doc comment has each part
of the template (what it does and that it returns at once, its parameters, its
completion signature, that the handler is never invoked inline, per-operation
cancellation, errors, thread safety).

The operations are the `async_*` member and free functions of the public
headers, and the free functions that return one (gather, wait, wait_for, shield,
bounded_gather, the timeout scopes, to_thread). An
overload whose comment starts with "As above", "As the overload above" or
"As @ref <operation>" inherits the parts of the one it names. An operation
declared without a doc comment right before it is reported too.

Usage: check_doc_comments.py [header ...]   (default: include/boost/muster/*.hpp)
Exits with 1 and names each missing part, file and line.
"""

import pathlib
import re
import sys

OPERATION_FREE_FUNCTIONS = {"gather", "wait", "wait_for", "shield", "bounded_gather",
                            "fail_at", "fail_after", "move_on_at", "move_on_after", "to_thread"}

PARTS = [
    ("what it does and that it returns at once",
     re.compile(r"returns\s+(immediately|at\s+once)|returns\s+at\s+once", re.I)),
    ("the completion signature",
     re.compile(r"called\s+as\s+if\s+by|@par Completion|with\s+signature", re.I)),
    ("that the handler is never invoked from within the function",
     re.compile(r"never invoked from\s+within", re.I)),
    ("per-operation cancellation", re.compile(r"@par Per-operation\s+cancellation")),
    ("the errors it reports",
     re.compile(r"error::|operation_aborted|@throws|@par Errors")),
]

INHERITS = re.compile(r"^\s*(As above|As the overload above|As @ref \w+)")


def comment_blocks(text):
    """Yields (start_line, comment_text, end_offset) for each doc comment."""
    for m in re.finditer(r"/\*\*(.*?)\*/|((?:^[ \t]*///[^\n]*\n)+)", text, re.S | re.M):
        body = m.group(1) if m.group(1) is not None else re.sub(
            r"^[ \t]*///", "", m.group(2), flags=re.M)
        yield text.count("\n", 0, m.start()) + 1, body, m.end()


def declaration_after(text, offset):
    """The declaration that follows a comment, up to its body or semicolon."""
    rest = text[offset:]
    end = re.search(r"[{;]", rest)
    return rest[: end.start()] if end else rest


def skip_balanced(text, i, open_ch, close_ch):
    """The index just past the group that opens at text[i]."""
    depth = 0
    while i < len(text):
        if text[i] == open_ch:
            depth += 1
        elif text[i] == close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def function_name_and_params(decl):
    """(name, [parameter names]) of a function declaration, else None."""
    d = decl.strip()
    # Template headers and requires-clauses come first.
    while True:
        if d.startswith("template"):
            d = d[skip_balanced(d, d.index("<"), "<", ">"):].strip()
        elif d.startswith("requires"):
            d = d[len("requires"):].strip()
            if d.startswith("("):
                d = d[skip_balanced(d, 0, "(", ")"):].strip()
            else:  # requires a-concept<...>
                d = re.sub(r"^[\w:]+(<[^()]*>)?", "", d).strip()
        else:
            break
    m = re.match(r"(?:[\w:<>,\s&*]+?\s+)?([A-Za-z_]\w*)\s*\(", d)
    if not m or m.group(1) in {"operator", "static_assert", "decltype"}:
        return None
    close = skip_balanced(d, m.end() - 1, "(", ")")
    return m.group(1), parameter_names(d[m.end(): close - 1])


def parameter_names(params_text):
    names, depth, current = [], 0, ""
    for ch in params_text + ",":
        if ch in "<([{":
            depth += 1
        elif ch in ">)]}":
            depth -= 1
        if ch == "," and depth == 0:
            p = current.split("=")[0].strip()
            m = re.search(r"([A-Za-z_]\w*)\s*$", p)
            if m and p and not p.endswith(("&&", "&", ">", "...")) and " " in p:
                names.append(m.group(1))
            current = ""
        else:
            current += ch
    return names


CANCELLATION_PARAGRAPH = re.compile(r"@par Per-operation\s+cancellation.*?(?=@par|\Z)", re.S)
DECLARATION = re.compile(r"\bauto\s+(async_\w+|gather|wait|wait_for|shield|bounded_gather)\s*\(")


def check(path):
    text = path.read_text()
    problems = []
    class_thread_safety = []  # (line, has it) for class comments
    last_primary = None
    documented = set()  # offsets of the declarations checked
    for line, body, end in comment_blocks(text):
        decl = declaration_after(text, end)
        lines = [l for l in decl.split("\n") if l.strip()]
        first = lines[0] if lines else ""
        if re.match(r"(template\s*<.*>\s*)?(class|struct)\b", " ".join(decl.split())):
            class_thread_safety.append((line, "@par Thread safety" in body))
            last_primary = None  # "As above" does not reach into another class
            continue
        parsed = function_name_and_params(decl)
        if not parsed:
            continue
        name, params = parsed
        indented = first.startswith(" ")
        is_op = name.startswith("async_") or (
            not indented and name in OPERATION_FREE_FUNCTIONS)
        if not is_op:
            continue
        at = DECLARATION.search(decl)
        if at:
            documented.add(end + at.start())
        if INHERITS.match(body):
            if last_primary is None:
                problems.append(f"{path}:{line}: {name}: 'As above' with nothing above")
            continue
        last_primary = name
        # What the cancellation paragraph says does not count for the
        # completion signature or the errors.
        outside = CANCELLATION_PARAGRAPH.sub("", body)
        missing = [what for what, rx in PARTS
                   if not rx.search(outside if what != "per-operation cancellation" else body)]
        for p in params:
            if p != "token" and not re.search(rf"@param\s+{re.escape(p)}\b", body):
                missing.append(f"@param {p}")
        if "token" in params and not re.search(r"@param\s+token\b|@par Completion", body):
            missing.append("@param token (the completion signature)")
        if indented:
            if not class_thread_safety or not class_thread_safety[-1][1]:
                missing.append("thread safety (no @par Thread safety on the class)")
        elif "@par Thread safety" not in body:
            missing.append("thread safety (@par Thread safety)")
        for what in missing:
            problems.append(f"{path}:{line}: {name}: the doc comment lacks {what}")
    # Every operation declared has a doc comment right before it (nothing
    # between them but its template header).
    for m in DECLARATION.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        indented = text[line_start] == " "
        if m.group(1) in OPERATION_FREE_FUNCTIONS and indented:
            continue  # a member named wait or wait_for is a coroutine form
        if "namespace detail" in text[:m.start()] and is_in_detail(text, m.start()):
            continue
        if m.start() not in documented:
            line = text.count("\n", 0, m.start()) + 1
            problems.append(f"{path}:{line}: {m.group(1)}: no doc comment (or something "
                            "between the comment and the declaration)")
    return problems


def is_in_detail(text, offset):
    """True if `offset` lies inside a `namespace detail { ... }` block."""
    depth_stack = []
    for m in re.finditer(r"namespace\s+detail\s*\{|\{|\}", text[:offset]):
        if m.group(0) == "}":
            if depth_stack:
                depth_stack.pop()
        else:
            depth_stack.append(m.group(0).startswith("namespace"))
    return any(depth_stack)


def main(argv):
    root = pathlib.Path(__file__).resolve().parent.parent
    paths = [pathlib.Path(a) for a in argv] or sorted(
        (root / "include/boost/muster").glob("*.hpp"))
    problems = [p for path in paths for p in check(path)]
    for p in problems:
        print(p)
    print(f"doc comments: {len(paths)} headers checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
