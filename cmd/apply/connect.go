package main

import (
	"fmt"
	"maps"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/internal/apply"
	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/novutest"
)

// connect builds the engine that applies reg: against Novu, or under
// -emulator against an emulator started here, which disconnect stops.
// Nothing is sent yet.
func (inv *invocation) connect(reg dsl.Registry) (e *apply.Engine, disconnect func(), err error) {
	o := inv.o
	cfg := apply.Config{
		BaseURL:    o.apiURL,
		Key:        o.Key,
		TargetKeys: map[string]novu.Secret{},
		Targets:    o.to,
		Only:       o.only,
		Layouts:    reg.Layouts,
		Owner:      reg.Owner,
		// The names the templates may read as {{env.NAME}}: validated
		// against, and checked for a value in every environment.
		EnvironmentVariables: reg.EnvironmentVariables,
		Prune:                o.prune,
		Concurrency:          o.concurrency,
	}
	maps.Copy(cfg.TargetKeys, o.TargetKeys)
	disconnect = func() {}
	if o.emulator {
		srv := novutest.NewServer(novutest.Options{})
		disconnect = srv.Close
		cfg.BaseURL = srv.URL()
		// The first environment is the development one, the source. The
		// emulator scopes keys like current Novu; give the engine the
		// targets' keys too so the demo's plan is exact.
		envs := srv.Environments()
		cfg.Key = novu.Secret(envs[0].SecretKey)
		cfg.TargetKeys = map[string]novu.Secret{}
		for _, t := range envs[1:] {
			cfg.TargetKeys[t.Name] = novu.Secret(t.SecretKey)
		}
		fmt.Fprintf(inv.stderr, "apply: -emulator: started the built-in Novu emulator at %s; nothing is sent to Novu (NOVU_SECRET_KEY and NOVU_API_URL are ignored)\n", srv.URL())
	}
	if inv.progress {
		cfg.Progress = progressPrinter(inv.stderr)
	}
	if e, err = apply.New(cfg); err != nil {
		disconnect()
		return nil, nil, err
	}
	return e, disconnect, nil
}
