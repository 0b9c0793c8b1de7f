#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The rpc transport end to end: an agent on UNIX and TCP sockets, clients
# through the rpc profile, results compared with native bit for bit.
load helpers

lib() { printf '%s/libexectest.so' "$TEST_PLUGINS"; }
probe() { "$TOP_BUILDDIR/tests/rpc/rpc-probe" "$@"; }

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# An agent profile: openblas, and exec allowing the test library by path
# (for exec) and by digest (for uploads, which land under another path).
agent_profile() {
	printf 'plugins:\n  - name: openblas\n  - name: exec\n    options:\n      allow: [%s, "sha256:%s"]\n' \
		"$(lib)" "$(sha256sum "$(lib)" | cut -d' ' -f1)" > "$TMP/agent.yaml"
}

# wait_sessions N: until the agent reports N live sessions (5 s at most).
wait_sessions() {
	for _ in $(seq 1 100); do
		run "$VACCEL" --json agent --status "$ADDR"
		[ "$status" -eq 0 ] && [ "$(json_get "$output" 'd["sessions"]')" = "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

# start_agent ARGS...: run `vaccel agent` in the background, wait until it answers.
start_agent() {
	[ -f "$TMP/agent.yaml" ] || agent_profile
	"$VACCEL" --profile "$TMP/agent.yaml" agent "$@" >>"$TMP/agent.log" 2>&1 &
	AGENT_PID=$!
	for _ in $(seq 1 100); do
		"$VACCEL" agent --status "$ADDR" >/dev/null 2>&1 && return 0
		kill -0 "$AGENT_PID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$TMP/agent.log"
	return 1
}

stop_agent() {
	[ -n "${AGENT_PID:-}" ] || return 0
	kill -TERM "$AGENT_PID" 2>/dev/null || true
	wait "$AGENT_PID"
}

client_profile() { # client_profile ADDRESS [TOKENFILE]
	printf 'plugins:\n  - name: rpc\n    options:\n      address: "%s"\n      timeout-ms: 10000\n' "$1" > "$TMP/rpc.yaml"
	[ -z "${2:-}" ] || printf '      token-file: "%s"\n' "$2" >> "$TMP/rpc.yaml"
}

setup() {
	: "${VACCEL:?run through make check}"
	TMP="$(mktemp -d "${BATS_TMPDIR:-/tmp}/vaccel-rpc-XXXXXX")"
	ADDR="unix://$TMP/agent.sock"
	AGENT_PID=
	unset VACCEL_RPC_ADDRESS
}

teardown() {
	[ -n "${BATS_TEST_COMPLETED:-}" ] || { printf 'last status %s, output:\n%s\nagent log:\n' "${status:-}" "${output:-}"; cat "$TMP/agent.log" 2>/dev/null; }
	[ -z "${AGENT_PID:-}" ] || kill -KILL "$AGENT_PID" 2>/dev/null || true
	rm -rf "$TMP"
}

same_as_native() { # same_as_native ARGS...: sgemm over rpc == native, bit for bit
	"$VACCEL" --profile native sgemm "$@" -o "$TMP/native.out" >/dev/null
	run "$VACCEL" --profile "$TMP/rpc.yaml" sgemm "$@" -o "$TMP/rpc.out"
	[ "$status" -eq 0 ]
	[[ "$output" == *"plugin=rpc"* ]]
	cmp "$TMP/native.out" "$TMP/rpc.out"
}

@test "sgemm over a UNIX socket equals native, bit for bit" {
	start_agent --listen "$ADDR"
	client_profile "$ADDR"
	same_as_native -m 67 -n 45 -k 33 --seed 5
	same_as_native -m 128 -n 128 -k 256 --alpha 0.5 --beta 2 --seed 9
	printf '1 2\n3 4\n' > "$TMP/a"
	same_as_native --a "$TMP/a" --b "$TMP/a" --c "$TMP/a" --beta -1
	stop_agent
}

@test "sgemm over TCP (IPv4) equals native; VACCEL_RPC_ADDRESS overrides the profile" {
	port="$(free_port)"
	ADDR="tcp://127.0.0.1:$port"
	start_agent --listen "$ADDR"
	client_profile "unix:///nonexistent.sock"
	VACCEL_RPC_ADDRESS="$ADDR" same_as_native -m 90 -n 70 -k 50 --beta 1 --seed 2
	stop_agent
}

@test "TCP over IPv6 loopback" {
	python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null ||
		skip "this machine has no IPv6 loopback"
	port="$(free_port)"
	ADDR="tcp://[::1]:$port"
	start_agent --listen "$ADDR"
	client_profile "$ADDR"
	same_as_native -m 20 -n 20 -k 20 --seed 4
	stop_agent
}

@test "noop, exec and plugins through the rpc profile" {
	start_agent --listen "$ADDR"
	client_profile "$ADDR"
	run "$VACCEL" --json --profile "$TMP/rpc.yaml" noop -i 200
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["plugin"], d["iterations"]')" = "('rpc', 200)" ]
	run "$VACCEL" --profile "$TMP/rpc.yaml" exec "$(lib)" add_int32 int32:40 int32:2 out:int32
	[ "$status" -eq 0 ]
	[ "$output" = "write[0] int32: 42" ]
	run "$VACCEL" --profile "$TMP/rpc.yaml" exec "$(lib)" reverse string:agent out:string:16
	[ "$output" = "write[0] string: tnega" ]
	run "$VACCEL" --json --profile "$TMP/rpc.yaml" plugins
	[ "$(json_get "$output" 'd["ops"]["blas_sgemm"]')" = rpc ]
	stop_agent
}

# idle_peers ADDRESS N: N silent connections held open (until the fifo closes).
idle_peers() {
	mkfifo "$TMP/hold"
	python3 "$TOP_SRCDIR/tests/cli/idle-peers.py" "$1" "$2" < "$TMP/hold" > "$TMP/peers.out" &
	PEERS_PID=$!
	exec 9>"$TMP/hold"
	for _ in $(seq 1 200); do
		[ -s "$TMP/peers.out" ] && return 0
		sleep 0.05
	done
	return 1
}

release_peers() {
	exec 9>&-
	wait "$PEERS_PID" || true
	rm -f "$TMP/hold"
}

@test "uploads are kept once, but each connection sees only its own names" {
	mkdir "$TMP/agent-tmp"
	TMPDIR="$TMP/agent-tmp" start_agent --listen "$ADDR"
	client_profile "$ADDR"
	head -c 100000 /dev/urandom > "$TMP/secret-name.bin"
	cp "$TMP/secret-name.bin" "$TMP/other-name.bin"
	mkfifo "$TMP/h1" "$TMP/h2"
	VACCEL_PROFILE="$TMP/rpc.yaml" "$TOP_BUILDDIR/tests/rpc/upload-hold" "$TMP/secret-name.bin" <"$TMP/h1" >"$TMP/o1" &
	p1=$!
	exec 7>"$TMP/h1"
	VACCEL_PROFILE="$TMP/rpc.yaml" "$TOP_BUILDDIR/tests/rpc/upload-hold" "$TMP/other-name.bin" <"$TMP/h2" >"$TMP/o2" &
	p2=$!
	exec 8>"$TMP/h2"
	for _ in $(seq 1 200); do [ -s "$TMP/o1" ] && [ -s "$TMP/o2" ] && break; sleep 0.05; done
	store="$(ls -d "$TMP"/agent-tmp/vaccel-agent-*)"
	a="$(find "$store" -name secret-name.bin)"
	b="$(find "$store" -name other-name.bin)"
	[ -n "$a" ] && [ -n "$b" ]
	# Different random namespaces, one copy of the bytes (hard links).
	[ "$(dirname "$(dirname "$a")")" != "$(dirname "$(dirname "$b")")" ]
	[ "$(stat -c %i "$a")" = "$(stat -c %i "$b")" ]
	[ "$(find "$(dirname "$a")" -type f | wc -l)" -eq 1 ]
	exec 7>&- 8>&-
	wait "$p1" "$p2"
	wait_sessions 0
	[ -z "$(find "$store" -type f)" ]
	stop_agent
}

@test "connections are capped per peer and in total; refused ones are closed at once" {
	start_agent --listen "$ADDR" --max-connections-per-peer 3
	client_profile "$ADDR"
	idle_peers "$ADDR" 5
	[ "$(cat "$TMP/peers.out")" = "open 3" ]
	run "$VACCEL" --profile "$TMP/rpc.yaml" noop -i 1
	[ "$status" -ne 0 ]
	release_peers
	run "$VACCEL" --profile "$TMP/rpc.yaml" noop -i 1
	[ "$status" -eq 0 ]
	stop_agent
	grep -q "refusing connections: unix uid $(id -u) (max-connections-per-peer: 3 open, 3 from it)" "$TMP/agent.log"
	run "$VACCEL" agent --listen "$ADDR" --max-connections 0
	[ "$status" -eq 2 ]
}

@test "200 idle unauthenticated TCP peers cost the agent at most 32 MiB; a UNIX client is served" {
	[ -z "${CROSS_EXEC:-}" ] || skip "under qemu-user the resident memory is the emulator's, not the agent's"
	local port
	port="$(free_port)"
	echo secret > "$TMP/token"
	start_agent --listen "$ADDR" --listen "tcp://127.0.0.1:$port" --token-file "$TMP/token" \
		--max-connections-per-peer 500
	client_profile "$ADDR"
	local pid
	pid="$(pgrep -P "$AGENT_PID" -x lt-vaccel || pgrep -P "$AGENT_PID" vaccel || echo "$AGENT_PID")"
	before=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
	idle_peers "tcp://127.0.0.1:$port" 200
	[ "$(cat "$TMP/peers.out")" = "open 200" ]
	after=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
	run "$VACCEL" --profile "$TMP/rpc.yaml" noop -i 10
	[ "$status" -eq 0 ]
	release_peers
	echo "VmRSS $before -> $after kB" >&3
	[ $((after - before)) -le 32768 ]
	stop_agent
}

@test "a host function that crashes or hangs costs the agent nothing: it serves on" {
	printf 'plugins:\n  - name: exec\n    options:\n      allow: [%s]\n      timeout-ms: 1000\n' "$(lib)" > "$TMP/agent.yaml"
	start_agent --listen "$ADDR"
	client_profile "$ADDR"
	run "$VACCEL" --profile "$TMP/rpc.yaml" exec "$(lib)" crash
	[ "$status" -eq 1 ]
	[[ "$output" == *"crash ended its worker process ("* ]]
	run "$VACCEL" --profile "$TMP/rpc.yaml" exec "$(lib)" sleep_ms int32:60000
	[ "$status" -eq 1 ]
	[[ "$output" == *"did not return within 1000 ms"* ]]
	kill -0 "$AGENT_PID"
	run "$VACCEL" --profile "$TMP/rpc.yaml" exec "$(lib)" add_int32 int32:40 int32:2 out:int32
	[ "$status" -eq 0 ]
	[ "$output" = "write[0] int32: 42" ]
	stop_agent
}

@test "SIGTERM ends the agent within 5 s even with a call stuck in a host function" {
	printf 'plugins:\n  - name: exec\n    options:\n      allow: [%s]\n' "$(lib)" > "$TMP/agent.yaml"
	start_agent --listen "$ADDR"
	client_profile "$ADDR"
	"$VACCEL" --profile "$TMP/rpc.yaml" exec "$(lib)" sleep_ms int32:120000 >"$TMP/client.out" 2>&1 &
	local client=$!
	wait_sessions 1
	sleep 0.3
	kill -TERM "$AGENT_PID"
	for _ in $(seq 1 50); do
		kill -0 "$AGENT_PID" 2>/dev/null || break
		sleep 0.1
	done
	! kill -0 "$AGENT_PID" 2>/dev/null
	wait "$AGENT_PID" || true
	AGENT_PID=
	wait "$client" || true
	grep -q "stopped, the agent is shutting down" "$TMP/agent.log"
}

@test "the agent's profile decides which libraries exec may load" {
	printf 'plugins:\n  - name: exec\n' > "$TMP/agent.yaml"
	start_agent --listen "$ADDR"
	client_profile "$ADDR"
	run "$VACCEL" --profile "$TMP/rpc.yaml" exec "$(lib)" add_int32 int32:1 int32:2 out:int32
	[ "$status" -eq 1 ]
	stop_agent
	grep -q "is not allowed by the profile" "$TMP/agent.log"
}

@test "the C API over rpc: resources, exec_with_resource, genop" {
	start_agent --listen "$ADDR"
	client_profile "$ADDR"
	VACCEL_PROFILE="$TMP/rpc.yaml" run "$TOP_BUILDDIR/tests/rpc/rpc-api" "$(lib)"
	[ "$status" -eq 0 ]
	[[ "$output" != *"not ok"* ]]
	run "$VACCEL" --json agent --status "$ADDR"
	[ "$(json_get "$output" 'd["sessions"], d["resources"]')" = "(0, 0)" ]
	stop_agent
}

# A LIB resource of several files uploads as its files, in order: on the
# agent the last is the library, the ones before its dependencies, each
# allowed by the agent's profile (by digest: uploads land under other paths).
@test "exec_with_resource over rpc: a library and its dependency" {
	local dep="$TEST_PLUGINS/libexecdep.so" user="$TEST_PLUGINS/libexecdepuser.so"
	local sum_dep sum_user
	sum_dep="$(sha256sum "$dep" | cut -d' ' -f1)"
	sum_user="$(sha256sum "$user" | cut -d' ' -f1)"
	printf 'plugins:\n  - name: exec\n    options:\n      allow: ["sha256:%s", "sha256:%s"]\n' \
		"$sum_dep" "$sum_user" > "$TMP/agent.yaml"
	start_agent --listen "$ADDR"
	client_profile "$ADDR"
	# First: a worker that loaded the dependency keeps it (RTLD_GLOBAL, as vAccel).
	VACCEL_PROFILE="$TMP/rpc.yaml" run "$TOP_BUILDDIR/tests/rpc/exec-deps" "$user"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ret=5 sum=0"* ]]
	grep -q "undefined symbol: execdep_scale" "$TMP/agent.log"
	VACCEL_PROFILE="$TMP/rpc.yaml" run "$TOP_BUILDDIR/tests/rpc/exec-deps" "$dep" "$user"
	[ "$status" -eq 0 ]
	[ "$output" = "ret=0 sum=51" ]
	VACCEL_PROFILE="$TMP/rpc.yaml" run "$TOP_BUILDDIR/tests/rpc/exec-deps" --mem "$dep" "$user"
	[ "$status" -eq 0 ]
	[ "$output" = "ret=0 sum=51" ]
	stop_agent
	# The dependency not allowed: refused, the agent's log names it.
	printf 'plugins:\n  - name: exec\n    options:\n      allow: ["sha256:%s"]\n' \
		"$sum_user" > "$TMP/agent.yaml"
	start_agent --listen "$ADDR"
	VACCEL_PROFILE="$TMP/rpc.yaml" run "$TOP_BUILDDIR/tests/rpc/exec-deps" "$dep" "$user"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ret=1 sum=0"* ]]
	stop_agent
	grep -q "dependency .*libexecdep.so is not allowed by the profile" "$TMP/agent.log"
}

@test "16 clients x 200 mixed ops, every reply checked" {
	start_agent --listen "$ADDR" --workers 4
	client_profile "$ADDR"
	VACCEL_PROFILE="$TMP/rpc.yaml" run "$TOP_BUILDDIR/tests/rpc/rpc-stress" 16 200 "$(lib)"
	[ "$status" -eq 0 ]
	[[ "$output" == *"16 processes x 200 ops: 0 failed"* ]]
	run "$VACCEL" --json agent --status "$ADDR"
	[ "$(json_get "$output" 'd["requests"] >= 16 * 200')" = True ]
	[ "$(json_get "$output" 'd["sessions"]')" = 0 ]
	stop_agent
}

@test "malformed frames close only their connection, with a log line why" {
	start_agent --listen "$ADDR"
	run probe "$ADDR" malformed
	[ "$status" -eq 0 ]
	[[ "$output" == *"1..24"* ]]
	stop_agent
	for why in "bad magic" "unsupported protocol version" "unknown frame type" \
		"frame larger than the maximum" "too many arguments" "unknown request op" \
		"expected HELLO" "truncated frame" "argument length past the frame" "trailing bytes"; do
		grep -q "closing: $why" "$TMP/agent.log"
	done
}

@test "a connection cannot use another's sessions or resources" {
	start_agent --listen "$ADDR"
	run probe "$ADDR" isolation
	[ "$status" -eq 0 ]
	[[ "$output" != *"not ok"* ]]
	stop_agent
}

@test "a connection's ids say nothing about other connections" {
	start_agent --listen "$ADDR"
	run probe "$ADDR" unlinkable
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" != *"not ok"* ]]
	stop_agent
}

@test "STATUS: a tenant sees its own connection's counts, the host's operator the agent's" {
	port="$(free_port)"
	start_agent --listen "$ADDR" --listen "tcp://127.0.0.1:$port"
	PROBE_OPERATOR_ADDRESS="$ADDR" run probe "tcp://127.0.0.1:$port" status
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" != *"not ok"* ]]
	stop_agent
}

@test "a client killed mid-request: the agent serves on and releases its session" {
	start_agent --listen "$ADDR"
	client_profile "$ADDR"
	"$VACCEL" --profile "$TMP/rpc.yaml" sgemm -m 600 -n 600 -k 600 -i 100000 >/dev/null 2>&1 &
	client=$!
	wait_sessions 1
	kill -KILL "$client"
	wait "$client" || true
	wait_sessions 0
	[ "$(json_get "$output" 'd["sessions"], d["connections"]')" = "(0, 1)" ]
	run "$VACCEL" --profile "$TMP/rpc.yaml" noop -i 10
	[ "$status" -eq 0 ]
	stop_agent
}

@test "the agent killed mid-request: a clear error, and a restarted agent is picked up" {
	start_agent --listen "$ADDR"
	client_profile "$ADDR"
	"$VACCEL" --profile "$TMP/rpc.yaml" sgemm -m 600 -n 600 -k 600 -i 100000 >"$TMP/client.out" 2>&1 &
	client=$!
	wait_sessions 1
	sleep 0.2
	kill -KILL "$AGENT_PID"
	wait "$AGENT_PID" || true
	AGENT_PID=
	rc=0
	wait "$client" || rc=$?
	[ "$rc" -eq 1 ]
	cat "$TMP/client.out"
	grep -q "$TMP/agent.sock: connection lost" "$TMP/client.out"
	start_agent --listen "$ADDR"
	run "$VACCEL" --profile "$TMP/rpc.yaml" noop -i 10
	[ "$status" -eq 0 ]
	stop_agent
}

@test "no agent: the error names the address and the reason" {
	client_profile "$ADDR"
	run "$VACCEL" --profile "$TMP/rpc.yaml" noop -i 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"$TMP/agent.sock"*"No such file or directory"* ]]
	client_profile "tcp://127.0.0.1:1"
	run "$VACCEL" --profile "$TMP/rpc.yaml" noop -i 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"tcp://127.0.0.1:1"*"Connection refused"* ]]
}

