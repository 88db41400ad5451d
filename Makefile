# novugen — every target is phony and documented; `make help` lists them.
# A failing gate prints one line saying which gate failed and how to fix it.

GO                  ?= go
STATICCHECK_VERSION := v0.8.2
FUZZTIME            ?= 15s

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: demo
demo: ## run the main job against the built-in emulator
	$(GO) run ./cmd/apply -emulator

.PHONY: generate
generate: ## regenerate gen/ from workflows/
	$(GO) generate ./...

.PHONY: check-generated
check-generated: ## fail when gen/ is not what go generate writes
	@$(GO) generate ./... || { echo "FAIL check-generated: go generate failed (above): fix the declarations it names"; exit 1; }
	@git diff --exit-code --stat -- gen >/dev/null || { git diff -- gen | head -40; echo "FAIL check-generated: gen/ is stale; run 'make generate' and commit gen/"; exit 1; }
	@test -z "$$(git status --porcelain -- gen)" || { git status --short -- gen; echo "FAIL check-generated: untracked files in gen/; run 'make generate' and commit gen/"; exit 1; }

.PHONY: vet
vet: ## go vet
	@$(GO) vet ./... || { echo "FAIL vet: go vet reported problems (above)"; exit 1; }

.PHONY: tidy-check
tidy-check: ## fail when go.mod/go.sum are not tidy
	@$(GO) mod tidy -diff || { echo "FAIL tidy-check: run 'go mod tidy' and commit go.mod and go.sum"; exit 1; }

.PHONY: lint
lint: ## gofmt and a pinned staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go')); test -z "$$out" || { echo "$$out"; echo "FAIL lint: files above need gofmt -w"; exit 1; }
	@$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) -version >/dev/null || { echo "FAIL lint: could not build staticcheck $(STATICCHECK_VERSION) (module download or build error above)"; exit 1; }
	@$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./... || { echo "FAIL lint: staticcheck $(STATICCHECK_VERSION) reported problems (above)"; exit 1; }

.PHONY: test
test: test-go interop ## every test: Go tests with -race, then the official-SDK interop run

# The tests run the go command offline (GOPROXY=off) in a user's module, and
# cmd/apply's readme script runs go mod tidy there. Tidy needs the test
# dependencies of our dependencies (testify, gorilla/mux, ...), which no build
# downloads and go mod download does not either. Running tidy itself on a
# scratch copy of go.mod downloads exactly those, and leaves go.mod and go.sum
# alone (tidy-check is the gate that says whether they are tidy).
.PHONY: deps
deps: ## download the Go modules the tests need offline (what go mod tidy needs); writes nothing in the repository
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && cp go.mod go.sum "$$tmp/" && \
	$(GO) mod tidy -modfile="$$tmp/go.mod" || { echo "FAIL deps: could not download the modules go mod tidy needs (above); is the module proxy reachable?"; exit 1; }
	@# A user's module selects versions from our go.mod alone, so its go mod tidy can
	@# need other versions of our dependencies' test dependencies (cmd/apply's scripts).
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && cd "$$tmp" && \
	printf 'module example.com/deps\n\ngo 1.26.0\n\nrequire github.com/novugen/novugen v0.0.0-00010101000000-000000000000\n\nreplace github.com/novugen/novugen => %s\n\ntool (\n\tgithub.com/novugen/novugen/cmd/apply\n\tgithub.com/novugen/novugen/cmd/novugen\n)\n' "$(CURDIR)" > go.mod && \
	$(GO) mod tidy || \
	{ echo "FAIL deps: could not download the modules a user's go mod tidy needs (above); is the module proxy reachable?"; exit 1; }

.PHONY: test-go
test-go: deps ## Go tests with the race detector
	@$(GO) test -race -count=1 ./... || { echo "FAIL test: go test reported failures (above)"; exit 1; }

.PHONY: interop
interop: deps ## run Novu's official TypeScript SDK (@novu/api, pinned) against the emulator, then import what it made (round trip)
	@bash interop/run.sh || { echo "FAIL interop: the official SDK run against the emulator failed (above)"; exit 1; }

.PHONY: fuzz
fuzz: ## run every fuzz target for FUZZTIME each (seed corpora live in testdata/fuzz/)
	@set -e; git grep -h -n '^func Fuzz' -- '*_test.go' >/dev/null || exit 0; \
	for f in $$(git grep -l '^func Fuzz' -- '*_test.go'); do \
	  dir=./$$(dirname $$f); \
	  for t in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
	    echo "fuzz $$dir $$t ($(FUZZTIME))"; \
	    $(GO) test -run='^$$' -fuzz="^$$t\$$" -fuzztime=$(FUZZTIME) $$dir >/tmp/novugen-fuzz.log 2>&1 || { \
	      cat /tmp/novugen-fuzz.log; \
	      if [ -n "$$(git status --porcelain -- $$dir/testdata/fuzz/$$t)" ]; then \
	        echo "FAIL fuzz: $$t in $$dir found a failing input (new file under $$dir/testdata/fuzz/$$t)"; \
	      else echo "FAIL fuzz: $$t in $$dir did not run (build or test error above)"; fi; \
	      exit 1; }; \
	  done; \
	done

.PHONY: bench
bench: ## benchmarks: generation, schemas, apply vs the recipe (a table), sending vs the trigger bucket, sustained load with faults
	$(GO) test -run='^$$' -bench='Generate200' -benchtime=3x -count=1 ./cmd/novugen
	$(GO) test -run='^$$' -bench=. -benchmem -count=1 ./payloadschema ./internal/liquid ./internal/validate
	$(GO) test -run='^$$' -bench='^BenchmarkApply$$' -benchtime=1x -count=1 -timeout=30m ./internal/apply
	$(GO) test -run='^$$' -bench='SendAllFree|OneByOne' -benchtime=1x -count=1 -timeout=30m ./notify
	@$(MAKE) --no-print-directory load

# Not part of test or ci: it measures, at the free plan's pace, for minutes.
SENDBENCH_EVENTS    ?= 1000

.PHONY: sendbench
sendbench: ## notify's SendAll vs the official @novu/api SDK (one by one, bulk) at Free-tier trigger limits: one table (SENDBENCH_EVENTS=1000)
	@SENDBENCH_EVENTS=$(SENDBENCH_EVENTS) bash interop/sendbench.sh || { echo "FAIL sendbench: the send benchmark did not finish (above)"; exit 1; }

.PHONY: load
load: ## 1,000 workflows with faults on, the real binary; fails above 100 MiB peak RSS or without convergence
	@$(GO) test -run='^$$' -bench='^BenchmarkSustainedLoadProcess$$' -benchtime=1x -count=1 -timeout=30m ./cmd/apply || { echo "FAIL load: the sustained-load run did not converge or went over its memory budget (above)"; exit 1; }

.PHONY: ci
ci: tidy-check check-generated vet lint test load fuzz ## every gate CI runs
