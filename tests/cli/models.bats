#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# vaccel models list | fetch: the standard models, copied from a local
# mirror (the shared models, VACCEL_MODELS of make check) or downloaded
# from a loopback HTTP server (http-server.py) into a scratch cache,
# sha256-checked. Nothing leaves the machine.
load helpers

MIRROR="$VACCEL_MODELS"
MOBILENET=classification/mobilenet_v2/mobilenet_v2_1.0_224_dequant.onnx

# The command with an empty cache of its own and no VACCEL_MODELS.
models() {
	run env -u VACCEL_MODELS XDG_CACHE_HOME="$TMP/cache" VACCEL_MODEL_MIRROR="$MIRROR" \
		"$VACCEL" "$@"
}

@test "models list: the standard models, all missing in an empty cache" {
	models models list
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "models in $TMP/cache/vaccel/models (list: $TOP_SRCDIR/configs/models.list)" ]
	[ "${#lines[@]}" -eq 10 ]
	[[ "$output" =~ mobilenet_v2\ +missing\ +$MOBILENET ]]
	for m in nanodet_m deeplabv3_mnv2_voc tfpose_mobilenet_v2_small fastdepth_224; do
		[[ "$output" == *"  $m "* ]]
	done
}

@test "models fetch copies every file from the mirror; a second run skips them" {
	need_models
	models models fetch
	[ "$status" -eq 0 ]
	[ "${lines[9]}" = "9 fetched, 0 already present in $TMP/cache/vaccel/models" ]
	cmp "$TMP/cache/vaccel/models/$MOBILENET" "$MIRROR/$MOBILENET"
	(cd "$TMP/cache/vaccel/models" && grep -v '^#' "$TOP_SRCDIR/configs/models.list" | sha256sum -c --quiet)
	models --json models fetch
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["fetched"], d["present"], {f["status"] for f in d["files"]}')" = "(0, 9, {'present'})" ]
	models --json models list
	[ "$(json_get "$output" '{f["status"] for f in d["files"]}')" = "{'ok'}" ]
}

@test "models fetch NAME fetches that model only; a damaged file is replaced" {
	need_models
	models models fetch mobilenet_v2
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "2 fetched, 0 already present in $TMP/cache/vaccel/models" ]
	[ ! -e "$TMP/cache/vaccel/models/detection" ]
	echo damage >> "$TMP/cache/vaccel/models/$MOBILENET"
	models models list
	[[ "$output" =~ mobilenet_v2\ +bad-sha256\ +$MOBILENET ]]
	models models fetch mobilenet_v2
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "fetched  $MOBILENET" ]
	cmp "$TMP/cache/vaccel/models/$MOBILENET" "$MIRROR/$MOBILENET"
}

@test "a corrupted mirror file is refused (3), naming file and both digests" {
	need_models
	mkdir -p "$TMP/mirror/classification/mobilenet_v2"
	cp "$MIRROR/$MOBILENET" "$TMP/mirror/$MOBILENET"
	printf 'X' | dd of="$TMP/mirror/$MOBILENET" bs=1 seek=1000 conv=notrunc 2>/dev/null
	bad="$(sha256sum "$TMP/mirror/$MOBILENET" | cut -d' ' -f1)"
	MIRROR="$TMP/mirror" models models fetch mobilenet_v2
	[ "$status" -eq 3 ]
	[[ "$output" == *"$MOBILENET (from $TMP/mirror/$MOBILENET): sha256 $bad, expected df06ad53803b2c6f7fdde929a664436c4550bab2a988125f15accce1a8c0464e: refused"* ]]
	[ -z "$(find "$TMP/cache" -type f)" ]
	# A file the mirror lacks is an input error naming it.
	rm "$TMP/mirror/$MOBILENET"
	MIRROR="$TMP/mirror" models models fetch mobilenet_v2
	[ "$status" -eq 3 ]
	[[ "$output" == *"mirror: $TMP/mirror/$MOBILENET: No such file"* ]]
}

@test "models: usage errors (2): unknown name, no action, no source" {
	models models fetch nosuch
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown model 'nosuch'"* ]]
	models models
	[ "$status" -eq 2 ]
	models models list extra
	[ "$status" -eq 2 ]
	run env -u VACCEL_MODELS -u VACCEL_MODEL_MIRROR -u VACCEL_MODEL_URL \
		XDG_CACHE_HOME="$TMP/cache" "$VACCEL" models fetch fastdepth_224
	[ "$status" -eq 2 ]
	[[ "$output" == *"no source: give --mirror DIR"*"--url BASE"* ]]
	[ ! -e "$TMP/cache" ]
	models models fetch --timeout 0 fastdepth_224
	[ "$status" -eq 2 ]
	[[ "$output" == *"--timeout: '0' is not a number of seconds in 1..3600"* ]]
}

