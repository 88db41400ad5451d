package main

import (
	"strings"
	"testing"
)

func TestKeysFlagSetsPrintedKeys(t *testing.T) {
	e := startServe(t, 3, "-keys", "development=k1, PRODUCTION=k3")
	want := [][2]string{{"Development", "k1"}, {"Staging", "staging-secret-key"}, {"Production", "k3"}}
	for i, w := range want {
		if f := e.envs[i]; len(f) != 3 || f[0] != w[0] || f[2] != w[1] {
			t.Errorf("environment line %q, want %s with key %s", f, w[0], w[1])
		}
	}
	for _, w := range want {
		if status, own := environmentsSeenBy(t, e.base, w[1]); status != 200 || own != w[0] {
			t.Errorf("key %s: %d, own environment %q; want 200 and %s", w[1], status, own, w[0])
		}
	}
	for _, old := range []string{"dev-secret-key", "production-secret-key"} {
		if status, _ := environmentsSeenBy(t, e.base, old); status != 401 {
			t.Errorf("replaced key %s: %d, want 401", old, status)
		}
	}
	if c := e.stop(); c != 0 {
		t.Errorf("exit %d, stderr %s", c, e.stderr.String())
	}
}

func TestEnvironmentsFlag(t *testing.T) {
	e := startServe(t, 2, "-environments", "Dev, Prod", "-keys", "prod=pk")
	if got := strings.Join([]string{e.envs[0][0], e.envs[0][2], e.envs[1][0], e.envs[1][2]}, " "); got != "Dev dev-secret-key Prod pk" {
		t.Errorf("environments %q", e.envs)
	}
	if status, own := environmentsSeenBy(t, e.base, "pk"); status != 200 || own != "Prod" {
		t.Errorf("key pk: %d %q, want 200 and Prod", status, own)
	}
}

func TestKeyAndEnvironmentFlagErrorsExit2(t *testing.T) {
	wantUsageErrors(t, []usageCase{
		{[]string{"-keys", "Dev=k1"}, `unknown environment "Dev"; want one of Development, Staging, Production (any case)`},
		{[]string{"-keys", "Staging=k,Production=k"}, `Staging and Production share the key "k"; want a different key`},
		{[]string{"-keys", "Staging=dev-secret-key"}, `Development (by default) and Staging share the key "dev-secret-key"`},
		{[]string{"-keys", "Production=staging-secret-key"}, `Staging (by default) and Production share the key "staging-secret-key"`},
		{[]string{"-keys", "Production="}, "empty key for Production; want a non-empty key"},
		{[]string{"-keys", "Production"}, "want name=key pairs"},
		{[]string{"-keys", "staging=a,Staging=b"}, "Staging is given twice"},
		{[]string{"-keys", "Staging=a b"}, "without spaces"},
		{[]string{"-environments", "A,,B"}, "empty name"},
		{[]string{"-environments", "A,a"}, `"A" and "a" name one environment`},
		{[]string{"-environments", "A B"}, "without them"},
		{[]string{"-environments", "A,B", "-keys", "Staging=k"}, "want one of A, B"},
	})
}
