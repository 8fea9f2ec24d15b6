#!/usr/bin/env bash
# tests/run.sh - the whole suite (`make test`): host unit tests under ASan/UBSan, then the system
# tests in QEMU. Each part ends with a "<part>: N passed, M failed" line; this script adds them up
# and ends with one line "N passed, M failed", exiting non-zero if anything failed or a part could
# not run at all.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
total_pass=0 total_fail=0

run_part() {
    local name=$1; shift
    local log="build/test-$name.log"
    echo "== $name tests"
    "$@" 2>&1 | tee "$log"
    local status=${PIPESTATUS[0]}
    local summaries
    summaries=$(grep -E '^[a-z ]+: [0-9]+ passed, [0-9]+ failed$' "$log")
    if [ -z "$summaries" ]; then
        echo "FAIL $name: the part ended (status $status) without a summary line"
        total_fail=$((total_fail + 1))
        return
    fi
    local p=0 f=0 line
    while read -r line; do     # a part may run several programs, each with its summary
        p=$((p + $(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed/\1/')))
        f=$((f + $(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed/\2/')))
    done <<< "$summaries"
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAIL $name: exited with status $status"; fi
    total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
}

run_part unit make --no-print-directory -C tests/unit run
run_part system python3 tests/system/run.py

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
