#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Generate ./configure and friends from configure.ac and Makefile.am.
set -e
cd "$(dirname "$0")"
mkdir -p m4 build-aux
autoreconf --install --force
