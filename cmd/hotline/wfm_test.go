package main_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// TestWFMErlang: hotline wfm erlang answers the worked example as the API
// does, and refuses a bad input naming it, with a non-zero exit.
func TestWFMErlang(t *testing.T) {
	bin := buildBinary(t)
	out := runCLI(t, bin, "wfm", "erlang", "--calls", "100", "--aht-seconds", "180", "--target-seconds", "20", "--shrinkage", "0.3")
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil || got["agents"] != 14.0 || got["scheduled"] != 20.0 || got["model"] != "erlang_c" {
		t.Fatalf("%v: %s", err, out)
	}
	b, err := exec.Command(bin, "wfm", "erlang", "--calls", "100", "--aht-seconds", "180", "--service-level", "80").CombinedOutput()
	if err == nil || !strings.Contains(string(b), "service_level") {
		t.Errorf("service level 80 accepted: %v %s", err, b)
	}
}