@test "SIGTERM stops the agent cleanly: exit 0, socket removed; the socket is 0600" {
	start_agent --listen "$ADDR"
	[ "$(stat -c %a "$TMP/agent.sock")" = 600 ]
	kill -TERM "$AGENT_PID"
	wait "$AGENT_PID"
	AGENT_PID=
	[ ! -e "$TMP/agent.sock" ]
	grep -q "stopping" "$TMP/agent.log"
}

@test "a TCP agent with a token refuses clients without it" {
	printf 's3cret-token\n' > "$TMP/token"
	port="$(free_port)"
	ADDR="tcp://127.0.0.1:$port"
	start_agent --listen "$ADDR" --listen "unix://$TMP/agent.sock" --token-file "$TMP/token" || true
	# --status without the token is refused on TCP, so wait on the UNIX socket.
	for _ in $(seq 1 100); do
		"$VACCEL" agent --status "unix://$TMP/agent.sock" >/dev/null 2>&1 && break
		sleep 0.05
	done
	client_profile "$ADDR"
	run "$VACCEL" --profile "$TMP/rpc.yaml" noop -i 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"bad or missing token"* ]]
	printf 'wrong\n' > "$TMP/wrong"
	client_profile "$ADDR" "$TMP/wrong"
	run "$VACCEL" --profile "$TMP/rpc.yaml" noop -i 1
	[ "$status" -eq 1 ]
	client_profile "$ADDR" "$TMP/token"
	run "$VACCEL" --profile "$TMP/rpc.yaml" noop -i 1
	[ "$status" -eq 0 ]
	run "$VACCEL" agent --status "$ADDR" --token-file "$TMP/token"
	[ "$status" -eq 0 ]
	# Refused, a peer learns nothing of the agent (no version, no op list).
	run probe "$ADDR" refused
	[ "$status" -eq 0 ]
	[[ "$output" != *"not ok"* ]]
	stop_agent
}

