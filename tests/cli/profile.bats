#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# vaccel profile check / show.
load helpers

@test "profile check accepts the shipped profiles" {
	for p in native noop; do
		run "$VACCEL" profile check "$TOP_SRCDIR/configs/$p.yaml"
		[ "$status" -eq 0 ]
		[ "$output" = "$TOP_SRCDIR/configs/$p.yaml: ok" ]
	done
}

@test "profile check names file, line, column and key" {
	printf 'version: 1\nplugins:\n  - name: noop\n    optoins: {}\n' > "$TMP/p.yaml"
	run "$VACCEL" profile check "$TMP/p.yaml"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$TMP/p.yaml:4:5: unknown key 'optoins'"* ]]
	printf 'plugins:\n  - name: openblas\n    options:\n      threads: x\n' > "$TMP/p.yaml"
	run "$VACCEL" profile check "$TMP/p.yaml"
	[ "$status" -eq 2 ]   # the plugin judges its values at check time too
	[[ "$output" == *"$TMP/p.yaml:4:7: plugin 'openblas' option 'threads': expected an integer"* ]]
	run "$VACCEL" --profile "$TMP/p.yaml" noop
	[ "$status" -eq 2 ]
	[[ "$output" == *"$TMP/p.yaml:4:7: plugin 'openblas' option 'threads': expected an integer"* ]]
}

@test "profile check --json reports ok and the error" {
	printf 'plugins: [noop\n' > "$TMP/p.yaml"
	run "$VACCEL" --json profile check "$TMP/p.yaml"
	[ "$status" -eq 2 ]
	json="$(printf '%s\n' "$output" | grep '^{')"
	[ "$(json_get "$json" 'd["ok"]')" = False ]
	[[ "$(json_get "$json" 'd["error"]')" == *"YAML syntax error"* ]]
	run "$VACCEL" --json profile check "$TOP_SRCDIR/configs/noop.yaml"
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["ok"], d["error"]')" = "(True, None)" ]
}

@test "--json escapes what it prints: quotes, backslashes, control bytes, UTF-8" {
	name="$TMP/a\"b\\c$(printf '\t\001\r')d-ü.yaml"
	cp "$TOP_SRCDIR/configs/noop.yaml" "$name"
	run "$VACCEL" --json --profile "$name" profile show
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[ "$(json_get "$output" 'd["source"] == sys.argv[3]' "$name")" = True ]
	[ "$(json_get "$output" 'd["plugins"]')" = "['noop']" ]
}

@test "profile check on a missing file is exit 3" {
	run "$VACCEL" profile check "$TMP/none.yaml"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$TMP/none.yaml"* ]]
}

@test "profile show prints the profile in effect as valid YAML" {
	run "$VACCEL" --profile native profile show
	[ "$status" -eq 0 ]
	[[ "$output" == *"# source: $TOP_SRCDIR/configs/native.yaml"* ]]
	[[ "$output" == *"allow-any: true"* ]]
	printf '%s\n' "$output" > "$TMP/shown.yaml"
	run "$VACCEL" profile check "$TMP/shown.yaml"
	[ "$status" -eq 0 ]
}

@test "profile show without any profile is the built-in default, configs/default.yaml" {
	run "$VACCEL" --json profile show
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["source"]')" = "(built-in)" ]
	# The optional plugins this build has, then exec and noop.
	want=""
	for p in opencv torch tf tflite openblas; do
		[ -e "$TOP_BUILDDIR/plugins/$p/.libs/libvaccel-$p.so" ] && want="$want'$p', "
	done
	[ "$(json_get "$output" 'd["plugins"]')" = "[$want'exec', 'noop']" ]
	run "$VACCEL" profile show
	diff <(sed -n '/^plugins:/,$p' <<<"$output") <("$VACCEL" --profile default profile show | sed -n '/^plugins:/,$p')
}

