package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"hotline"
)

// TestAPI_StaffAndGate: the project manager records the agent without
// the onboarding exam (API and page); the agent is refused at intake —
// API 403 with the reason, and the intake page shows it — until the exam
// date is recorded; the page lists the records and flags the agents
// without one; a dispatcher cannot read them.
func TestAPI_StaffAndGate(t *testing.T) {
	e := MustServer(t)
	e.addUser("pm", hotline.RoleProjectManager, 0)
	agent := e.actor("agent")
	rec := map[string]any{"user_id": agent.UserID, "name": "李晓红", "phone": "13912345678", "posts": []string{"call_agent"}, "status": "active",
		"hire_date": "2026-11-01", "confidentiality_date": "2026-11-01"}
	var saved struct {
		ID    int64
		Phone string
	}
	e.call("pm", "POST", "/api/v1/staff", rec, 201, &saved)
	if saved.Phone != "139****5678" {
		t.Errorf("saved %+v", saved)
	}
	var bad apiError
	e.call("agent", "POST", "/api/v1/tickets", map[string]any{"channel": "phone", "appeal_kind": "consult", "title": "咨询", "content": "咨询社保"}, 403, &bad)
	if !strings.Contains(bad.Error.Message, "上岗培训考试") {
		t.Errorf("refusal %+v", bad)
	}
	c, csrf := loggedIn(t, e, "agent")
	code, body := postForm(t, c, e.srv.URL+"/intake", url.Values{"csrf_token": {csrf}, "channel": {"phone"}, "appeal_kind": {"consult"}, "title": {"咨询"},
		"content": {"咨询社保"}, "urgency": {"normal"}})
	if code != 403 || !strings.Contains(body, "尚未通过上岗培训考试") {
		t.Errorf("intake page %d: %.300s", code, body)
	}
	rec["certified_date"] = "2026-11-10"
	e.call("pm", "PUT", "/api/v1/staff/"+strconv.FormatInt(saved.ID, 10), rec, 200, nil)
	e.newTicket(nil) // certified: accepted
	rec["posts"] = []string{"chef"}
	e.call("pm", "PUT", "/api/v1/staff/"+strconv.FormatInt(saved.ID, 10), rec, 400, &bad)
	if bad.Error.Field != "posts" {
		t.Errorf("bad post %+v", bad)
	}
	e.call("dispatcher", "GET", "/api/v1/staff", nil, 403, nil)
	pc, pcsrf := loggedIn(t, e, "pm")
	if code, _ := postForm(t, pc, e.srv.URL+"/staff", url.Values{"csrf_token": {pcsrf}, "name": {"赵班长"}, "posts": {"team_lead", "call_agent"},
		"hire_date": {"2025-06-01"}, "certified_date": {"2025-06-20"}}); code != 303 {
		t.Fatalf("staff form %d", code)
	}
	if code, body := get(t, pc, e.srv.URL+"/staff"); code != 200 || !strings.Contains(body, "李晓红") || !strings.Contains(body, "赵班长") ||
		strings.Contains(body, "13912345678") {
		t.Errorf("staff page %d", code)
	}
}
