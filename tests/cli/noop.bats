#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# vaccel noop: per-call latency.
load helpers

@test "noop reports mean, p50, p99, min and max" {
	run "$VACCEL" --profile noop noop -i 500
	[ "$status" -eq 0 ]
	[[ "$output" == *"plugin=noop iterations=500"* ]]
	[[ "$output" =~ latency_us:\ mean\ [0-9.]+\ p50\ [0-9.]+\ p99\ [0-9.]+\ min\ [0-9.]+\ max\ [0-9.]+ ]]
}

@test "noop --json: ordered percentiles" {
	run "$VACCEL" --json --profile noop noop -i 200
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["command"], d["plugin"], d["iterations"]')" = "('noop', 'noop', 200)" ]
	[ "$(json_get "$output" '(lambda l: l["min"] <= l["p50"] <= l["p99"] <= l["max"])(d["latency_us"])')" = True ]
}

@test "the native profile serves noop through openblas" {
	run "$VACCEL" --json noop -i 10
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["plugin"]')" = openblas ]
}

@test "a profile that serves nothing: exit 4" {
	printf 'plugins: [exec]\n' > "$TMP/p.yaml"
	run "$VACCEL" --profile "$TMP/p.yaml" noop -i 1
	[ "$status" -eq 4 ]
	[[ "$output" == *"noop: no plugin of profile $TMP/p.yaml serves this operation"* ]]
}

@test "bad iteration counts are usage errors" {
	run "$VACCEL" noop -i 0
	[ "$status" -eq 2 ]
	run "$VACCEL" noop -i lots
	[ "$status" -eq 2 ]
	run "$VACCEL" noop --plugin nosuch
	[ "$status" -eq 2 ]
}
