package generate

import "testing"

// TestHTMLPageTitlesEveryKindOfBody: a body that is a whole document keeps
// it and gets the title in its head (made if missing); a fragment gets a
// document around it. The title is escaped; the body, as Novu sends it, is
// not.
func TestHTMLPageTitlesEveryKindOfBody(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"<p>a & b</p>", "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>S &lt;1&gt;</title></head>\n<body>\n<p>a & b</p>\n</body></html>\n"},
		{"<HTML lang=\"en\"><body>x</body></HTML>", "<HTML lang=\"en\"><head><meta charset=\"utf-8\"><title>S &lt;1&gt;</title></head><body>x</body></HTML>"},
		{"<html><head><style></style></head><body>x</body></html>", "<html><head><title>S &lt;1&gt;</title><style></style></head><body>x</body></html>"},
	} {
		if got := htmlPage("S <1>", tc.body); got != tc.want {
			t.Errorf("htmlPage(%q) =\n%q\nwant\n%q", tc.body, got, tc.want)
		}
	}
}

func TestFileSlugKeepsNamesSafe(t *testing.T) {
	for in, want := range map[string]string{"order-shipped": "order-shipped", "store pickup/../x": "store-pickup----x", "": "-", "ü_1": "-_1"} {
		if got := fileSlug(in); got != want {
			t.Errorf("fileSlug(%q) = %q, want %q", in, got, want)
		}
	}
}
