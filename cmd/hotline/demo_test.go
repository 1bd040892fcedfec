package main_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"testing"
)

// client talks to a running server as one user.
type client struct {
	t     *testing.T
	base  string
	token string
}

func login(t *testing.T, base, user string) *client {
	t.Helper()
	status, out := post(t, base+"/api/v1/auth/login", "", map[string]string{"username": user, "password": "hotline12345"})
	if status != 200 {
		t.Fatalf("login %s: %d %v", user, status, out)
	}
	return &client{t: t, base: base, token: out["token"].(string)}
}

func (c *client) do(path string, body any, want int) map[string]any {
	c.t.Helper()
	status, out := post(c.t, c.base+path, c.token, body)
	if status != want {
		c.t.Fatalf("POST %s: %d, want %d: %v", path, status, want, out)
	}
	return out
}

func (c *client) get(path string, out any) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		c.t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	json.NewDecoder(resp.Body).Decode(out)
}

// TestServeDemo_Lifecycle starts `hotline serve --demo` and walks one new
// ticket through the whole lifecycle as the demo users, including a return
// and a re-dispatch, as a person with curl would.
func TestServeDemo_Lifecycle(t *testing.T) {
	bin := buildBinary(t)
	cmd := exec.Command(bin, "serve", "--demo", "--data", t.TempDir(), "--addr", "127.0.0.1:0")
	cmd.Env = append(cmd.Environ(), "HOTLINE_DEMO_TICKETS=40", "HOTLINE_DEMO_CALLS=100", "HOTLINE_DEMO_HISTORY=5")
	base := startCmd(t, cmd)
	agent, dispatcher, callback, lead := login(t, base, "agent"), login(t, base, "dispatcher"), login(t, base, "callback"), login(t, base, "lead")
	water, urban := login(t, base, "util-water"), login(t, base, "dept-urban")

	var units struct {
		Items []struct {
			ID   int64
			Code string
		}
	}
	agent.get("/api/v1/units", &units)
	ids := map[string]int64{}
	for _, u := range units.Items {
		ids[u.Code] = u.ID
	}
	var cats struct {
		Items []struct {
			ID   int64
			Path string
		}
	}
	agent.get("/api/v1/categories", &cats)
	var stopWater int64
	for _, c := range cats.Items {
		if c.Path == "公共事业/供水/停水" {
			stopWater = c.ID
		}
	}
	var sug struct {
		LeadUnitID int64 `json:"lead_unit_id"`
	}
	dispatcher.get(fmt.Sprintf("/api/v1/catalogue/suggest?category_id=%d&region_unit_id=%d", stopWater, ids["anyuan"]), &sug)
	if sug.LeadUnitID != ids["util-water"] {
		t.Fatalf("catalogue suggests unit %d for 停水, want util-water %d", sug.LeadUnitID, ids["util-water"])
	}

	tk := agent.do("/api/v1/tickets", map[string]any{"channel": "phone", "appeal_kind": "complaint", "category_id": stopWater,
		"urgency": "normal", "title": "凤凰街停水", "content": "凤凰街小区停水两天", "submit": true,
		"requester": map[string]any{"name": "王五", "phone": "13912345678"},
		"location":  map[string]any{"address": "安源区凤凰街", "unit_id": ids["anyuan"]}}, 201)
	p := fmt.Sprintf("/api/v1/tickets/%v/", tk["id"])
	dispatcher.do(p+"dispatch", map[string]any{"lead_unit_id": ids["dept-urban"]}, 200)
	urban.do(p+"return", map[string]any{"reason": "停水属供水企业职责"}, 200)
	dispatcher.do(p+"review_return", map[string]any{"approve": true}, 200)
	water.do(p+"acknowledge", nil, 404) // not dispatched to water yet
	dispatcher.do(p+"dispatch", map[string]any{"lead_unit_id": sug.LeadUnitID}, 200)
	water.do(p+"acknowledge", nil, 200)
	water.do(p+"reply", map[string]any{"content": "已抢修管道，恢复供水"}, 200)
	dispatcher.do(p+"review", map[string]any{"approve": true, "comment": "同意办结"}, 200)
	callback.do(p+"archive", nil, 409)
	callback.do(p+"callback", map[string]any{"reached": true, "rating": "satisfied", "resolved": true}, 200)
	end := callback.do(p+"archive", nil, 200)
	if end["status"] != "archived" {
		t.Fatalf("final status %v", end["status"])
	}
	var full struct {
		Events []struct {
			Action    string
			ActorName string `json:"actor_name"`
			CreatedAt string `json:"created_at"`
		}
	}
	lead.get(p[:len(p)-1], &full)
	var got []string
	for _, ev := range full.Events {
		if ev.ActorName == "" || ev.CreatedAt == "" {
			t.Errorf("event without actor or time: %+v", ev)
		}
		got = append(got, ev.Action)
	}
	want := "accept submit dispatch return review_return dispatch acknowledge reply review callback archive"
	if strings.Join(got, " ") != want {
		t.Errorf("timeline %v, want %s", got, want)
	}
}
