// Package workflows declares the Novu workflows this module manages, each
// with the payload struct its trigger sends.
//
// They are the three workflows of Novu's "managing workflows" recipe and are
// meant to be copied: payout-initiated (an Inbox notice and a receipt email),
// weekly-digest (a week of events collected into one email) and
// order-shipped (an Inbox notice, a wait, and an email that pickup orders
// skip). One file per workflow; the payload struct sits next to the
// workflow that reads it.
//
// After changing a workflow, run go generate ./... to validate every
// declaration and rewrite ../gen; commit both.
package workflows

//go:generate go run ../cmd/novugen -out ../gen .
