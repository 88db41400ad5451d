# Shared setup of the scripts that run Novu's official @novu/api SDK (pinned
# in package-lock.json) against cmd/novu-emulator: sourced by run.sh and
# sendbench.sh, never run on its own. It sets here (interop/), root and work (a temp
# folder removed on exit, with the emulator it started), and defines fail,
# need_node, install_sdk, start_emulator and key.

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

# need_node exits 0 with a loud SKIPPED line when Node.js is missing on a
# developer's machine; under CI=true it fails, so CI never passes without it.
need_node() {
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
		[[ "${CI:-}" == "true" ]] && fail "node and npm are needed (Node.js 20 or later)"
		echo "interop: SKIPPED: node and npm are not installed; install Node.js 20+ to run Novu's official SDK against the emulator" >&2
		exit 0
	fi
}

# install_sdk FILE... copies the pinned package files and the given scripts
# into the work folder and installs exactly the locked SDK there.
install_sdk() {
	cp "$here/package.json" "$here/package-lock.json" "$@" "$work/"
	(cd "$work" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed (is the npm registry reachable?)"
}

# start_emulator ARG... builds cmd/novu-emulator and starts it with the
# given flags on a free loopback port; sets url. A built binary, not go run:
# the trap can then stop exactly the process it started.
start_emulator() {
	(cd "$root" && go build -o "$work/novu-emulator" ./cmd/novu-emulator) || fail "cannot build cmd/novu-emulator"
	"$work/novu-emulator" -addr 127.0.0.1:0 "$@" >"$work/emulator.out" 2>"$work/emulator.err" &
	emulator_pid=$!

	# The first stdout line is the URL, then "name _id key" per environment.
	for _ in $(seq 1 100); do
		[[ $(wc -l <"$work/emulator.out") -ge 4 ]] && break
		kill -0 "$emulator_pid" 2>/dev/null || fail "emulator exited: $(cat "$work/emulator.err")"
		sleep 0.1
	done
	[[ $(wc -l <"$work/emulator.out") -ge 4 ]] || fail "emulator printed no URL within 10s"
	url=$(head -n1 "$work/emulator.out")
}

# key NAME prints the secret key of the environment NAME.
key() { awk -v n="$1" '$1 == n { print $3 }' "$work/emulator.out"; }
