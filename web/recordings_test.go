package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hotline"
	"hotline/files"
	"hotline/sqldb/sqldbtest"
)

// wav is a second of 8 kHz, 16-bit mono sound: a real WAV file.
func wav() []byte {
	b, err := os.ReadFile("../demo/recording.wav") // the demo's three seconds of tone
	if err != nil {
		panic(err)
	}
	return b
}

// uploadRecording posts a recording body as the platform.
func (e *env) uploadRecording(key, callID string, data []byte) int {
	e.tb.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/calls/"+callID+"/recording", bytes.NewReader(data))
	req.Header.Set("Content-Type", "audio/wav")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.tb.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// Recordings: uploaded by the platform (audio only), played to the
// inspectors, team leads, managers and the call's own agent, each playback
// audited once; to anyone else the recording does not exist.
func TestAPI_Recordings(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { testRecordings(t, MustServerOn(t, d)) })
	}
}

func testRecordings(t *testing.T, e *env) {
	ctx := context.Background()
	e.addUser("agent2", hotline.RoleCallAgent, 0)
	e.addUser("qa", hotline.RoleInspector, 0)
	key := e.ctiKey()
	if code, out := e.postEvents(key, []any{ev("R", "offered", "10:00:00"), ev("R", "answered", "10:00:05", "agent", "agent"), ev("R", "ended", "10:03:05")}); code != 200 {
		t.Fatalf("events: %d %v", code, out)
	}
	audio := wav()
	for _, c := range []struct {
		key, id string
		body    []byte
		want    int
	}{{"", "R", audio, 401}, {key, "nope", audio, 404}, {key, "R", []byte("这不是录音"), 400}, {key, "R", nil, 400}, {key, "R", audio, 200}} {
		if got := e.uploadRecording(c.key, c.id, c.body); got != c.want {
			t.Errorf("upload to %s (%d bytes): %d, want %d", c.id, len(c.body), got, c.want)
		}
	}
	before := e.auditCount(ctx, "call.listen")
	for who, want := range map[string]int{"qa": 200, "lead": 200, "agent": 200, "agent2": 404, "dispatcher": 404, "util-water": 404} {
		code, body := e.fetch(who, "GET", "/api/v1/calls/R/recording")
		if code != want || (want == 200 && !bytes.Equal(body, audio)) {
			t.Errorf("%s plays the recording: %d (%d bytes), want %d", who, code, len(body), want)
		}
	}
	if n := e.auditCount(ctx, "call.listen"); n != before+3 {
		t.Errorf("%d playbacks audited, want 3", n-before)
	}
	// The player's next ranges are the same playback.
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/calls/R/recording", nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens["qa"])
	req.Header.Set("Range", "bytes=8000-")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 206 || e.auditCount(ctx, "call.listen") != before+3 {
		t.Errorf("a later range: %d, audited again %v", resp.StatusCode, e.auditCount(ctx, "call.listen") != before+3)
	}
	// A rotation of the data key seals the caller and the recording again.
	p, err := e.db.RotateDataKey(ctx, e.actor("admin"), nil)
	if err != nil || p.Calls != 1 || p.Recordings != 1 {
		t.Errorf("rotation %+v (%v): want the call's caller and its recording sealed again", p, err)
	}
	raw, _ := sql.Open(map[bool]string{true: "pgx", false: "sqlite"}[strings.HasPrefix(e.dsn, "postgres")], e.dsn)
	var old int
	raw.QueryRow(`SELECT COUNT(*) FROM calls WHERE (caller_phone <> '' AND key_id <> $1) OR (recording_key <> '' AND recording_key_id <> $1)`, p.KeyID).Scan(&old)
	raw.Close()
	if code, body := e.fetch("qa", "GET", "/api/v1/calls/R/recording"); old != 0 || code != 200 || !bytes.Equal(body, audio) {
		t.Errorf("after the rotation: %d calls under an old key; playback %d", old, code)
	}
	if c, err := e.db.FindCall(ctx, e.actor("lead"), "R"); err != nil || c.Caller != "139****0001" {
		t.Errorf("the caller after the rotation: %+v %v", c, err)
	}
	// Sealed in the store.
	root := e.db.Files.(files.Dir).Root
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(path); bytes.Contains(b, []byte("RIFF")) {
				t.Errorf("%s holds the recording in plain", path)
			}
		}
		return nil
	})
}

// Recordings the platform keeps and names by reference: played from the
// configured directory or base URL (audited like an upload); a reference
// outside them, or to something that is not audio, plays nothing.
func TestAPI_RecordingReferences(t *testing.T) {
	e := MustServerOn(t, "sqlite")
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "2026-11-30"), 0o700)
	os.WriteFile(filepath.Join(dir, "2026-11-30", "d1.wav"), wav(), 0o600)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not audio at all"), 0o600)
	outside := filepath.Join(t.TempDir(), "secret.wav")
	os.WriteFile(outside, wav(), 0o600)
	os.Symlink(outside, filepath.Join(dir, "link.wav"))
	pbx := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer pbx.Close()
	e.db.Recordings = files.Refs{Dir: dir}
	key := e.ctiKey()
	refs := map[string]string{"d1": filepath.Join(dir, "2026-11-30", "d1.wav"), "d2": "2026-11-30/d1.wav", "d3": outside,
		"d4": dir + "/../" + filepath.Base(filepath.Dir(outside)) + "/secret.wav", "d5": filepath.Join(dir, "notes.txt"),
		"d6": filepath.Join(dir, "link.wav"), "d7": pbx.URL + "/2026-11-30/d1.wav", "d8": "http://elsewhere.example/2026-11-30/d1.wav",
		"d9": filepath.Join(dir, "missing.wav")}
	var events []any
	for id, ref := range refs {
		events = append(events, ev(id, "offered", "11:00:00"), ev(id, "answered", "11:00:05", "agent", "agent"), ev(id, "ended", "11:02:05", "recording", ref))
	}
	if code, out := e.postEvents(key, events); code != 200 {
		t.Fatalf("events: %d %v", code, out)
	}
	ctx := context.Background()
	play := func(id string) int {
		code, body := e.fetch("lead", "GET", "/api/v1/calls/"+id+"/recording")
		if code == 200 && !bytes.Equal(body, wav()) {
			t.Errorf("%s played other bytes", id)
		}
		return code
	}
	before := e.auditCount(ctx, "call.listen")
	for id, want := range map[string]int{"d1": 200, "d2": 200, "d3": 404, "d4": 404, "d5": 404, "d6": 404, "d7": 404, "d8": 404, "d9": 404} {
		if got := play(id); got != want {
			t.Errorf("reference %s (%s) plays %d, want %d", id, refs[id], got, want)
		}
	}
	if n := e.auditCount(ctx, "call.listen"); n != before+2 {
		t.Errorf("%d playbacks audited, want 2", n-before)
	}
	if code, _ := e.fetch("dispatcher", "GET", "/api/v1/calls/d1/recording"); code != 404 {
		t.Errorf("a dispatcher plays a referenced recording: %d", code)
	}
	e.db.Recordings = files.Refs{BaseURL: pbx.URL + "/"}
	for id, want := range map[string]int{"d7": 200, "d8": 404, "d1": 404} {
		if got := play(id); got != want {
			t.Errorf("with the base URL, %s plays %d, want %d", id, got, want)
		}
	}
}
