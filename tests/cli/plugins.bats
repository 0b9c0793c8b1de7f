#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# vaccel plugins: loaded plugins and the op -> plugin table.
load helpers

@test "plugins lists the native plugins and who serves each op" {
	run "$VACCEL" --profile native plugins
	[ "$status" -eq 0 ]
	[[ "$output" == *"openblas"*"exec"* ]]
	[[ "$output" =~ blas_sgemm\ +openblas ]]
	[[ "$output" =~ exec\ +exec ]]
	[[ "$output" =~ image_classify\ +- ]]
}

@test "plugins --json: versions, paths and every op" {
	run "$VACCEL" --json --profile noop plugins
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["plugins"][0]["name"], d["plugins"][0]["version"]')" = "('noop', '$PACKAGE_VERSION')" ]
	[ "$(json_get "$output" 'd["plugins"][0]["path"].endswith("libvaccel-noop.so")')" = True ]
	[ "$(json_get "$output" 'len(d["ops"])')" = 26 ]
	[ "$(json_get "$output" 'd["ops"]["opencv"]')" = noop ]
	[ "$(json_get "$output" 'd["ops"]["tensor_infer"]')" = noop ]
	[ "$(json_get "$output" 'd["ops"]["image_analyze"]')" = noop ]
	[ "$(json_get "$output" 'd["ops"]["image_depth"]')" = noop ]
	[ "$(json_get "$output" 'd["ops"]["tf_model_run"]')" = noop ]
	[ "$(json_get "$output" 'd["ops"]["fpga_mmult"]')" = noop ]
}

@test "priority follows the profile's order" {
	printf 'plugins: [noop, openblas]\n' > "$TMP/p.yaml"
	run "$VACCEL" --json --profile "$TMP/p.yaml" plugins
	[ "$(json_get "$output" 'd["ops"]["blas_sgemm"]')" = noop ]
	printf 'plugins: [openblas, noop]\n' > "$TMP/p.yaml"
	run "$VACCEL" --json --profile "$TMP/p.yaml" plugins
	[ "$(json_get "$output" 'd["ops"]["blas_sgemm"]')" = openblas ]
	[ "$(json_get "$output" 'd["ops"]["image_pose"]')" = noop ]
}

@test "plugins rejects arguments" {
	run "$VACCEL" plugins extra
	[ "$status" -eq 2 ]
}

@test "plugins --json: the op table, each row with its arguments" {
	run "$VACCEL" --json --profile native plugins
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" '[r["name"] for r in d["op_table"]][:3]')" = "['noop', 'exec', 'exec_with_resource']" ]
	sgemm='[r for r in d["op_table"] if r["name"] == "blas_sgemm"][0]'
	[ "$(json_get "$output" "[a['name'] for a in $sgemm['read']]")" = "['m', 'n', 'k', 'alpha', 'a', 'lda', 'b', 'ldb', 'beta', 'ldc']" ]
	[ "$(json_get "$output" "$sgemm['write'][0]['inout'], $sgemm['served_by']")" = "(True, 'openblas')" ]
	[ "$(json_get "$output" "[r['served_by'] for r in d['op_table'] if r['name'] == 'minmax'][0]")" = openblas ]
	run "$VACCEL" --profile native plugins
	[[ "$output" =~ minmax\ +openblas\ +\(indata\ ndata\ low_threshold\ high_threshold\)\ -\>\ \(outdata\ min\ max\) ]]
}