@test "out of file descriptors, the agent neither spins nor stops serving" {
	agent_profile
	# Few descriptors, and more idle peers than the agent can hold.
	(ulimit -n 64 && exec "$VACCEL" --profile "$TMP/agent.yaml" agent --listen "$ADDR") \
		>>"$TMP/agent.log" 2>&1 &
	AGENT_PID=$!
	for _ in $(seq 1 100); do
		"$VACCEL" agent --status "$ADDR" >/dev/null 2>&1 && break
		sleep 0.05
	done
	python3 -c 'import socket, sys, time
peers = []
for _ in range(100):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    peers.append(s)
time.sleep(3)' "$TMP/agent.sock" &
	holder=$!
	sleep 1
	ticks() { awk '{ print $14 + $15 }' "/proc/$AGENT_PID/stat"; }
	t0="$(ticks)"
	sleep 1
	t1="$(ticks)"
	# A spinning acceptor burns a whole CPU: about 100 ticks a second.
	echo "agent CPU ticks in 1 s: $((t1 - t0))"
	[ $((t1 - t0)) -lt 30 ]
	wait "$holder"
	client_profile "$ADDR"
	run "$VACCEL" --profile "$TMP/rpc.yaml" noop -i 10
	[ "$status" -eq 0 ]
	[ "$(grep -c "cannot accept connections: Too many open files" "$TMP/agent.log")" -ge 1 ]
	stop_agent
}

