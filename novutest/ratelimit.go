package novutest

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/time/rate"
)

// Novu's rate-limit categories (ApiRateLimitCategoryEnum). Each environment
// has one bucket per category; a route's category decides which bucket a
// request draws from (docs/novu-api.md §11).
const (
	CategoryTrigger       = "trigger"       // POST /v1/events/trigger
	CategoryConfiguration = "configuration" // workflows on current Novu, subscribers, topics
	CategoryGlobal        = "global"        // the throttler's default: environments, and workflows on older Novu
)

var categories = []string{CategoryTrigger, CategoryConfiguration, CategoryGlobal}

// Novu's service tiers (ApiServiceLevelEnum), for Options.RateLimitTier.
// The value is what RateLimit-Policy reports as serviceLevel.
const (
	TierFree       = "free"
	TierPro        = "pro"
	TierTeam       = "team"
	TierBusiness   = "business"
	TierEnterprise = "enterprise"
	TierUnlimited  = "unlimited"
)

// tierLimits are the requests per second of each tier and category, from
// Novu's shared rate-limit defaults (free, business, enterprise,
// unlimited) and its service-tier table (pro, team).
var tierLimits = map[string]map[string]int{
	TierFree:       {CategoryTrigger: 60, CategoryConfiguration: 20, CategoryGlobal: 30},
	TierPro:        {CategoryTrigger: 240, CategoryConfiguration: 80, CategoryGlobal: 120},
	TierTeam:       {CategoryTrigger: 600, CategoryConfiguration: 200, CategoryGlobal: 300},
	TierBusiness:   {CategoryTrigger: 600, CategoryConfiguration: 200, CategoryGlobal: 300},
	TierEnterprise: {CategoryTrigger: 6000, CategoryConfiguration: 2000, CategoryGlobal: 3000},
	TierUnlimited:  {CategoryTrigger: 6000, CategoryConfiguration: 2000, CategoryGlobal: 3000},
}

// Tiers lists the tier names Options.RateLimitTier accepts, cheapest first.
func Tiers() []string {
	return []string{TierFree, TierPro, TierTeam, TierBusiness, TierEnterprise, TierUnlimited}
}

// TierLimit returns the requests per second of tier in category, and
// whether both are known.
func TierLimit(tier, category string) (perSecond int, ok bool) {
	perSecond, ok = tierLimits[tier][category]
	return perSecond, ok
}

// TierBucket is the bucket size Novu gives a tier's category: the
// requests of one 5-second window plus a 10% burst allowance, rounded
// down, e.g. 165 for 30 requests per second.
func TierBucket(perSecond int) int {
	// The same float expression as Novu's, so rounding agrees.
	return int(math.Floor(float64(perSecond*tierWindow) * (1 + tierBurstAllowance)))
}

const (
	tierWindow         = 5   // seconds; RateLimit-Limit counts the requests of one window
	tierBurstAllowance = 0.1 // extra bucket room over one window
	// customLevel is the serviceLevel Novu reports for limits that are not
	// a tier's, as the explicit RateLimit and Burst knobs are.
	customLevel = "custom"
	// costSingle is the cost of a request; Novu charges costBulk on the
	// bulk and broadcast triggers (events.controller.ts, ThrottlerCost).
	costSingle = 1
	costBulk   = 100
)

// bucket is one environment's token bucket for one category.
type bucket struct {
	lim      *rate.Limiter
	window   int    // seconds, for RateLimit-Limit and the policy's w
	level    string // the policy's serviceLevel
	category string
}

// newBuckets makes an environment's buckets from the options, or nil when
// rate limiting is off: no tier and no RateLimit.
func newBuckets(o Options) map[string]*bucket {
	if o.RateLimitTier == "" && o.RateLimit <= 0 {
		return nil
	}
	out := map[string]*bucket{}
	for _, c := range categories {
		b := &bucket{window: tierWindow, level: o.RateLimitTier, category: c}
		perSecond, burst := 0.0, 0
		if o.RateLimitTier != "" {
			n := tierLimits[o.RateLimitTier][c]
			perSecond, burst = float64(n), TierBucket(n)
		}
		if o.RateLimit > 0 {
			// The explicit knobs keep their meaning from before tiers:
			// a per-second rate reported over a one-second window.
			perSecond, burst, b.window, b.level = o.RateLimit, max(1, int(o.RateLimit)), 1, customLevel
		}
		if o.Burst > 0 {
			burst, b.level = o.Burst, customLevel
		}
		b.lim = rate.NewLimiter(rate.Limit(perSecond), burst)
		out[c] = b
	}
	return out
}

// checkRateOptions names the first rate-limit option that cannot work.
func checkRateOptions(o Options) error {
	if o.RateLimitTier != "" {
		if _, ok := tierLimits[o.RateLimitTier]; !ok {
			return fmt.Errorf("unknown Options.RateLimitTier %q; want one of %s", o.RateLimitTier, strings.Join(Tiers(), ", "))
		}
	}
	if o.WorkflowRateCategory != "" && !slices.Contains(categories, o.WorkflowRateCategory) {
		return fmt.Errorf("unknown Options.WorkflowRateCategory %q; want one of %s",
			o.WorkflowRateCategory, strings.Join(categories, ", "))
	}
	if o.RateLimit < 0 || math.IsNaN(o.RateLimit) || math.IsInf(o.RateLimit, 0) {
		return fmt.Errorf("Options.RateLimit %v: want 0 (tier or off) or a positive rate", o.RateLimit)
	}
	if o.Burst < 0 {
		return fmt.Errorf("Options.Burst %d: want 0 (default) or a positive bucket size", o.Burst)
	}
	return nil
}

// limit takes a request's tokens from the environment's bucket for
// category. It returns the Retry-After value when the bucket is short, and
// the RateLimit-* headers to send either way, as Novu's throttler sends
// them: Limit is the requests of one window, Remaining the whole tokens
// left, Reset the seconds, rounded up, until a request of this cost would
// be accepted (0 while tokens remain), and Policy
// "<limit>;w=<window>;burst=<bucket>;comment="token bucket";category=...;
// cost="single";serviceLevel=...".
//
// The bucket refills continuously. Novu's own bucket (a Redis script)
// adds the refill only when it runs dry, and its key expires two windows
// after a refill, so after idle time it can admit more than this one:
// the emulator is the stricter of the two, never the looser.
func (s *Server) limit(e *envState, category string, cost int) (retryAfter string, h http.Header) {
	b := e.buckets[category]
	if b == nil {
		return "", nil
	}
	now := s.opts.Now()
	costName := "single"
	if cost == costBulk {
		costName = "bulk"
	}
	allowed := b.lim.AllowN(now, cost)
	tokens := max(0, b.lim.TokensAt(now))
	perSecond := float64(b.lim.Limit())
	wait := 0.0
	if tokens < float64(cost) {
		wait = (float64(cost) - tokens) / perSecond
	}
	reset := int(math.Ceil(wait))
	limit := int(math.Ceil(perSecond * float64(b.window)))
	h = http.Header{}
	h.Set("RateLimit-Limit", strconv.Itoa(limit))
	h.Set("RateLimit-Remaining", strconv.Itoa(int(math.Floor(tokens))))
	h.Set("RateLimit-Reset", strconv.Itoa(reset))
	h.Set("RateLimit-Policy", fmt.Sprintf(`%d;w=%d;burst=%d;comment="token bucket";category="%s";cost="%s";serviceLevel="%s"`,
		limit, b.window, b.lim.Burst(), category, costName, b.level))
	if allowed {
		return "", h
	}
	return strconv.Itoa(max(1, reset)), h
}
