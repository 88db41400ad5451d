package novutest

import (
	"encoding/hex"
	"math/big"
	"regexp"
	"strings"
)

// slugRule is Novu's SLUG_IDENTIFIER_REGEX for workflowId and stepId.
var slugRule = regexp.MustCompile(`^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$`)

var objectIDRule = regexp.MustCompile(`^[0-9a-fA-F]{24}$`)

// isObjectID reports whether s has the shape of a MongoDB ObjectId.
func isObjectID(s string) bool { return objectIDRule.MatchString(s) }

// newObjectID returns a 24-hex id laid out like a MongoDB ObjectId: a
// timestamp, five random bytes and a counter. Callers hold s.mu (or own s
// exclusively), which guards the counter.
func (s *Server) newObjectID() string {
	var b [12]byte
	ts := uint32(s.now().Unix())
	b[0], b[1], b[2], b[3] = byte(ts>>24), byte(ts>>16), byte(ts>>8), byte(ts)
	s.randMu.Lock()
	r := s.rand.Uint64()
	s.randMu.Unlock()
	for i := 4; i < 9; i++ {
		b[i] = byte(r >> (8 * (i - 4)))
	}
	s.counter++
	b[9], b[10], b[11] = byte(s.counter>>16), byte(s.counter>>8), byte(s.counter)
	return hex.EncodeToString(b[:])
}

const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// encodeBase62 turns a 24-hex id into the short form Novu puts in slugs.
func encodeBase62(id string) string {
	n, ok := new(big.Int).SetString(id, 16)
	if !ok || n.Sign() == 0 {
		return "0"
	}
	base := big.NewInt(62)
	var out []byte
	mod := new(big.Int)
	for n.Sign() > 0 {
		n.DivMod(n, base, mod)
		out = append(out, base62Alphabet[mod.Int64()])
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

// decodeBase62 reverses encodeBase62; ok is false when s is not a base62
// number that fits an ObjectId.
func decodeBase62(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	n := new(big.Int)
	base := big.NewInt(62)
	for _, c := range []byte(s) {
		i := strings.IndexByte(base62Alphabet, c)
		if i < 0 {
			return "", false
		}
		n.Mul(n, base).Add(n, big.NewInt(int64(i)))
	}
	if n.BitLen() > 96 {
		return "", false
	}
	h := n.Text(16)
	return strings.Repeat("0", 24-len(h)) + h, true
}

// slugify lower-cases a name and joins its alphanumeric runs with hyphens,
// as the slugs Novu builds from names look.
func slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		return "untitled"
	}
	return b.String()
}

func workflowSlug(name, id string) string { return slugify(name) + "_wf_" + encodeBase62(id) }
func stepSlug(name, id string) string     { return slugify(name) + "_st_" + encodeBase62(id) }

// resolvePathID mirrors ParseSlugIdPipe: a 24-hex value is an _id, a value
// with an _wf_/_st_/_env_ marker has its suffix decoded into an _id when it
// can be, and anything else is a workflowId.
func resolvePathID(v string) (databaseID, workflowID string) {
	if isObjectID(v) {
		return strings.ToLower(v), ""
	}
	for _, marker := range []string{"_wf_", "_st_", "_env_"} {
		if i := strings.LastIndex(v, marker); i >= 0 {
			if id, ok := decodeBase62(v[i+len(marker):]); ok {
				return id, ""
			}
		}
	}
	return "", v
}

// Alphabets of the identifier suffixes Novu draws: shortId (nanoid's
// customAlphabet, current) and shortid.generate() (older servers).
const (
	shortIDAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
	shortidAlphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-"
)

// randomInt draws from [0, n) from the identifier source.
func (s *Server) randomInt(n int) int {
	s.randMu.Lock()
	defer s.randMu.Unlock()
	return s.rand.IntN(n)
}

func (s *Server) randomString(n int, alphabet string) string {
	s.randMu.Lock()
	defer s.randMu.Unlock()
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[s.rand.IntN(len(alphabet))]
	}
	return string(b)
}
