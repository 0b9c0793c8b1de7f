# SPDX-License-Identifier: Apache-2.0
"""Run by test_rpc.py in a process of its own (the profile is chosen once
per process): the same calls as natively, results as JSON on stdout."""

import json
import sys

from vaccel import FFIError, Session

exec_lib, image = sys.argv[1], sys.argv[2]
out = {}
with Session() as s:
    s.noop()
    out["sgemm"] = s.sgemm(2, 2, 3, 1.0, [1, 2, 3, 4, 5, 6], 3,
                           [7, 8, 9, 10, 11, 12], 2, 0.0, 2)
    out["exec"] = s.exec(exec_lib, "add_int32", [3, 4], [0])
    out["minmax"] = list(s.minmax([5.0, 1.0, 9.0], 3, 2, 8)[1:])
    try:
        out["classify"] = s.classify(open(image, "rb").read())[0]
    except FFIError as e:
        out["classify"] = e.code
    try:
        s.classify(b"not an image")
        out["bad_image"] = 0
    except FFIError as e:
        out["bad_image"] = e.code
print(json.dumps(out))
