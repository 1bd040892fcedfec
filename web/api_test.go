package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"hotline"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
	"hotline/web"
)

// env is a running API over a real database with a small city.
type env struct {
	tb     testing.TB
	dsn    string
	srv    *httptest.Server
	db     *sqldb.DB
	tokens map[string]string
	units  map[string]int64
	cat    int64
	logs   *syncBuffer // the server's log output
	server *web.Server
}

// syncBuffer is a log destination that tests read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// Bytes returns a copy of what was logged so far.
func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.b.Bytes()...)
}

// MustServer starts the API on a fresh SQLite database.
func MustServer(tb testing.TB) *env { return MustServerOn(tb, "sqlite") }

// MustServerOn starts the API on a fresh database of the dialect.
func MustServerOn(tb testing.TB, dialect string) *env {
	tb.Helper()
	ctx := context.Background()
	dsn := sqldbtest.DSN(tb, dialect)
	db := sqldbtest.Open(tb, dsn)
	e := &env{tb: tb, dsn: dsn, db: db, tokens: map[string]string{}, units: map[string]int64{}}
	check := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	check(db.SeedCalendar(ctx))
	check(db.SeedSLAPolicies(ctx))
	_, err := db.ImportUnits(ctx, sqldb.SystemActor, [][4]string{{"px", "萍乡市", "city", ""}, {"util-water", "水务公司", "utility", "px"},
		{"util-power", "供电公司", "utility", "px"}, {"anyuan", "安源区", "district", "px"}})
	check(err)
	us, _ := db.FindUnits(ctx)
	for _, u := range us {
		e.units[u.Code] = u.ID
	}
	_, err = db.ImportCategories(ctx, sqldb.SystemActor, [][]string{{"公共事业", "供水", "停水"}})
	check(err)
	cats, _ := db.FindCategories(ctx)
	e.cat = cats[len(cats)-1].ID
	for name, u := range map[string]*hotline.User{
		"admin": {Role: hotline.RoleAdmin}, "agent": {Role: hotline.RoleCallAgent}, "dispatcher": {Role: hotline.RoleDispatcher},
		"callback": {Role: hotline.RoleCallbackAgent}, "lead": {Role: hotline.RoleTeamLead},
		"util-water": {Role: hotline.RoleUnit, UnitID: e.units["util-water"]}, "util-power": {Role: hotline.RoleUnit, UnitID: e.units["util-power"]},
	} {
		u.Username = name
		check(db.CreateUser(ctx, sqldb.SystemActor, u, "hotline12345"))
	}
	e.logs = &syncBuffer{}
	e.server = web.NewServer(db, slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	e.srv = httptest.NewServer(e.server)
	tb.Cleanup(e.srv.Close)
	for _, name := range []string{"admin", "agent", "dispatcher", "callback", "lead", "util-water", "util-power"} {
		var out struct{ Token string }
		e.call("", "POST", "/api/v1/auth/login", map[string]string{"username": name, "password": "hotline12345"}, 200, &out)
		e.tokens[name] = out.Token
	}
	return e
}

// call sends a request as who and checks the status; out receives the body.
func (e *env) call(who, method, path string, body any, want int, out any) []byte {
	e.tb.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewBufferString(b)
	default:
		j, _ := json.Marshal(b)
		r = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, r)
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[who])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		e.tb.Fatalf("%s %s as %s: status %d, want %d: %s", method, path, who, resp.StatusCode, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			e.tb.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
	}
	return raw
}

type apiError struct {
	Error struct{ Code, Message, Field string }
}

func (e *env) newTicket(extra map[string]any) hotline.Ticket {
	e.tb.Helper()
	body := map[string]any{"channel": "phone", "appeal_kind": "complaint", "category_id": e.cat, "urgency": "normal",
		"title": "停水", "content": "凤凰街停水两天", "requester": map[string]any{"name": "王五", "phone": "13912345678", "address": "凤凰街2号"},
		"location": map[string]any{"address": "安源区凤凰街"}, "confidential": false}
	for k, v := range extra {
		body[k] = v
	}
	var t hotline.Ticket
	e.call("agent", "POST", "/api/v1/tickets", body, 201, &t)
	return t
}

