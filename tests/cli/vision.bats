#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# vaccel classify|detect|segment|pose|depth on the shared models and photos
# (VACCEL_MODELS, set by the Makefile), and their errors.
load helpers

# Every test here runs on the shared models.
setup() {
	need_models
	: "${VACCEL:?run through make check}"
	TMP="$(mktemp -d "${BATS_TMPDIR:-/tmp}/vaccel-cli-XXXXXX")"
}
bats_require_minimum_version 1.5.0

vision() { run "$VACCEL" --profile "$TOP_SRCDIR/configs/vision.yaml" "$@"; }
IMG="$VACCEL_MODELS/images"

@test "classify: cat.jpg is an Egyptian cat, top-1, with --top and --iterations" {
	vision classify --top 3 -i 3 "$IMG/cat.jpg"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" =~ ^\ \ class\ 0\.8[0-9]+\ Egyptian\ cat$ ]]
	[ "${#lines[@]}" -eq 5 ]
	[[ "${lines[4]}" == "latency_ms: mean "*"(3 calls)" ]]
}

@test "classify --json: classes with label and score, best first, -o writes a JPEG" {
	vision --json classify -o "$TMP/out.jpg" "$IMG/banana.jpg"
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["images"][0]["classes"][0]["label"]')" = banana ]
	[ "$(json_get "$output" 'len(d["images"][0]["classes"])')" = 5 ]
	[ "$(json_get "$output" 'd["plugin"], d["command"]')" = "('opencv', 'classify')" ]
	[ "$(head -c 2 "$TMP/out.jpg" | od -An -tx1 | tr -d ' ')" = ffd8 ]
}

@test "detect: person.jpg has a person, a dog and a horse" {
	vision --json detect "$IMG/person.jpg" -o "$TMP/boxes.jpg"
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'sorted({b["label"] for b in d["images"][0]["boxes"]} & {"person","dog","horse"})')" = "['dog', 'horse', 'person']" ]
	[ "$(json_get "$output" 'all(b["w"] > 0 and b["h"] > 0 for b in d["images"][0]["boxes"])')" = True ]
	[ -s "$TMP/boxes.jpg" ]
}

@test "segment: cat.jpg reports cat; pose: >= 10 keypoints; depth in range" {
	vision --json segment "$IMG/cat.jpg"
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" '[s["fraction"] > 0.2 for s in d["images"][0]["shares"] if s["label"] == "cat"]')" = "[True]" ]
	vision --json pose "$IMG/person.jpg"
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'len(d["images"][0]["keypoints"]) >= 10')" = True ]
	# Only body parts (not the model's background channel), scores in [0, 1].
	[ "$(json_get "$output" '[k["part"] for k in d["images"][0]["keypoints"] if k["part"].lower() == "background"]')" = "[]" ]
	[ "$(json_get "$output" 'all(0 <= k["score"] <= 1 for k in d["images"][0]["keypoints"])')" = True ]
	vision --json depth "$IMG/dog.jpg"
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" '1.5 < d["images"][0]["depth"]["min"] < 2.2 < 3.5 < d["images"][0]["depth"]["max"] < 4.3')" = True ]
}

@test "--json with a bad image mid-batch: one valid document, an error item, exit 3" {
	run --separate-stderr "$VACCEL" --profile "$TOP_SRCDIR/configs/vision.yaml" --json \
		classify "$IMG/cat.jpg" /etc/passwd "$TMP" "$IMG/banana.jpg"
	[ "$status" -eq 3 ]
	[ "$(json_get "$output" 'len(d["images"]), d["failed"]')" = "(4, 2)" ]
	[ "$(json_get "$output" 'd["images"][0]["classes"][0]["label"]')" = "Egyptian cat" ]
	[ "$(json_get "$output" 'd["images"][1]["image"], d["images"][1]["exit"]')" = "('/etc/passwd', 3)" ]
	[[ "$(json_get "$output" 'd["images"][1]["error"]')" == *"is not JPEG, PNG, BMP, PNM or WebP"* ]]
	[[ "$(json_get "$output" 'd["images"][2]["error"]')" == *"a directory, not an image"* ]]
	[ "$(json_get "$output" 'd["images"][3]["classes"][0]["label"]')" = banana ]
	[[ "$stderr" == *"/etc/passwd"* ]]
	# Text: every image is tried, the bad ones on stderr.
	vision classify /etc/passwd "$IMG/cat.jpg"
	[ "$status" -eq 3 ]
	[[ "$output" == *"Egyptian cat"* ]]
}

@test "--top beyond what the plugin reports is an error naming the limit" {
	vision classify --top 7 "$IMG/cat.jpg"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--top 7: the profile's opencv plugin reports at most 5 classes"* ]]
	printf 'plugins:\n  - name: opencv\n    options:\n      classify-top: 8\n' > "$TMP/top8.yaml"
	run "$VACCEL" --profile "$TMP/top8.yaml" classify --top 7 "$IMG/cat.jpg"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 9 ]
}

