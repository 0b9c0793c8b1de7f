# SPDX-License-Identifier: Apache-2.0
# Shared by the bats tests. VACCEL, TOP_SRCDIR and TEST_PLUGINS come from
# the Makefile's test environment.

setup() {
	: "${VACCEL:?run through make check}"
	TMP="$(mktemp -d "${BATS_TMPDIR:-/tmp}/vaccel-cli-XXXXXX")"
}

teardown() {
	# On failure, show what the last `run` printed: bats reports it.
	[ -n "${BATS_TEST_COMPLETED:-}" ] || printf 'last status %s, output:\n%s\n' "${status:-}" "${output:-}"
	rm -rf "$TMP"
}

# A JSON field, read with python3 if present, else a narrow sed.
json_get() { # json_get JSON EXPR [ARG...] (python expression over `d`; ARGs in sys.argv[3:])
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$@"
}

# The value after "key:" on a line of text output.
field() { # field KEY TEXT
	printf '%s\n' "$2" | sed -n "s/^$1:[[:space:]]*//p" | head -n1
}

# The shared models and photos live beside a checkout (../shared/models),
# never in it: a test that needs them skips, saying so, where there are none.
need_models() {
	[ -f "${VACCEL_MODELS:-}/images/cat.jpg" ] ||
		skip "no shared models at ${VACCEL_MODELS:-(VACCEL_MODELS unset)}: put them at ../shared/models beside the checkout, or configure --with-test-models=DIR"
}
