package novutest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/novugen/novugen/novutest"
)

func TestLatencyIsAdded(t *testing.T) {
	// A lower bound only: the answer cannot come before the latency has
	// passed, however slow the machine.
	const latency = 30 * time.Millisecond
	srv := startWith(t, novutest.Options{Latency: latency, Jitter: time.Millisecond, Seed: 3})
	begin := time.Now()
	expect(t, do(t, srv, "Development", "GET", "/v2/workflows", nil), 200)
	if elapsed := time.Since(begin); elapsed < latency {
		t.Errorf("answered after %v, before the latency of %v", elapsed, latency)
	}
}

func TestShutdownDropsRequestsWaitingOutLatency(t *testing.T) {
	srv := novutest.NewServer(novutest.Options{Latency: time.Hour})
	t.Cleanup(srv.Close)
	done := make(chan error, 1)
	go func() {
		status, err := rawDo(srv, "GET", "/v2/workflows", "", "", srv.Key("Development"))
		if err == nil {
			err = fmt.Errorf("answered %d", status)
		}
		done <- err
	}()
	// Until the handler holds the request, a shutdown would only refuse
	// the connection and prove nothing.
	for srv.InFlight() == 0 {
		time.Sleep(time.Millisecond)
	}
	// The deadline only bounds a broken Shutdown, which would wait for the
	// hour; a working one returns as soon as the connection is dropped.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	// The client sees the connection go, not an empty success.
	if err := <-done; err == nil || strings.Contains(err.Error(), "answered") {
		t.Errorf("request in flight at shutdown: %v, want a dropped connection", err)
	}
	if n := srv.Counts().Total(); n != 0 || srv.InFlight() != 0 {
		t.Errorf("%d requests counted, %d in flight; want none: a dropped request was never served",
			n, srv.InFlight())
	}
}
