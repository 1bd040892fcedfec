package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfig_LayersAndErrors: the example file passes `config check`; a
// file's value is overridden by the environment and the environment by a
// flag; an unknown key, a bad value (from the file or the environment)
// and a broken file are errors that name the key, or the line.
func TestConfig_LayersAndErrors(t *testing.T) {
	bin := buildBinary(t)
	if out := runCLI(t, bin, "config", "check", "../../docs/hotline.example.toml"); !strings.Contains(out, "无误") || !strings.Contains(out, "lookup_alert_window") {
		t.Errorf("example: %s", out)
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o600)
		return p
	}
	fail := func(want string, env []string, args ...string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), want) {
			t.Errorf("hotline %s (%v): err %v, want %q in:\n%s", strings.Join(args, " "), env, err, want, out)
		}
	}
	fail("adress", nil, "config", "check", write("typo.toml", "adress = \"0.0.0.0:80\"\n"))
	fail("lookup_per_minute", nil, "config", "check", write("bad.toml", "[lookup]\nper_minute = 0\n"))
	fail("drain", nil, "config", "check", write("dur.toml", "drain = \"ten seconds\"\n"))
	fail("第 1 行", nil, "config", "check", write("broken.toml", "addr = \n"))
	fail("HOTLINE_SWEEP_INTERVAL", []string{"HOTLINE_SWEEP_INTERVAL=soon"}, "config", "check", write("ok.toml", "addr = \"127.0.0.1:0\"\n"))

	// Layers: the file says one data directory, the environment another,
	// a flag a third; each wins over the one before.
	data := func(name string) string { return filepath.Join(dir, name) }
	cfg := write("layers.toml", "data = \""+data("from-file")+"\"\n")
	run := func(env []string, args ...string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("hotline %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run(nil, "keys", "init", "--config", cfg)
	run([]string{"HOTLINE_CONFIG=" + cfg, "HOTLINE_DATA=" + data("from-env")}, "keys", "init")
	run([]string{"HOTLINE_DATA=" + data("from-env")}, "keys", "init", "--config", cfg, "--data", data("from-flag"))
	for _, d := range []string{"from-file", "from-env", "from-flag"} {
		if _, err := os.Stat(filepath.Join(data(d), "master.key")); err != nil {
			t.Errorf("no key file in %s: the layers did not apply", d)
		}
	}
}
