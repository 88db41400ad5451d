package main

import (
	"fmt"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/gen"
)

// compiledRegistry is the registry compiled in from package gen: this
// repository's workflows. Another module's registry comes in with -registry.
func compiledRegistry() ([]dsl.Definition, error) {
	reg, err := gen.Registry()
	if err != nil {
		return nil, fmt.Errorf("compiled-in registry (package gen): %w; run go generate ./... and rebuild", err)
	}
	return reg.Workflows, nil
}
