//go:build race

package apply

// raceEnabled: under the race detector every request costs about ten times
// more CPU, so TestSustainedLoad runs fewer workflows.
const raceEnabled = true
