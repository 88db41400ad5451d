#!/usr/bin/env bash
# Proves novugen import's round trip on the workflows the official SDK made:
# run.sh calls it after recipe.mjs, with the emulator still up. In a scratch
# Go module of a user's shape (it requires this repository through a replace
# directive to the checkout, with novugen and apply as its tools), it
# imports every workflow of Development, runs go generate, and requires
# apply -plan -detailed-exitcode against the same emulator to exit 0: nothing
# to do, in Development and in the Staging and Production the recipe synced
# to (their keys make the plan exact), for as many workflows as were imported.
#
# The go command runs offline (GOPROXY=off) from the module cache that make
# deps fills, as in the Go tests' scratch modules (internal/scripttest).
#
# Usage: NOVU_API_URL=... NOVU_SECRET_KEY=... NOVU_SECRET_KEY_STAGING=...
#        NOVU_SECRET_KEY_PRODUCTION=... interop/roundtrip.sh DIR
# (DIR: a new directory for the module; the caller removes it).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
[[ $# -eq 1 ]] || { echo "usage: interop/roundtrip.sh DIR" >&2; exit 2; }
mod=$1

fail() {
	echo "interop: round trip: $*" >&2
	exit 1
}
: "${NOVU_API_URL:?}" "${NOVU_SECRET_KEY:?}" "${NOVU_SECRET_KEY_STAGING:?}" "${NOVU_SECRET_KEY_PRODUCTION:?}"

# Offline and free of whoever runs it: no proxy, workspace, toolchain switch
# or GOFLAGS but -mod=mod (the scratch module's go.mod is written here).
export GOPROXY=off GOWORK=off GOTOOLCHAIN=local GOFLAGS=-mod=mod
offline="the module cache lacks a module (GOPROXY=off); run make deps first (make interop and make test do)"

mkdir -p "$mod/workflows"
cd "$mod"
go mod init example.com/roundtrip 2>/dev/null || fail "go mod init failed in $mod"
go mod edit -require=github.com/novugen/novugen@v0.0.0 -replace=github.com/novugen/novugen="$root"
cp "$root/go.sum" .
go get -tool github.com/novugen/novugen/cmd/novugen@v0.0.0 github.com/novugen/novugen/cmd/apply@v0.0.0 ||
	fail "go get -tool novugen and apply in the scratch module failed: $offline"
cat >workflows/doc.go <<'EOF'
// Package workflows holds the workflows imported from the emulator.
package workflows

//go:generate go tool novugen -out ../gen .
EOF

go tool novugen import -out workflows >import.out ||
	fail "novugen import could not import every workflow the recipe made in Development (above)"
imported=$(grep -c ': workflow ".*" as ' import.out || true)
sed 's/^/interop: imported /' import.out
[[ $imported -gt 0 ]] || fail "novugen import wrote no workflow; the recipe should have left some in Development"

go generate ./... || fail "go generate rejected the imported workflows (above)"

status=0
go tool apply -registry gen/registry.json -plan -detailed-exitcode >plan.out 2>plan.err || status=$?
if [[ $status -ne 0 ]]; then
	cat plan.out plan.err >&2
	[[ $status -eq 2 ]] && fail "apply -plan wants changes after import and go generate: the import of the workflows above did not round trip"
	fail "apply -plan failed with status $status (above)"
fi
want="Plan: 0 to create, 0 to update, $imported unchanged,"
grep -q "^$want" plan.out || {
	cat plan.out >&2
	fail "the plan does not say \"$want ...\" (above)"
}
echo "interop: round trip: $imported workflow(s) made by @novu/api imported, generated and planned: nothing to do"
