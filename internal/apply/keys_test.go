package apply

import (
	"fmt"
	"strings"
	"testing"

	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/novutest"
)

func TestKeysAreCheckedAgainstTheirEnvironment(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 5})
	defs := synth(1)

	// The source is the key's own environment, whatever its place.
	cfg := testConfig(srv, false)
	cfg.Key = novu.Secret(srv.Key("Staging"))
	cfg.Targets = []string{"Production"}
	if p := plan(t, cfg, defs); p.Source.Name != "Staging" {
		t.Errorf("source = %s, want Staging (the key's environment)", p.Source.Name)
	}

	// A target key of another environment is refused before any write.
	cfg = testConfig(srv, true)
	cfg.TargetKeys["Staging"] = novu.Secret(srv.Key("Production"))
	srv.ResetCounts()
	refusedBeforeWrites(t, srv, cfg, defs, "NOVU_SECRET_KEY_STAGING is the secret key of Production, not of Staging")
}

// An Engine printed whole (%+v of the pointer prints its fields) must not
// show the keys it was built with: fmt does not redact a Secret reached
// through an unexported field.
func TestEngineDoesNotPrintKeys(t *testing.T) {
	const dev, prod = "sk_test_ENGINE_DEV_do_not_print", "sk_test_ENGINE_PROD_do_not_print"
	e := mustEngine(t, Config{BaseURL: "http://127.0.0.1:1", Key: dev, Owner: testOwner, TargetKeys: map[string]novu.Secret{"Production": prod}})
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		if s := fmt.Sprintf(verb, e); strings.Contains(s, dev) || strings.Contains(s, prod) {
			t.Errorf("%s of the engine shows a key: %s", verb, s)
		}
	}
}
