package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// FuzzCreateTicket posts arbitrary bodies to the ticket intake: the answer
// is 201 or a 400 naming a field, never a 500, and a 201 is readable back.
func FuzzCreateTicket(f *testing.F) {
	e := MustServer(f)
	good, _ := json.Marshal(map[string]any{"channel": "phone", "appeal_kind": "consult", "category_id": e.cat, "urgency": "normal",
		"title": "停水", "content": "停水", "requester": map[string]any{"name": "王", "phone": "13912345678"}, "location": map[string]any{"address": "x"}})
	for _, s := range []string{string(good), "{}", "", "[]", `{"title":1}`, `{"requester":{"phone":"+86 ０１２"}}`, `{"location":{"lat":1e400}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/tickets", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+e.tokens["agent"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			ID    int64
			Error struct{ Code, Field string }
		}
		raw := new(bytes.Buffer)
		raw.ReadFrom(resp.Body)
		json.Unmarshal(raw.Bytes(), &out)
		switch resp.StatusCode {
		case 201:
			if out.ID == 0 {
				t.Fatalf("201 without an id: %s", raw)
			}
		case 400:
			if out.Error.Code != "invalid" || out.Error.Field == "" {
				t.Fatalf("400 without a field: %s", raw)
			}
		default:
			t.Fatalf("status %d for %q: %s", resp.StatusCode, body, raw)
		}
	})
}
