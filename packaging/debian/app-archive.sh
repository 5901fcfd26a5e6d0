#!/bin/sh
# What the Debian package carries of this repository: a tar of what is committed (not what
# happens to lie in the working tree) under the paths below, on standard output.
#   sh packaging/debian/app-archive.sh [COMMIT]    the tar (build.sh unpacks it)
#   sh packaging/debian/app-archive.sh --paths     the paths, one a line
# The demo feed's keys (demo/) are public and stay out; the test suite fails if anything this
# archive holds is a private key, and so does build.sh for the whole package.
set -eu
cd "$(dirname "$0")/../.."
paths="kiosk ui data i18n main.py pyproject.toml README.md"
if [ "${1:-}" = "--paths" ]; then
    printf '%s\n' $paths
    exit 0
fi
# shellcheck disable=SC2086 # the paths are words
exec git archive --format=tar "${1:-HEAD}" $paths
