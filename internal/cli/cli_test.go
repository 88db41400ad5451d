package cli

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A later entry overrides an earlier one, as os/exec's Cmd.Env does: the
// commands' tests append to an environment to change one variable. An
// entry without "=" is not a variable; an empty value is one.
func TestEnvMapKeepsTheLastValue(t *testing.T) {
	got := EnvMap([]string{"A=1", "B=x=y", "junk", "A=2", "C="})
	want := map[string]string{"A": "2", "B": "x=y", "C": ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("EnvMap (-want +got):\n%s", diff)
	}
}
