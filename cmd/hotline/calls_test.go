package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"hotline/channel/cti/ctitest"
	"hotline/files"
	"hotline/files/filestest"
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
	key := addAPIKey(t, bin, data, "sim")
	if out := runCLI(t, bin, "callsim", "--base", base, "--key", key, "--day", "2026-11-29", "--calls", "400", "--speed", "0", "--agents", "lead,a2,a3,a4,a5,a6"); !strings.Contains(out, "已推送 400 个来电") {
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

// With --attachments s3://…, recordings (and attachments) live in the
// object store, sealed: uploaded by the platform, played to an inspector.
func TestServe_RecordingsInObjectStore(t *testing.T) {
	bin := buildBinary(t)
	data := t.TempDir()
	runCLI(t, bin, "keys", "init", "--data", data)
	runCLI(t, bin, "user", "add", "--data", data, "--username", "inspector", "--role", "inspector", "--password", "hotline12345")
	store := filestest.S3(t, "hotline", "pingxiang")
	key := addAPIKey(t, bin, data, "pbx")
	base := startCmd(t, exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0", "--attachments", store))
	if status, out := post(t, base+"/api/v1/cti/events", key, []map[string]string{
		{"call_id": "s3-1", "event": "offered", "at": "2026-11-30T09:00:00+08:00", "caller": "13907990001"},
		{"call_id": "s3-1", "event": "ended", "at": "2026-11-30T09:00:40+08:00"}}); status != 200 {
		t.Fatalf("events: %d %v", status, out)
	}
	audio := append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), bytes.Repeat([]byte("plain-audio-marker"), 50)...)
	req, _ := http.NewRequest("POST", base+"/api/v1/calls/s3-1/recording", bytes.NewReader(audio))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "audio/wav")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("upload: %v %v", resp, err)
	}
	resp.Body.Close()
	s3, err := files.OpenS3(context.Background(), store)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for obj := range s3.Client.ListObjects(context.Background(), "hotline", minio.ListObjectsOptions{Prefix: "pingxiang/", Recursive: true}) {
		b, err := s3.Get(context.Background(), strings.TrimPrefix(obj.Key, "pingxiang/"))
		if err != nil || bytes.Contains(b, []byte("plain-audio-marker")) {
			t.Errorf("object %s: readable audio or %v", obj.Key, err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d objects in the bucket, want the one recording", n)
	}
	inspector := login(t, base, "inspector")
	status, played := getStatus(t, base+"/api/v1/calls/s3-1/recording", inspector.token)
	if status != 200 || played != string(audio) {
		t.Errorf("playback from the object store: %d, %d bytes", status, len(played))
	}
}

// hotline keys rotate seals the call records' callers and the uploaded
// recordings again (and the attachments), and they still open.
func TestKeysRotate_Calls(t *testing.T) {
	bin := buildBinary(t)
	data := t.TempDir()
	runCLI(t, bin, "keys", "init", "--data", data)
	runCLI(t, bin, "user", "add", "--data", data, "--username", "lead", "--role", "team_lead", "--password", "hotline12345")
	cdr := filepath.Join(data, "cdr.csv")
	os.WriteFile(cdr, []byte("call_id,caller,queue,agent,offered_at,answered_at,ended_at\n"+
		"k-1,13907990001,12345,lead,2026-11-30 09:00:00,2026-11-30 09:00:08,2026-11-30 09:06:08\n"+
		"k-2,13907990002,12345,,2026-11-30 09:10:00,,2026-11-30 09:10:30\n"), 0o600)
	runCLI(t, bin, "calls", "import", "--data", data, cdr)
	key := addAPIKey(t, bin, data, "pbx")
	base, cmd := startServer(t, bin, data)
	audio := append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), bytes.Repeat([]byte{1, 2, 3, 4}, 100)...)
	req, _ := http.NewRequest("POST", base+"/api/v1/calls/k-1/recording", bytes.NewReader(audio))
	req.Header.Set("Authorization", "Bearer "+key)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("upload: %v %v", resp, err)
	}
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	if out := runCLI(t, bin, "keys", "rotate", "--data", data); !strings.Contains(out, "2 条话务记录、1 段录音、") {
		t.Errorf("rotate: %s", out)
	}
	base, _ = startServer(t, bin, data)
	lead := login(t, base, "lead")
	if status, body := getStatus(t, base+"/api/v1/calls/k-1/recording", lead.token); status != 200 || body != string(audio) {
		t.Errorf("the recording after the rotation: %d", status)
	}
}

// addAPIKey makes an integration key (scope cti) from the command line
// and returns it.
func addAPIKey(t *testing.T, bin, data, name string) string {
	t.Helper()
	for _, f := range strings.Fields(runCLI(t, bin, "apikey", "add", "--name", name, "--scope", "cti", "--data", data)) {
		if strings.HasPrefix(f, "hk_") {
			return f
		}
	}
	t.Fatal("apikey add printed no key")
	return ""
}
