//go:build !race

package apply

// raceEnabled: see load_race_test.go.
const raceEnabled = false
