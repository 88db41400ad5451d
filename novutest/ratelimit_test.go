package novutest_test

import (
	"strings"
	"testing"

	"github.com/novugen/novugen/novutest"
)

func TestTierBuckets(t *testing.T) {
	// floor(rate × 5 s × 1.1) per category: trigger, configuration, global.
	want := map[string][3]int{
		novutest.TierFree:       {330, 110, 165},
		novutest.TierPro:        {1320, 440, 660},
		novutest.TierTeam:       {3300, 1100, 1650},
		novutest.TierBusiness:   {3300, 1100, 1650},
		novutest.TierEnterprise: {33000, 11000, 16500},
		novutest.TierUnlimited:  {33000, 11000, 16500},
	}
	if len(novutest.Tiers()) != len(want) {
		t.Errorf("Tiers() = %v", novutest.Tiers())
	}
	for _, tier := range novutest.Tiers() {
		for i, c := range []string{novutest.CategoryTrigger, novutest.CategoryConfiguration, novutest.CategoryGlobal} {
			n, ok := novutest.TierLimit(tier, c)
			if got := novutest.TierBucket(n); !ok || got != want[tier][i] {
				t.Errorf("%s %s: %d/s, bucket %d; want bucket %d", tier, c, n, got, want[tier][i])
			}
		}
	}
	if _, ok := novutest.TierLimit("gold", novutest.CategoryGlobal); ok {
		t.Error("TierLimit knows a tier gold")
	}
}

func TestRateLimitPerEnvironment(t *testing.T) {
	srv := startWith(t, novutest.Options{RateLimit: 2, Burst: 2, Now: frozen})
	for i := range 2 {
		r := do(t, srv, "Development", "GET", "/v2/workflows", nil)
		expect(t, r, 200)
		if got := r.header.Get("RateLimit-Remaining"); got != []string{"1", "0"}[i] {
			t.Errorf("request %d RateLimit-Remaining %q", i, got)
		}
		if r.header.Get("RateLimit-Limit") != "2" || !strings.Contains(r.header.Get("RateLimit-Policy"), `burst=2`) {
			t.Errorf("headers %v", r.header)
		}
	}
	r := do(t, srv, "Development", "GET", "/v2/workflows", nil)
	expect(t, r, 429)
	if r.body["message"] != "API rate limit exceeded" || r.body["statusCode"] != float64(429) || r.header.Get("Retry-After") != "1" {
		t.Errorf("429: %s Retry-After %q", r.raw, r.header.Get("Retry-After"))
	}
	if r.header.Get("RateLimit-Remaining") != "0" || r.header.Get("RateLimit-Limit") != "2" || r.header.Get("RateLimit-Reset") == "" {
		t.Errorf("429 RateLimit headers %v", r.header)
	}
	// Triggers have their own bucket (docs/novu-api.md §11: events vs configuration).
	expect(t, do(t, srv, "Development", "POST", "/v1/events/trigger", map[string]any{"name": "none", "to": "s"}), 422)
	// Another environment has its own bucket.
	expect(t, do(t, srv, "Staging", "GET", "/v2/workflows", nil), 200)
	if n := srv.Counts().Status(429); n != 1 {
		t.Errorf("counted %d 429s, want 1", n)
	}
}

