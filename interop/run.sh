#!/usr/bin/env bash
# Runs Novu's managing-workflows recipe with the official @novu/api SDK
# (pinned in package-lock.json) against cmd/novu-emulator. Passes only when
# the SDK parses every response and all three environments end up right.
#
# Usage: interop/run.sh   (from anywhere; needs go, node >= 20, npm and the npm registry)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/novugen-interop.XXXXXX")
emulator_pid=""

cleanup() {
	if [[ -n "$emulator_pid" ]]; then
		kill "$emulator_pid" 2>/dev/null || true
		wait "$emulator_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "interop: $*" >&2
	exit 1
}

# Without Node.js the SDK cannot run. On a developer's machine that skips
# this test, loudly; under CI=true it fails, so CI never passes without it.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	[[ "${CI:-}" == "true" ]] && fail "node and npm are needed (Node.js 20 or later)"
	echo "interop: SKIPPED: node and npm are not installed; install Node.js 20+ to run Novu's official SDK against the emulator" >&2
	exit 0
fi

cp "$here/package.json" "$here/package-lock.json" "$here/recipe.mjs" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed (is the npm registry reachable?)"

# A built binary, not go run: the trap can then stop exactly the process it started.
(cd "$root" && go build -o "$work/novu-emulator" ./cmd/novu-emulator) || fail "cannot build cmd/novu-emulator"
"$work/novu-emulator" -addr 127.0.0.1:0 -seed 1 >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!

# The first stdout line is the URL, then "name _id key" per environment.
for _ in $(seq 1 100); do
	[[ $(wc -l <"$work/emulator.out") -ge 4 ]] && break
	kill -0 "$emulator_pid" 2>/dev/null || fail "emulator exited: $(cat "$work/emulator.err")"
	sleep 0.1
done
[[ $(wc -l <"$work/emulator.out") -ge 4 ]] || fail "emulator printed no URL within 10s"
url=$(head -n1 "$work/emulator.out")
key() { awk -v n="$1" '$1 == n { print $3 }' "$work/emulator.out"; }

echo "interop: emulator at $url"
(
	cd "$work"
	NOVU_API_URL="$url" \
		NOVU_SECRET_KEY="$(key Development)" \
		NOVU_SECRET_KEY_STAGING="$(key Staging)" \
		NOVU_SECRET_KEY_PRODUCTION="$(key Production)" \
		node recipe.mjs
) || {
	echo "interop: requests the emulator counted:" >&2
	curl -fsS "$url/__emulator/counts" >&2 2>/dev/null || true
	echo >&2
	fail "the @novu/api recipe failed against the emulator (see above)"
}

# The round trip on what the SDK made: novugen import, go generate, then
# apply -plan against the same emulator finds nothing to do. Its go
# commands run offline, from the modules make deps downloads.
NOVU_API_URL="$url" \
	NOVU_SECRET_KEY="$(key Development)" \
	NOVU_SECRET_KEY_STAGING="$(key Staging)" \
	NOVU_SECRET_KEY_PRODUCTION="$(key Production)" \
	bash "$here/roundtrip.sh" "$work/roundtrip" ||
	fail "novugen import did not round trip the workflows @novu/api made (see above)"
