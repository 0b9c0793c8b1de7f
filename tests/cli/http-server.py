#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A loopback HTTP server for the `vaccel models fetch` tests.

Serves ROOT on 127.0.0.1 (a free port, printed on the first line of
stdout), with byte ranges, and a first path part that chooses how:
  /ok/PATH       the file; a Range header gets 206 and the rest
  /cut/PATH      without a range: the full length announced, half sent,
                 then the connection is closed
  /norange/PATH  ranges ignored: always 200 and the whole file
  /bad/PATH      the file with one byte changed
  /stall/PATH    the request is read, and nothing is ever answered
Each request's path and Range header are appended to LOG.
Usage: http-server.py ROOT LOG
"""
import http.server
import os
import socketserver
import sys
import time

ROOT, LOG = sys.argv[1], sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        mode, _, rel = self.path.lstrip("/").partition("/")
        rng = self.headers.get("Range", "")
        with open(LOG, "a") as log:
            log.write(f"{mode} {rel} {rng}\n")
        if mode == "stall":
            time.sleep(60)
            return
        path = os.path.join(ROOT, rel)
        if ".." in rel or not os.path.isfile(path):
            self.send_error(404)
            return
        with open(path, "rb") as f:
            data = f.read()
        if mode == "bad":
            data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
        start = 0
        if rng.startswith("bytes=") and mode in ("ok", "cut", "bad"):
            start = int(rng[6:].split("-")[0])
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "cut" and not rng:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


with Server(("127.0.0.1", 0), Handler) as srv:
    print(srv.server_address[1], flush=True)
    srv.serve_forever()
