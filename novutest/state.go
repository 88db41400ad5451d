package novutest

import (
	"cmp"
	"fmt"
	"iter"
	"maps"
	"slices"
	"time"
)

// The state of the organization: environments, their workflows, events
// and webhooks, guarded by Server.mu.

func (s *Server) envByName(name string) *envState {
	return find(slices.Values(s.envs), func(e *envState) bool { return e.Name == name })
}

func (s *Server) envByID(id string) *envState {
	return find(slices.Values(s.envs), func(e *envState) bool { return e.ID == id })
}

func (e *envState) byWorkflowID(id string) *Workflow {
	return find(maps.Values(e.workflows), func(w *Workflow) bool { return w.WorkflowID == id })
}

// lookup resolves a path value as Novu's ParseSlugIdPipe does.
func (e *envState) lookup(pathValue string) *Workflow {
	dbID, wfID := resolvePathID(pathValue)
	if dbID != "" {
		if w := e.workflows[dbID]; w != nil {
			return w
		}
		// A 24-hex workflowId is misread as an _id, as in Novu (docs/novu-api.md §0 trap 8).
		return nil
	}
	return e.byWorkflowID(wfID)
}

// find returns the first of all that match accepts, or nil.
func find[T any](all iter.Seq[*T], match func(*T) bool) *T {
	for x := range all {
		if match(x) {
			return x
		}
	}
	return nil
}

// store fills ids and computed fields of w and saves it. Callers hold s.mu.
func (s *Server) store(e *envState, w *Workflow) {
	for i := range w.Steps {
		if w.Steps[i].ID == "" {
			w.Steps[i].ID = s.newObjectID()
		}
	}
	refresh(w)
	e.workflows[w.ID] = w
}

// commit stamps w as written by the API user at, stores it in e and
// records the webhook Novu sends for it. Callers hold s.mu.
func (s *Server) commit(e *envState, w *Workflow, at, hook string) {
	w.UpdatedAt = at
	w.UpdatedBy = &User{ID: s.user}
	s.store(e, w)
	s.webhook(e, hook, w.WorkflowID)
}

// webhook records an event in e. Callers hold s.mu.
func (s *Server) webhook(e *envState, typ, workflowID string) {
	e.webhooks = append(e.webhooks, Webhook{Type: typ, WorkflowID: workflowID, Time: s.timestamp()})
}

// Workflows returns deep copies of the environment's workflows sorted by
// workflowId (then _id), or nil for an unknown environment.
func (s *Server) Workflows(envName string) []Workflow {
	return readEnv(s, envName, func(e *envState) []Workflow {
		out := make([]Workflow, 0, len(e.workflows))
		for _, w := range e.workflows {
			out = append(out, w.clone())
		}
		slices.SortFunc(out, func(a, b Workflow) int {
			return cmp.Or(cmp.Compare(a.WorkflowID, b.WorkflowID), cmp.Compare(a.ID, b.ID))
		})
		return out
	})
}

// Workflow returns a deep copy of the workflow with that workflowId.
func (s *Server) Workflow(envName, workflowID string) (Workflow, bool) {
	w := readEnv(s, envName, func(e *envState) *Workflow {
		if w := e.byWorkflowID(workflowID); w != nil {
			c := w.clone()
			return &c
		}
		return nil
	})
	if w == nil {
		return Workflow{}, false
	}
	return *w, true
}

// EditWorkflow changes a stored workflow the way a dashboard user would:
// edit sees a copy, and the result is stored with a new updatedAt and
// recomputed slug, status and issues. Steps without an _id get one.
func (s *Server) EditWorkflow(envName, workflowID string, edit func(*Workflow)) error {
	return editStored(s, envName, "workflow", workflowID, (*envState).byWorkflowID, func(e *envState, w *Workflow) {
		c := w.clone()
		edit(&c)
		c.ID, c.CreatedAt = w.ID, w.CreatedAt
		c.UpdatedAt = s.timestamp()
		s.store(e, &c)
	})
}

// editStored is what the Edit methods share: under s.mu, it finds the item
// of kind named id in the environment envName and lets change rewrite it,
// or says which of the two is not there.
func editStored[T any](s *Server, envName, kind, id string, find func(*envState, string) *T, change func(*envState, *T)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.envByName(envName)
	if e == nil {
		return fmt.Errorf("novutest: no environment %q", envName)
	}
	x := find(e, id)
	if x == nil {
		return fmt.Errorf("novutest: no %s %q in %s", kind, id, envName)
	}
	change(e, x)
	return nil
}

// PutWorkflow stores w as is (after filling _id, timestamps, origin and the
// computed fields when empty), e.g. to seed a workflow novugen did not make.
// A workflow with the same _id is replaced.
func (s *Server) PutWorkflow(envName string, w Workflow) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.envByName(envName)
	if e == nil {
		panic(fmt.Sprintf("novutest: PutWorkflow: no environment %q", envName))
	}
	c := w.clone()
	if c.ID == "" {
		c.ID = s.newObjectID()
	}
	now := s.timestamp()
	c.CreatedAt = cmp.Or(c.CreatedAt, now)
	c.UpdatedAt = cmp.Or(c.UpdatedAt, now)
	c.Origin = cmp.Or(c.Origin, originCloud)
	c.Severity = cmp.Or(c.Severity, "none")
	if c.Preferences.Default.Channels == nil {
		c.Preferences.Default = defaultPreferenceSet()
	}
	s.store(e, &c)
}

// Events returns the triggers accepted in the environment, oldest first.
func (s *Server) Events(envName string) []Event {
	return readEnv(s, envName, func(e *envState) []Event {
		out := make([]Event, len(e.events))
		for i, ev := range e.events {
			ev.Payload = cloneMap(ev.Payload)
			out[i] = ev
		}
		return out
	})
}

// Webhooks returns the webhook events Novu would have sent for the
// environment, oldest first: workflow.created, workflow.updated and
// workflow.deleted for API writes there (create, PUT, PATCH, DELETE, and
// a sync or publish into it), and workflow.published for every sync or
// publish out of it. EditWorkflow and PutWorkflow record none.
func (s *Server) Webhooks(envName string) []Webhook {
	return readEnv(s, envName, func(e *envState) []Webhook { return slices.Clone(e.webhooks) })
}

// readEnv returns what read finds in the named environment, under s.mu, or
// the zero value when there is no such environment.
func readEnv[T any](s *Server, envName string, read func(*envState) T) (found T) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.envByName(envName); e != nil {
		found = read(e)
	}
	return found
}

func (s *Server) now() time.Time { return s.opts.Now().UTC() }

// timestamp formats now as JavaScript's toISOString does.
func (s *Server) timestamp() string { return s.now().Format("2006-01-02T15:04:05.000Z") }
