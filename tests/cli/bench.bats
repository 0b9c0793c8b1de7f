#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# vaccel bench: options, usage errors, the shape of its outputs (JSON, CSV,
# markdown), --compare's exit status, --plot's files, its own agent's
# lifetime. Never its speed: every run here is a few calls long.

load helpers
bats_require_minimum_version 1.5.0

# A short run: a few calls per cell and baseline.
FAST=(--iterations=5 --warmup=0)

setup() {
	: "${VACCEL:?run through make check}"
	TMP="$(mktemp -d "${BATS_TMPDIR:-/tmp}/vaccel-cli-XXXXXX")"
	export TMPDIR="$TMP"
}

# No bench temp dir (and so no agent socket) is left behind.
no_leftovers() {
	! ls -d "$TMP"/vaccel-bench-* 2>/dev/null
}

@test "bench --help names every option" {
	run "$VACCEL" bench --help
	[ "$status" -eq 0 ]
	for o in --transport --workload --clients --duration --iterations --rounds --warmup --agent \
		--csv --markdown --plot --compare --threshold --no-baselines; do
		[[ "$output" == *"$o"* ]] || { echo "missing $o"; false; }
	done
	run "$VACCEL" --help
	[[ "$output" == *"bench"* ]]
}

@test "bench: bad options are usage errors (exit 2), naming the option" {
	for args in "--transport=foo" "--transport=rpc,bogus" "--workload=bogus" "--workload=sgemm:0" \
		"--workload=sgemm:x" "--workload=payload:7" "--workload=noop:1" "--clients=0" \
		"--clients=a" "--duration=abc" "--duration=0" "--iterations=0" "--threshold=x" \
		"--rounds=0" "--rounds=x" "--rounds=1001" \
		"--agent=http://x" "extra"; do
		run "$VACCEL" bench $args
		[ "$status" -eq 2 ] || { echo "$args: status $status"; false; }
	done
	run "$VACCEL" bench --transport=foo
	[[ "$output" == *"--transport"* ]]
	run "$VACCEL" bench --workload=sgemm:0
	[[ "$output" == *"sgemm:0"* ]]
	run "$VACCEL" bench --csv --markdown
	[ "$status" -eq 2 ]
	run "$VACCEL" bench --json --csv
	[ "$status" -eq 2 ]
	# A host profile that is not a host's, or not there.
	run "$VACCEL" --profile rpc bench --workload=noop --iterations=1 --no-baselines
	[ "$status" -eq 2 ]
	[[ "$output" == *"uses the rpc plugin"* ]]
	run "$VACCEL" bench --profile "$TMP/none.yaml" --workload=noop --iterations=1 --no-baselines
	[ "$status" -eq 2 ]
	no_leftovers
	# A transport that --agent gives no address for.
	run "$VACCEL" bench --agent "unix://$TMP/none.sock" --transport=virtio
	[ "$status" -eq 2 ]
	[[ "$output" == *"virtio"* ]]
}

@test "bench: a missing input file exits 3 before running" {
	run "$VACCEL" bench --workload=classify:"$TMP/missing.jpg"
	[ "$status" -eq 3 ]
	[[ "$output" == *"missing.jpg"* ]]
	run "$VACCEL" bench --compare "$TMP/missing.json"
	[ "$status" -eq 3 ]
	echo '{"not": "a bench run"}' > "$TMP/bad.json"
	run "$VACCEL" bench --transport=native --workload=noop "${FAST[@]}" --no-baselines \
		--compare "$TMP/bad.json"
	[ "$status" -eq 3 ]
	[[ "$output" == *"results"* ]]
	no_leftovers
}

@test "bench payload:SIZE@shm: buffers from vaccel_shm_alloc, on every transport" {
	run "$VACCEL" bench --transport=native,rpc,virtio --workload=payload:64K@shm "${FAST[@]}" \
		--no-baselines --json
	[ "$status" -eq 0 ]
	echo "$output" | python3 -c '
import json, sys
rows = json.load(sys.stdin)["results"]
assert [r["transport"] for r in rows] == ["native", "rpc", "virtio"], rows
for r in rows:
    assert r["workload"] == "payload:64K@shm" and "error" not in r and r["n"] == 5, r
    assert r["bytes"] == 65536 and r["gb_per_s"] > 0, r
'
	run "$VACCEL" bench --workload=payload:64K@bogus
	[ "$status" -eq 2 ]
	[[ "$output" == *"@shm"* ]]
}

