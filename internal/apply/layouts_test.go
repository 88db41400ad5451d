package apply

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/novutest"
	"github.com/novugen/novugen/registry"
)

// layoutDefs is synth(2) whose first workflow's email uses a layout
// declared in the registry.
func layoutDefs() ([]registry.Workflow, registry.Layout) {
	defs := synth(2)
	defs[0].Steps[2].ControlValues["layoutId"] = "brand"
	l := registry.Layout{LayoutID: "brand", Name: "Brand", EditorType: "html",
		Body: "<html><body><h1>Hi {{ subscriber.firstName }}</h1>{{ content }}</body></html>"}
	return defs, l
}

func layoutConfig(srv *novutest.Server, l ...registry.Layout) Config {
	cfg := testConfig(srv, true)
	cfg.Layouts = l
	return cfg
}

// wantLayout checks that env holds l exactly as declared.
func wantLayout(t *testing.T, srv *novutest.Server, env string, l registry.Layout) {
	t.Helper()
	for _, got := range srv.Layouts(env) {
		if got.LayoutID != l.LayoutID {
			continue
		}
		em := got.Controls.Values.Email
		if em == nil || got.Name != l.Name || got.IsTranslationEnabled != l.IsTranslationEnabled || em.Body != l.Body || em.EditorType != l.EditorType {
			t.Errorf("%s holds layout %+v (email %+v), want %+v", env, got, em, l)
		}
		return
	}
	t.Errorf("%s has no layout %q", env, l.LayoutID)
}

func TestLayoutIsCreatedUpdatedAndSyncedWithItsWorkflows(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 7})
	defs, l := layoutDefs()

	p := plan(t, layoutConfig(srv, l), defs)
	if len(p.Layouts) != 1 || p.Layouts[0].Action != Create {
		t.Fatalf("plan layouts = %+v, want one create", p.Layouts)
	}
	r := apply(t, context.Background(), layoutConfig(srv, l), defs)
	if !r.OK() {
		t.Fatalf("cold run failed: %+v", r.Failures)
	}
	if diff := cmp.Diff([]LayoutResult{{LayoutID: "brand", Outcome: Created}}, r.Layouts); diff != "" {
		t.Errorf("layouts (-want +got):\n%s", diff)
	}
	// Created in Development, and carried to both targets by the sync of
	// the workflow that uses it.
	for _, env := range []string{"Development", "Staging", "Production"} {
		wantLayout(t, srv, env, l)
	}

	// A no-op re-run writes nothing, layouts included.
	srv.ResetCounts()
	r = apply(t, context.Background(), layoutConfig(srv, l), defs)
	if c := srv.Counts(); c.Writes() != 0 || !r.OK() {
		t.Errorf("second run wrote %d times (want 0), failures %v", c.Writes(), r.Failures)
	}
	if diff := cmp.Diff([]LayoutResult{{LayoutID: "brand", Outcome: Kept}}, r.Layouts); diff != "" {
		t.Errorf("second run layouts (-want +got):\n%s", diff)
	}

	// A changed body is one layout update, shown field by field, and the
	// unchanged workflow that uses it is synced to carry it; the other
	// workflow is left alone.
	l.Body = "<html><body>{{ content }}<footer>Bye</footer></body></html>"
	l.Name = "Brand 2"
	p = plan(t, layoutConfig(srv, l), defs)
	want := []Change{
		{Path: "name", Old: "Brand", New: "Brand 2"},
		{Path: "controlValues.email.body", Old: "<html><body><h1>Hi {{ subscriber.firstName }}</h1>{{ content }}</body></html>", New: l.Body},
	}
	if diff := cmp.Diff(want, p.Layouts[0].Changes); diff != "" {
		t.Errorf("layout changes (-want +got):\n%s", diff)
	}
	if w := p.Workflows[0]; w.Action != Unchanged || w.Targets[0].Reason != ReasonLayout || w.Targets[1].Reason != ReasonLayout {
		t.Errorf("workflow using the layout: %+v, want unchanged and synced for the layout", w)
	}
	if w := p.Workflows[1]; w.Targets[0].Action != InSync {
		t.Errorf("workflow without the layout: %+v, want in sync", w)
	}
	srv.ResetCounts()
	r = apply(t, context.Background(), layoutConfig(srv, l), defs)
	c := srv.Counts()
	if got := [3]int{c.Op("layout-update").Writes, c.Op("sync").Writes, c.Writes()}; got != [3]int{1, 2, 3} || !r.OK() {
		t.Errorf("writes: layout update, sync, total = %v, want [1 2 3]; failures %v", got, r.Failures)
	}
	for _, env := range []string{"Development", "Staging", "Production"} {
		wantLayout(t, srv, env, l)
	}
}

func TestLayoutEditedInProductionIsSyncedBack(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 8})
	defs, l := layoutDefs()
	apply(t, context.Background(), layoutConfig(srv, l), defs)
	if err := srv.EditLayout("Production", "brand", func(x *novutest.Layout) { x.Name = "Edited" }); err != nil {
		t.Fatal(err)
	}
	p := plan(t, layoutConfig(srv, l), defs)
	if diff := cmp.Diff([]string{"Production"}, p.Layouts[0].Targets); diff != "" {
		t.Errorf("layout targets (-want +got):\n%s", diff)
	}
	if got := p.Workflows[0].Targets; got[0].Action != InSync || got[1].Reason != ReasonLayout {
		t.Errorf("targets = %+v, want Staging in sync and Production synced for the layout", got)
	}
	if !p.Pending() {
		t.Error("the plan of a layout edited in Production is not pending")
	}
	apply(t, context.Background(), layoutConfig(srv, l), defs)
	wantLayout(t, srv, "Production", l)
}

func TestInvalidLayoutSendsNothing(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 9})
	defs, l := layoutDefs()
	l.Body = "<p>{{ payload.x }}</p>"
	_, err := mustEngine(t, layoutConfig(srv, l)).Plan(context.Background(), defs)
	want := `registry is invalid (3 problems; nothing was sent to Novu):
layout "brand", field "body": the body lacks <html, </html>, <body and </body>; Novu accepts an HTML layout only as a whole document
layout "brand", field "body": {{payload.x}} reads "payload", which Novu does not give a layout; a layout reads content and subscriber
layout "brand", field "body": the body has no {{ content }}, where Novu puts the email step's body`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	if n := srv.Counts().Total(); n != 0 {
		t.Errorf("an invalid layout sent %d requests", n)
	}
}

// A layout create whose answer is lost (a gateway's 502 after Novu applied
// it) is read back, not sent again: the layout is then updated with its
// body, and the run succeeds with one POST.
func TestLostLayoutCreateIsReadBackNotResent(t *testing.T) {
	var posts atomic.Int32
	lose := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && r.URL.Path == "/v2/layouts" {
				posts.Add(1)
				h.ServeHTTP(httptest.NewRecorder(), r) // applied, answer dropped
				http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	srv := newServer(t, novutest.Options{Seed: 10, Wrap: lose})
	defs, l := layoutDefs()
	r := apply(t, context.Background(), layoutConfig(srv, l), defs)
	if !r.OK() {
		t.Fatalf("run failed: %+v", r.Failures)
	}
	if n := posts.Load(); n != 1 {
		t.Errorf("%d POSTs of the layout, want 1", n)
	}
	wantLayout(t, srv, "Development", l)
}
