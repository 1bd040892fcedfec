package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/sqldb/sqldbtest"
)

// TestAPI_Hotspots: five appeals about the water cut at 金典城 in 安源区
// (the same problem in other words) and three unrelated ones give one
// hotspot with the five tickets, its place, heat and time span; a period
// past a quarter is refused; the 热点 tab shows it.
func TestAPI_Hotspots(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { testHotspots(t, MustServerOn(t, d)) })
	}
}

func testHotspots(t *testing.T, e *env) {
	e.addUser("analyst", hotline.RoleAnalyst, 0)
	// This month's hotspots are computed in the background before anyone
	// asks: the API then answers from that pass (here, before the appeals).
	e.server.WarmHotspotsOnce(context.Background())
	month := e.db.Now().In(hotline.ChinaZone).Format("2006-01")
	place := map[string]any{"address": "安源区凤凰街金典城", "unit_id": e.units["anyuan"]}
	var ids []int64
	for i, text := range []string{"金典城小区停水三天无人处理", "金典城3栋停水两天了", "金典城小区又停水，请尽快恢复供水", "金典城停水问题一直没有解决", "金典城小区停水，老人小孩用水困难"} {
		tk := e.newTicket(map[string]any{"title": "金典城小区停水", "content": "来电人反映：安源区凤凰街" + text, "location": place,
			"requester": map[string]any{"name": "王五", "phone": fmt.Sprintf("1391234567%d", i%3)}})
		ids = append(ids, tk.ID)
	}
	for _, s := range []string{"咨询公积金提取需要哪些材料", "建设中路路灯不亮", "出租车拒载投诉"} {
		e.newTicket(map[string]any{"title": s, "content": "来电人" + s + "，请答复。"})
	}
	today := e.db.Now().In(hotline.ChinaZone).Format("2006-01-02")
	var out struct {
		Items []struct {
			ID        int64
			Title     string
			Place     string
			Heat      float64
			FirstAt   time.Time `json:"first_at"`
			LastAt    time.Time `json:"last_at"`
			TicketIDs []int64   `json:"ticket_ids"`
			Repeats   int       `json:"repeat_calls"`
		}
	}
	e.call("analyst", "GET", "/api/v1/hotspots?from="+today+"&to="+today, nil, 200, &out)
	if len(out.Items) != 1 {
		t.Fatalf("hotspots %+v", out.Items)
	}
	h := out.Items[0]
	if h.ID != ids[0] || h.Title != "金典城小区停水" || h.Place != "安源区" || fmt.Sprint(h.TicketIDs) != fmt.Sprint(ids) || h.Heat <= 5 ||
		h.Repeats != 2 || h.FirstAt.After(h.LastAt) {
		t.Errorf("hotspot %+v (tickets %v)", h, ids)
	}
	var warmed struct{ Items []any }
	if e.call("analyst", "GET", "/api/v1/hotspots?period="+month, nil, 200, &warmed); len(warmed.Items) != 0 {
		t.Errorf("this month's hotspots were not the background pass's: %v", warmed.Items)
	}
	var bad apiError
	e.call("analyst", "GET", "/api/v1/hotspots?period=2026", nil, 400, &bad)
	if bad.Error.Field != "to" {
		t.Errorf("a year: %+v", bad)
	}
	e.call("agent", "GET", "/api/v1/hotspots?period="+today, nil, 403, nil)
	c, _ := loggedIn(t, e, "analyst")
	if code, body := get(t, c, e.srv.URL+"/stats/hotspots?period="+today); code != 200 || !strings.Contains(body, "金典城小区停水") ||
		!strings.Contains(body, fmt.Sprintf("/tickets/%d", ids[0])) {
		t.Errorf("hotspot tab %d %.300s", code, body)
	}
}
