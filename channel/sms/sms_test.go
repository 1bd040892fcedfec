package sms_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/channel/sms"
)

// TestHTTP: the message reaches the provider signed with the secret; the
// provider's id comes back; a refusal or an answer without an id is an
// error.
func TestHTTP(t *testing.T) {
	var got map[string]string
	fail := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !sms.Verify("s3cret", body, r.Header.Get("X-Hotline-Signature")) {
			http.Error(w, "bad signature", http.StatusForbidden)
			return
		}
		json.Unmarshal(body, &got)
		if fail {
			w.Write([]byte(`{}`))
			return
		}
		w.Write([]byte(`{"id":"m-1"}`))
	}))
	defer srv.Close()
	g := &sms.HTTP{URL: srv.URL, Secret: "s3cret", Now: func() time.Time { return time.Unix(1700000000, 0) }}
	ref, err := g.Send(context.Background(), sms.Message{Phone: "13912345678", Kind: sms.KindCode, Text: sms.CodeText("123456")})
	if err != nil || ref != "m-1" || got["phone"] != "13912345678" || got["timestamp"] != "1700000000" || !strings.Contains(got["text"], "123456") {
		t.Fatalf("sent %v: %q %v", got, ref, err)
	}
	fail = true
	if _, err := g.Send(context.Background(), sms.Message{Phone: "13912345678", Text: "x"}); err == nil {
		t.Error("an answer without an id was taken as sent")
	}
	bad := &sms.HTTP{URL: srv.URL, Secret: "wrong"}
	if _, err := bad.Send(context.Background(), sms.Message{Phone: "13912345678", Text: "x"}); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("a wrongly signed message: %v", err)
	}
}

// TestFile: the demo's gateway keeps the text and masks the phone.
func TestFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sms.log")
	g := &sms.File{Path: path}
	for i := 0; i < 2; i++ {
		if _, err := g.Send(context.Background(), sms.Message{Phone: "13912345678", Kind: sms.KindReceipt, Text: sms.ReceiptText("PX20261208000001")}); err != nil {
			t.Fatal(err)
		}
	}
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), "13912345678") || strings.Count(string(raw), "PX20261208000001") != 2 || !strings.Contains(string(raw), hotline.MaskPhone("13912345678")) {
		t.Errorf("file %s", raw)
	}
}

func TestParseRating(t *testing.T) {
	for text, want := range map[string]hotline.Rating{"1": hotline.Satisfied, " 2 ": hotline.BasicallySatisfied, "3。": hotline.Unsatisfied,
		"满意": hotline.Satisfied, "不满意": hotline.Unsatisfied, "１": hotline.Satisfied} {
		if got, ok := sms.ParseRating(text); !ok || got != want {
			t.Errorf("%q: %q %v, want %q", text, got, ok, want)
		}
	}
	for _, text := range []string{"", "4", "12", "好", "谢谢"} {
		if _, ok := sms.ParseRating(text); ok {
			t.Errorf("%q read as a rating", text)
		}
	}
	if s := sms.ConclusionText("PX1", strings.Repeat("已", 80)); len([]rune(s)) > 100 || !strings.HasSuffix(s, "…") {
		t.Errorf("conclusion text %q", s)
	}
}
