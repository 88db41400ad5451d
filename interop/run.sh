#!/usr/bin/env bash
# Runs Novu's managing-workflows recipe with the official @novu/api SDK
# (pinned in package-lock.json) against cmd/novu-emulator. Passes only when
# the SDK parses every response and all three environments end up right.
#
# Usage: interop/run.sh   (from anywhere; needs go, node >= 20, npm and the npm registry)
set -euo pipefail

# shellcheck source=interop/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_node
install_sdk "$here/recipe.mjs"
start_emulator -seed 1

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
