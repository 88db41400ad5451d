package main

import "github.com/novugen/novugen/internal/cli"

func main() {
	// SIGINT/SIGTERM end the context: apply starts nothing new, lets writes
	// in flight finish, prints the report and exits 1.
	cli.Main(run)
}