func TestFreeTierLimitsLikeNovu(t *testing.T) {
	srv := startWith(t, novutest.Options{RateLimitTier: novutest.TierFree, Now: frozen})
	// Workflows draw from the configuration bucket: 20/s, 110 tokens,
	// reported over Novu's 5-second window.
	policy := `100;w=5;burst=110;comment="token bucket";category="configuration";cost="single";serviceLevel="free"`
	for i := range 110 {
		r := do(t, srv, "Development", "GET", "/v2/workflows", nil)
		expect(t, r, 200)
		h := r.header
		if i == 0 || i == 109 {
			want := map[string]string{"RateLimit-Limit": "100", "RateLimit-Remaining": []string{"109", "0"}[i/109],
				"RateLimit-Reset": []string{"0", "1"}[i/109], "RateLimit-Policy": policy}
			for k, v := range want {
				if h.Get(k) != v {
					t.Errorf("request %d: %s %q, want %q", i+1, k, h.Get(k), v)
				}
			}
		}
	}
	r := do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF"))
	expect(t, r, 429)
	if r.body["message"] != "API rate limit exceeded" || r.header.Get("Retry-After") != "1" || r.header.Get("RateLimit-Reset") != "1" {
		t.Errorf("429: %s Retry-After %q Reset %q", r.raw, r.header.Get("Retry-After"), r.header.Get("RateLimit-Reset"))
	}
	// Environments are global: 30/s, 165 tokens; triggers their own 60/s.
	r = do(t, srv, "Development", "GET", "/v1/environments", nil)
	expect(t, r, 200)
	if p := r.header.Get("RateLimit-Policy"); !strings.HasPrefix(p, `150;w=5;burst=165;`) || !strings.Contains(p, `category="global"`) ||
		r.header.Get("RateLimit-Remaining") != "164" {
		t.Errorf("environments: policy %q remaining %q", p, r.header.Get("RateLimit-Remaining"))
	}
	r = do(t, srv, "Development", "POST", "/v1/events/trigger", map[string]any{"name": "none", "to": "s"})
	if p := r.header.Get("RateLimit-Policy"); !strings.HasPrefix(p, `300;w=5;burst=330;`) || !strings.Contains(p, `category="trigger"`) {
		t.Errorf("trigger: policy %q", p)
	}
	// Each environment has its own buckets.
	expect(t, do(t, srv, "Staging", "GET", "/v2/workflows", nil), 200)
}

func TestWorkflowRateCategoryGlobalSharesTheEnvironmentsBucket(t *testing.T) {
	srv := startWith(t, novutest.Options{RateLimitTier: novutest.TierFree, WorkflowRateCategory: novutest.CategoryGlobal, Now: frozen})
	expect(t, do(t, srv, "Development", "GET", "/v1/environments", nil), 200)
	r := do(t, srv, "Development", "GET", "/v2/workflows", nil)
	expect(t, r, 200)
	if p := r.header.Get("RateLimit-Policy"); !strings.Contains(p, `category="global"`) || r.header.Get("RateLimit-Remaining") != "163" {
		t.Errorf("workflows under global: policy %q remaining %q, want the environments' bucket", p, r.header.Get("RateLimit-Remaining"))
	}
}

func TestExplicitRateAndBurstOverrideTheTier(t *testing.T) {
	srv := startWith(t, novutest.Options{RateLimitTier: novutest.TierBusiness, RateLimit: 2, Burst: 3, Now: frozen})
	r := do(t, srv, "Development", "GET", "/v2/workflows", nil)
	if want := `2;w=1;burst=3;comment="token bucket";category="configuration";cost="single";serviceLevel="custom"`; r.header.Get("RateLimit-Policy") != want ||
		r.header.Get("RateLimit-Limit") != "2" || r.header.Get("RateLimit-Remaining") != "2" {
		t.Errorf("headers %v, want policy %s", r.header, want)
	}
	// Burst alone keeps the tier's rate and window.
	srv = startWith(t, novutest.Options{RateLimitTier: novutest.TierFree, Burst: 5, Now: frozen})
	r = do(t, srv, "Development", "GET", "/v2/workflows", nil)
	if p := r.header.Get("RateLimit-Policy"); !strings.HasPrefix(p, `100;w=5;burst=5;`) || !strings.HasSuffix(p, `serviceLevel="custom"`) {
		t.Errorf("policy %q", p)
	}
}

func TestRateOptionsAreChecked(t *testing.T) {
	for _, tt := range []struct {
		opts novutest.Options
		want string
	}{
		{novutest.Options{RateLimitTier: "gold"}, `unknown Options.RateLimitTier "gold"; want one of free, pro, team, business, enterprise, unlimited`},
		{novutest.Options{WorkflowRateCategory: "workflows"}, `unknown Options.WorkflowRateCategory "workflows"`},
		{novutest.Options{RateLimit: -1}, "Options.RateLimit -1"},
		{novutest.Options{Burst: -1}, "Options.Burst -1"},
	} {
		func() {
			defer func() {
				if msg, _ := recover().(string); !strings.Contains(msg, tt.want) {
					t.Errorf("NewServer(%+v) panicked with %q, want %q", tt.opts, msg, tt.want)
				}
			}()
			novutest.NewServer(tt.opts).Close()
		}()
	}
}
