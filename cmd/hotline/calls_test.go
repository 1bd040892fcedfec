package main_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hotline/channel/cti/ctitest"
)

// A day's CDR file: good rows imported, a bad row reported by line and
// field, a second import adds nothing; the figures match the rows.
func TestCallsImport(t *testing.T) {
	bin := buildBinary(t)
	data := t.TempDir()
	runCLI(t, bin, "keys", "init", "--data", data)
	runCLI(t, bin, "user", "add", "--data", data, "--username", "lead", "--role", "team_lead", "--password", "hotline12345")
	cdr := filepath.Join(data, "cdr.csv")
	os.WriteFile(cdr, []byte("\ufeffcall_id,caller,queue,agent,offered_at,answered_at,ended_at,recording\n"+
		"p-1,13907990001,12345,lead,2026-11-30 09:00:00,2026-11-30 09:00:08,2026-11-30 09:06:08,/rec/p-1.wav\n"+
		"p-2,13907990002,12345,,2026-11-30T09:10:00+08:00,,2026-11-30T09:10:30+08:00,\n"+
		"p-3,13907990003,12345,lead,2026-11-30 09:20:00,soon,2026-11-30 09:25:00,\n"+
		"p-4,13907990004,12345,,,,,\n"), 0o600)
	out, err := exec.Command(bin, "calls", "import", "--data", data, cdr).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "第 4 行：answered_at") || !strings.Contains(string(out), "第 5 行：offered_at") ||
		!strings.Contains(string(out), "已导入 5 个通话事件（2 个通话）") {
		t.Fatalf("first import (%v):\n%s", err, out)
	}
	out, _ = exec.Command(bin, "calls", "import", "--data", data, cdr).CombinedOutput()
	if !strings.Contains(string(out), "已导入 0 个通话事件（0 个通话），5 个此前已有") {
		t.Errorf("second import:\n%s", out)
	}
	base, _ := startServer(t, bin, data)
	lead := login(t, base, "lead")
	status, body := getStatus(t, base+"/api/v1/calls/stats?from=2026-11-30&to=2026-11-30", lead.token)
	want := `{"abandoned":1,"answer_rate":0.5,"answered":1,"avg_talk_seconds":360,"avg_wait_seconds":8,"offered":2,"service_level_15s":0.5}`
	if status != 200 || strings.TrimSpace(body) != want {
		t.Errorf("figures after the import: %d %s\nwant %s", status, body, want)
	}
	// A simulated day through the webhook, as fast as it goes.
	added := runCLI(t, bin, "apikey", "add", "--name", "sim", "--data", data)
	key := ""
	for _, f := range strings.Fields(added) {
		if strings.HasPrefix(f, "hk_") {
			key = f
		}
	}
	if out := runCLI(t, bin, "callsim", "--base", base, "--key", key, "--day", "2026-11-29", "--calls", "400", "--speed", "0", "--agents", "lead"); !strings.Contains(out, "已推送 400 个来电") {
		t.Fatalf("callsim: %s", out)
	}
	var sim struct {
		Offered, Answered, Abandoned int
		AnswerRate                   float64 `json:"answer_rate"`
		AvgTalk                      float64 `json:"avg_talk_seconds"`
	}
	_, raw := getStatus(t, base+"/api/v1/calls/stats?from=2026-11-29&to=2026-11-29", lead.token)
	json.Unmarshal([]byte(raw), &sim)
	t.Logf("a simulated day of 400 calls: %+v", sim)
	if sim.Offered != 400 || sim.Answered+sim.Abandoned != 400 || sim.Abandoned == 0 || sim.AnswerRate < 0.7 || sim.AvgTalk < 250 || sim.AvgTalk > 500 {
		t.Errorf("a simulated day: %+v", sim)
	}
	for _, f := range []string{"hotline.db", "hotline.db-wal"} {
		if b, _ := os.ReadFile(filepath.Join(data, f)); strings.Contains(string(b), "13907990001") {
			t.Errorf("a caller's number in plaintext in %s", f)
		}
	}
}

// serve --cti connects to the switch's event socket: the recorded frames
// become call figures, and the password stays out of the log.
func TestServe_FreeSWITCH(t *testing.T) {
	bin := buildBinary(t)
	data := t.TempDir()
	runCLI(t, bin, "keys", "init", "--data", data)
	runCLI(t, bin, "user", "add", "--data", data, "--username", "lead", "--role", "team_lead", "--password", "hotline12345")
	sw := ctitest.StartSwitch(t, "S3cret-ESL", ctitest.RecordedFrames(t, "../../channel/cti/testdata/freeswitch_events.txt"))
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0", "--cti", "freeswitch://"+sw.Addr()+"?password=S3cret-ESL")
	var log strings.Builder
	cmd.Stderr = &log
	base := startCmd(t, cmd)
	lead := login(t, base, "lead")
	var body string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, body = getStatus(t, base+"/api/v1/calls/stats?from=2026-11-30&to=2026-11-30", lead.token); strings.Contains(body, `"offered":3`) {
			break
		}
	}
	want := `{"abandoned":2,"answer_rate":0.3333333333333333,"answered":1,"avg_talk_seconds":299.5,"avg_wait_seconds":12.25,"offered":3,"service_level_15s":0.3333333333333333}`
	if strings.TrimSpace(body) != want {
		t.Errorf("figures from the event socket: %s\nwant %s", body, want)
	}
	_, metrics := getStatus(t, base+"/metrics", "")
	if !strings.Contains(metrics, `hotline_cti_connected{stream="freeswitch"} 1`) {
		t.Errorf("no connected gauge in /metrics")
	}
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	if !strings.Contains(log.String(), "telephony event socket connected") || strings.Contains(log.String(), "S3cret-ESL") {
		t.Errorf("the event socket's log (connected, without its password):\n%s", log.String())
	}
	if out, err := exec.Command(bin, "serve", "--data", data, "--cti", "freeswitch://pbx:8021").CombinedOutput(); err == nil || !strings.Contains(string(out), "缺少 password") {
		t.Errorf("a --cti without password: %v %s", err, out)
	}
}
