// Command apply makes Novu hold the workflows of the registry: it validates
// them, upserts each in the environment of NOVU_SECRET_KEY (Development), and
// syncs each to the target environments in order.
//
//	go run ./cmd/apply -plan                 # what would change, per workflow and field
//	go run ./cmd/apply                       # apply it
//	go run ./cmd/apply -emulator             # the same against the built-in emulator (a demo)
//	go tool apply -registry gen/registry.json  # another module's registry, after go get -tool github.com/novugen/novugen/cmd/apply
//
// Flags:
//
//	-plan               print the plan, write nothing
//	-to A,B             target environments by name, in order, case-insensitive; -to= for none.
//	                    Default: Staging then Production, each if the organization has it
//	-only id,...        only these workflowIds (an unknown id is a usage error listing the valid ones)
//	-prune              delete Development workflows this registry created whose workflowId left
//	                    it, and suffixed duplicates of its workflows (listed in every plan; only
//	                    workflows with its "novugen:<owner>:<workflowId hash>" tag for that very
//	                    workflowId, or for the original of a duplicate; copies in targets stay;
//	                    skipped when anything else in the run failed; refused for an empty
//	                    registry); not with -only
//	-json               the plan (with -plan) or the report as JSON on stdout
//	-detailed-exitcode  with -plan: 0 nothing to do, 2 changes pending (a suffixed duplicate in
//	                    Development included, with or without -prune), 1 any error (usage included)
//	-concurrency N      workflows at once, 1–64 (default 8)
//	-timeout D          deadline for the whole run (default 10m)
//	-emulator           start the built-in Novu emulator in-process and run against it
//	-registry FILE      read the registry from FILE instead of the compiled-in package gen
//	                    (required wherever apply is built as another module's tool, -emulator included)
//	-version            print the module version and VCS revision apply was built from, and exit
//
// Environment: NOVU_SECRET_KEY (required unless -emulator), NOVU_API_URL
// (default https://api.novu.co; http:// only on loopback),
// NOVU_SECRET_KEY_<ENV> (a target's own key, upper-cased name, e.g.
// NOVU_SECRET_KEY_PRODUCTION: read-only, for an exact plan of that target;
// without it current Novu cannot be read across environments and every
// workflow is synced there), GITHUB_STEP_SUMMARY (a Markdown table is
// appended, a row per workflow and a column per environment; with -plan,
// also a collapsed section per workflow with field changes, holding the
// lines the terminal shows). The keys never appear in any output.
//
// Before anything is sent, the registry is validated with the generator's
// checks, and the compiled-in one is rebuilt from its declarations
// (gen.Declarations): a gen/ that go generate would now write differently is
// refused as stale (exit 1). A -registry file has no declarations to run; it
// records a digest of the packages it was generated from ("sources"), and
// when its module is beside it (a go.mod where "sources.root" points from
// the file's directory) a package that changed since makes it stale too;
// when not, one line on stderr says it was not checked. A -registry file
// over 32 MiB, or holding text that is not UTF-8, is refused before
// decoding.
//
// When the registry declares environment variables (dsl.EnvVar, its
// "environmentVariables"), the plan checks that each has a non-empty value
// in the source and in every target, reading each environment with its own
// key (Novu shows a key only its environment's values); a missing value
// stops the run before any write (exit 1), and a target it cannot read is
// named in a note.
//
// Exit status: 0 success, 1 failure (any workflow failed, the registry is
// invalid, the run was interrupted, or -plan could not read a workflow), 2 usage error (flags, environment, a
// -registry file that cannot be read). go run reports every non-zero exit as
// 1: where the code matters (-detailed-exitcode), run a built binary or go tool. SIGINT starts nothing new, lets writes in
// flight finish, prints the report and exits 1; re-running converges.
//
// Output: a plan line per layout, then per workflow (+ create, ~ update, = unchanged) with
// field changes and one line per target, then a line per action and a
// summary. Progress is shown on stderr when it is a terminal.
//
// JSON (-json), schema "novugen.apply/v1": with -plan,
// {"schemaVersion", "plan"}; otherwise the report {"schemaVersion", "plan",
// "layouts": [{"layoutId", "outcome"}],
// "workflows": [{"workflowId", "outcome", "targets": [{"environment",
// "outcome"}]}], "pruned": [{"workflowId", "outcome", "reason"}], "failures":
// [{"workflowId", "layoutId" (a layout's failure), "operation", "environment",
// "step", "status", "message", "fields"}], "summary": {"created", "updated", "unchanged", "synced",
// "pruned", "failed"}, "interrupted", "requests", "retries"}; a run that
// stops before its report writes {"schemaVersion", "error"}. A plan is
// {"source", "ownerTag" (the prefix of this registry's ownership tags),
// "targets": [{"name", "id", "readable", "readWith"}], "layouts":
// [{"layoutId", "action", "changes", "targets" (where the workflows' syncs
// carry it), "error"}], "workflows":
// [{"workflowId", "action", "changes": [{"path", "old", "new"}], "targets":
// [{"environment", "action", "reason", "changes"}], "warnings", "error"}],
// "prune": [{"workflowId", "id", "name", "duplicateOf"}], "pruneEnabled",
// "notes", "requests", "retries"}. Outcomes: created, updated, unchanged, synced, in-sync,
// pruned, failed, skipped. Every list is a list, [] when empty, never null
// (old and new of a change are null when that side has no value). Fields
// are added, never renamed, within a schema version.
package main
