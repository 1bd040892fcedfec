package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"hotline"
	"hotline/sqldb/sqldbtest"
)

// TestAPI_StatsSummary: five tickets with known fates give the summary
// and unit figures worked out by hand; the pages draw them, the xlsx
// download holds the same numbers; an agent is refused, a bad period is a
// 400 naming its field.
func TestAPI_StatsSummary(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { testStatsSummary(t, MustServerOn(t, d)) })
	}
}

func testStatsSummary(t *testing.T, e *env) {
	e.addUser("analyst", hotline.RoleAnalyst, 0)
	callback := func(tk hotline.Ticket, rating string, resolved bool) {
		e.call("callback", "POST", fmt.Sprintf("/api/v1/tickets/%d/callback", tk.ID),
			map[string]any{"reached": true, "rating": rating, "resolved": resolved}, 200, nil)
	}
	// 1: phone complaint, concluded by the water company, satisfied, solved.
	callback(e.concluded(nil), "satisfied", true)
	// 2: web consult, concluded, unsatisfied, not solved.
	callback(e.concluded(map[string]any{"channel": "web", "appeal_kind": "consult"}), "unsatisfied", false)
	// 3: phone complaint with the power company, acknowledged, open.
	open := e.newTicket(nil)
	for _, s := range []struct {
		who, action string
		body        any
	}{{"agent", "submit", nil}, {"dispatcher", "dispatch", map[string]any{"lead_unit_id": e.units["util-power"]}}, {"util-power", "acknowledge", nil}} {
		e.call(s.who, "POST", fmt.Sprintf("/api/v1/tickets/%d/%s", open.ID, s.action), s.body, 200, nil)
	}
	// 4: a WeChat appeal cancelled (left out of every figure).
	gone := e.newTicket(map[string]any{"channel": "wechat", "appeal_kind": "help"})
	e.call("lead", "POST", fmt.Sprintf("/api/v1/tickets/%d/cancel", gone.ID), map[string]any{"reason": "重复录入"}, 200, nil)
	// 5: a phone consult answered on the call.
	direct := e.newTicket(map[string]any{"appeal_kind": "consult"})
	e.call("agent", "POST", fmt.Sprintf("/api/v1/tickets/%d/resolve_on_call", direct.ID), map[string]any{"content": "已告知办理流程"}, 200, nil)

	today := e.db.Now().In(hotline.ChinaZone).Format("2006-01-02")
	var sum map[string]any
	e.call("analyst", "GET", "/api/v1/stats/summary?from="+today+"&to="+today, nil, 200, &sum)
	want := `{"by_channel":{"phone":3,"web":1},"by_kind":{"complaint":2,"consult":2},"concluded":3,"overdue":0,` +
		`"resolution_rate":0.5,"response_rate":1,"satisfaction_rate":0.5,"tickets":4}`
	if got := mustJSON(t, sum); got != want {
		t.Errorf("summary\n got %s\nwant %s", got, want)
	}
	var units struct {
		Items []struct {
			Name                  string
			Rank                  int
			Dispatches, Concluded int64
			AckOnTime             int64   `json:"ack_on_time"`
			ThreeRates            float64 `json:"three_rates"`
			ResponseRate          float64 `json:"response_rate"`
			SatisfactionRate      float64 `json:"satisfaction_rate"`
		}
		Centre struct {
			Tickets       int64
			DirectAnswers int64 `json:"direct_answers"`
		} `json:"centre"`
	}
	e.call("lead", "GET", "/api/v1/stats/units?period="+today, nil, 200, &units)
	if len(units.Items) != 2 {
		t.Fatalf("units %+v", units)
	}
	water, power := units.Items[0], units.Items[1]
	if water.Name != "水务公司" || water.Rank != 1 || water.Dispatches != 2 || water.Concluded != 2 || water.ThreeRates != 0.6667 ||
		power.Name != "供电公司" || power.Rank != 2 || power.Dispatches != 1 || power.AckOnTime != 1 || power.ThreeRates != 0.3333 {
		t.Errorf("units %+v", units.Items)
	}
	if units.Centre.Tickets != 1 || units.Centre.DirectAnswers != 1 {
		t.Errorf("centre %+v", units.Centre)
	}

	var bad apiError
	e.call("analyst", "GET", "/api/v1/stats/summary?from=2026-13-01&to="+today, nil, 400, &bad)
	if bad.Error.Field != "from" {
		t.Errorf("bad from: %+v", bad)
	}
	e.call("analyst", "GET", "/api/v1/stats/summary?period=2026-Q9", nil, 400, &bad)
	if bad.Error.Field != "period" {
		t.Errorf("bad period: %+v", bad)
	}
	e.call("agent", "GET", "/api/v1/stats/summary?period="+today, nil, 403, nil)
	e.call("util-water", "GET", "/api/v1/stats/units?period="+today, nil, 403, nil)

	// The pages: charts with their tables; the category drill-down.
	c, _ := loggedIn(t, e, "analyst")
	for _, page := range []string{"/stats", "/stats/units", "/stats/service"} {
		code, body := get(t, c, e.srv.URL+page+"?period="+today)
		if code != 200 || !strings.Contains(body, `data-chart=`) || !strings.Contains(body, "echarts.common.min.js") {
			t.Errorf("%s: %d %.300s", page, code, body)
		}
	}
	_, body := get(t, c, e.srv.URL+"/stats?period="+today)
	for _, s := range []string{"受理量", "<b class=\"\">4</b>", "电话", "网络留言", "公共事业", "未填写或不属区县"} {
		if !strings.Contains(body, s) {
			t.Errorf("volume page lacks %q", s)
		}
	}
	_, body = get(t, c, e.srv.URL+"/stats/units?period="+today)
	if !strings.Contains(body, "水务公司") || !strings.Contains(body, "66.7%") {
		t.Errorf("units page lacks the ranking")
	}
	// The download: one sheet per table, frozen bold headers, numbers as numbers.
	resp, err := c.Get(e.srv.URL + "/stats/units/export.xlsx?period=" + today)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("export: %v %v", err, resp.Status)
	}
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	resp.Body.Close()
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sheets := x.GetSheetList()
	if len(sheets) != 2 || sheets[0] != "单位办理情况" {
		t.Fatalf("sheets %v", sheets)
	}
	rows, _ := x.GetRows(sheets[0])
	if len(rows) != 3 || rows[0][1] != "单位" || rows[1][1] != "水务公司" || rows[1][2] != "2" {
		t.Errorf("rows %v", rows)
	}
	if v, _ := x.GetCellValue(sheets[0], "E2", excelize.Options{RawCellValue: true}); v != "1" {
		t.Errorf("response rate cell %q, want the number 1 (formatted as a percentage)", v)
	}
	if panes, err := x.GetPanes(sheets[0]); err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v %v", panes, err)
	}
	if code, _ := get(t, c, e.srv.URL+"/stats/units/export.xlsx?table=nothing&period="+today); code != 400 {
		t.Errorf("unknown table: %d", code)
	}
}

// mustJSON is v as compact JSON with sorted keys (maps marshal sorted).
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