@test "ops: limits an instance to the ops listed; a name not in the op table is an error" {
	printf 'plugins:\n  - name: noop\n    ops: [noop]\n' > "$TMP/p.yaml"
	run "$VACCEL" --profile "$TMP/p.yaml" noop -i 2
	[ "$status" -eq 0 ]
	run "$VACCEL" --profile "$TMP/p.yaml" sgemm -m 2 -n 2 -k 2
	[ "$status" -eq 4 ]
	run "$VACCEL" --profile "$TMP/p.yaml" profile show
	[[ "$output" == *"ops: [noop]"* ]]
	printf 'plugins:\n  - name: noop\n    ops: [noop, blas_sgem]\n' > "$TMP/bad.yaml"
	run "$VACCEL" profile check "$TMP/bad.yaml"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$TMP/bad.yaml:3:17: key 'ops': 'blas_sgem' is not an op"* ]]
	printf 'plugins:\n  - name: noop\n    ops: noop\n' > "$TMP/bad.yaml"
	run "$VACCEL" profile check "$TMP/bad.yaml"
	[ "$status" -eq 2 ]
	[[ "$output" == *"key 'ops' must be a list"* ]]
}

@test "optional: true skips a plugin that is not installed; otherwise it is an error" {
	printf 'plugins:\n  - name: nosuch\n    optional: true\n  - name: noop\n' > "$TMP/p.yaml"
	run "$VACCEL" --profile "$TMP/p.yaml" noop -i 2
	[ "$status" -eq 0 ]
	[[ "$output" == *"plugin=noop"* ]]
	run "$VACCEL" profile check "$TMP/p.yaml"
	[ "$status" -eq 0 ]
	printf 'plugins:\n  - name: nosuch\n  - name: noop\n' > "$TMP/p.yaml"
	run "$VACCEL" --profile "$TMP/p.yaml" noop -i 2
	[ "$status" -eq 2 ]
	[[ "$output" == *"plugin 'nosuch' not found"* ]]
	printf 'plugins:\n  - name: noop\n    optional: maybe\n' > "$TMP/p.yaml"
	run "$VACCEL" profile check "$TMP/p.yaml"
	[ "$status" -eq 2 ]
	[[ "$output" == *"key 'optional': expected true or false, got maybe"* ]]
}

@test "a default.yaml in the user's config dir is picked up" {
	mkdir -p "$TMP/xdg/vaccel"
	printf 'plugins: [noop]\n' > "$TMP/xdg/vaccel/default.yaml"
	XDG_CONFIG_HOME="$TMP/xdg" run "$VACCEL" --json profile show
	[ "$(json_get "$output" 'd["source"]')" = "$TMP/xdg/vaccel/default.yaml" ]
}

@test "profile usage errors" {
	run "$VACCEL" profile
	[ "$status" -eq 2 ]
	run "$VACCEL" profile check
	[ "$status" -eq 2 ]
	run "$VACCEL" profile frob
	[ "$status" -eq 2 ]
}

@test "profile check runs each plugin's own checks of its option values" {
	printf 'plugins:\n  - name: exec\n  - name: openblas\n    options:\n      threads: abc\n' > "$TMP/p.yaml"
	run "$VACCEL" profile check "$TMP/p.yaml"
	[ "$status" -eq 2 ]
	[[ "$output" == *"p.yaml:5:7: plugin 'openblas' option 'threads': expected an integer"* ]]
	[ "$(printf '%s\n' "$output" | grep -c "option 'threads'")" -eq 1 ]
	printf 'plugins:\n  - name: exec\n    options:\n      allow: [relative/lib.so]\n' > "$TMP/q.yaml"
	run sh -c "'$VACCEL' --json profile check '$TMP/q.yaml' 2>/dev/null"
	[ "$status" -eq 2 ]
	[[ "$(json_get "$output" 'd["error"]')" == *"q.yaml:4:"*"must be an absolute path"* ]]
	for f in "$TOP_SRCDIR"/configs/*.yaml; do
		# vision.yaml names opencv, not optional: a build without it refuses it.
		[ "${f##*/}" != vision.yaml ] || [ -e "$TOP_BUILDDIR/plugins/opencv/libvaccel-opencv.la" ] ||
			continue
		run "$VACCEL" profile check "$f"
		# A shipped profile may name an optional plugin this build lacks (cuda).
		if [[ "$output" =~ plugin\ \'([a-z]+)\'\ not\ found ]] &&
			[ ! -e "$TOP_BUILDDIR/plugins/${BASH_REMATCH[1]}/.libs/libvaccel-${BASH_REMATCH[1]}.so" ]; then
			continue
		fi
		[ "$status" -eq 0 ]
	done
}