@test "bench: cpu_cores, the CPU a cell kept busy: its clients', and the agent's on rpc" {
	run "$VACCEL" bench --transport=native,rpc --workload=sgemm:64 --duration=300ms --warmup=0 \
		--no-baselines --json
	[ "$status" -eq 0 ]
	echo "$output" | python3 -c '
import json, os, sys
rows = json.load(sys.stdin)["results"]
assert len(rows) == 2, rows
for r in rows:
    # Busy calls in a loop: some CPU, and no more than the machine has.
    assert 0.05 < r["cpu_cores"] <= os.cpu_count() + 0.5, r
'
	run "$VACCEL" bench --transport=native --workload=noop "${FAST[@]}" --no-baselines --csv
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *",ratio_to_native,cpu_cores,error" ]]
}

@test "bench --rounds: each cell's calls split over the rounds, the cells taking turns" {
	run "$VACCEL" bench --transport=native,virtio --workload=noop --iterations=6 --rounds=3 \
		--warmup=0 --no-baselines --json
	[ "$status" -eq 0 ]
	echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
m = d["machine"]
assert m["rounds"] == 3 and m["iterations"] == 6, m
rows = d["results"]
assert [r["transport"] for r in rows] == ["native", "virtio"], rows
for r in rows:
    assert r["n"] == 6, r   # 2 timed calls in each of 3 rounds
'
	no_leftovers
}

@test "bench --json: one document, rows for every transport, the baselines" {
	run "$VACCEL" bench --transport=all --workload=noop,sgemm:16,payload:4K "${FAST[@]}" --json
	[ "$status" -eq 0 ]
	python3 - "$output" <<'EOF'
import json, shutil, sys
d = json.loads(sys.argv[1])
assert set(d) >= {"machine", "results", "baselines"}, d.keys()
for k in ("vaccel", "cpus", "date", "agent", "duration_s", "iterations"):
    assert k in d["machine"], k
keys = {"workload", "transport", "clients", "n", "mean_us", "stddev_us", "p50_us", "p90_us",
        "p99_us", "min_us", "max_us", "ops_per_s", "ratio_to_native"}
cells = {(r["workload"], r["transport"]) for r in d["results"]}
for w in ("noop", "sgemm:16", "payload:4K"):
    for t in ("native", "rpc", "rpc-tcp", "virtio"):
        assert (w, t) in cells, (w, t)
for r in d["results"]:
    assert keys <= set(r), keys - set(r)
    assert "error" not in r, r
    assert r["n"] == 5 and r["clients"] == 1, r
    assert r["min_us"] <= r["p50_us"] <= r["p90_us"] <= r["p99_us"] <= r["max_us"], r
    if r["transport"] == "native":
        assert r["ratio_to_native"] == 1, r
    assert ("gflops" in r) == (r["workload"] == "sgemm:16"), r
    assert ("gb_per_s" in r) == (r["workload"] == "payload:4K"), r
names = {b["name"] for b in d["baselines"]}
want = {"unix-pingpong", "tcp-pingpong", "shm-pingpong-spin", "shm-pingpong-futex",
        "unix-pingpong:4K", "tcp-pingpong:4K", "memcpy:4K", "memcpy:3K", "startup"}
assert want <= names, want - names
for b in d["baselines"]:
    if "error" not in b:
        assert b["n"] == 5 and b["p50_us"] > 0, b
    if b["name"].startswith("memcpy:"):
        assert b["gb_per_s"] > 0, b
startup = [b for b in d["baselines"] if b["name"] == "startup"][0]
# Under qemu-user (.ci/cross) nothing can exec the Arm binary: an error, said.
if "error" not in startup:
    assert startup["measured_by"] == ("hyperfine" if shutil.which("hyperfine") else "fork-exec"), startup
EOF
	no_leftovers
}

