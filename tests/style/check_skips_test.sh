#!/usr/bin/env bash
# scripts/check-skips on a real ctest run of a tiny test project: a skip with
# a needs-* label passes, a skip without one (exit code 77 or a gtest
# "[  SKIPPED ]") fails and is named.
#   check_skips_test.sh PATH/TO/check-skips
set -euo pipefail
check_skips=${1:?usage: check_skips_test.sh CHECK_SKIPS}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# Writes a CTestTestfile.cmake into $dir/$1 with the tests given as
# "name|labels|command" and runs ctest there with JUnit output.
project() {
    local build=$dir/$1
    shift
    mkdir -p "$build"
    : >"$build/CTestTestfile.cmake"
    for spec in "$@"; do
        IFS='|' read -r name labels command <<<"$spec"
        cat >>"$build/CTestTestfile.cmake" <<CMAKE
add_test($name sh -c "$command")
set_tests_properties($name PROPERTIES LABELS "$labels" SKIP_RETURN_CODE 77
                     SKIP_REGULAR_EXPRESSION "\\\\[  SKIPPED \\\\]")
CMAKE
    done
    ctest --test-dir "$build" --output-junit "$build/junit.xml" >"$build/ctest.log" 2>&1 || true
}

fail() { echo "check_skips_test: $*" >&2; exit 1; }

project good 'passes|area|true' \
    'lab_skip|area;needs-lab|echo SKIP: no qemu; exit 77' \
    "corpus_skip|area;needs-field-corpus|echo x.cpp:3: Skipped; echo corpus absent; echo '[  SKIPPED ] 1 test'"
out=$("$check_skips" "$dir/good" "$dir/good/junit.xml" 2>&1) || fail "labelled skips rejected: $out"
grep -q 'needs-lab lab_skip: no qemu' <<<"$out" || fail "skip reason not shown: $out"
grep -q 'needs-field-corpus corpus_skip: corpus absent' <<<"$out" || fail "gtest skip reason not shown: $out"

project bad 'passes|area|true' \
    'lab_skip|area;needs-lab|exit 77' \
    'unlabelled_exit|area|echo SKIP: trace-cmd missing; exit 77' \
    "unlabelled_gtest|gui|echo '[  SKIPPED ] 1 test'"
if out=$("$check_skips" "$dir/bad" "$dir/bad/junit.xml" 2>&1); then
    fail "unlabelled skips accepted: $out"
fi
grep -q 'FAIL unlabelled_exit skipped without a needs-\* label (labels: area): trace-cmd missing' \
    <<<"$out" || fail "unlabelled_exit not named: $out"
grep -q 'FAIL unlabelled_gtest skipped without' <<<"$out" || fail "unlabelled_gtest not named: $out"
grep -q 'FAIL lab_skip' <<<"$out" && fail "labelled skip reported as failure: $out"
grep -q '2 test(s) skipped with no needs-\* label' <<<"$out" || fail "count wrong: $out"
echo "check_skips_test: labelled skips pass, unlabelled ones fail and are named"
