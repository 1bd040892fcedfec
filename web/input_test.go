package web_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hotline/sqldb/sqldbtest"
)

// rowCounts is a fingerprint of everything a request could change: the
// rows of every table a login, an intake, an action or an admin page
// writes (each change is also an audit entry).
func (e *env) rowCounts(t *testing.T) string {
	t.Helper()
	driver, dsn := "sqlite", "file:"+e.dsn+"?_pragma=busy_timeout(10000)"
	if strings.HasPrefix(e.dsn, "postgres") {
		driver, dsn = "pgx", e.dsn
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var out []string
	for _, table := range []string{"tickets", "events", "users", "tokens", "units", "calendar_days", "audit_log", "login_failures", "categories"} {
		var n int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d", table, n))
	}
	var updated sql.NullInt64
	raw.QueryRow(`SELECT SUM(updated_at) FROM tickets`).Scan(&updated)
	return strings.Join(out, " ") + fmt.Sprintf(" updated=%d", updated.Int64)
}

// set puts v at a dotted path of a JSON body ("requester.name").
func set(body map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	m := body
	for _, p := range parts[:len(parts)-1] {
		m = m[p].(map[string]any)
	}
	m[parts[len(parts)-1]] = v
}

// copyJSON is a deep copy of a JSON body.
func copyJSON(b map[string]any) map[string]any {
	raw, _ := json.Marshal(b)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return out
}

// TestInput_BadTextRefusedEverywhere sends a NUL byte, a lone zero-width
// space and a 2 MB string in each text field of the login, intake, action
// and admin routes, as JSON and as forms: each is a 400 naming the field,
// and no row of the database changes. On both databases (a NUL was a 500
// on PostgreSQL and stored silently by SQLite).
func TestInput_BadTextRefusedEverywhere(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			e := MustServerOn(t, d)
			tk := e.newTicket(nil)
			var users struct {
				Items []struct {
					ID       int64
					Username string
				}
			}
			e.call("admin", "GET", "/api/v1/users", nil, 200, &users)
			type route struct {
				who, method, path string
				form              bool
				body              map[string]any
				fields            []string
			}
			ticket := map[string]any{"channel": "phone", "appeal_kind": "complaint", "category_id": e.cat, "urgency": "normal",
				"title": "停水", "content": "凤凰街停水两天", "requester": map[string]any{"name": "王五", "phone": "13912345678", "address": "凤凰街2号"},
				"location": map[string]any{"address": "安源区凤凰街"}}
			routes := []route{
				{"", "POST", "/api/v1/auth/login", false, map[string]any{"username": "agent", "password": "hotline12345"}, []string{"username", "password"}},
				{"", "POST", "/api/v1/auth/session", false, map[string]any{"username": "agent", "password": "hotline12345"}, []string{"username", "password"}},
				{"", "POST", "/login", true, map[string]any{"username": "agent", "password": "hotline12345"}, []string{"username", "password"}},
				{"agent", "POST", "/api/v1/tickets", false, ticket, []string{"title", "content", "requester.name", "requester.phone", "requester.address", "location.address"}},
				{"agent", "POST", "/intake", true, map[string]any{"channel": "phone", "appeal_kind": "consult", "urgency": "normal", "category_id": fmt.Sprint(e.cat),
					"title": "停水", "content": "凤凰街停水", "name": "王五", "phone": "13912345678", "address": "凤凰街", "location": "安源区", "mode": "submit"},
					[]string{"title", "content", "name", "phone", "address", "location"}},
				{"agent", "POST", fmt.Sprintf("/api/v1/tickets/%d/cancel", tk.ID), false, map[string]any{"reason": "重复受理"}, []string{"reason"}},
				{"agent", "POST", fmt.Sprintf("/api/v1/tickets/%d/submit", tk.ID), false, map[string]any{"note": "补充"}, []string{"note"}},
				{"agent", "POST", fmt.Sprintf("/tickets/%d/act/cancel", tk.ID), true, map[string]any{"reason": "重复受理"}, []string{"reason"}},
				{"agent", "POST", fmt.Sprintf("/api/v1/tickets/%d/reveal", tk.ID), false, map[string]any{"reason": "回访核实"}, []string{"reason"}},
				{"admin", "PUT", "/api/v1/calendar/days/2026-12-24", false, map[string]any{"kind": "holiday", "name": "测试假日"}, []string{"name"}},
				{"admin", "POST", "/admin/calendar", true, map[string]any{"day": "2026-12-24", "kind": "holiday", "name": "测试假日"}, []string{"name", "day"}},
				{"admin", "POST", "/api/v1/units", false, map[string]any{"code": "newunit", "name": "新单位", "kind": "department", "parent_id": e.units["px"]}, []string{"code", "name"}},
				{"admin", "POST", "/admin/units", true, map[string]any{"code": "newunit", "name": "新单位", "kind": "department", "parent_id": fmt.Sprint(e.units["px"])}, []string{"code", "name"}},
				{"admin", "POST", "/api/v1/users", false, map[string]any{"username": "newuser", "display_name": "新人", "role": "call_agent", "password": "abc12345xyz"},
					[]string{"username", "display_name", "password"}},
				{"admin", "POST", "/admin/users", true, map[string]any{"username": "newuser", "display_name": "新人", "role": "call_agent", "password": "abc12345xyz"},
					[]string{"username", "display_name", "password"}},
				{"admin", "PATCH", fmt.Sprintf("/api/v1/users/%d", users.Items[1].ID), false, map[string]any{"display_name": "新名字"}, []string{"display_name"}},
			}
			bad := map[string]string{"NUL": "停\x00水", "zero-width space": "\u200b", "2 MB": strings.Repeat("长", 700_000)}
			before := e.rowCounts(t)
			for _, rt := range routes {
				for _, field := range rt.fields {
					for what, v := range bad {
						var body io.Reader
						ct := "application/json"
						if rt.form {
							f := url.Values{}
							for k, x := range rt.body {
								f.Set(k, fmt.Sprint(x))
							}
							f.Set(field, v)
							body, ct = strings.NewReader(f.Encode()), "application/x-www-form-urlencoded"
						} else {
							b := copyJSON(rt.body)
							set(b, field, v)
							raw, _ := json.Marshal(b)
							body = bytes.NewReader(raw)
						}
						req, _ := http.NewRequest(rt.method, e.srv.URL+rt.path, body)
						req.Header.Set("Content-Type", ct)
						if rt.who != "" {
							req.Header.Set("Authorization", "Bearer "+e.tokens[rt.who])
						}
						resp, err := http.DefaultClient.Do(req)
						if err != nil {
							t.Fatal(err)
						}
						raw, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						named := false
						if rt.form {
							named = bytes.Contains(raw, []byte("（"+field+"）"))
						} else {
							var ae apiError
							json.Unmarshal(raw, &ae)
							named = ae.Error.Field == field
						}
						if resp.StatusCode != 400 || !named {
							t.Errorf("%s %s with %s in %s: %d, field not named: %.300s", rt.method, rt.path, what, field, resp.StatusCode, raw)
						}
					}
				}
			}
			if after := e.rowCounts(t); after != before {
				t.Errorf("bad input changed the database:\nbefore %s\nafter  %s", before, after)
			}
			// The same routes with good input do change it: the fingerprint sees changes.
			e.call("agent", "POST", fmt.Sprintf("/api/v1/tickets/%d/cancel", tk.ID), map[string]any{"reason": "重复受理"}, 200, nil)
			if e.rowCounts(t) == before {
				t.Error("the fingerprint misses a change")
			}
		})
	}
}

