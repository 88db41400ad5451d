package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/internal/apply"
)

// plan reads what Novu holds and plans defs. An error that the run's
// deadline caused says so, naming -timeout.
func (inv *invocation) plan(ctx context.Context, e *apply.Engine, defs []dsl.Definition) (*apply.Plan, error) {
	p, err := e.Plan(ctx, defs)
	inv.clearProgress()
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("%w (the run's -timeout of %s passed)", err, inv.o.timeout)
		}
		return nil, err
	}
	return p, nil
}
