package apply

import (
	"context"
	"errors"
	"testing"

	"github.com/novugen/novugen/novutest"
)

func TestInvalidRegistrySendsNothing(t *testing.T) {
	srv := newServer(t, novutest.Options{})
	defs := synth(2)
	defs[1].WorkflowID = "Bad Id"
	defs[0].Steps[0].ControlValues["body"] = "{{payload.ordrId}}"
	_, err := mustEngine(t, testConfig(srv, true)).Plan(context.Background(), defs)
	var inv *InvalidError
	if !errors.As(err, &inv) || len(inv.Findings) < 2 {
		t.Fatalf("err = %v; want an InvalidError with both findings", err)
	}
	if n := srv.Counts().Total(); n != 0 {
		t.Errorf("%d requests sent for an invalid registry; want 0", n)
	}
}

// Ids Novu's path parser reads as an _id or a slug would address another
// workflow: the engine refuses them before any request, whoever built the
// registry (cmd/apply -registry reads any file).
func TestMisreadIdsSendNothing(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 14})
	for _, id := range []string{"6650c0ffee0000000000a001", "6650C0FFEE0000000000A001", "order_wf_abc", "x_st_1", "a_env_b"} {
		t.Run(id, func(t *testing.T) {
			defs := synth(2)
			defs[1].WorkflowID = id
			srv.ResetCounts()
			_, err := mustEngine(t, testConfig(srv, true)).Plan(context.Background(), defs)
			var inv *InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("plan error %v; want *InvalidError", err)
			}
			if n := srv.Counts().Total(); n != 0 {
				t.Errorf("%d requests sent for an invalid registry", n)
			}
		})
	}
}
