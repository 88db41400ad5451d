package novutest

import (
	"fmt"
	"net"
	"net/http"
)

// admin serves the inspection endpoints of a running emulator:
//
//	GET /__emulator/state   environments (with keys), their workflows,
//	                        triggered events and webhooks (Server.Webhooks)
//	GET /__emulator/counts  request counts per operation and environment:
//	                        {"total", "reads", "writes", "inFlight", "counts":
//	                        [{"Op", "Env", "Requests", "Reads", "Writes", "Cut",
//	                        "Status"}], "webhooks": {env: {type: n}}};
//	                        inFlight is Server.InFlight
//
// They answer only to loopback clients, since the state includes secret keys.
func (s *Server) admin(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		http.Error(w, "forbidden: the emulator admin endpoints answer loopback clients only", http.StatusForbidden)
		return
	}
	if r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var v any
	switch r.URL.Path {
	case "/__emulator/state":
		type envOut struct {
			Environment
			Workflows []Workflow `json:"workflows"`
			Events    []Event    `json:"events"`
			Webhooks  []Webhook  `json:"webhooks"`
		}
		var out []envOut
		for _, e := range s.Environments() {
			out = append(out, envOut{Environment: e, Workflows: s.Workflows(e.Name), Events: s.Events(e.Name),
				Webhooks: s.Webhooks(e.Name)})
		}
		v = map[string]any{"environments": out}
	case "/__emulator/counts":
		type row struct {
			Op, Env  string
			Requests int
			Reads    int
			Writes   int
			Cut      int
			Status   map[string]int
		}
		counts := s.Counts()
		rows := []row{}
		for _, k := range counts.keys() {
			c := counts[k]
			st := map[string]int{}
			for code, n := range c.Status {
				st[fmt.Sprint(code)] = n
			}
			rows = append(rows, row{k.Op, k.Env, c.Requests, c.Reads, c.Writes, c.Cut, st})
		}
		// Webhooks are counted so that a test of a running emulator can
		// show that a needless write or sync is not free for the user.
		hooks := map[string]map[string]int{}
		for _, e := range s.Environments() {
			n := map[string]int{}
			for _, h := range s.Webhooks(e.Name) {
				n[h.Type]++
			}
			hooks[e.Name] = n
		}
		v = map[string]any{"total": counts.Total(), "reads": counts.Reads(), "writes": counts.Writes(),
			"inFlight": s.InFlight(), "counts": rows, "webhooks": hooks}
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(mustJSON(v))
}