// TestInput_StrictIDsPagesAndNoListings: "198abc" is no ticket id, a page
// number past the bound is an error rather than page 1, and /static/ lists
// nothing.
func TestInput_StrictIDsPagesAndNoListings(t *testing.T) {
	e := MustServer(t)
	tk := e.newTicket(nil)
	for path, want := range map[string]int{
		fmt.Sprintf("/api/v1/tickets/%d", tk.ID):    200,
		fmt.Sprintf("/api/v1/tickets/%dabc", tk.ID): 404,
		fmt.Sprintf("/tickets/%dabc", tk.ID):        404,
		fmt.Sprintf("/api/v1/tickets/+%d", tk.ID):   404,
		"/api/v1/tickets?page=99999999999999999999": 400,
		"/api/v1/tickets?page=10001":                400,
		"/api/v1/tickets?page=10000":                200,
		"/tickets?page=-1":                          400,
		"/api/v1/audit?page=0":                      400,
		"/static/":                                  404,
		"/static/app.js":                            200,
	} {
		who := "agent"
		if strings.Contains(path, "audit") {
			who = "admin"
		}
		if code, body := e.get(who, path); code != want {
			t.Errorf("GET %s: %d, want %d: %.200s", path, code, want, body)
		}
	}
}

// TestDevelop_ReadsTemplatesFromDisk: with Develop, an edited template
// shows at the next request, and static files come from the folder.
func TestDevelop_ReadsTemplatesFromDisk(t *testing.T) {
	e := MustServer(t)
	dir := t.TempDir()
	for _, sub := range []string{"templates", "static"} { // with their folders (templates/quality)
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(sub)); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.server.Develop(dir); err != nil {
		t.Fatal(err)
	}
	if err := e.server.Develop(t.TempDir()); err == nil {
		t.Error("a folder without templates was accepted")
	}
	login := filepath.Join(dir, "templates", "login.html")
	b, _ := os.ReadFile(login)
	os.WriteFile(login, []byte(strings.Replace(string(b), `<h1>{{T "登录"}}</h1>`, `<h1>{{T "登录"}}</h1><p id="dev-edit">改过了</p>`, 1)), 0o600)
	if code, page := e.get("", "/login"); code != 200 || !strings.Contains(page, "dev-edit") {
		t.Errorf("the edited template is not served: %d", code)
	}
	os.WriteFile(filepath.Join(dir, "static", "app.css"), []byte("/* dev */"), 0o600)
	if _, css := e.get("", "/static/app.css"); css != "/* dev */" {
		t.Errorf("static file from the folder: %q", css)
	}
}
