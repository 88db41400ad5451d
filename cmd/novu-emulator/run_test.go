package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestServePrintsURLFirstAndStopsCleanly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	code := make(chan int, 1)
	go func() {
		code <- serve(ctx, []string{"-addr", "127.0.0.1:0", "-seed", "5"}, pw, &stderr)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	var out []string
	for len(out) < 4 && lines.Scan() {
		out = append(out, lines.Text())
	}
	if len(out) < 4 || !strings.HasPrefix(out[0], "http://127.0.0.1:") {
		t.Fatalf("stdout %q, want the URL first and three environments", out)
	}
	base := out[0]
	var devKey string
	for i, name := range []string{"Development", "Staging", "Production"} {
		f := strings.Fields(out[i+1])
		if len(f) != 3 || f[0] != name || len(f[1]) != 24 {
			t.Errorf("environment line %q", out[i+1])
		}
		if i == 0 {
			devKey = f[2]
		}
	}
	req, _ := http.NewRequest("GET", base+"/v1/environments", nil)
	req.Header.Set("Authorization", "ApiKey "+devKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct{ Data []map[string]any }
	err = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || len(body.Data) != 3 {
		t.Fatalf("GET /v1/environments: %d %v %v", resp.StatusCode, err, body)
	}
	cancel()
	if c := <-code; c != 0 {
		t.Errorf("exit %d after stop, stderr %s", c, stderr.String())
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-addr", "0.0.0.0:0"}, "loopback only"},
		{[]string{"-p500", "2"}, "probability"},
		{[]string{"-burst429", "3"}, "N,M"},
		{[]string{"-duplicate-create", "fail"}, "suffix or conflict"},
		{[]string{"-nope"}, "flag provided but not defined"},
		{[]string{"extra"}, "unexpected arguments"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if c := serve(context.Background(), tt.args, &stdout, &stderr); c != 2 {
			t.Errorf("%q: exit %d, want 2", tt.args, c)
		}
		if !strings.Contains(stderr.String(), tt.want) || stdout.Len() != 0 {
			t.Errorf("%q: stderr %q (want %q), stdout %q", tt.args, stderr.String(), tt.want, stdout.String())
		}
	}
}