# A loopback HTTP server over the shared models; URL is its base.
serve() {
	python3 -u "$TOP_SRCDIR/tests/cli/http-server.py" "$MIRROR" "$TMP/http.log" > "$TMP/port" 2>"$TMP/http.err" &
	HTTP_PID=$!
	for _ in $(seq 1 100); do
		[ -s "$TMP/port" ] && break
		sleep 0.05
	done
	URL="http://127.0.0.1:$(head -n1 "$TMP/port")"
}

# The command with an empty cache and no mirror: --url is the source.
fetch() {
	run env -u VACCEL_MODELS -u VACCEL_MODEL_MIRROR XDG_CACHE_HOME="$TMP/cache" \
		"$VACCEL" models fetch "$@"
}

teardown() {
	[ -n "${BATS_TEST_COMPLETED:-}" ] || printf 'last status %s, output:\n%s\n' "${status:-}" "${output:-}"
	[ -z "${HTTP_PID:-}" ] || kill "$HTTP_PID" 2>/dev/null || true
	rm -rf "$TMP"
}

@test "models fetch --url downloads over HTTP (libcurl), sha256-checked" {
	need_models
	serve
	fetch --url "$URL/ok" mobilenet_v2
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "2 fetched, 0 already present in $TMP/cache/vaccel/models" ]
	cmp "$TMP/cache/vaccel/models/$MOBILENET" "$MIRROR/$MOBILENET"
	[ -z "$(find "$TMP/cache" -name '*.part')" ]
	# VACCEL_MODEL_URL is the same source; a present file is not downloaded again.
	VACCEL_MODEL_URL="$URL/ok" fetch mobilenet_v2
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "0 fetched, 2 already present in $TMP/cache/vaccel/models" ]
	[ "$(grep -c . "$TMP/http.log")" -eq 2 ]
}

@test "an interrupted download is continued with a range request, or restarted when ranges are ignored" {
	need_models
	serve
	fetch --url "$URL/cut" fastdepth_224
	[ "$status" -eq 1 ]
	part="$TMP/cache/vaccel/models/depth/fastdepth_224/fastdepth_224_dequant.onnx.part"
	size=$(stat -c %s "$part")
	[ "$size" -gt 0 ]
	[ ! -e "${part%.part}" ]
	fetch --url "$URL/ok" fastdepth_224
	[ "$status" -eq 0 ]
	grep -q "^ok depth/fastdepth_224/fastdepth_224_dequant.onnx bytes=$size-$" "$TMP/http.log"
	cmp "${part%.part}" "$MIRROR/depth/fastdepth_224/fastdepth_224_dequant.onnx"
	rm "${part%.part}"
	fetch --url "$URL/cut" fastdepth_224
	[ "$status" -eq 1 ]
	fetch --url "$URL/norange" fastdepth_224
	[ "$status" -eq 0 ]
	cmp "${part%.part}" "$MIRROR/depth/fastdepth_224/fastdepth_224_dequant.onnx"
	[ ! -e "$part" ]
}

@test "download failures: wrong bytes (3), HTTP 404 and a silent server (1); no empty directories left" {
	need_models
	serve
	fetch --url "$URL/bad" fastdepth_224
	[ "$status" -eq 3 ]
	[[ "$output" == *"depth/fastdepth_224/fastdepth_224_dequant.onnx (from $URL/bad/depth/"*"refused"* ]]
	[ ! -e "$TMP/cache" ]
	fetch --url "$URL/ok/nowhere" fastdepth_224
	[ "$status" -eq 1 ]
	[[ "$output" == *"$URL/ok/nowhere/depth/fastdepth_224/fastdepth_224_dequant.onnx: HTTP status 404"* ]]
	[ ! -e "$TMP/cache" ]
	fetch --timeout 1 --url "$URL/stall" fastdepth_224
	[ "$status" -eq 1 ]
	[[ "$output" == *"$URL/stall/depth/fastdepth_224/fastdepth_224_dequant.onnx: "*"timed out: nothing received for 1 s"* ]]
	[ ! -e "$TMP/cache" ]
}
