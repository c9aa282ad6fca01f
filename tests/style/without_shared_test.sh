#!/usr/bin/env bash
# scripts/without-shared: the command it runs sees no ../shared files and no
# IRQLENS_SAMPLES / IRQLENS_FIELD_CORPUS, the command's exit status comes
# back, and ../shared is unchanged for everyone else afterwards.
#   without_shared_test.sh REPOSITORY
set -euo pipefail
repo=${1:?usage: without_shared_test.sh REPOSITORY}
shared=$(realpath -m "$repo/../shared")
fail() { echo "without_shared_test: $*" >&2; exit 1; }

# No ../shared at all (a bare clone) counts as 0 entries, not a failed ls.
entries() { { ls -A "$shared" 2>/dev/null || true; } | wc -l; }
before=$(entries)
IRQLENS_SAMPLES=/x IRQLENS_FIELD_CORPUS=/y "$repo/scripts/without-shared" bash -c '
    [ -z "${IRQLENS_SAMPLES:-}" ] || exit 11
    case ${IRQLENS_FIELD_CORPUS:-} in /y) exit 12 ;; esac
    [ -z "$(ls -A "$1" 2>/dev/null)" ] || [ -n "${IRQLENS_FIELD_CORPUS:-}" ] || exit 13
    exit 7' check "$shared" && status=0 || status=$?
case $status in
7) ;;
11) fail "IRQLENS_SAMPLES still set inside" ;;
12) fail "IRQLENS_FIELD_CORPUS still the caller's inside" ;;
13) fail "$shared still has files inside and the field corpus is not hidden otherwise" ;;
*) fail "exit status $status, expected the command's 7" ;;
esac
after=$(entries)
[ "$before" = "$after" ] || fail "$shared had $before entries before, $after after"
echo "without_shared_test: hidden inside ($shared, $before entries outside), status passed back"