@test "clients that never read their replies are cut off; others are served" {
	# Two workers, each writing a 4 MiB reply nobody reads.
	printf 'plugins: [noop]\n' > "$TMP/agent.yaml"
	start_agent --listen "$ADDR" --workers 2 --send-timeout-ms 1000
	probe "$ADDR" nonreader > "$TMP/nonreader.out" 2>&1 &
	holder=$!
	for _ in $(seq 1 100); do
		grep -q ready "$TMP/nonreader.out" && break
		sleep 0.05
	done
	grep -q ready "$TMP/nonreader.out"
	client_profile "$ADDR"
	run timeout 20 "$VACCEL" --profile "$TMP/rpc.yaml" noop -i 5
	[ "$status" -eq 0 ]
	kill "$holder" 2>/dev/null || true
	wait "$holder" 2>/dev/null || true
	stop_agent
	grep -q "the client does not take its replies: closing" "$TMP/agent.log"
}

@test "a TCP peer that never says hello is dropped at the handshake deadline" {
	port="$(free_port)"
	ADDR="tcp://127.0.0.1:$port"
	start_agent --listen "$ADDR" --handshake-timeout-ms 500
	run python3 -c 'import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(10)
t = time.monotonic()
print("closed by the agent" if s.recv(1) == b"" else "data")
print("after %.1f s" % (time.monotonic() - t))' "$port"
	[ "$status" -eq 0 ]
	[[ "$output" == "closed by the agent"* ]]
	client_profile "$ADDR"
	run "$VACCEL" --profile "$TMP/rpc.yaml" noop -i 3
	[ "$status" -eq 0 ]
	stop_agent
	grep -q "closing: no HELLO in time" "$TMP/agent.log"
}

