package orders_test

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/novugen/novugen/examples/orders"
	"github.com/novugen/novugen/internal/testenv"
	"github.com/novugen/novugen/notify"
	"github.com/novugen/novugen/notify/notifytest"
	"github.com/novugen/novugen/novutest"
	"github.com/novugen/novugen/workflows"
)

// service starts an emulator holding the three example workflows and
// returns it with the service under test, pointed at it.
func service(t *testing.T) (*novutest.Server, *orders.Service) {
	t.Helper()
	srv := testenv.Emulator(t, novutest.Options{})
	notifytest.Create(t, srv, "Development", workflows.OrderShipped, workflows.PayoutInitiated, workflows.WeeklyDigest)
	c, err := notify.New(notify.Config{BaseURL: srv.URL(), Key: srv.Key("Development")})
	if err != nil {
		t.Fatal(err)
	}
	return srv, &orders.Service{Notify: c}
}

func TestShippedNotifiesTheCustomerOnce(t *testing.T) {
	srv, svc := service(t)
	o := orders.Order{ID: "A-1", CustomerID: "cust-7", Carrier: "DHL", Tracking: "JD0001",
		Lines: []orders.Line{{SKU: "mug", Name: "Mug", Quantity: 2}}}
	tx, err := svc.Shipped(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Shipped(context.Background(), o); err != nil { // a retried job
		t.Fatal(err)
	}
	sent := notifytest.Sent(t, srv, "Development", workflows.OrderShipped)
	if len(sent) != 1 {
		t.Fatalf("%d order-shipped events, want 1", len(sent))
	}
	ev := sent[0]
	if ev.TransactionID != tx || ev.SubscriberIDs[0] != "cust-7" || ev.Payload.OrderID != "A-1" ||
		ev.Payload.DeliveryMethod != "courier" || ev.Payload.Items[0].Quantity != 2 ||
		ev.Payload.Shipment.TrackingURL != "https://track.example.com/JD0001" {
		t.Errorf("sent %+v", ev)
	}
	if err := svc.Returned(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
	if !notifytest.Sent(t, srv, "Development", workflows.OrderShipped)[0].Cancelled {
		t.Error("the return did not cancel the pending notification")
	}
}

func TestBadPayloadFailsBeforeAnyRequest(t *testing.T) {
	srv, svc := service(t)
	srv.ResetCounts()
	// No lines: Items encodes as null, which the schema's array refuses.
	_, err := svc.Shipped(context.Background(), orders.Order{ID: "A-2", CustomerID: "c", Carrier: "DHL", Tracking: "x"})
	var pe *notify.PayloadError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "payload.items") {
		t.Fatalf("err %v, want a PayloadError naming payload.items", err)
	}
	if n := srv.Counts().Total(); n != 0 {
		t.Errorf("%d requests, want none", n)
	}
}

func TestPayoutAndDigest(t *testing.T) {
	srv, svc := service(t)
	p := workflows.PayoutInitiatedPayload{PayoutID: "po-1", Amount: 1250.5, Currency: "EUR", ArrivalDate: "2026-07-24",
		BankName: "Bank", AccountLast4: "1234"}
	if err := svc.PayoutStarted(context.Background(), "seller-1", p); err != nil {
		t.Fatal(err)
	}
	if got := notifytest.Sent(t, srv, "Development", workflows.PayoutInitiated); len(got) != 1 || got[0].Payload != p {
		t.Errorf("payouts sent %+v", got)
	}
	var acts []orders.Activity
	for i := range 230 {
		acts = append(acts, orders.Activity{SubscriberID: "dev", Title: "Invoice paid", URL: "https://example.com", Project: string(rune('a' + i%26))})
	}
	if err := svc.Digest(context.Background(), acts); err != nil {
		t.Fatal(err)
	}
	// Bulk requests run concurrently: the emulator records them in the
	// order they arrived, so compare what was sent, not where.
	perProject := map[string]int{}
	for _, a := range acts {
		perProject[a.Project]++
	}
	got := notifytest.Sent(t, srv, "Development", workflows.WeeklyDigest)
	for _, ev := range got {
		perProject[ev.Payload.ProjectName]--
	}
	for p, n := range perProject {
		if n != 0 {
			t.Errorf("project %q: %d events not sent as given (%d sent in all)", p, n, len(got))
		}
	}
	if n := srv.Counts().Op("bulk").Requests; n != 3 {
		t.Errorf("%d bulk requests for 230 events, want 3", n)
	}
}

// TestWrongPayloadTypeDoesNotCompile builds a program that sends a payout's
// payload to the order-shipped workflow: the compiler must refuse it.
func TestWrongPayloadTypeDoesNotCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	out, err := exec.Command("go", "build", "-o", t.TempDir()+"/x", "./testdata/wrongpayload").CombinedOutput()
	if err == nil {
		t.Fatal("a payout payload sent to order-shipped compiled")
	}
	if !strings.Contains(string(out), "PayoutInitiatedPayload") || !strings.Contains(string(out), "OrderShippedPayload") {
		t.Errorf("go build failed for another reason:\n%s", out)
	}
}
