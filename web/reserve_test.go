package web_test

import (
	"fmt"
	"strings"
	"testing"

	"hotline"
)

// TestAPI_Reserve: the project manager marks two reserve staff and calls
// them up for a surge (2 h); one arrives; the centre's supervisor reads
// the pool and the call-ups (API and page, without the forms); an agent
// cannot; a member outside the pool is refused naming the field.
func TestAPI_Reserve(t *testing.T) {
	e := MustServer(t)
	e.addUser("pm", hotline.RoleProjectManager, 0)
	e.addUser("centre", hotline.RoleSupervisor, 0)
	var ids []int64
	for i, n := range []string{"储备甲", "储备乙", "在岗丙"} {
		var m struct{ ID int64 }
		e.call("pm", "POST", "/api/v1/staff", map[string]any{"name": n, "posts": []string{"call_agent"}, "status": "active", "hire_date": "2026-01-01",
			"certified_date": "2026-01-15", "reserve": i < 2}, 201, &m)
		ids = append(ids, m.ID)
	}
	var bad apiError
	e.call("pm", "POST", "/api/v1/callups", map[string]any{"kind": "surge", "need": 2, "note": "暴雨", "member_ids": []int64{ids[2]}}, 400, &bad)
	if bad.Error.Field != "member_ids" {
		t.Errorf("outside the pool %+v", bad)
	}
	var c struct {
		ID      int64
		Outcome struct{ Asked, Arrived, OnTime int }
	}
	e.call("pm", "POST", "/api/v1/callups", map[string]any{"kind": "surge", "need": 2, "note": "暴雨导致话务激增", "member_ids": ids[:2]}, 201, &c)
	e.call("pm", "POST", fmt.Sprintf("/api/v1/callups/%d/members/%d", c.ID, ids[0]), map[string]any{"arrived": true}, 200, &c)
	if c.Outcome.Asked != 2 || c.Outcome.Arrived != 1 || c.Outcome.OnTime != 1 {
		t.Errorf("outcome %+v", c.Outcome)
	}
	var pool struct{ Items []struct{ Name string } }
	if e.call("centre", "GET", "/api/v1/reserve", nil, 200, &pool); len(pool.Items) != 2 {
		t.Errorf("pool %+v", pool)
	}
	e.call("agent", "GET", "/api/v1/callups", nil, 403, nil)
	sc, _ := loggedIn(t, e, "centre")
	if code, body := get(t, sc, e.srv.URL+"/staff/reserve"); code != 200 || !strings.Contains(body, "暴雨导致话务激增") || strings.Contains(body, `action="/staff/callups"`) {
		t.Errorf("centre's page %d", code)
	}
	pc, _ := loggedIn(t, e, "pm")
	if code, body := get(t, pc, e.srv.URL+"/staff/reserve"); code != 200 || !strings.Contains(body, `action="/staff/callups"`) {
		t.Errorf("pm's page %d", code)
	}
}
