package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/hotspot"
	"hotline/sqldb/sqldbtest"
)

// TestAPI_Warnings: a caller's third appeal in a month while one is
// still open is a hard issue: the job's pass raises it, the lead's event
// stream hears of it, GET /api/v1/warnings lists it with its evidence
// (and nothing of the caller), the lead acknowledges and closes it with
// a note, an analyst may read but not handle, a bad status is refused
// naming the field; the page shows it with its form to the lead only and
// the home page counts it.
func TestAPI_Warnings(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { testWarnings(t, MustServerOn(t, d)) })
	}
}

func testWarnings(t *testing.T, e *env) {
	e.addUser("analyst", hotline.RoleAnalyst, 0)
	stream := subscribe(t, e.srv.URL, e.tokens["lead"])
	var ids []int64
	for _, s := range []string{"咨询公积金提取需要哪些材料", "建设中路路灯不亮", "出租车拒载投诉"} {
		ids = append(ids, e.newTicket(map[string]any{"title": s, "content": "来电人" + s + "，请答复。",
			"requester": map[string]any{"name": "王五", "phone": "13912345670"}}).ID)
	}
	n, err := e.db.Stats().RaiseWarnings(context.Background(), hotspot.HardRule{}, hotspot.SurgeRule{})
	if err != nil || n != 1 {
		t.Fatalf("raised %d, %v", n, err)
	}
	got := make(chan bool, 1)
	go func() {
		for stream.Scan() {
			if stream.Text() == "event: warning" {
				got <- true
				return
			}
		}
	}()
	select {
	case <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("no warning event on the lead's stream")
	}
	var out struct {
		Items []struct {
			ID        int64
			Kind      string
			Title     string
			Evidence  string
			Status    string
			Note      string
			TicketIDs []int64   `json:"ticket_ids"`
			CreatedAt time.Time `json:"created_at"`
		}
	}
	e.call("analyst", "GET", "/api/v1/warnings?status=open", nil, 200, &out)
	if len(out.Items) != 1 {
		t.Fatalf("warnings %+v", out.Items)
	}
	w := out.Items[0]
	if w.Kind != hotspot.WarnHardIssue || w.Title != "难点：同一来电人 3 次反映" || !strings.Contains(w.Evidence, "工单：PX") ||
		len(w.TicketIDs) != 3 || w.TicketIDs[0] != ids[0] || w.CreatedAt.IsZero() || strings.Contains(w.Evidence, "1391234") {
		t.Fatalf("warning %+v", w)
	}
	c, csrf := loggedIn(t, e, "lead")
	if code, body := get(t, c, e.srv.URL+"/"); code != 200 || !strings.Contains(body, `href="/stats/warnings"`) {
		t.Fatalf("home %d has no warnings tab", code)
	}
	id := "/api/v1/warnings/" + strconv.FormatInt(w.ID, 10)
	e.call("analyst", "POST", id, map[string]string{"status": "acknowledged"}, 403, nil)
	e.call("lead", "POST", id, map[string]string{"status": "later"}, 400, nil)
	e.call("lead", "POST", id, map[string]string{"status": "acknowledged"}, 200, nil)
	e.call("lead", "POST", id, map[string]string{"status": "closed"}, 400, nil) // no note
	e.call("lead", "GET", "/api/v1/warnings?status=bad", nil, 400, nil)
	e.call("lead", "GET", "/api/v1/warnings?kind=weather", nil, 400, nil)
	var none struct{ Items []any }
	if e.call("lead", "GET", "/api/v1/warnings?kind=surge", nil, 200, &none); len(none.Items) != 0 {
		t.Errorf("surges: %v", none.Items)
	}
	e.call("agent", "GET", "/api/v1/warnings", nil, 403, nil)
	if code, body := get(t, c, e.srv.URL+"/stats/warnings?status=acknowledged"); code != 200 || !strings.Contains(body, "同一来电人 3 次反映") || !strings.Contains(body, `value="closed"`) {
		t.Fatalf("page %d: %.300s", code, body)
	}
	if code, _ := postForm(t, c, e.srv.URL+"/stats/warnings/"+strconv.FormatInt(w.ID, 10), url.Values{"csrf_token": {csrf}, "status": {"closed"}, "note": {"已回访来电人并协调单位办理"}, "status_back": {"acknowledged"}}); code != 303 {
		t.Fatalf("close form: %d", code)
	}
	e.call("lead", "GET", "/api/v1/warnings?status=closed", nil, 200, &out)
	if len(out.Items) != 1 || out.Items[0].Note != "已回访来电人并协调单位办理" {
		t.Fatalf("closed %+v", out.Items)
	}
	a, _ := loggedIn(t, e, "analyst")
	if code, body := get(t, a, e.srv.URL+"/stats/warnings?status=all"); code != 200 || !strings.Contains(body, "已回访来电人") || strings.Contains(body, `value="closed"`) {
		t.Fatalf("analyst's page %d", code)
	}
}
