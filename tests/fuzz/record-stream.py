#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Record what real clients send an agent, for tests/fuzz/corpus/agent:
#   record-stream.py LISTEN.sock AGENT.sock OUTDIR
# forwards each connection on LISTEN.sock to the agent at AGENT.sock and
# writes the client's bytes (HELLO and requests, as fuzz-agent reads them)
# to OUTDIR/stream-N. Stops on SIGINT/SIGTERM.
import os
import select
import signal
import socket
import sys
import threading


def relay(client, n, agent_path, outdir):
    agent = socket.socket(socket.AF_UNIX)
    agent.connect(agent_path)
    sent = bytearray()
    peers = {client: agent, agent: client}
    while peers:
        ready, _, _ = select.select(list(peers), [], [])
        for s in ready:
            data = s.recv(1 << 16)
            if not data:
                peers = {}
                break
            if s is client:
                sent += data
            peers[s].sendall(data)
    client.close()
    agent.close()
    with open(os.path.join(outdir, "stream-%d" % n), "wb") as f:
        f.write(sent)


def main():
    listen_path, agent_path, outdir = sys.argv[1:4]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(listen_path)
    srv.listen(16)
    n = 0
    while True:
        conn, _ = srv.accept()
        n += 1
        threading.Thread(target=relay, args=(conn, n, agent_path, outdir), daemon=True).start()


if __name__ == "__main__":
    main()
