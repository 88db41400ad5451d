package notify_test

import (
	"context"
	"flag"
	"fmt"
	"testing"
	"time"

	"github.com/novugen/novugen/notify"
	"github.com/novugen/novugen/notify/notifytest"
	"github.com/novugen/novugen/novutest"
)

// benchServer is an emulator with Novu's free-plan limits and 30 ms of
// latency, holding the benchmark's workflow, and a client on it paced at
// the free plan's 60 trigger tokens a second. The traffic is not
// conformance-checked: the check's cost would be measured too.
func benchServer(b *testing.B) (*novutest.Server, *notify.Client) {
	srv := novutest.NewServer(novutest.Options{RateLimitTier: novutest.TierFree, Latency: 30 * time.Millisecond})
	b.Cleanup(srv.Close)
	notifytest.Create(b, srv, "Development", invoicePaid)
	c, err := notify.New(notify.Config{BaseURL: srv.URL(), Key: srv.Key("Development"), TriggerRate: 60})
	if err != nil {
		b.Fatal(err)
	}
	return srv, c
}

// sendAllEvents sizes BenchmarkSendAllFree; interop/sendbench.sh sets it to
// the number of events it has the official SDK send, for one table.
var sendAllEvents = flag.Int("sendall.events", 10000, "events BenchmarkSendAllFree sends")

// BenchmarkSendAllFree sends 10,000 events (-sendall.events) through
// SendAll with the client paced at the free plan's 60 trigger tokens a
// second. Novu charges a bulk request 100 tokens, so the floor is the 100
// requests' tokens beyond the bucket's 330, at 60 a second: about 161 s,
// 62 events/s. Run it alone, once:
//
//	go test -run '^$' -bench SendAllFree -benchtime 1x ./notify
func BenchmarkSendAllFree(b *testing.B) {
	n := *sendAllEvents
	if n < 1 {
		b.Fatalf("-sendall.events=%d, want at least 1", n)
	}
	for range b.N {
		b.StopTimer()
		srv, c := benchServer(b)
		events := make([]notify.Event, n)
		for i := range events {
			events[i] = notify.NewEvent(invoicePaid, notify.SubscriberID(fmt.Sprint("u", i)), good(i))
		}
		b.StartTimer()
		start := time.Now()
		if _, err := c.SendAll(context.Background(), events); err != nil {
			b.Fatal(err)
		}
		wall := time.Since(start)
		b.StopTimer()
		if got := len(srv.Events("Development")); got != n {
			b.Fatalf("%d events recorded, want %d", got, n)
		}
		floor := floorSeconds(n, 100, 100, 60)
		b.ReportMetric(float64(n)/wall.Seconds(), "events/s")
		b.ReportMetric(float64(n)/floor, "floor-events/s")
		b.ReportMetric(wall.Seconds()/floor, "x-floor")
		b.ReportMetric(float64(srv.Counts().Op("bulk").Requests), "requests")
		b.ReportMetric(float64(srv.Counts().Status(429)), "429s")
	}
}

// BenchmarkTriggerOneByOne1000Free sends 1,000 events one request each,
// one after the other, as Novu's documentation shows: bound by the 30 ms
// round trip before the bucket (1,000 single tokens need only 11 s at
// 60 a second beyond the first 330).
func BenchmarkTriggerOneByOne1000Free(b *testing.B) {
	const n = 1000
	for range b.N {
		b.StopTimer()
		srv, c := benchServer(b)
		b.StartTimer()
		start := time.Now()
		for i := range n {
			if _, err := notify.Trigger(context.Background(), c, invoicePaid, notify.SubscriberID(fmt.Sprint("u", i)), good(i)); err != nil {
				b.Fatal(err)
			}
		}
		wall := time.Since(start)
		b.StopTimer()
		floor := floorSeconds(n, 1, 1, 60)
		b.ReportMetric(float64(n)/wall.Seconds(), "events/s")
		b.ReportMetric(float64(n)/floor, "floor-events/s")
		b.ReportMetric(float64(srv.Counts().Status(429)), "429s")
	}
}

// floorSeconds is the least time Novu's trigger bucket allows for events
// sent perRequest to a request of cost tokens, at perSecond tokens a
// second after a full bucket.
func floorSeconds(events, perRequest, cost, perSecond int) float64 {
	requests := (events + perRequest - 1) / perRequest
	beyond := requests*cost - novutest.TierBucket(perSecond)
	return max(0, float64(beyond)) / float64(perSecond)
}