@test "bench: startup is timed by hyperfine when on PATH, by its own loop when hyperfine fails" {
	command -v hyperfine >/dev/null || skip "hyperfine is not installed (.ci/deps installs it)"
	[ -z "${CROSS_EXEC:-}" ] || skip "under qemu-user without binfmt_misc no program can exec the Arm vaccel"
	run "$VACCEL" bench --transport=native --workload=noop "${FAST[@]}" --json
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" '[b["measured_by"] for b in d["baselines"] if b["name"] == "startup"]')" = "['hyperfine']" ]
	# A hyperfine that fails comes first on PATH: the figure is still there.
	mkdir "$TMP/bin"
	printf '#!/bin/sh\nexit 1\n' > "$TMP/bin/hyperfine"
	chmod +x "$TMP/bin/hyperfine"
	PATH="$TMP/bin:$PATH" run "$VACCEL" bench --transport=native --workload=noop "${FAST[@]}" --json
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" '[(b["measured_by"], b["n"]) for b in d["baselines"] if b["name"] == "startup"]')" = "[('fork-exec', 5)]" ]
	no_leftovers
}

@test "bench: the workload names are as given; --clients makes a cell per count" {
	run "$VACCEL" bench --transport=rpc --workload=sgemm:8,noop --clients=1,2 "${FAST[@]}" \
		--no-baselines --json
	[ "$status" -eq 0 ]
	json_get "$output" 'sorted({(r["workload"], r["transport"], r["clients"]) for r in d["results"]})' > "$TMP/cells"
	[ "$(cat "$TMP/cells")" = "[('noop', 'native', 1), ('noop', 'native', 2), ('noop', 'rpc', 1), ('noop', 'rpc', 2), ('sgemm:8', 'native', 1), ('sgemm:8', 'native', 2), ('sgemm:8', 'rpc', 1), ('sgemm:8', 'rpc', 2)]" ]
	# Two clients: 5 timed calls each.
	[ "$(json_get "$output" '[r["n"] for r in d["results"] if r["clients"] == 2][0]')" = 10 ]
	[ "$(json_get "$output" 'd["baselines"]')" = "[]" ]
}

@test "bench --csv: a header and one line per cell and baseline, all the same width" {
	run "$VACCEL" bench --transport=native,virtio --workload=noop "${FAST[@]}" --csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "section,name,transport,clients,n,mean_us,stddev_us,p50_us,p90_us,p99_us,min_us,max_us,ops_per_s,gflops,gb_per_s,ratio_to_native,cpu_cores,error" ]
	[ "$(printf '%s\n' "$output" | grep -c '^result,noop,')" -eq 2 ]
	printf '%s\n' "$output" | grep -q '^baseline,unix-pingpong,'
	printf '%s\n' "$output" | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
assert all(len(r) == 18 for r in rows), [len(r) for r in rows]'
}

@test "bench --markdown: pipe tables with a separator line; default: a text table, quiet stderr" {
	run "$VACCEL" bench --transport=rpc --workload=noop "${FAST[@]}" --markdown
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "| workload "* ]]
	[[ "${lines[1]}" == "|---|---|--:|"* ]]
	[[ "${lines[2]}" == "| noop "*"| native "* ]]
	[[ "${lines[3]}" == "| noop "*"| rpc "* ]]
	printf '%s\n' "$output" | grep -q '^| baseline '
	"$VACCEL" bench --transport=rpc --workload=noop "${FAST[@]}" --no-baselines \
		>"$TMP/out" 2>"$TMP/err"
	[[ "$(head -n1 "$TMP/out")" == "workload "*"transport"*"p50 µs"* ]]
	[ ! -s "$TMP/err" ] # no progress line when stderr is not a terminal
}

