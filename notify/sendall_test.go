package notify_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/novugen/novugen/internal/testenv"
	"github.com/novugen/novugen/notify"
	"github.com/novugen/novugen/notify/notifytest"
	"github.com/novugen/novugen/novutest"
)

func TestSendAllChunksAndKeepsInputOrder(t *testing.T) {
	srv, c := setup(t, novutest.Options{})
	var events []notify.Event
	for i := range 250 {
		p := good(i)
		if i == 120 {
			p.Amount = -5
		}
		wf := invoicePaid
		if i == 7 {
			wf = invoiceDraft
		}
		events = append(events, notify.NewEvent(wf, notify.SubscriberID(fmt.Sprint("u", i)), p))
	}
	res, err := c.SendAll(context.Background(), events)
	var be *notify.BulkError
	if !errors.As(err, &be) || be.Failed != 2 || be.Total != 250 {
		t.Fatalf("err %v, want 2 of 250 failed", err)
	}
	for i, r := range res {
		if r.TransactionID != events[i].TransactionID() {
			t.Fatalf("result %d is of %s, want %s", i, r.TransactionID, events[i].TransactionID())
		}
		wantErr := i == 7 || i == 120
		if (r.Err != nil) != wantErr {
			t.Errorf("event %d: %v", i, r.Err)
		}
	}
	var se *notify.StatusError
	if !errors.As(res[7].Err, &se) || se.Status != "trigger_not_active" {
		t.Errorf("event 7: %v", res[7].Err)
	}
	if !strings.Contains(res[120].Err.Error(), "payload.amount") {
		t.Errorf("event 120: %v", res[120].Err)
	}
	if n := srv.Counts().Op("bulk").Requests; n != 3 {
		t.Errorf("%d bulk requests for 249 events, want 3", n)
	}
	sent := notifytest.Sent(t, srv, "Development", invoicePaid)
	if len(sent) != 248 {
		t.Errorf("%d processed events recorded, want 248", len(sent))
	}
}

func TestTriggerRatePacesBulkRequestsUnderThePlansBucket(t *testing.T) {
	// The free trigger bucket holds 330 tokens and refills 60 a second; a
	// bulk request costs 100. Four requests: three fit, the fourth would
	// meet a 429 without pacing.
	srv := testenv.Emulator(t, novutest.Options{RateLimitTier: novutest.TierFree})
	notifytest.Create(t, srv, "Development", invoicePaid)
	c, err := notify.New(notify.Config{BaseURL: srv.URL(), Key: srv.Key("Development"), TriggerRate: 60})
	if err != nil {
		t.Fatal(err)
	}
	events := make([]notify.Event, 400)
	for i := range events {
		events[i] = notify.NewEvent(invoicePaid, notify.SubscriberID("u"), good(i))
	}
	if _, err := c.SendAll(context.Background(), events); err != nil {
		t.Fatal(err)
	}
	if n := srv.Counts().Status(http.StatusTooManyRequests); n != 0 {
		t.Errorf("%d answers 429, want none: the client should wait for its tokens", n)
	}
	if n := len(notifytest.Sent(t, srv, "Development", invoicePaid)); n != 400 {
		t.Errorf("%d events, want 400", n)
	}
}

// A TriggerRate under 19 a second (a self-imposed rate below the plan's)
// gives a bucket of fewer than 100 tokens, the cost of one bulk request:
// the bucket must still admit one, or SendAll could never send anything.
func TestTriggerRateBelowABulkRequestsCostStillSends(t *testing.T) {
	srv := testenv.Emulator(t, novutest.Options{})
	notifytest.Create(t, srv, "Development", invoicePaid)
	c, err := notify.New(notify.Config{BaseURL: srv.URL(), Key: srv.Key("Development"), TriggerRate: 10})
	if err != nil {
		t.Fatal(err)
	}
	events := []notify.Event{notify.NewEvent(invoicePaid, notify.SubscriberID("u"), good(1))}
	if _, err := c.SendAll(context.Background(), events); err != nil {
		t.Fatal(err)
	}
	if n := len(notifytest.Sent(t, srv, "Development", invoicePaid)); n != 1 {
		t.Errorf("%d events, want 1", n)
	}
}
