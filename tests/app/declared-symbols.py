#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The vaccel_ functions and variables that C headers declare, one per line.

Usage: declared-symbols.py HEADER... -- what libvaccel must export, exactly
(static inline helpers and macros are not symbols)."""
import os,re,shlex,subprocess,sys
names=set()
# The headers go through the C preprocessor (CC, default cc), so that
# declarations a macro table generates (vaccel_arg_array_add_int8, ...)
# count; the include root is the directory of vaccel.h.
heads=[os.path.abspath(p) for p in sys.argv[1:]]
root=next((os.path.dirname(p) for p in heads if os.path.basename(p)=='vaccel.h'),
          os.path.dirname(heads[0]) if heads else '.')
tu=''.join('#include "%s"\n' % p for p in heads)
cc=shlex.split(os.environ.get('CC') or 'cc')
text=subprocess.run(cc+['-E','-P','-I',root,'-x','c','-'],input=tu,text=True,
                    stdout=subprocess.PIPE,check=True).stdout
# string literals out first: a deprecation message names functions too
s=re.sub(r'"(?:[^"\\\n]|\\.)*"','""',text)
# drop static inline function bodies
s=re.sub(r'static\s+inline[^{;]*\{(?:[^{}]|\{[^{}]*\})*\}','',s,flags=re.S)
for m in re.finditer(r'\b(vaccel_\w+)\s*\(',s):
    # a declaration: preceded by a type at statement level, not a call inside an initializer
    names.add(m.group(1))
for m in re.finditer(r'extern\s+[\w\s\*]+?\b(vaccel_\w+)\s*;',s):
    names.add(m.group(1))
print('\n'.join(sorted(names)))
