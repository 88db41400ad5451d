package novutest

import "testing"

func TestBase62RoundTripsObjectIDs(t *testing.T) {
	for _, id := range []string{"6650c0ffee0000000000a001", "000000000000000000000001", "ffffffffffffffffffffffff"} {
		got, ok := decodeBase62(encodeBase62(id))
		if !ok || got != id {
			t.Errorf("decode(encode(%s)) = %s, %v", id, got, ok)
		}
	}
}

func TestResolvePathID(t *testing.T) {
	tests := []struct{ in, db, wf string }{
		{"order-shipped", "", "order-shipped"},
		{"6650C0FFEE0000000000A001", "6650c0ffee0000000000a001", ""},
		{"order-shipped_wf_" + encodeBase62("6650c0ffee0000000000a001"), "6650c0ffee0000000000a001", ""},
		{"a_wf_!!", "", "a_wf_!!"},
	}
	for _, tt := range tests {
		db, wf := resolvePathID(tt.in)
		if db != tt.db || wf != tt.wf {
			t.Errorf("resolvePathID(%q) = %q, %q; want %q, %q", tt.in, db, wf, tt.db, tt.wf)
		}
	}
}