func TestAPI_WholeLifecycle(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { testWholeLifecycle(t, MustServerOn(t, d)) })
	}
}

func testWholeLifecycle(t *testing.T, e *env) {
	tk := e.newTicket(nil)
	if tk.ID == 0 || tk.Number == "" || tk.Status != hotline.StatusAccepted {
		t.Fatalf("created %+v", tk)
	}
	id := fmt.Sprint(tk.ID)
	steps := []struct {
		who, action string
		body        any
		want        hotline.Status
	}{
		{"agent", "submit", nil, hotline.StatusPendingDispatch},
		{"dispatcher", "dispatch", map[string]any{"lead_unit_id": e.units["util-water"], "co_unit_ids": []int64{e.units["anyuan"]}}, hotline.StatusDispatched},
		{"util-water", "acknowledge", nil, hotline.StatusHandling},
		{"util-water", "reply", map[string]string{"content": "管道已修复，供水恢复"}, hotline.StatusReplied},
		{"dispatcher", "review", map[string]any{"approve": true, "comment": "同意"}, hotline.StatusConcluded},
		{"callback", "callback", map[string]any{"reached": true, "rating": "satisfied", "resolved": true, "note": "满意"}, hotline.StatusConcluded},
		{"callback", "archive", nil, hotline.StatusArchived},
	}
	for _, s := range steps {
		var got hotline.Ticket
		e.call(s.who, "POST", "/api/v1/tickets/"+id+"/"+s.action, s.body, 200, &got)
		if got.Status != s.want {
			t.Fatalf("%s: status %s, want %s", s.action, got.Status, s.want)
		}
	}
	var got hotline.Ticket
	e.call("lead", "GET", "/api/v1/tickets/"+id, nil, 200, &got)
	if len(got.Events) != len(steps)+1 {
		t.Fatalf("timeline has %d events, want %d", len(got.Events), len(steps)+1)
	}
	for i, ev := range got.Events {
		if ev.ActorName == "" || ev.CreatedAt.IsZero() || (i > 0 && string(ev.Action) != steps[i-1].action) {
			t.Errorf("event %d: %+v", i, ev)
		}
	}
	var list struct {
		Items []hotline.Ticket
		Total int
	}
	e.call("lead", "GET", "/api/v1/tickets?status=archived&page=1&page_size=10", nil, 200, &list)
	if list.Total != 1 || list.Items[0].ID != tk.ID {
		t.Errorf("archived list: %+v", list)
	}
}

