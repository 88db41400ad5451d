package novutest

import (
	"fmt"
	"net/http"
)

type route struct {
	pattern  string
	op       string
	read     bool // never changes state: its requests are the Reads of Counts
	category string
	handle   func(*call) reply
	cost     int // tokens taken from the category's bucket; 0 means costSingle
}

// opUnmatched is the operation of requests no route matches. Nest's router
// answers them 404 before any guard runs, so no key, rate limit or body
// check applies to them.
const opUnmatched = "unknown"

// The values of route.read, so that the table says which it is.
const (
	reads   = true
	changes = false
)

// routes lists the API, in this one place. The workflow routes share one category,
// Options.WorkflowRateCategory; the environment routes carry no category
// in Novu, so the throttler's default, global, applies to them.
func (s *Server) routes() []route {
	wf := s.opts.WorkflowRateCategory
	return []route{
		{"GET /v1/environments", "environments", reads, CategoryGlobal, (*call).listEnvironments, 0},
		{"POST /v2/workflows", "create", changes, wf, (*call).createWorkflow, 0},
		{"GET /v2/workflows", "list", reads, wf, (*call).listWorkflows, 0},
		{"GET /v2/workflows/{workflowId}", "get", reads, wf, workflowAt.get, 0},
		{"PUT /v2/workflows/{workflowId}", "update", changes, wf, (*call).updateWorkflow, 0},
		{"PATCH /v2/workflows/{workflowId}", "patch", changes, wf, (*call).patchWorkflow, 0},
		{"DELETE /v2/workflows/{workflowId}", "delete", changes, wf, (*call).deleteWorkflow, 0},
		{"PUT /v2/workflows/{workflowId}/sync", "sync", changes, wf, object((*call).syncWorkflow), 0},
		{"GET /v2/workflows/{workflowId}/steps/{stepId}", "step", reads, wf, (*call).getStep, 0},
		{"POST /v1/events/trigger", "trigger", changes, CategoryTrigger, object((*call).trigger), 0},
		{"POST /v1/events/trigger/bulk", "bulk", changes, CategoryTrigger, object((*call).triggerBulk), costBulk},
		{"POST /v1/events/trigger/broadcast", "broadcast", changes, CategoryTrigger, object((*call).broadcast), costBulk},
		{"DELETE /v1/events/trigger/{transactionId}", "cancel", changes, CategoryTrigger, (*call).cancelTrigger, 0},
		{"POST /v2/environments/{targetEnvironmentId}/diff", "diff", reads, CategoryGlobal, object((*call).diffEnvironments), 0},
		{"POST /v2/environments/{targetEnvironmentId}/publish", "publish", changes, CategoryGlobal, object((*call).publishEnvironment), 0},
		// Environment variables are configuration, throttled as such
		// (environment-variables.controller.ts).
		{"GET /v1/environment-variables", "env-vars", reads, CategoryConfiguration, (*call).listEnvVars, 0},
		{"POST /v1/environment-variables", "env-var-create", changes, CategoryConfiguration, (*call).createEnvVar, 0},
		{"GET /v1/environment-variables/{variableKey}", "env-var", reads, CategoryConfiguration, (*call).getEnvVar, 0},
		{"PATCH /v1/environment-variables/{variableKey}", "env-var-update", changes, CategoryConfiguration, (*call).updateEnvVar, 0},
		{"DELETE /v1/environment-variables/{variableKey}", "env-var-delete", changes, CategoryConfiguration, (*call).deleteEnvVar, 0},
		// Layouts (layouts-v2 controller: configuration category).
		{"POST /v2/layouts", "layout-create", changes, CategoryConfiguration, (*call).createLayout, 0},
		{"GET /v2/layouts", "layout-list", reads, CategoryConfiguration, (*call).listLayouts, 0},
		{"GET /v2/layouts/{layoutId}", "layout-get", reads, CategoryConfiguration, layoutAt.get, 0},
		{"PUT /v2/layouts/{layoutId}", "layout-update", changes, CategoryConfiguration, (*call).updateLayout, 0},
		{"DELETE /v2/layouts/{layoutId}", "layout-delete", changes, CategoryConfiguration, (*call).deleteLayout, 0},
		{"GET /v2/layouts/{layoutId}/usage", "layout-usage", reads, CategoryConfiguration, (*call).layoutUsage, 0},
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