@test "bench --compare: exit 1 against a 100x faster run, 0 against itself" {
	# Enough calls for a spread (p90 - p50) that is not one outlier.
	SOME=(--iterations=300 --warmup=0)
	"$VACCEL" bench --transport=native --workload=noop,sgemm:8 "${SOME[@]}" --no-baselines \
		--json > "$TMP/base.json"
	python3 - "$TMP/base.json" "$TMP/fast.json" <<'EOF'
import json, shutil, sys
d = json.load(open(sys.argv[1]))
for r in d["results"]:
    for k in ("mean_us", "p50_us", "p90_us", "p99_us", "min_us", "max_us"):
        r[k] /= 100
json.dump(d, open(sys.argv[2], "w"))
EOF
	run "$VACCEL" bench --transport=native --workload=noop,sgemm:8 "${SOME[@]}" --no-baselines \
		--compare "$TMP/fast.json"
	[ "$status" -eq 1 ]
	[[ "$output" == *"REGRESSION"* ]]
	[[ "$output" == *"regressed"* ]]
	# Against itself: a generous threshold, since the test machine's noise is not
	# what is tested here (speed is never asserted).
	run "$VACCEL" bench --transport=native --workload=noop,sgemm:8 "${SOME[@]}" --no-baselines \
		--compare "$TMP/base.json" --threshold=1000%
	[ "$status" -eq 0 ]
	[[ "$output" == *"0 of 2 cells regressed"* ]]
	# --json carries the comparison in the document.
	run "$VACCEL" bench --transport=native --workload=noop "${SOME[@]}" --no-baselines \
		--compare "$TMP/fast.json" --json
	[ "$status" -eq 1 ]
	[ "$(json_get "$output" 'd["compare"]["regressed"]')" = True ]
	[ "$(json_get "$output" 'd["compare"]["missing"]')" = 1 ]
}

@test "bench --plot: PNG and SVG of each plot, and their data" {
	command -v gnuplot >/dev/null || skip "gnuplot is not installed"
	run "$VACCEL" bench --transport=all --workload=noop,sgemm:8 --clients=1,2 "${FAST[@]}" \
		--plot "$TMP/plots"
	[ "$status" -eq 0 ]
	for p in latency ratio clients; do
		for ext in png svg dat; do
			[ -s "$TMP/plots/$p.$ext" ] || { echo "missing $p.$ext"; false; }
		done
	done
	[ "$(head -c 4 "$TMP/plots/ratio.png" | tail -c 3)" = PNG ]
	grep -q '<svg' "$TMP/plots/latency.svg"
}

@test "bench --agent: an existing agent instead of its own" {
	ADDR="unix://$TMP/agent.sock"
	"$VACCEL" --profile native agent --listen "$ADDR" >"$TMP/agent.log" 2>&1 &
	pid=$!
	for _ in $(seq 1 100); do
		"$VACCEL" agent --status "$ADDR" >/dev/null 2>&1 && break
		sleep 0.05
	done
	run "$VACCEL" bench --agent "$ADDR" --workload=noop "${FAST[@]}" --no-baselines --json
	kill -TERM "$pid"
	wait "$pid"
	[ "$status" -eq 0 ]
	json_get "$output" '[(r["transport"], r["n"]) for r in d["results"]]' > "$TMP/rows"
	[ "$(cat "$TMP/rows")" = "[('native', 5), ('rpc', 5)]" ]
	[ "$(json_get "$output" 'd["machine"]["agent"]')" = "$ADDR" ]
}

@test "bench: a failed cell is reported and exits 1" {
	# An agent address nothing listens on.
	run "$VACCEL" bench --agent "unix://$TMP/nobody.sock" --workload=noop "${FAST[@]}" \
		--no-baselines
	[ "$status" -eq 1 ]
	[[ "$output" == *"rpc clients=1 failed"* ]]
}

@test "bench: SIGINT stops it cleanly, its agent included" {
	"$VACCEL" bench --transport=rpc --workload=noop --duration=60 --no-baselines \
		>"$TMP/out" 2>"$TMP/err" &
	pid=$!
	# Wait for the agent's socket, then interrupt.
	for _ in $(seq 1 200); do
		ls "$TMP"/vaccel-bench-*/rpc.sock >/dev/null 2>&1 && break
		sleep 0.05
	done
	sleep 0.3
	kill -INT "$pid"
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 130 ]
	grep -q interrupted "$TMP/err"
	no_leftovers
	# Nothing of the run is still alive. A process of it may take a moment
	# to go on a loaded machine (under ASan, its exit-time leak check): what
	# is still there after 2 s is named.
	for _ in $(seq 1 40); do
		pgrep -f -- "--duration=60 --no-baselines" >/dev/null || return 0
		sleep 0.05
	done
	ps -o pid,ppid,stat,etime,args -p "$(pgrep -d, -f -- "--duration=60 --no-baselines")"
	false
}

