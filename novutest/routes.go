package novutest

import (
	"fmt"
	"net/http"
)

type route struct {
	pattern  string
	op       string
	category string
	handle   func(*call) reply
}

// opUnmatched is the operation of requests no route matches. Nest's router
// answers them 404 before any guard runs, so no key, rate limit or body
// check applies to them.
const opUnmatched = "unknown"

// readOnly tells the operations that never change state; their requests
// are the Reads of Counts.
func readOnly(op string) bool {
	switch op {
	case "environments", "list", "get", "step", "diff", "layout-list", "layout-get", "layout-usage":
		return true
	}
	return false
}

// routes lists the API. The workflow routes share one category,
// Options.WorkflowRateCategory; the environment routes carry no category
// in Novu, so the throttler's default, global, applies to them.
func (s *Server) routes() []route {
	wf := s.opts.WorkflowRateCategory
	return []route{
		{"GET /v1/environments", "environments", CategoryGlobal, (*call).listEnvironments},
		{"POST /v2/workflows", "create", wf, (*call).createWorkflow},
		{"GET /v2/workflows", "list", wf, (*call).listWorkflows},
		{"GET /v2/workflows/{workflowId}", "get", wf, (*call).getWorkflow},
		{"PUT /v2/workflows/{workflowId}", "update", wf, (*call).updateWorkflow},
		{"PATCH /v2/workflows/{workflowId}", "patch", wf, (*call).patchWorkflow},
		{"DELETE /v2/workflows/{workflowId}", "delete", wf, (*call).deleteWorkflow},
		{"PUT /v2/workflows/{workflowId}/sync", "sync", wf, (*call).syncWorkflow},
		{"GET /v2/workflows/{workflowId}/steps/{stepId}", "step", wf, (*call).getStep},
		{"POST /v1/events/trigger", "trigger", CategoryTrigger, (*call).trigger},
		{"POST /v2/environments/{targetEnvironmentId}/diff", "diff", CategoryGlobal, (*call).diffEnvironments},
		{"POST /v2/environments/{targetEnvironmentId}/publish", "publish", CategoryGlobal, (*call).publishEnvironment},
		// Layouts (layouts-v2 controller: configuration category).
		{"POST /v2/layouts", "layout-create", CategoryConfiguration, (*call).createLayout},
		{"GET /v2/layouts", "layout-list", CategoryConfiguration, (*call).listLayouts},
		{"GET /v2/layouts/{layoutId}", "layout-get", CategoryConfiguration, (*call).getLayout},
		{"PUT /v2/layouts/{layoutId}", "layout-update", CategoryConfiguration, (*call).updateLayout},
		{"DELETE /v2/layouts/{layoutId}", "layout-delete", CategoryConfiguration, (*call).deleteLayout},
		{"GET /v2/layouts/{layoutId}/usage", "layout-usage", CategoryConfiguration, (*call).layoutUsage},
	}
}

func (s *Server) mux() *http.ServeMux {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) { s.run(rt, w, r) })
	}
	mux.HandleFunc("/__emulator/", s.admin)
	// Nest answers unknown routes and methods with 404 "Cannot <METHOD> <path>".
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.run(route{op: opUnmatched, category: CategoryGlobal, handle: func(c *call) reply {
			return c.nestFail(http.StatusNotFound, fmt.Sprintf("Cannot %s %s", r.Method, r.URL.Path))
		}}, w, r)
	})
	return mux
}