@test "bad images are input errors (3) that say what is wrong" {
	: > "$TMP/empty.jpg"
	vision classify "$TMP/empty.jpg"
	[ "$status" -eq 3 ]
	[[ "$output" == *"empty image"* ]]
	echo "hello" > "$TMP/text.jpg"
	vision classify "$TMP/text.jpg"
	[ "$status" -eq 3 ]
	[[ "$output" == *"is not JPEG, PNG, BMP, PNM or WebP"* ]]
	head -c 20000 "$IMG/cat.jpg" > "$TMP/cut.jpg"
	vision classify "$TMP/cut.jpg"
	[ "$status" -eq 3 ]
	[[ "$output" == *"truncated JPEG"* ]]
	printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\001\206\240\0\001\206\240\010\002\0\0\0' > "$TMP/huge.png"
	vision classify "$TMP/huge.png"
	[ "$status" -eq 3 ]
	[[ "$output" == *"100000x100000 pixels"*"max-pixels"* ]]
	vision classify "$TMP/nosuch.jpg"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$TMP/nosuch.jpg: No such file"* ]]
}

@test "model problems name the file: missing, wrong labels, unloadable (3)" {
	m="$VACCEL_MODELS/classification/mobilenet_v2/mobilenet_v2_1.0_224_dequant.onnx"
	printf 'plugins:\n  - name: opencv\n    options:\n      classify-model: %s\n      classify-labels: %s\n' \
		"$TMP/none.onnx" "$VACCEL_MODELS/detection/nanodet_m/coco.names" > "$TMP/missing.yaml"
	run "$VACCEL" --profile "$TMP/missing.yaml" classify "$IMG/cat.jpg"
	[ "$status" -eq 3 ]
	[[ "$output" == *"classify-model $TMP/none.onnx: No such file"*"a file the profile's opencv options name"* ]]
	printf 'plugins:\n  - name: opencv\n    options:\n      classify-model: %s\n      classify-labels: %s\n' \
		"$m" "$VACCEL_MODELS/detection/nanodet_m/coco.names" > "$TMP/labels.yaml"
	run "$VACCEL" --profile "$TMP/labels.yaml" classify "$IMG/cat.jpg"
	[ "$status" -eq 3 ]
	[[ "$output" == *"coco.names has 80 lines"*"outputs 1001 classes"* ]]
	echo garbage > "$TMP/bad.onnx"
	printf 'plugins:\n  - name: opencv\n    options:\n      classify-model: %s\n' "$TMP/bad.onnx" > "$TMP/bad.yaml"
	run "$VACCEL" --profile "$TMP/bad.yaml" classify "$IMG/cat.jpg"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$TMP/bad.onnx: OpenCV cannot load it"* ]]
}

@test "no vision plugin: 4; usage errors: 2; noop serves analyze with its fixed line" {
	run "$VACCEL" --profile native classify "$IMG/cat.jpg"
	[ "$status" -eq 4 ]
	run "$VACCEL" classify
	[ "$status" -eq 2 ]
	run "$VACCEL" classify --top 0 "$IMG/cat.jpg"
	[ "$status" -eq 2 ]
	run "$VACCEL" detect -o "$TMP/x.jpg" "$IMG/cat.jpg" "$IMG/dog.jpg"
	[ "$status" -eq 2 ]
	run "$VACCEL" --profile noop --json pose "$IMG/cat.jpg"
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["plugin"], d["images"][0]["keypoints"]')" = "('noop', [])" ]
}

@test "models fetched into the cache serve classify without VACCEL_MODELS" {
	run env -u VACCEL_MODELS XDG_CACHE_HOME="$TMP/cache" "$VACCEL" --profile vision classify "$IMG/cat.jpg"
	[ "$status" -eq 3 ]
	[[ "$output" == *"the standard model is not here: $TMP/cache/vaccel/models/classification/mobilenet_v2/"*"\`vaccel models fetch\`"* ]]
	run env -u VACCEL_MODELS XDG_CACHE_HOME="$TMP/cache" VACCEL_MODEL_MIRROR="$VACCEL_MODELS" \
		"$VACCEL" models fetch mobilenet_v2
	[ "$status" -eq 0 ]
	run env -u VACCEL_MODELS XDG_CACHE_HOME="$TMP/cache" "$VACCEL" --profile vision classify "$IMG/cat.jpg"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" =~ ^\ \ class\ 0\.8[0-9]+\ Egyptian\ cat$ ]]
}

@test "-o on a full device: an input error (3) naming it, no crash" {
	[ -w /dev/full ] || skip "no /dev/full"
	# An 8x8 PNG: its output JPEG fits stdio's buffer, so the write fails
	# only when fclose flushes it.
	printf 'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR42mM44KCAFTEMLQkASmxIASWBNjQAAAAASUVORK5CYII=' |
		base64 -d > "$TMP/tiny.png"
	vision classify -o /dev/full "$TMP/tiny.png"
	[ "$status" -eq 3 ]
	[[ "$output" == *"-o /dev/full: No space left on device"* ]]
}
