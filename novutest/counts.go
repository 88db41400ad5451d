package novutest

import (
	"maps"
	"slices"
)

// CountKey names an operation in an environment. Operations: "create",
// "list", "get", "step", "update", "patch", "delete", "sync",
// "environments", "trigger", "bulk", "broadcast", "cancel", "diff",
// "publish", and "unknown" for unmatched
// routes.
// Env is "" for requests that named no valid key.
type CountKey struct {
	Op, Env string
}

// Count tallies one operation in one environment.
type Count struct {
	Requests int // requests received, including failed and faulted ones
	// Reads are the Requests to operations that never change state: GET
	// (environments, list, get, step) and the environment diff, a POST that
	// only compares. Like Requests, they include failed and faulted ones,
	// so the Requests of a write operation are never Reads even when
	// nothing was written; Writes tells what was.
	Reads  int
	Writes int         // writes applied to state (a replay applies none)
	Cut    int         // connections dropped by CutAfterWrite
	Status map[int]int // responses sent, by status
}

// Counts tallies requests per operation and environment.
type Counts map[CountKey]Count

// Total is the number of requests received.
func (c Counts) Total() int {
	n := 0
	for _, v := range c {
		n += v.Requests
	}
	return n
}

// Reads is the number of requests to read-only operations (see Count.Reads).
func (c Counts) Reads() int {
	n := 0
	for _, v := range c {
		n += v.Reads
	}
	return n
}

// Writes is the number of writes applied to state.
func (c Counts) Writes() int {
	n := 0
	for _, v := range c {
		n += v.Writes
	}
	return n
}

// Op sums one operation over all environments.
func (c Counts) Op(op string) Count {
	sum := Count{Status: map[int]int{}}
	for k, v := range c {
		if k.Op != op {
			continue
		}
		sum.Requests += v.Requests
		sum.Reads += v.Reads
		sum.Writes += v.Writes
		sum.Cut += v.Cut
		for st, n := range v.Status {
			sum.Status[st] += n
		}
	}
	return sum
}

// Status is the number of responses sent with that status.
func (c Counts) Status(status int) int {
	n := 0
	for _, v := range c {
		n += v.Status[status]
	}
	return n
}

// Counts returns a copy of the request counts.
func (s *Server) Counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(Counts, len(s.counts))
	for k, v := range s.counts {
		v.Status = maps.Clone(v.Status)
		out[k] = v
	}
	return out
}

// ResetCounts zeroes the request counts.
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts = Counts{}
}

// keys returns the count keys sorted, for stable output.
func (c Counts) keys() []CountKey {
	ks := slices.Collect(maps.Keys(c))
	slices.SortFunc(ks, func(a, b CountKey) int {
		if a.Op != b.Op {
			if a.Op < b.Op {
				return -1
			}
			return 1
		}
		switch {
		case a.Env < b.Env:
			return -1
		case a.Env > b.Env:
			return 1
		}
		return 0
	})
	return ks
}

// bump changes the count of key under s.mu.
func (s *Server) bump(key CountKey, f func(*Count)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.counts[key]
	if c.Status == nil {
		c.Status = map[int]int{}
	}
	f(&c)
	s.counts[key] = c
}
