package main_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	_ "modernc.org/sqlite"
)

// listTickets returns the whole ticket list of a server as JSON text.
func listTickets(t *testing.T, base string) string {
	t.Helper()
	c := login(t, base, "lead")
	req, _ := http.NewRequest("GET", base+"/api/v1/tickets?page_size=200", nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v struct{ Total int }
	json.Unmarshal(b, &v)
	if v.Total == 0 {
		t.Fatalf("no tickets: %s", b)
	}
	return string(b)
}

// TestBackupRestoreAndAuditVerify backs up a serving demo database, restores
// it into a new data directory, and checks the restored server lists the
// same tickets; then tampers with the audit log and expects
// `hotline audit verify` to fail naming the entry.
func TestBackupRestoreAndAuditVerify(t *testing.T) {
	bin := buildBinary(t)
	data := t.TempDir()
	cmd := exec.Command(bin, "serve", "--demo", "--data", data, "--addr", "127.0.0.1:0")
	cmd.Env = append(cmd.Environ(), "HOTLINE_DEMO_TICKETS=30")
	base := startCmd(t, cmd)
	want := listTickets(t, base)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if out := runCLI(t, bin, "backup", "--data", data, backup); !strings.Contains(out, "已备份") {
		t.Fatalf("backup: %s", out)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()

	restored := t.TempDir()
	key, _ := os.ReadFile(filepath.Join(data, "master.key"))
	os.WriteFile(filepath.Join(restored, "master.key"), key, 0o600)
	runCLI(t, bin, "restore", "--data", restored, backup)
	base2, _ := startServer(t, bin, restored)
	if got := listTickets(t, base2); got != want {
		t.Errorf("restored server lists other tickets")
	}

	if out := runCLI(t, bin, "audit", "verify", "--data", data); !strings.Contains(out, "审计日志完整") {
		t.Fatalf("verify untouched: %s", out)
	}
	raw, err := sql.Open("sqlite", filepath.Join(data, "hotline.db"))
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	raw.QueryRow(`SELECT id FROM audit_log WHERE action = 'ticket.dispatch' ORDER BY id LIMIT 1`).Scan(&id)
	if _, err := raw.Exec(`UPDATE audit_log SET actor_name = '别人' WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out, err := exec.Command(bin, "audit", "verify", "--data", data).CombinedOutput()
	if err == nil || !strings.Contains(string(out), fmt.Sprintf("第 %d 条被篡改", id)) {
		t.Errorf("verify after tampering with entry %d: err %v, output %s", id, err, out)
	}
}
