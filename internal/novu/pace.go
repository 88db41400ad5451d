package novu

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Pacing: a model of Novu's rate-limit buckets, kept from the RateLimit-*
// headers, so that the client spends a bucket's burst and then flows at its
// refill rate instead of meeting 429s (docs/novu-api.md §11).
//
// Novu keeps one token bucket per environment and category (a key acts in
// one environment, so per client: per category), and says on every answer
// that passed its limiter which one it drew from:
//
//	RateLimit-Limit: 150
//	RateLimit-Remaining: 149
//	RateLimit-Reset: 0
//	RateLimit-Policy: 150;w=5;burst=165;comment="token bucket";category="global";cost="single";serviceLevel="free"
//
// Limit is the refill per window of w seconds, so the rate is Limit ÷ w
// tokens per second. Remaining is a floor of what is left: Novu's bucket adds
// the tokens earned since its last refill only once it runs empty, so it
// grants at least what a plain token bucket of the same rate would. The model
// is such a plain bucket, started from the first Remaining seen; as long as
// this client is the bucket's only user it never asks for more than the
// server grants, whatever the number of concurrent callers. Others using the
// same key show up as a 429, which empties the model (and Retry-After and the
// retry loop remain the safety net).
//
// Reset is not used to pace: its meaning differs between servers (Novu: until
// the next request can pass, rounded up to whole seconds; others: until the
// bucket is full again). Burst in the policy is not trusted as the capacity
// either (some Novu versions size the bucket by the per-second limit): the
// capacity is the largest Remaining+cost seen, which the bucket must hold.
//
// The category of a route is learned from its first answer. Novu sets it per
// controller (one path prefix, such as /v2/workflows), so until a route has
// answered it is paced with the bucket its group's first answer named. A
// group nothing has answered for yet sends one request at a time (a probe):
// a bucket not seen yet may be nearly empty, and a fan-out into it would be
// refused.

// paceReserve is the share of a bucket the model never spends: Novu refills
// whole tokens (floor of elapsed ÷ interval), the model continuously, so the
// server may hold up to one token less than the model says; and Novu's API
// instances, which share a bucket, each read their own clock.
const paceReserve = 1.0

// pacer holds the routes and buckets of one client.
type pacer struct {
	now   func() time.Time
	sleep func(context.Context, time.Duration) error

	mu      sync.Mutex
	routes  map[string]*learned  // by route: "GET /v2/workflows/{workflowId}"
	groups  map[string]*learned  // by path prefix: "/v2/workflows"
	probes  map[string]chan bool // by group: closed when its probe ends
	buckets map[string]*bucket   // by category ("" when the server names none)
}

// learned is what the answers said about a route or a group.
type learned struct {
	bucket *bucket // nil: not limited, or the server gives no rate to pace by
	cost   float64 // tokens one request takes (Novu: single 1, bulk 100)
}

// bucket models one of the server's token buckets.
type bucket struct {
	turn     chan struct{} // held by the caller first in line
	waiting  int           // callers in line
	category string
	rate     float64 // tokens per second
	capacity float64 // largest Remaining+cost seen: the server's bucket holds at least this
	tokens   float64 // what the model says is left
	at       time.Time
	pending  int // requests sent and not answered yet
}

// advance refills b up to now. The server cannot hold more than capacity,
// and requests in flight may not have been taken from it yet, so the model
// stops at capacity minus them.
func (b *bucket) advance(now time.Time) {
	dt := now.Sub(b.at).Seconds()
	if dt <= 0 {
		return
	}
	b.at = now
	if top := b.capacity - float64(b.pending); b.tokens < top {
		b.tokens = min(top, b.tokens+dt*b.rate)
	}
}

// ticket is one attempt's claim, handed back to release.
type ticket struct {
	route  string
	bucket *bucket // the bucket the attempt was charged to; nil for a probe or an unpaced route
	cost   float64
	probe  bool
}

func newPacer(now func() time.Time, sleep func(context.Context, time.Duration) error) *pacer {
	return &pacer{now: now, sleep: sleep, routes: map[string]*learned{}, groups: map[string]*learned{},
		probes: map[string]chan bool{}, buckets: map[string]*bucket{}}
}

// group is the path prefix of route ("GET /v2/workflows/{workflowId}/sync"
// → "/v2/workflows"): the controller that sets its category.
func group(route string) string {
	_, path, _ := strings.Cut(route, " ")
	parts := strings.SplitN(strings.TrimPrefix(path, "/"), "/", 3)
	return "/" + strings.Join(parts[:min(2, len(parts))], "/")
}

// acquire waits until route may send one request: its bucket holds a token
// beyond the reserve, or, for a group nothing has answered for, no other
// request of the group is in flight. waited is the time spent waiting for
// tokens.
func (p *pacer) acquire(ctx context.Context, route string) (t ticket, waited time.Duration, err error) {
	g := group(route)
	for {
		p.mu.Lock()
		l := p.routes[route]
		if l == nil {
			l = p.groups[g]
		}
		if l == nil {
			ch := p.probes[g]
			if ch == nil {
				p.probes[g] = make(chan bool)
				p.mu.Unlock()
				return ticket{route: route, probe: true}, 0, nil
			}
			p.mu.Unlock()
			select {
			case <-ctx.Done():
				return ticket{}, 0, ctx.Err()
			case <-ch:
			}
			continue
		}
		b, cost := l.bucket, l.cost
		p.mu.Unlock()
		if b == nil {
			return ticket{route: route}, 0, nil
		}
		waited, err := p.take(ctx, b, cost)
		if err != nil {
			return ticket{}, 0, err
		}
		return ticket{route: route, bucket: b, cost: cost}, waited, nil
	}
}

