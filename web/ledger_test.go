package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"hotline"
	"hotline/sqldb/sqldbtest"
)

// TestAPI_Ledgers: the ledgers by category, unit and kind as workbooks —
// a summary sheet and the ledger with the government office's columns,
// bold frozen headers, the requester masked — filtered, audited, refused
// to those who may not see the statistics.
func TestAPI_Ledgers(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { testLedgers(t, MustServerOn(t, d)) })
	}
}

func testLedgers(t *testing.T, e *env) {
	ctx := context.Background()
	e.addUser("analyst", hotline.RoleAnalyst, 0)
	water := e.concluded(nil)
	e.call("callback", "POST", fmt.Sprintf("/api/v1/tickets/%d/callback", water.ID),
		map[string]any{"reached": true, "rating": "basically_satisfied", "resolved": true}, 200, nil)
	e.newTicket(map[string]any{"appeal_kind": "consult", "channel": "web", "content": "咨询公积金提取需要哪些材料"})
	gone := e.newTicket(nil)
	e.call("lead", "POST", fmt.Sprintf("/api/v1/tickets/%d/cancel", gone.ID), map[string]any{"reason": "重复录入"}, 200, nil)
	today := e.db.Now().In(hotline.ChinaZone).Format("2006-01-02")

	fetch := func(path string) *excelize.File {
		t.Helper()
		raw := e.call("analyst", "GET", path, nil, 200, nil)
		x, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte("13912345678")) {
			t.Error("the ledger holds the requester's phone in plaintext")
		}
		return x
	}
	before := e.auditCount(ctx, "export.ledger")
	x := fetch("/api/v1/ledgers/unit.xlsx?from=" + today + "&to=" + today)
	if sheets := x.GetSheetList(); len(sheets) != 2 || sheets[0] != "汇总" || sheets[1] != "台账" {
		t.Fatalf("sheets %v", sheets)
	}
	rows, _ := x.GetRows("台账")
	want := "承办单位 工单编号 受理时间 渠道 诉求类型 诉求人 诉求内容摘要 分类 承办单位 办理时限 办结时间 答复 回访结果"
	if len(rows) != 3 || strings.Join(rows[0], " ") != want {
		t.Fatalf("ledger rows %q", rows)
	}
	// By unit: the centre's undispatched consult first (unit 0), then the water company's.
	if rows[1][0] != "热线中心（未派单）" || rows[2][0] != "水务公司" || rows[2][1] != water.Number || rows[2][5] != "王* 139****5678" ||
		rows[2][12] != "基本满意，已解决" || rows[2][10] == "" || rows[2][11] == "" || rows[1][3] != "网络留言" {
		t.Errorf("ledger rows %q", rows[1:])
	}
	if panes, _ := x.GetPanes("台账"); !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v", panes)
	}
	if style, _ := x.GetCellStyle("台账", "B1"); style == 0 {
		t.Error("the header is not styled")
	}
	sum, _ := x.GetRows("汇总")
	if len(sum) != 4 || sum[3][0] != "合计" || sum[3][1] != "2" {
		t.Errorf("summary %q", sum)
	}
	if n := e.auditCount(ctx, "export.ledger"); n != before+1 {
		t.Errorf("audit entries %d, want %d", n, before+1)
	}
	// Filters: the water company's only; by category; by kind.
	x = fetch(fmt.Sprintf("/api/v1/ledgers/category.xlsx?period=%s&unit_id=%d", today, e.units["util-water"]))
	if rows, _ := x.GetRows("台账"); len(rows) != 2 || rows[1][0] != "公共事业/供水/停水" {
		t.Errorf("filtered by unit: %q", rows)
	}
	x = fetch("/api/v1/ledgers/kind.xlsx?period=" + today + "&appeal_kind=consult")
	if rows, _ := x.GetRows("台账"); len(rows) != 2 || rows[1][0] != "咨询" {
		t.Errorf("filtered by kind: %q", rows)
	}
	var bad apiError
	e.call("analyst", "GET", "/api/v1/ledgers/kind.xlsx?period="+today+"&appeal_kind=gossip", nil, 400, &bad)
	if bad.Error.Field != "appeal_kind" {
		t.Errorf("bad kind: %+v", bad)
	}
	e.call("analyst", "GET", "/api/v1/ledgers/people.xlsx?period="+today, nil, 404, nil)
	e.call("agent", "GET", "/api/v1/ledgers/unit.xlsx?period="+today, nil, 403, nil)
	if n := e.auditCount(ctx, "export.ledger"); n != before+3 {
		t.Errorf("audit entries %d, want %d (refusals not recorded as exports)", n, before+3)
	}
	// The page: the first rows and the download with the filters.
	c, _ := loggedIn(t, e, "analyst")
	code, body := get(t, c, fmt.Sprintf("%s/stats/ledgers?period=%s&ledger=unit&unit_id=%d", e.srv.URL, today, e.units["util-water"]))
	if code != http.StatusOK || !strings.Contains(body, water.Number) || !strings.Contains(body, "/api/v1/ledgers/unit.xlsx?period="+today+"&amp;unit_id=") {
		t.Errorf("ledger page %d %.500s", code, body)
	}
}
