package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"hotline"
)

// TestAPI_Training: a month's business training recorded over the API
// and a team-building day through the page's form; the month shows both
// (API and page); a future date is refused naming the field.
func TestAPI_Training(t *testing.T) {
	e := MustServer(t)
	e.addUser("pm", hotline.RoleProjectManager, 0)
	var m struct{ ID int64 }
	e.call("pm", "POST", "/api/v1/staff", map[string]any{"name": "员工甲", "posts": []string{"call_agent"}, "status": "active", "hire_date": "2026-01-01"}, 201, &m)
	month := e.db.Now().In(hotline.ChinaZone).Format("2006-01")
	today := e.db.Now().In(hotline.ChinaZone).Format("2006-01-02")
	e.call("pm", "POST", "/api/v1/training", map[string]any{"kind": "monthly", "title": "业务培训：医保政策", "date": today, "hours": 2, "participants": []int64{m.ID}}, 201, nil)
	var bad apiError
	e.call("pm", "POST", "/api/v1/training", map[string]any{"kind": "monthly", "title": "未来", "date": "2099-01-01", "hours": 2, "participants": []int64{m.ID}}, 400, &bad)
	if bad.Error.Field != "date" {
		t.Errorf("future %+v", bad)
	}
	c, csrf := loggedIn(t, e, "pm")
	if code, _ := postForm(t, c, e.srv.URL+"/staff/training", url.Values{"csrf_token": {csrf}, "kind": {"team_building"}, "title": {"登山团建"}, "date": {today},
		"hours": {"4"}, "participants": {strconv.FormatInt(m.ID, 10)}}); code != 303 {
		t.Fatalf("form %d", code)
	}
	var out struct {
		Items []struct{ Title string }
		Month struct {
			MonthlyTraining int `json:"monthly_training"`
			TeamBuilding    int `json:"team_building"`
		}
	}
	e.call("pm", "GET", "/api/v1/training?month="+month, nil, 200, &out)
	if len(out.Items) != 2 || out.Month.MonthlyTraining != 1 || out.Month.TeamBuilding != 1 {
		t.Errorf("month %+v", out)
	}
	if code, body := get(t, c, e.srv.URL+"/staff/training?month="+month); code != 200 || !strings.Contains(body, "登山团建") || !strings.Contains(body, "员工甲") {
		t.Errorf("page %d", code)
	}
	e.call("agent", "GET", "/api/v1/training", nil, 403, nil)
}
