#!/usr/bin/env python3
#
# Copyright (c) 2026 The Boost.Muster authors
#
# Distributed under the Boost Software License, Version 1.0. (See accompanying
# file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
#
"""Draws the benchmark charts of the performance page from bench/ output.

Usage: bench_report.py RESULTS_DIR OUT_DIR

RESULTS_DIR holds the output of each benchmark program as <name>.txt (queue,
lock, gather, wait_for; tools/bench.sh writes them). For each, OUT_DIR gets
bench-<name>.svg: one bar per measured line, its time as a ratio to the anchor
measured in the same run (1.0, the dashed line, is the anchor's time; shorter
is faster). Fails if an output has no line it can read, so that a change of
format cannot leave a chart empty.
"""

import html
import pathlib
import re
import sys

RATIO_LINE = re.compile(
    r"^\s+(?P<label>\S.*?)\s{2,}(?P<ns>[\d.]+) ns\s+(?P<allocs>[\d.]+) allocs"
    r"\s+(?P<ratio>[\d.]+)x (?P<anchor>.+?)\s*$")
SECTION = re.compile(r"^\d+\.\s+(?P<title>.*?):?\s*$")


def rows_with_anchor_lines(text):
    """queue and lock: '<label>  <ns> ns <a> allocs  <r>x <anchor>' lines."""
    rows, section = [], ""
    for line in text.splitlines():
        s = SECTION.match(line)
        if s:
            section = s.group("title")
            continue
        m = RATIO_LINE.match(line)
        if m:
            rows.append((section, f"{m.group('label')} (vs {m.group('anchor')})",
                         float(m.group("ratio"))))
    return rows


def rows_of_gather(text):
    rows = []
    deferred = group = False
    for line in text.splitlines():
        if line.startswith("deferred-operation"):
            deferred, group = True, False
            continue
        if line.startswith("task_group of the same children"):
            group = True
            continue
        cells = [c.strip() for c in line.split("|")]
        if not cells or not cells[0].isdigit():
            continue
        n = int(cells[0])
        ratios = [float(r) for r in re.findall(r"([\d.]+)x", line)]
        if group and len(ratios) == 2:
            rows.append((f"task_group, N = {n}", "task_group vs gather", ratios[0]))
            rows.append((f"task_group, N = {n}", "task_group vs bare co_spawn", ratios[1]))
        elif deferred and len(ratios) == 1:
            rows.append(("deferred-operation children",
                         f"gather vs parallel_group, N = {n}", ratios[0]))
        elif not deferred and len(ratios) == 3:
            for anchor, r in zip(("bare co_spawn", "co_spawn + own slot",
                                  "parallel_group"), ratios):
                rows.append((f"coroutine children, N = {n}", f"gather vs {anchor}", r))
    return rows


def rows_of_wait_for(text):
    rows = []
    m = re.search(r"wait_for / idiom: ([\d.]+)x time", text)
    if m:
        rows.append(("operation finishing first",
                     "wait_for(child, 1h) vs child || timer.async_wait", float(m.group(1))))
    m = re.search(r"fail_after / wait_for: ([\d.]+)x time", text)
    if m:
        rows.append(("operation finishing first",
                     "fail_after(1h, child) vs wait_for(child, 1h)", float(m.group(1))))
    return rows


def rows_of_bounded(text):
    rows, n = [], None
    for line in text.splitlines():
        m = re.match(r"N = (\d+):", line)
        if m:
            n = m.group(1)
            continue
        m = RATIO_LINE.match(line)
        if m and n:
            rows.append((f"N = {n}", f"{m.group('label')} (vs {m.group('anchor')})",
                         float(m.group("ratio"))))
    return rows


PARSERS = {
    "queue": ("queue and concurrent_queue", rows_with_anchor_lines),
    "lock": ("lock, semaphore and event", rows_with_anchor_lines),
    "gather": ("gather", rows_of_gather),
    "wait_for": ("wait_for", rows_of_wait_for),
    "bounded": ("bounded_gather", rows_of_bounded),
}


def svg(title, rows):
    """A horizontal bar chart of ratios, grouped by section."""
    label_w, bar_w, row_h, pad = 470, 300, 22, 12
    top = 44
    scale_max = max(2.0, max(r for _, _, r in rows) * 1.1)
    px = lambda r: bar_w * r / scale_max
    out, y, section = [], top, None
    for sec, label, ratio in rows:
        if sec != section:
            section = sec
            y += 6
            out.append(f'<text x="{pad}" y="{y + 14}" class="sec">{html.escape(sec)}</text>')
            y += row_h
        colour = "#3a7d44" if ratio <= 1.0 else "#c8702a"
        out.append(f'<text x="{pad + 12}" y="{y + 15}" class="lab">{html.escape(label)}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 4}" width="{px(ratio):.1f}" height="{row_h - 8}"'
                   f' fill="{colour}"/>')
        out.append(f'<text x="{label_w + px(ratio) + 5:.1f}" y="{y + 15}" class="val">'
                   f'{ratio:.2f}x</text>')
        y += row_h
    height = y + 34
    one = label_w + px(1.0)
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 70}" '
        f'height="{height}" viewBox="0 0 {label_w + bar_w + 70} {height}">',
        "<style>text{font-family:sans-serif;font-size:12px;fill:#222}"
        ".sec{font-weight:bold}.val{fill:#444}.title{font-size:15px;font-weight:bold}"
        ".note{fill:#555}</style>",
        f'<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{pad}" y="22" class="title">{html.escape(title)}: time relative to '
        f'the anchor of the same run</text>',
        f'<line x1="{one:.1f}" y1="{top}" x2="{one:.1f}" y2="{y}" stroke="#333" '
        f'stroke-dasharray="4 3"/>',
        f'<text x="{one - 22:.1f}" y="{y + 16}" class="note">1.0 = anchor</text>',
        f'<text x="{pad}" y="{y + 16}" class="note">shorter is faster; green: at most the '
        f'anchor\'s time</text>',
    ]
    return "\n".join(head + out + ["</svg>", ""])


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    results, out_dir = pathlib.Path(argv[0]), pathlib.Path(argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, (title, parse) in PARSERS.items():
        text = (results / f"{name}.txt").read_text()
        rows = parse(text)
        if not rows:
            print(f"bench_report: no result line found in {results / (name + '.txt')}")
            return 1
        (out_dir / f"bench-{name}.svg").write_text(svg(title, rows))
        print(f"bench_report: {out_dir / ('bench-' + name + '.svg')}: {len(rows)} bars")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