func TestAPI_Refusals(t *testing.T) {
	e := MustServer(t)
	tk := e.newTicket(map[string]any{"submit": true})
	id := fmt.Sprint(tk.ID)
	e.call("dispatcher", "POST", "/api/v1/tickets/"+id+"/dispatch", map[string]any{"lead_unit_id": e.units["util-water"]}, 200, nil)
	for _, tt := range []struct {
		name, who, method, path string
		body                    any
		status                  int
		code, field             string
	}{
		{"no token", "", "GET", "/api/v1/tickets", nil, 401, "unauthorized", ""},
		{"other unit reads", "util-power", "GET", "/api/v1/tickets/" + id, nil, 404, "not_found", ""},
		{"other unit acts", "util-power", "POST", "/api/v1/tickets/" + id + "/acknowledge", nil, 404, "not_found", ""},
		{"role may not", "agent", "POST", "/api/v1/tickets/" + id + "/review", map[string]any{"approve": true}, 403, "forbidden", ""},
		{"illegal state", "callback", "POST", "/api/v1/tickets/" + id + "/archive", nil, 409, "conflict", ""},
		{"unknown action", "lead", "POST", "/api/v1/tickets/" + id + "/explode", nil, 404, "not_found", ""},
		{"bad json", "util-water", "POST", "/api/v1/tickets/" + id + "/return", "{", 400, "invalid", "body"},
		{"wrong type", "util-water", "POST", "/api/v1/tickets/" + id + "/return", `{"reason": 5}`, 400, "invalid", "reason"},
		{"unknown field", "util-water", "POST", "/api/v1/tickets/" + id + "/return", `{"reasn": "x"}`, 400, "invalid", "reasn"},
		{"missing reason", "util-water", "POST", "/api/v1/tickets/" + id + "/return", `{}`, 400, "invalid", "reason"},
		{"missing title", "agent", "POST", "/api/v1/tickets", map[string]any{"channel": "phone", "appeal_kind": "consult", "category_id": e.cat, "urgency": "normal",
			"content": "x", "requester": map[string]any{"anonymous": true}, "location": map[string]any{"address": "x"}}, 400, "invalid", "title"},
		{"bad category", "agent", "POST", "/api/v1/tickets", map[string]any{"channel": "phone", "appeal_kind": "consult", "category_id": 999, "urgency": "normal",
			"title": "t", "content": "x", "requester": map[string]any{"anonymous": true}, "location": map[string]any{"address": "x"}}, 400, "invalid", "category_id"},
		{"bad filter", "lead", "GET", "/api/v1/tickets?overdue=maybe", nil, 400, "invalid", "overdue"},
		{"policy by non-admin", "lead", "PUT", "/api/v1/sla-policies", map[string]any{"appeal_kind": "consult", "urgency": "normal",
			"acknowledge": map[string]any{"value": 1, "unit": "working_days"}, "reply": map[string]any{"value": 1, "unit": "working_days"},
			"callback": map[string]any{"value": 1, "unit": "working_days"}, "warning_share": 0.2}, 403, "forbidden", ""},
		{"bad policy", "admin", "PUT", "/api/v1/sla-policies", map[string]any{"appeal_kind": "consult", "urgency": "normal",
			"acknowledge": map[string]any{"value": 1, "unit": "fortnights"}, "reply": map[string]any{"value": 1, "unit": "working_days"},
			"callback": map[string]any{"value": 1, "unit": "working_days"}, "warning_share": 0.2}, 400, "invalid", "acknowledge.unit"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ae apiError
			e.call(tt.who, tt.method, tt.path, tt.body, tt.status, &ae)
			if ae.Error.Code != tt.code || ae.Error.Field != tt.field || ae.Error.Message == "" {
				t.Errorf("error %+v, want code %s field %q", ae.Error, tt.code, tt.field)
			}
		})
	}
	var got hotline.Ticket
	e.call("lead", "GET", "/api/v1/tickets/"+id, nil, 200, &got)
	if got.Status != hotline.StatusDispatched || len(got.Events) != 3 {
		t.Errorf("refusals changed the ticket: %s with %d events", got.Status, len(got.Events))
	}
	var ae apiError
	e.call("callback", "POST", "/api/v1/tickets/"+id+"/archive", nil, 409, &ae)
	if ae.Error.Message != "工单当前状态为“待签收”，不能归档" {
		t.Errorf("409 message %q does not name the state", ae.Error.Message)
	}
	var list struct{ Total int }
	e.call("util-power", "GET", "/api/v1/tickets", nil, 200, &list)
	if list.Total != 0 {
		t.Errorf("other unit lists %d tickets", list.Total)
	}
}

