package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"hotline/report"
	"hotline/sqldb/sqldbtest"
)

// TestAPI_Forecast: three weeks of calls give a forecast of the week
// ahead with agents per half hour over the API and on the page;
// adjustments are added (201), refused naming the field (400), listed
// and removed over the API and the page's forms; an agent is refused.
func TestAPI_Forecast(t *testing.T) {
	e := MustServer(t)
	today := report.Day(e.db.Now())
	var rows []string
	for d := today - 21; d < today; d++ {
		for i := 0; i < 40; i++ {
			at := report.DayStart(d).Add(9*time.Hour + time.Duration(i)*90*time.Second)
			rows = append(rows, fmt.Sprintf(`('w%d-%d', %d, %d, %d, 'answered', 3000, 180000, '12345', 'a', %d)`, d, i, at.UnixMilli(), at.UnixMilli()+3000, at.UnixMilli()+183000, at.UnixMilli()))
		}
	}
	sqldbtest.Exec(t, e.dsn, `INSERT INTO calls (call_id, offered_at, answered_at, ended_at, outcome, wait_ms, talk_ms, queue, agent, updated_at) VALUES `+strings.Join(rows, ", "))
	if _, err := e.db.Stats().RebuildCalls(t.Context()); err != nil {
		t.Fatal(err)
	}
	var v struct {
		Days []struct {
			Date      string
			Calls     float64
			Intervals []float64
			Agents    []int
			Peak      int `json:"peak_agents"`
		}
		Accuracy   struct{ WAPE float64 }
		AHTSeconds float64 `json:"aht_seconds"`
	}
	e.call("lead", "GET", "/api/v1/wfm/forecast?days=7&service_level=0.9", nil, 200, &v)
	if len(v.Days) != 7 || v.Days[0].Calls < 35 || v.Days[0].Calls > 45 || len(v.Days[0].Intervals) != 48 || v.Days[0].Peak < 1 || v.AHTSeconds != 210 {
		t.Fatalf("forecast %+v", v)
	}
	e.call("lead", "GET", "/api/v1/wfm/forecast?days=90", nil, 400, nil)
	e.call("agent", "GET", "/api/v1/wfm/forecast", nil, 403, nil)
	tomorrow := report.DayStart(today + 1).Format("2006-01-02")
	var a struct{ ID int64 }
	e.call("lead", "POST", "/api/v1/wfm/adjustments", map[string]any{"from": tomorrow, "to": tomorrow, "factor": 1.4, "note": "社保政策发布"}, 201, &a)
	var bad apiError
	e.call("lead", "POST", "/api/v1/wfm/adjustments", map[string]any{"from": tomorrow, "to": tomorrow, "factor": 0, "note": "x"}, 400, &bad)
	if bad.Error.Field != "factor" {
		t.Errorf("factor 0: %+v", bad)
	}
	c, csrf := loggedIn(t, e, "lead")
	if code, body := get(t, c, e.srv.URL+"/wfm/forecast"); code != 200 || !strings.Contains(body, "社保政策发布") || !strings.Contains(body, "逐日预测") ||
		!strings.Contains(body, "data-chart") || !strings.Contains(body, "echarts.common.min.js") {
		t.Fatalf("page %d: %.300s", code, body)
	}
	if code, _ := postForm(t, c, e.srv.URL+fmt.Sprintf("/wfm/adjustments/%d/delete", a.ID), url.Values{"csrf_token": {csrf}}); code != 303 {
		t.Fatalf("delete form %d", code)
	}
	if code, _ := postForm(t, c, e.srv.URL+"/wfm/adjustments", url.Values{"csrf_token": {csrf}, "from": {tomorrow}, "to": {tomorrow}, "factor": {"1.2"}, "note": {"大型活动"}}); code != 303 {
		t.Fatalf("add form %d", code)
	}
	var list struct{ Items []struct{ Note string } }
	if e.call("lead", "GET", "/api/v1/wfm/adjustments", nil, 200, &list); len(list.Items) != 1 || list.Items[0].Note != "大型活动" {
		t.Errorf("adjustments %+v", list.Items)
	}
}