// take waits until b holds cost tokens beyond the reserve and takes them.
// While the bucket has them and nobody waits, that is at once. Otherwise
// callers queue, and the first in line sleeps until the model says its
// tokens are there, then looks again: no turn is promised in advance,
// because while it slept the model may have learned that the server could
// not bank the refill (requests still on their way left it full) or that
// someone else drew from it.
func (p *pacer) take(ctx context.Context, b *bucket, cost float64) (waited time.Duration, err error) {
	// A bucket seen no fuller than the reserve is spent to the last token:
	// it could never be waited into.
	need := func() float64 { return min(cost+paceReserve, b.capacity) }
	// A wait is rounded down to the nanosecond: what it brings is enough.
	enough := func() bool { return b.tokens >= need()-1e-6 }
	p.mu.Lock()
	start := p.now()
	b.advance(start)
	if b.waiting == 0 && enough() {
		b.tokens -= cost
		b.pending++
		p.mu.Unlock()
		return 0, nil
	}
	b.waiting++
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		b.waiting--
		p.mu.Unlock()
	}()
	select {
	case b.turn <- struct{}{}:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	defer func() { <-b.turn }()
	for {
		p.mu.Lock()
		now := p.now()
		b.advance(now)
		if enough() {
			b.tokens -= cost
			b.pending++
			p.mu.Unlock()
			return now.Sub(start), nil
		}
		wait := max(time.Duration((need()-b.tokens)/b.rate*float64(time.Second)), time.Microsecond)
		p.mu.Unlock()
		if dl, ok := ctx.Deadline(); ok && now.Add(wait).After(dl) {
			return 0, &paceDeadlineError{wait: wait, category: b.category}
		}
		if err := p.sleep(ctx, wait); err != nil {
			return 0, err
		}
	}
}

// release hands back t after its attempt. h and status are the answer's
// (h nil when there was none). It reports whether the route is paced, so
// that the caller applies the fallback (pause at Remaining: 0) otherwise.
func (p *pacer) release(t ticket, h http.Header, status int) (paced bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	g := group(t.route)
	if t.bucket != nil {
		t.bucket.advance(now)
		t.bucket.pending--
	}
	if t.probe {
		close(p.probes[g])
		delete(p.probes, g)
	}
	learn := func(l learned) {
		p.routes[t.route] = &l
		if p.groups[g] == nil {
			p.groups[g] = &l
		}
	}
	pol, ok := parseRateLimit(h)
	switch {
	case h == nil:
		// No answer: nothing learned; the next request probes again.
	case !ok && status < 500 && status != http.StatusTooManyRequests:
		// Answered by the application without a usable rate: not
		// limited (self-hosted Novu without the rate-limit flag), or
		// limited in a way the model cannot follow (the pause at
		// Remaining: 0 then applies). A 5xx or a 429 without headers
		// teaches nothing: a gateway's page carries none either.
		learn(learned{cost: 1})
	case ok:
		b := p.buckets[pol.category]
		if b == nil {
			// The first answer from this bucket: the server counted this
			// request, and no other request was charged to the bucket.
			b = &bucket{turn: make(chan struct{}, 1), category: pol.category, tokens: pol.remaining, capacity: pol.remaining + pol.cost, at: now}
			p.buckets[pol.category] = b
		} else {
			b.advance(now)
			b.capacity = max(b.capacity, pol.remaining+pol.cost)
			if t.bucket != b {
				// Sent as a probe, or charged to the bucket its group
				// suggested: the server took it from this one.
				b.tokens -= pol.cost
			}
		}
		if t.bucket != nil && t.bucket != b {
			t.bucket.tokens += t.cost
		}
		b.rate = pol.rate
		if status == http.StatusTooManyRequests && pol.remaining < pol.cost {
			// Someone else drains this bucket too (another run with the
			// same key): the server is empty, and what is in flight will
			// take more.
			b.tokens = min(b.tokens, -float64(b.pending))
		}
		learn(learned{bucket: b, cost: pol.cost})
	}
	l := p.routes[t.route]
	return l != nil && l.bucket != nil
}

// paceDeadlineError is a request whose turn in its bucket comes after the
// caller's deadline.
type paceDeadlineError struct {
	wait     time.Duration
	category string
}

func (e *paceDeadlineError) Error() string {
	cat := ""
	if e.category != "" {
		cat = " (" + e.category + ")"
	}
	return "the rate-limit bucket" + cat + " has no token for this request before the deadline (next in " + e.wait.Round(time.Millisecond).String() + ")"
}

func (e *paceDeadlineError) Unwrap() error { return context.DeadlineExceeded }