func TestAPI_ConfidentialHiddenFromUnits(t *testing.T) {
	e := MustServer(t)
	tk := e.newTicket(map[string]any{"submit": true, "confidential": true})
	id := fmt.Sprint(tk.ID)
	e.call("dispatcher", "POST", "/api/v1/tickets/"+id+"/dispatch", map[string]any{"lead_unit_id": e.units["util-water"]}, 200, nil)
	raw := e.call("util-water", "GET", "/api/v1/tickets/"+id, nil, 200, nil)
	if bytes.Contains(raw, []byte("13912345678")) || bytes.Contains(raw, []byte("王五")) {
		t.Errorf("unit sees the requester of a confidential ticket: %s", raw)
	}
	raw = e.call("util-water", "GET", "/api/v1/tickets", nil, 200, nil)
	if bytes.Contains(raw, []byte("13912345678")) {
		t.Errorf("unit list shows the requester of a confidential ticket")
	}
	var ae apiError
	e.call("util-water", "POST", "/api/v1/tickets/"+id+"/reveal", map[string]string{"reason": "联系诉求人"}, 403, &ae)
	raw = e.call("lead", "GET", "/api/v1/tickets/"+id, nil, 200, nil)
	if bytes.Contains(raw, []byte("13912345678")) || !bytes.Contains(raw, []byte("139****5678")) || !bytes.Contains(raw, []byte("王*")) {
		t.Errorf("centre detail is not masked: %s", raw)
	}
	e.call("lead", "POST", "/api/v1/tickets/"+id+"/reveal", map[string]string{}, 400, &ae)
	if ae.Error.Field != "reason" {
		t.Errorf("reveal without reason: %+v", ae)
	}
	var rev struct{ Requester hotline.Requester }
	e.call("lead", "POST", "/api/v1/tickets/"+id+"/reveal", map[string]string{"reason": "回访需要联系诉求人"}, 200, &rev)
	if rev.Requester.Phone != "13912345678" || rev.Requester.Name != "王五" {
		t.Errorf("revealed %+v", rev.Requester)
	}
}

func TestAPI_ReferenceData(t *testing.T) {
	e := MustServer(t)
	var cal struct {
		Year int
		Days []hotline.CalendarDay
	}
	e.call("agent", "GET", "/api/v1/calendar/2026", nil, 200, &cal)
	if cal.Year != 2026 || len(cal.Days) < 20 {
		t.Errorf("calendar 2026: %d days", len(cal.Days))
	}
	e.call("admin", "PUT", "/api/v1/calendar/days/2026-12-31", map[string]string{"kind": "holiday", "name": "演示"}, 200, nil)
	e.call("agent", "GET", "/api/v1/calendar/2026", nil, 200, &cal)
	if last := cal.Days[len(cal.Days)-1]; last.Day != "2026-12-31" || last.Kind != hotline.DayHoliday {
		t.Errorf("edited day missing: %+v", last)
	}
	e.call("dispatcher", "GET", "/api/v1/catalogue", nil, 404, nil)
	var units, cats struct{ Items []map[string]any }
	e.call("agent", "GET", "/api/v1/units", nil, 200, &units)
	e.call("agent", "GET", "/api/v1/categories", nil, 200, &cats)
	if len(units.Items) != 4 || len(cats.Items) != 3 {
		t.Errorf("units %d, categories %d", len(units.Items), len(cats.Items))
	}
	e.call("admin", "POST", "/api/v1/catalogue", map[string]any{"note": "v1", "entries": []map[string]any{
		{"category_id": e.cat, "lead_unit_id": e.units["util-water"], "co_unit_ids": []int64{e.units["anyuan"]}}}}, 201, nil)
	var cat hotline.CatalogueVersion
	e.call("dispatcher", "GET", "/api/v1/catalogue", nil, 200, &cat)
	if cat.Note != "v1" || len(cat.Entries) != 1 || cat.Entries[0].LeadUnitID != e.units["util-water"] {
		t.Errorf("catalogue %+v", cat)
	}
	var sug hotline.CatalogueEntry
	e.call("dispatcher", "GET", fmt.Sprintf("/api/v1/catalogue/suggest?category_id=%d&region_unit_id=%d", e.cat, e.units["anyuan"]), nil, 200, &sug)
	if sug.LeadUnitID != e.units["util-water"] || len(sug.CoUnitIDs) != 1 {
		t.Errorf("suggestion %+v", sug)
	}
	var pol struct{ Items []hotline.SLAPolicy }
	e.call("agent", "GET", "/api/v1/sla-policies", nil, 200, &pol)
	if len(pol.Items) != 18 {
		t.Errorf("%d policies, want 6 kinds × 3 urgencies", len(pol.Items))
	}
}

func TestAPI_LogoutRevokes(t *testing.T) {
	e := MustServer(t)
	e.call("agent", "POST", "/api/v1/auth/logout", nil, 204, nil)
	e.call("agent", "GET", "/api/v1/me", nil, 401, nil)
	e.call("", "POST", "/api/v1/auth/login", map[string]string{"username": "agent", "password": "wrong-password"}, 401, nil)
}
