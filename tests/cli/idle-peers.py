#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Hold N idle connections to an agent (say nothing), until stdin closes.

Usage: idle-peers.py unix:///PATH|tcp://HOST:PORT N. Prints "open N" once
they are all connected (or "open K" with how many the agent accepted
before closing the rest), then waits.
"""
import socket
import sys
import time

addr, n = sys.argv[1], int(sys.argv[2])
socks = []
for _ in range(n):
    if addr.startswith("unix://"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(addr[len("unix://"):])
    else:
        host, port = addr[len("tcp://"):].rsplit(":", 1)
        s = socket.create_connection((host.strip("[]"), int(port)))
    socks.append(s)
time.sleep(0.3)
# A connection the agent refused is closed at once: it reads end-of-stream.
alive = 0
for s in socks:
    s.setblocking(False)
    try:
        alive += s.recv(1) != b""
    except BlockingIOError:
        alive += 1
    except OSError:
        pass
print("open", alive, flush=True)
sys.stdin.read()