@test "sizes a client declares cannot wrap the agent's sums" {
	start_agent --listen "$ADDR"
	run probe "$ADDR" limits
	[ "$status" -eq 0 ]
	[[ "$output" != *"not ok"* ]]
	stop_agent
}

@test "a resource of several files uploads in one request; its file names are checked" {
	start_agent --listen "$ADDR"
	run probe "$ADDR" uploads
	[ "$status" -eq 0 ]
	[[ "$output" != *"not ok"* ]]
	[[ "$output" == *"ok 3 - released"* ]]
	stop_agent
}

@test "agent --status: text and JSON" {
	start_agent --listen "$ADDR"
	run "$VACCEL" agent --status "$ADDR"
	[ "$status" -eq 0 ]
	[[ "$output" == *"version:     $PACKAGE_VERSION"* ]]
	[[ "$output" =~ uptime_ms:\ +[0-9]+ ]]
	run "$VACCEL" --json agent --status "$ADDR"
	[ "$(json_get "$output" 'sorted(d)')" = "['address', 'command', 'connections', 'requests', 'resources', 'sessions', 'uptime_ms', 'version']" ]
	stop_agent
	run "$VACCEL" agent --status "$ADDR"
	[ "$status" -eq 1 ]
}

@test "VSOCK: the agent binds and listens (never connects)" {
	python3 -c 'import socket; socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)' 2>/dev/null ||
		skip "this kernel has no AF_VSOCK"
	port="$(( 20000 + RANDOM % 20000 ))"
	start_agent --listen "$ADDR" --listen "vsock://-1:$port"
	grep -q "listening on vsock://-1:$port" "$TMP/agent.log"
	stop_agent
}

