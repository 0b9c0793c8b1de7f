#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The vaccel_ functions and variables that C headers declare, one per line.

Usage: declared-symbols.py HEADER... -- what libvaccel must export, exactly
(static inline helpers and macros are not symbols)."""
import re,sys
names=set()
for p in sys.argv[1:]:
    s=open(p).read()
    s=re.sub(r'/\*.*?\*/','',s,flags=re.S)
    s=re.sub(r'//[^\n]*','',s)
    # drop preprocessor lines (with continuations)
    s=re.sub(r'^\s*#(?:[^\n]*\\\n)*[^\n]*','',s,flags=re.M)
    # drop static inline function bodies
    s=re.sub(r'static\s+inline[^{;]*\{(?:[^{}]|\{[^{}]*\})*\}','',s,flags=re.S)
    for m in re.finditer(r'\b(vaccel_\w+)\s*\(',s):
        # a declaration: preceded by a type at statement level, not a call inside an initializer
        names.add(m.group(1))
    for m in re.finditer(r'extern\s+[\w\s\*]+?\b(vaccel_\w+)\s*;',s):
        names.add(m.group(1))
print('\n'.join(sorted(names)))
