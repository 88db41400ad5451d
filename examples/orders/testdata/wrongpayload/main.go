// This program must not compile: it sends a payout's payload to the
// order-shipped workflow. orders_test.go builds it and expects the
// compiler to refuse it.
package main

import (
	"context"

	"github.com/novugen/novugen/notify"
	"github.com/novugen/novugen/workflows"
)

func main() {
	c, _ := notify.FromEnv()
	_, _ = notify.Trigger(context.Background(), c, workflows.OrderShipped, notify.SubscriberID("u"),
		workflows.PayoutInitiatedPayload{PayoutID: "p-1"})
}
