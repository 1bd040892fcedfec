package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"hotline"
)

// TestAPI_Rosters: the project manager generates next month's roster
// (a team lead and a dispatcher on every key shift, RFC 3339 times),
// the agent cannot see the draft, the page shows it with the buttons;
// published, the agent reads it and finds their shifts, and it is not
// generated again.
func TestAPI_Rosters(t *testing.T) {
	e := MustServer(t)
	e.addUser("pm", hotline.RoleProjectManager, 0)
	e.addTeam(5, 5, 4)
	month := e.db.Now().In(hotline.ChinaZone).AddDate(0, 1, 0).Format("2006-01")
	var v struct {
		Status string
		Shifts []struct {
			Date, Name string
			Start, End time.Time
			Staff      []struct{ Username, Name, Post string }
		}
		Uncovered []struct{ Reason string }
	}
	e.call("pm", "POST", "/api/v1/rosters/"+month+"/generate", nil, 201, &v)
	leads := 0
	for _, s := range v.Shifts {
		for _, p := range s.Staff {
			if p.Post == "team_lead" {
				leads++
			}
		}
		if !s.End.After(s.Start) {
			t.Fatalf("shift %+v", s)
		}
	}
	if v.Status != "draft" || leads == 0 || len(v.Shifts) == 0 {
		t.Fatalf("roster %s, %d shifts, %d leads, gaps %v", v.Status, len(v.Shifts), leads, v.Uncovered)
	}
	e.call("agent", "GET", "/api/v1/rosters/"+month, nil, 404, nil)
	c, _ := loggedIn(t, e, "pm")
	if code, body := get(t, c, e.srv.URL+"/staff/rosters?month="+month); code != 200 || !strings.Contains(body, `value="publish"`) || !strings.Contains(body, "员工00") {
		t.Fatalf("page %d", code)
	}
	e.call("pm", "POST", "/api/v1/rosters/"+month+"/publish", nil, 200, nil)
	e.call("pm", "POST", "/api/v1/rosters/"+month+"/generate", nil, 409, nil)
	e.call("agent", "GET", "/api/v1/rosters/"+month, nil, 200, &v)
	mine := 0
	for _, s := range v.Shifts {
		for _, p := range s.Staff {
			if p.Username == "agent" {
				mine++
			}
		}
	}
	if v.Status != "published" || mine == 0 {
		t.Errorf("the agent's roster: %s, %d shifts", v.Status, mine)
	}
}

// addTeam records staff for the project manager "pm" (added before):
// leads who can also take calls, then dispatchers, then call agents, all
// certified; the first is linked to the agent's account.
func (e *env) addTeam(leads, dispatchers, agents int) {
	e.tb.Helper()
	for i := 0; i < leads+dispatchers+agents; i++ {
		posts := []string{"call_agent"}
		if i < leads {
			posts = append(posts, "team_lead")
		} else if i < leads+dispatchers {
			posts = append(posts, "dispatcher")
		}
		rec := map[string]any{"name": fmt.Sprintf("员工%02d", i), "posts": posts, "status": "active", "hire_date": "2026-01-01", "certified_date": "2026-01-15"}
		if i == 0 {
			rec["user_id"] = e.actor("agent").UserID
		}
		e.call("pm", "POST", "/api/v1/staff", rec, 201, nil)
	}
}
