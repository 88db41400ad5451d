package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/novugen/novugen/dsl"
)

// loadRegistry reads the registry (see readRegistry) and checks that every
// -only workflowId is in it.
func (inv *invocation) loadRegistry() (dsl.Registry, error) {
	reg, err := readRegistry(inv.o.registry, inv.stderr)
	if err != nil {
		return dsl.Registry{}, err
	}
	ids := make([]string, len(reg.Workflows))
	for i, d := range reg.Workflows {
		ids[i] = d.WorkflowID
	}
	slices.Sort(ids)
	if err := checkOnly(inv.o.only, ids); err != nil {
		return dsl.Registry{}, err
	}
	return reg, nil
}

// readRegistry reads -registry, or the registry compiled in from package
// gen when the flag is empty: only in a build of this repository's own
// source. The emulator is no exception: a user trying apply -emulator in
// their own module, without -registry, would otherwise see novugen's
// examples applied and take them for their own workflows. notes gets the
// one line saying when a -registry file's sources could not be checked.
func readRegistry(path string, notes io.Writer) (dsl.Registry, error) {
	if path == "" {
		info, _ := debug.ReadBuildInfo()
		if err := compiledRegistryIsYours(info); err != nil {
			return dsl.Registry{}, err
		}
		return compiledRegistry()
	}
	return registryFile(path, notes)
}

// checkOnly reports -only names that are not in the registry, listing the
// valid ones.
func checkOnly(only, ids []string) error {
	var unknown []string
	for _, id := range only {
		if !slices.Contains(ids, id) {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return usagef("-only: %s not in the registry; workflowIds in the registry: %s",
		quoteList(unknown), strings.Join(ids, ", "))
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}
