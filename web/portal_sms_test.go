package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"

	"hotline"
	"hotline/channel/sms"
	"hotline/jobs"
	"hotline/web"
)

// TestSMS_RatingReply: a concluded ticket's citizen is texted the reply
// and asked to rate it, once (the notifier run twice); their reply "2"
// posted by the provider, signed, rates it 基本满意 as the callback
// result; a wrongly signed reply is refused with 403 and changes
// nothing; a reply that is not a rating is ignored.
func TestSMS_RatingReply(t *testing.T) {
	p := mustPortal(t, "sqlite", 0)
	s := p.srv.Config.Handler.(*web.Server)
	s.SMSSecret = "inbound-secret"
	tk := p.concluded(nil) // requester 13912345678
	n := &jobs.SMSNotifier{DB: p.db, SMS: s.SMS, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for i := 0; i < 2; i++ {
		if _, err := n.Once(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	raw, _ := os.ReadFile(p.outbox)
	if strings.Count(string(raw), `"kind":"conclusion"`) != 1 || strings.Count(string(raw), `"kind":"rating"`) != 1 ||
		!strings.Contains(string(raw), "管道已修复") || strings.Contains(string(raw), "13912345678") {
		t.Fatalf("outbox: %s", raw)
	}
	post := func(secret string, body map[string]string) (int, map[string]string) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", p.srv.URL+"/sms/inbound", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Hotline-Signature", sms.Sign(secret, b))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out := map[string]string{}
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	if code, _ := post("wrong", map[string]string{"phone": "13912345678", "text": "3"}); code != 403 {
		t.Errorf("a wrongly signed reply: %d", code)
	}
	if code, out := post("inbound-secret", map[string]string{"phone": "13912345678", "text": "谢谢"}); code != 200 || out["status"] != "ignored" {
		t.Errorf("a thank-you: %d %v", code, out)
	}
	var got hotline.Ticket
	p.call("dispatcher", "GET", fmt.Sprintf("/api/v1/tickets/%d", tk.ID), nil, 200, &got)
	if got.CallbackDone {
		t.Fatal("rated before the rating reply")
	}
	if code, out := post("inbound-secret", map[string]string{"phone": "+86 139 1234 5678", "text": "2"}); code != 200 || out["status"] != "rated" || out["number"] != tk.Number {
		t.Fatalf("the rating reply: %d %v", code, out)
	}
	p.call("dispatcher", "GET", fmt.Sprintf("/api/v1/tickets/%d", tk.ID), nil, 200, &got)
	if !got.CallbackDone || got.Rating != hotline.BasicallySatisfied {
		t.Errorf("after the reply: %v %q", got.CallbackDone, got.Rating)
	}
	if code, out := post("inbound-secret", map[string]string{"phone": "13912345678", "text": "3"}); code != 200 || out["status"] != "ignored" {
		t.Errorf("a second reply: %d %v", code, out)
	}
}
