package novutest

import (
	"crypto/sha256"
	"encoding/binary"
	"net/http"
)

// draws makes the random choices about one request: its jitter, its 5xx
// fault, whether its connection is cut, its errorId. Each choice is a hash
// of the seed, the request's identity and its occurrence number, not a draw
// from a source shared by all requests, so concurrent requests cannot shift
// each other's faults: the n-th identical request gets the same fate in
// every run with the same seed, however requests interleave.
type draws struct {
	seed uint64
	id   [32]byte // hash of the request's identity; see requestIdentity
	n    uint64   // 1 for the first request with this identity
}

// requestIdentity is what makes two requests "the same" for draws: the
// caller's environment, method and URL (path and query), and for POST the
// body too, since every create and trigger shares one path. Other bodies are
// left out on purpose: PUT bodies carry step _ids the server assigned.
func requestIdentity(envName string, r *http.Request, body []byte) [32]byte {
	h := sha256.New()
	for _, part := range []string{envName, r.Method, r.URL.RequestURI()} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	if r.Method == http.MethodPost {
		h.Write(body)
	}
	var id [32]byte
	h.Sum(id[:0])
	return id
}

// beginDraws numbers this request among those with the same identity.
// Without jitter or probabilistic faults nothing is drawn, so nothing is
// numbered: a long-running emulator serving distinct triggers then keeps
// no entry per request.
func (s *Server) beginDraws(id [32]byte) draws {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults
	if s.opts.Jitter <= 0 && f.P500+f.P502+f.P503+f.CutAfterWrite <= 0 {
		return draws{}
	}
	s.occurrences[id]++
	return draws{seed: uint64(s.opts.Seed), id: id, n: s.occurrences[id]}
}

// sum returns 32 pseudo-random bytes for one purpose ("jitter", "fault",
// "cut", "errorId").
func (d draws) sum(purpose string) [32]byte {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], d.seed)
	binary.LittleEndian.PutUint64(b[8:], d.n)
	h := sha256.New()
	h.Write(b[:])
	h.Write(d.id[:])
	h.Write([]byte(purpose))
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// float returns a uniform number in [0, 1) for purpose.
func (d draws) float(purpose string) float64 {
	x := d.sum(purpose)
	return float64(binary.LittleEndian.Uint64(x[:8])>>11) / (1 << 53)
}

// uuid returns a version 4 UUID for purpose, e.g. a 500's errorId.
func (d draws) uuid(purpose string) string {
	x := d.sum(purpose)
	const hexd = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i := range 16 {
		v := x[i]
		switch i {
		case 6:
			v = 0x40 | v&0x0f
		case 8:
			v = 0x80 | v&0x3f
		}
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hexd[v>>4], hexd[v&0x0f])
	}
	return string(out)
}
