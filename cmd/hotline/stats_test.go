package main_test

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// hotline stats check finds daily counts that no longer match the calls
// (tampered with here behind the product's back) and exits non-zero;
// stats rebuild recounts them and the check passes again.
func TestStatsCheckRebuild(t *testing.T) {
	bin := buildBinary(t)
	data := t.TempDir()
	runCLI(t, bin, "keys", "init", "--data", data)
	runCLI(t, bin, "user", "add", "--data", data, "--username", "lead", "--role", "team_lead", "--password", "hotline12345")
	cdr := filepath.Join(data, "cdr.csv")
	os.WriteFile(cdr, []byte("call_id,caller,queue,agent,offered_at,answered_at,ended_at\n"+
		"s-1,13907990001,12345,lead,2026-11-30 09:00:00,2026-11-30 09:00:08,2026-11-30 09:06:08\n"+
		"s-2,13907990002,12345,,2026-11-29 21:10:00,,2026-11-29 21:10:30\n"), 0o600)
	runCLI(t, bin, "calls", "import", "--data", data, cdr)
	if out := runCLI(t, bin, "stats", "check", "--data", data); !strings.Contains(out, "每日统计与工单、通话记录一致") {
		t.Fatalf("check: %s", out)
	}
	raw, err := sql.Open("sqlite", filepath.Join(data, "hotline.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE call_stats_daily SET offered = offered + 5 WHERE dim = 'all'`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out, err := exec.Command(bin, "stats", "check", "--data", data).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "calls all") || !strings.Contains(string(out), "2 处") {
		t.Fatalf("check after tampering (%v): %s", err, out)
	}
	if out := runCLI(t, bin, "stats", "rebuild", "--data", data); !strings.Contains(out, "按通话记录重算 2 天") {
		t.Errorf("rebuild: %s", out)
	}
	if out := runCLI(t, bin, "stats", "check", "--data", data); !strings.Contains(out, "每日统计与工单、通话记录一致") {
		t.Errorf("check after the rebuild: %s", out)
	}
}
