package main_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
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

// uploadPhoto attaches a small PNG to a ticket as the user and returns
// the attachment's id.
func uploadPhoto(t *testing.T, base, token string, ticket int64) int64 {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var pic bytes.Buffer
	png.Encode(&pic, img)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile("file", "现场.png")
	w.Write(pic.Bytes())
	mw.Close()
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/tickets/%d/attachments", base, ticket), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Items []struct{ ID int64 } }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 201 || len(out.Items) != 1 {
		t.Fatalf("upload: %d %v", resp.StatusCode, err)
	}
	return out.Items[0].ID
}

func getStatus(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestBackupRestoreAndAuditVerify backs up a serving demo database, restores
// it into a new data directory, and checks the restored server lists the
// same tickets; then tampers with the audit log and expects
// `hotline audit verify` to fail naming the entry.
func TestBackupRestoreAndAuditVerify(t *testing.T) {
	bin := buildBinary(t)
	data := t.TempDir()
	cmd := exec.Command(bin, "serve", "--demo", "--data", data, "--addr", "127.0.0.1:0")
	cmd.Env = append(cmd.Environ(), "HOTLINE_DEMO_TICKETS=30", "HOTLINE_DEMO_CALLS=30", "HOTLINE_DEMO_HISTORY=0")
	base := startCmd(t, cmd)
	want := listTickets(t, base)
	backup := filepath.Join(t.TempDir(), "backup.db")
	// An attachment, to find again in the restored copy.
	lead := login(t, base, "lead")
	_, open := getStatus(t, base+"/api/v1/tickets?status=handling&page_size=1", lead.token)
	var handling struct{ Items []struct{ ID int64 } }
	if err := json.Unmarshal([]byte(open), &handling); err != nil || len(handling.Items) == 0 {
		t.Fatalf("no ticket in hand in the demo: %v", err)
	}
	photo := uploadPhoto(t, base, lead.token, handling.Items[0].ID)
	_, original := getStatus(t, fmt.Sprintf("%s/api/v1/attachments/%d", base, photo), lead.token)
	if out := runCLI(t, bin, "backup", "--data", data, backup); !strings.Contains(out, "已备份") || !strings.Contains(out, "附件") {
		t.Fatalf("backup: %s", out)
	}
	for _, f := range []string{backup, filepath.Join(data, "hotline.db"), filepath.Join(data, "hotline.db-wal"), filepath.Join(data, "master.key")} {
		if st, err := os.Stat(f); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v (%v), want 0600", f, st.Mode().Perm(), err)
		}
	}
	if st, _ := os.Stat(data); st.Mode().Perm() != 0o700 {
		t.Errorf("data directory mode %v, want 0700", st.Mode().Perm())
	}

	// Accounts from the command line while the server runs on the file.
	water := login(t, base, "util-water")
	runCLI(t, bin, "user", "disable", "util-water", "--data", data)
	if status, _ := getStatus(t, base+"/api/v1/me", water.token); status != 401 {
		t.Errorf("token of a user disabled from the CLI: %d", status)
	}
	if out := runCLI(t, bin, "user", "list", "--data", data); !strings.Contains(out, "util-water") || !strings.Contains(out, "停用") {
		t.Errorf("user list: %s", out)
	}
	runCLI(t, bin, "user", "enable", "util-water", "--data", data)
	login(t, base, "util-water")
	if out := runCLI(t, bin, "user", "set-role", "inspector", "analyst", "--data", data); !strings.Contains(out, "数据分析员") {
		t.Errorf("set-role: %s", out)
	}
	if out, err := exec.Command(bin, "user", "set-role", "inspector", "unit", "--data", data).CombinedOutput(); err == nil {
		t.Errorf("a unit role without a unit was accepted: %s", out)
	}
	reset := runCLI(t, bin, "user", "reset-password", "callback", "--data", data)
	pw := strings.Fields(strings.SplitN(reset, "为 ", 2)[1])[0]
	pw = strings.TrimSuffix(pw, "；下次登录须修改")
	if status, res := post(t, base+"/api/v1/auth/login", "", map[string]string{"username": "callback", "password": pw}); status != 200 ||
		res["user"].(map[string]any)["must_change_password"] != true {
		t.Errorf("login with the reset password %q: %d %v", pw, status, res)
	}

	// An integration key made from the command line while the server runs.
	apiKey := addAPIKey(t, bin, data, "pbx")
	event := map[string]string{"call_id": "cli-1", "event": "offered", "at": "2026-11-30T09:00:00+08:00", "caller": "13907990001"}
	if status, res := post(t, base+"/api/v1/cti/events", apiKey, event); apiKey == "" || status != 200 || res["accepted"] != 1.0 {
		t.Errorf("event with the CLI's key %q: %d %v", apiKey, status, res)
	}
	if out := runCLI(t, bin, "apikey", "list", "--data", data); !strings.Contains(out, "pbx") || !strings.Contains(out, "有效") {
		t.Errorf("apikey list: %s", out)
	}
	runCLI(t, bin, "apikey", "revoke", "1", "--data", data)
	if status, _ := post(t, base+"/api/v1/cti/events", apiKey, event); status != 401 {
		t.Errorf("event with a revoked key: %d", status)
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
	if status, got := getStatus(t, fmt.Sprintf("%s/api/v1/attachments/%d", base2, photo), login(t, base2, "lead").token); status != 200 || got != original || len(original) < 100 {
		t.Errorf("the restored attachment: %d, %d bytes (original %d)", status, len(got), len(original))
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