@test "bench: classify and infer workloads with the opencv plugin, native = rpc = virtio cells" {
	model="${VACCEL_MODELS:-}/classification/mobilenet_v2/mobilenet_v2_1.0_224_dequant.onnx"
	[ -f "$TOP_BUILDDIR/plugins/opencv/.libs/libvaccel-opencv.so" ] || skip "no opencv plugin"
	[ -f "$model" ] || skip "no models (VACCEL_MODELS)"
	run "$VACCEL" bench --transport=native,rpc,virtio \
		--workload="classify:$VACCEL_MODELS/images/cat.jpg,infer:$model@1x3x224x224" \
		--iterations=2 --warmup=0 --no-baselines --json
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" '[(r["workload"].split(":")[0], r["transport"], r["n"]) for r in d["results"] if "error" not in r]')" = \
		"[('classify', 'native', 2), ('classify', 'rpc', 2), ('classify', 'virtio', 2), ('infer', 'native', 2), ('infer', 'rpc', 2), ('infer', 'virtio', 2)]" ]
}

@test "bench: OpenCV called directly is the baseline of classify and infer; a bad model is its error" {
	model="${VACCEL_MODELS:-}/classification/mobilenet_v2/mobilenet_v2_1.0_224_dequant.onnx"
	[ -x "$TOP_BUILDDIR/bench/vaccel-bench-opencv" ] || skip "no OpenCV: vaccel-bench-opencv is not built"
	need_models
	run "$VACCEL" bench --transport=native \
		--workload="classify:$VACCEL_MODELS/images/cat.jpg,infer:$model@1x3x224x224" \
		--iterations=2 --warmup=0 --json
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" '[(b["name"], b["n"], b["p50_us"] > 0) for b in d["baselines"] if b["name"].startswith("opencv")]')" = \
		"[('opencv-classify:cat.jpg', 2, True), ('opencv-infer:mobilenet_v2_1.0_224_dequant.onnx', 2, True)]" ]
	# The classify baseline runs the standard model from the models directory.
	VACCEL_MODELS="$TMP/none" run --separate-stderr "$VACCEL" bench --transport=native \
		--workload="classify:$VACCEL_MODELS/images/cat.jpg" --iterations=1 --warmup=0 --json
	[ "$(json_get "$output" '[b["error"] for b in d["baselines"] if b["name"].startswith("opencv")][0]')" = \
		"$TMP/none/${model#"$VACCEL_MODELS/"}: not there (vaccel models fetch mobilenet_v2)" ]
	# A file OpenCV cannot load: the baseline's error is OpenCV's reason.
	echo garbage > "$TMP/bad.onnx"
	run --separate-stderr "$VACCEL" bench --transport=native --workload="infer:$TMP/bad.onnx@1x4" \
		--iterations=1 --warmup=0 --json
	[[ "$(json_get "$output" '[b["error"] for b in d["baselines"] if b["name"].startswith("opencv")][0]')" == \
		"vaccel-bench-opencv: $TMP/bad.onnx: OpenCV cannot load it"* ]]
}

@test "bench: infer on a TorchScript model goes through vAccel's torch API, on every transport" {
	ref="$TOP_BUILDDIR/tests/torch/torch-ref"
	[ -x "$ref" ] || skip "no libtorch in this build (apt-get install libtorch-dev)"
	"$ref" make1 "$TMP"
	run --separate-stderr "$VACCEL" bench --transport=native,rpc,virtio \
		--workload="infer:$TMP/single.pt@2x3x8x8" --iterations=3 --warmup=0 --json
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" '[(r["transport"], r["n"], "error" in r) for r in d["results"]]')" = \
		"[('native', 3, False), ('rpc', 3, False), ('virtio', 3, False)]" ]
	# OpenCV cannot run it: no opencv baseline for this workload.
	[ "$(json_get "$output" '[b["name"] for b in d["baselines"] if b["name"].startswith("opencv")]')" = "[]" ]
	no_leftovers
}