@test "--socket-mode is octal as chmod takes it, and its errors say so" {
	start_agent --listen "$ADDR" --socket-mode 640
	[ "$(stat -c %a "$TMP/agent.sock")" = 640 ]
	stop_agent
	run "$VACCEL" --profile native agent --listen "$ADDR" --socket-mode 0999
	[ "$status" -eq 2 ]
	[[ "$output" == *"socket-mode: '0999' is not an octal mode in 0..0777"* ]]
	run "$VACCEL" --profile native agent --listen "$ADDR" --socket-mode 1777
	[ "$status" -eq 2 ]
	[[ "$output" == *"'1777' is not an octal mode in 0..0777"* ]]
}

@test "agent usage errors" {
	run "$VACCEL" --profile native agent
	[ "$status" -eq 2 ]
	[[ "$output" == *"no address to listen on"* ]]
	run "$VACCEL" --profile native agent --listen "bogus://x"
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown scheme"* ]]
	client_profile "$ADDR"
	run "$VACCEL" --profile "$TMP/rpc.yaml" agent --listen "$ADDR"
	[ "$status" -eq 2 ]
	[[ "$output" == *"uses the rpc plugin"* ]]
	run "$VACCEL" --profile native agent --listen "$ADDR" --workers 0
	[ "$status" -eq 2 ]
}

@test "the agent's byte limits take values past 2^31, on 32-bit hosts too" {
	# 4 GiB - 1 and 1 TiB are the ranges' ends: on armhf they once did not
	# fit the option parser's long (.ci/cross armhf).
	start_agent --listen "$ADDR" --max-frame 4294967295 --max-resource 1099511627776
	client_profile "$ADDR"
	same_as_native -m 8 -n 8 -k 8 --seed 1
	stop_agent
	run "$VACCEL" --profile native agent --listen "$ADDR" --max-frame 4294967296
	[ "$status" -eq 2 ]
	[[ "$output" == *"not a number in 4096..4294967295"* ]]
	run "$VACCEL" --profile native agent --listen "$ADDR" --max-resource 1099511627777
	[ "$status" -eq 2 ]
	[[ "$output" == *"not a number in 1..1099511627776"* ]]
}
