// Package types holds payload types that another package declares
// workflows with: novugen sees them through export data.
package types

type Event struct {
	Name string      `json:"name"`
	Sink chan string `json:"sink"`
	*Meta
	Hook
}

type Meta struct {
	Trace func() `json:"trace"`
}

// Hook is embedded, so the field takes its name from the type.
type Hook func()
