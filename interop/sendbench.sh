#!/usr/bin/env bash
# Sends the same events three ways at Novu's free-plan trigger limits (60
# tokens a second, a bucket of 330, a bulk request costs 100) with 30 ms of
# latency, and prints one table: notify's SendAll (its Go benchmark,
# BenchmarkSendAllFree, on the in-process emulator) and the official
# @novu/api SDK (pinned in package-lock.json), one by one and in bulk,
# against cmd/novu-emulator with the same settings.
#
# Usage: interop/sendbench.sh   (SENDBENCH_EVENTS events per variant, default
# 1000; 10000 takes about 3 minutes for SendAll and for the SDK's bulk, and
# about 6 for the SDK one by one; needs go, node >= 20, npm and the npm registry)
set -euo pipefail

# shellcheck source=interop/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

events=${SENDBENCH_EVENTS:-1000}
[[ "$events" =~ ^[1-9][0-9]*$ ]] || fail "SENDBENCH_EVENTS=$events is not a positive whole number"

need_node
install_sdk "$here/sendbench.mjs"

echo "sendbench: $events events per variant; notify.SendAll first (go test -bench SendAllFree)" >&2
(cd "$root" && go test -run '^$' -bench '^BenchmarkSendAllFree$' -benchtime 1x -count 1 -timeout 30m ./notify -args -sendall.events="$events") >"$work/go.out" 2>&1 ||
	{ cat "$work/go.out" >&2; fail "BenchmarkSendAllFree failed (above)"; }
# A benchmark line is "name iterations value unit value unit ...".
awk -v n="$events" '/^BenchmarkSendAllFree/ {
	for (i = 3; i < NF; i += 2) m[$(i + 1)] = $i
	printf "`notify` SendAll (bulk of 100, 4 in flight)\t%d\t%.3f\t%d\t%d\t100\n", n, m["ns/op"] / 1e9, m["requests"], m["429s"]
}' "$work/go.out" >"$work/rows"
[[ -s "$work/rows" ]] || { cat "$work/go.out" >&2; fail "no BenchmarkSendAllFree line in the go test output (above)"; }

start_emulator -seed 1 -tier free -latency 30ms
echo "sendbench: @novu/api against the emulator at $url" >&2
(cd "$work" && NOVU_API_URL="$url" NOVU_SECRET_KEY="$(key Development)" SENDBENCH_EVENTS="$events" node sendbench.mjs) >>"$work/rows" ||
	fail "the @novu/api send benchmark failed against the emulator (see above)"

# The floor: the tokens a variant's requests need beyond the full bucket's
# 330, at 60 a second (a request costs 1, a bulk request 100).
awk -F '\t' '
function fmt(x) { return sprintf(x < 10 ? "%.2f" : "%.1f", x) }
{
	requests = int(($2 + $6 - 1) / $6); beyond = requests * ($6 == 1 ? 1 : 100) - 330
	floor = beyond > 0 ? beyond / 60 : 0
	eps[NR] = $2 / $3
	row[NR] = sprintf("| %s | %d | %s s | %s | %s | %d | %d |", $1, $2, fmt($3), fmt(eps[NR]),
		floor > 0 ? sprintf("%s events/s (%s s): %.2f×", fmt($2 / floor), fmt(floor), $3 / floor) : "none (within the bucket)",
		$4, $5)
}
END {
	print "| how | events | wall | events/s | the trigger bucket'"'"'s floor | requests | 429s |"
	print "| --- | --- | --- | --- | --- | --- | --- |"
	for (i = 1; i <= NR; i++) print row[i]
	printf "\nSendAll: %.1f× the events/s of @novu/api one by one, %.2f× its triggerBulk in sequence.\n", eps[1] / eps[2], eps[1] / eps[3]
}' "$work/rows"
