#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The bash completion (data/bash-completion/vaccel, made by make): sourced,
# then asked as bash would ask it, for COMPREPLY.
load helpers

# complete WORD...: COMPREPLY, sorted, one line, for the command line
# "vaccel WORD..." with the cursor on the last WORD.
complete_line() {
	COMP_WORDS=("$VACCEL" "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_vaccel
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

setup() {
	: "${VACCEL:?run through make check}"
	TMP="$(mktemp -d "${BATS_TMPDIR:-/tmp}/vaccel-cli-XXXXXX")"
	# shellcheck source=/dev/null
	source "$TOP_BUILDDIR/data/bash-completion/vaccel"
}

@test "the script registers _vaccel for vaccel" {
	[ "$(complete -p vaccel)" = "complete -o bashdefault -o filenames -F _vaccel vaccel" ]
}

@test "commands, from the command's own help" {
	[ "$(complete_line s)" = "segment sgemm" ]
	[ "$(complete_line --json p)" = "plugins pose profile" ]
	[ "$(complete_line --profile native ag)" = "agent" ]
}

@test "global options, and a command's options with the global ones" {
	[ "$(complete_line --pro)" = "--profile" ]
	[ "$(complete_line sgemm --ver)" = "--verify --version" ]
	[ "$(complete_line agent --st)" = "--status" ]
	[ "$(complete_line classify --j)" = "--json" ]
}

@test "profile names: shipped and the user's" {
	[[ " $(complete_line --profile '') " == *" native noop "*" vision "* ]]
	[ "$(complete_line --profile vi)" = "virtio virtio-ivshmem vision" ]
	mkdir -p "$TMP/vaccel"
	: > "$TMP/vaccel/mine.yaml"
	XDG_CONFIG_HOME="$TMP"
	[ "$(complete_line -p mi)" = "mine" ]
	[ "$(complete_line --profile = mi)" = "mine" ]
}

@test "plugin names, log levels, and the words of models and profile" {
	[ "$(complete_line noop --plugin no)" = "noop" ]
	[ "$(complete_line noop --plugin e)" = "exec" ]
	[ "$(complete_line sgemm --plugin r)" = "rpc" ]
	[ "$(complete_line --log-level d)" = "debug" ]
	[ "$(complete_line models '')" = "fetch list" ]
	[ "$(complete_line profile '')" = "check show" ]
	[ "$(complete_line profile show '')" = "" ]
}

@test "files where a command takes them" {
	: > "$TMP/image.jpg"
	[ "$(complete_line classify "$TMP/im")" = "$TMP/image.jpg" ]
	[ "$(complete_line profile check "$TMP/im")" = "$TMP/image.jpg" ]
	[ "$(complete_line sgemm -o "$TMP/im")" = "$TMP/image.jpg" ]
}
