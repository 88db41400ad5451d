package notify

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/novugen/novugen/internal/novu"
)

// BulkResult is the outcome of one event of SendAll.
type BulkResult struct {
	Result
	// Err is why this event was not processed: its own check failed
	// (nothing sent for it), Novu answered another status
	// (*StatusError), or its chunk's request failed.
	Err error
}

// SendAll sends any number of events through Novu's bulk endpoint, in
// chunks of 100 (its limit), Config.Concurrency chunks at a time. The
// results are in the order of events. Events whose own check failed are
// not sent and the others still are. The error is nil when every event was
// processed, and otherwise says how many were not; each BulkResult.Err
// says why.
//
// Novu charges a bulk request 100 trigger tokens whatever it holds, so
// chunks are full but the last; the rate is the trigger bucket's, in
// events per second, with far fewer requests than one event a request.
func (c *Client) SendAll(ctx context.Context, events []Event) ([]BulkResult, error) {
	out := make([]BulkResult, len(events))
	var idx []int // events to send, by position
	for i, ev := range events {
		out[i].Result = Result{WorkflowID: ev.req.Name, TransactionID: ev.req.TransactionID}
		switch {
		case ev.err != nil:
			out[i].Err = ev.err
		case ev.req.Name == "":
			out[i].Err = fmt.Errorf("notify: event %d is the zero Event; make events with NewEvent", i)
		default:
			idx = append(idx, i)
		}
	}
	var g errgroup.Group
	g.SetLimit(c.concurrency)
	for start := 0; start < len(idx); start += novu.MaxBulkEvents {
		chunk := idx[start:min(start+novu.MaxBulkEvents, len(idx))]
		g.Go(func() error {
			reqs := make([]novu.TriggerRequest, len(chunk))
			for j, i := range chunk {
				reqs[j] = events[i].req
			}
			// A chunk's failure is kept per event and does not stop the
			// other chunks.
			err := c.take(ctx, costBulk)
			var res []novu.TriggerResult
			if err == nil {
				res, err = c.nc.TriggerBulk(ctx, reqs)
			}
			if err == nil && len(res) != len(reqs) {
				err = fmt.Errorf("the answer holds %d results for %d events", len(res), len(reqs))
			}
			for j, i := range chunk {
				if err != nil {
					out[i].Err = fmt.Errorf("notify: bulk trigger of events %d–%d: %w", chunk[0], chunk[len(chunk)-1], err)
					continue
				}
				out[i].Result, out[i].Err = out[i].Result.answer(res[j])
			}
			return nil
		})
	}
	_ = g.Wait() // the goroutines return nil: failures are per event
	failed := 0
	var first error
	for _, r := range out {
		if r.Err != nil {
			if first == nil {
				first = r.Err
			}
			failed++
		}
	}
	if failed > 0 {
		return out, &BulkError{Failed: failed, Total: len(events), First: first}
	}
	return out, nil
}

// BulkError says that some events of SendAll were not processed.
type BulkError struct {
	Failed, Total int
	First         error // the first failure in input order
}

func (e *BulkError) Error() string {
	return fmt.Sprintf("notify: %d of %d events not processed; the first: %v", e.Failed, e.Total, e.First)
}

func (e *BulkError) Unwrap() error { return e.First }
