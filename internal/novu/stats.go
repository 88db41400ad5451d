package novu

import (
	"maps"
	"time"
)

// Stats counts what a Client did. Requests counts attempts (so a call
// retried twice counts 3), which is what Novu's rate limit counts too.
type Stats struct {
	Requests        int64         // attempts sent
	Retries         int64         // attempts repeated after a retryable failure
	TransportErrors int64         // attempts without a complete answer
	ByStatus        map[int]int64 // complete answers by HTTP status
	BytesSent       int64         // request bodies
	BytesReceived   int64         // response bodies read
	RateLimitPauses int64         // waits because RateLimit-Remaining was 0 on a route the pacer cannot model
	Paced           int64         // attempts that waited for a token of their rate-limit bucket
	Waited          time.Duration // total backoff, pacing and rate-limit waiting
}

// Stats returns a snapshot of the counters. Safe for concurrent use.
func (c *Client) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.ByStatus = maps.Clone(c.stats.ByStatus)
	if s.ByStatus == nil {
		s.ByStatus = map[int]int64{}
	}
	return s
}
