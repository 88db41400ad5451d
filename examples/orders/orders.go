// Package orders is a small service that sends novugen's example
// notifications through package notify. Its test shows how a service
// asserts what it sent, typed by each workflow's payload, with the
// novutest emulator (orders_test.go).
package orders

import (
	"context"
	"fmt"

	"github.com/novugen/novugen/notify"
	"github.com/novugen/novugen/workflows"
)

// Service ships orders, pays sellers, and summarises activity.
type Service struct {
	Notify *notify.Client
}

// Order is the service's own view of an order.
type Order struct {
	ID, CustomerID    string
	Pickup            bool
	Carrier, Tracking string
	Lines             []Line
}

// Line is one line of an order.
type Line struct {
	SKU, Name string
	Quantity  int
}

// Shipped tells the customer that order o left the warehouse, and returns
// the transactionId that cancels the pending email if the parcel comes back.
func (s *Service) Shipped(ctx context.Context, o Order) (string, error) {
	method := "courier"
	if o.Pickup {
		method = "pickup"
	}
	var items []workflows.OrderItem // nil without lines: the payload check refuses it
	for _, l := range o.Lines {
		items = append(items, workflows.OrderItem{SKU: l.SKU, Name: l.Name, Quantity: l.Quantity})
	}
	res, err := notify.Trigger(ctx, s.Notify, workflows.OrderShipped, notify.SubscriberID(o.CustomerID),
		workflows.OrderShippedPayload{
			OrderID:        o.ID,
			DeliveryMethod: method,
			Shipment: workflows.Shipment{Carrier: o.Carrier, TrackingNumber: o.Tracking,
				TrackingURL: "https://track.example.com/" + o.Tracking},
			Items: items,
		},
		// One notification per order, however often this is retried.
		notify.TransactionID("order-shipped-"+o.ID))
	if err != nil {
		return "", fmt.Errorf("order %s: %w", o.ID, err)
	}
	return res.TransactionID, nil
}

// Returned cancels what Shipped left pending (the email two hours later).
func (s *Service) Returned(ctx context.Context, transactionID string) error {
	_, err := s.Notify.Cancel(ctx, transactionID)
	return err
}

// PayoutStarted tells a seller that money is on its way.
func (s *Service) PayoutStarted(ctx context.Context, sellerID string, p workflows.PayoutInitiatedPayload) error {
	_, err := notify.Trigger(ctx, s.Notify, workflows.PayoutInitiated, notify.SubscriberID(sellerID), p)
	return err
}

// Activity is something that happened in a project, for the weekly digest.
type Activity struct {
	SubscriberID string
	Title, URL   string
	Project      string
}

// Digest sends every activity to the weekly digest, in bulk; the error
// says how many were not accepted.
func (s *Service) Digest(ctx context.Context, acts []Activity) error {
	events := make([]notify.Event, len(acts))
	for i, a := range acts {
		events[i] = notify.NewEvent(workflows.WeeklyDigest, notify.SubscriberID(a.SubscriberID),
			workflows.WeeklyDigestPayload{Title: a.Title, URL: a.URL, ProjectName: a.Project})
	}
	_, err := s.Notify.SendAll(ctx, events)
	return err
}
