package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hotline"
	"hotline/sqldb/sqldbtest"
)

// privacyCity is a test city with three tickets dispatched to the water
// company — an ordinary one, a confidential (保密) one and an anonymous
// (匿名) one — each with a requester the tests look for.
type privacyCity struct {
	*env
	normal, confidential, anonymous hotline.Ticket
}

// The requesters' data: every one of these strings is personal data that
// must never leave storage unmasked except through an audited reveal.
var (
	plainSecrets = []string{"司马相如", "13579246810", "135-7924-6810", "芦溪县宣风镇竹垣村", "竹垣村",
		"欧阳翠花", "13600001111", "湘东区峡山口街88号", "峡山口街", "13700002222", "张三丰", "麻山镇汶泉村"}
	// what a unit must not see even masked: the confidential and the
	// anonymous requester
	unitSecrets = []string{"****1111", "****2222", "欧阳**"}
)

func newPrivacyCity(t *testing.T, dialect string) *privacyCity {
	t.Helper()
	e := MustServerOn(t, dialect)
	for name, role := range map[string]hotline.Role{"analyst": hotline.RoleAnalyst, "inspector": hotline.RoleInspector, "supervisor": hotline.RoleSupervisor} {
		e.addUser(name, role, 0)
	}
	c := &privacyCity{env: e}
	water := e.units["util-water"]
	for _, x := range []struct {
		dst *hotline.Ticket
		req map[string]any
		cnf bool
	}{
		{&c.normal, map[string]any{"name": "司马相如", "phone": "+86 135-7924-6810", "address": "芦溪县宣风镇竹垣村"}, false},
		{&c.confidential, map[string]any{"name": "欧阳翠花", "phone": "13600001111", "address": "湘东区峡山口街88号"}, true},
		{&c.anonymous, map[string]any{"anonymous": true, "name": "张三丰", "phone": "13700002222", "address": "麻山镇汶泉村"}, false},
	} {
		*x.dst = e.newTicket(map[string]any{"submit": true, "requester": x.req, "confidential": x.cnf})
		e.call("dispatcher", "POST", fmt.Sprintf("/api/v1/tickets/%d/dispatch", x.dst.ID), map[string]any{"lead_unit_id": water}, 200, nil)
	}
	e.call("util-water", "POST", fmt.Sprintf("/api/v1/tickets/%d/acknowledge", c.normal.ID), nil, 200, nil)
	e.call("util-water", "POST", fmt.Sprintf("/api/v1/tickets/%d/acknowledge", c.confidential.ID), nil, 200, nil)
	return c
}

// fetch sends a request as who and returns the status and the body; an
// xlsx body is unpacked so that its cells can be searched.
func (e *env) fetch(who, method, path string) (int, []byte) {
	e.tb.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens[who])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			e.tb.Fatalf("%s: not an xlsx: %v", path, err)
		}
		var all []byte
		for _, f := range zr.File {
			rc, _ := f.Open()
			x, _ := io.ReadAll(rc)
			rc.Close()
			all = append(all, x...)
		}
		b = all
	}
	return resp.StatusCode, b
}

// paths turns a route pattern into the paths to request: each ticket for
// a ticket's {id}, each queue for {name}, plausible values elsewhere.
func (c *privacyCity) paths(pattern string) []string {
	p := strings.TrimSuffix(pattern, "{$}")
	if strings.HasSuffix(p, "/") && p != "/" {
		p += map[string]string{"/static/": "app.js", "/api/": "v1/nothing"}[p]
	}
	out := []string{p}
	expand := func(key string, values ...string) {
		var next []string
		for _, q := range out {
			if !strings.Contains(q, key) {
				next = append(next, q)
				continue
			}
			for _, v := range values {
				next = append(next, strings.Replace(q, key, v, 1))
			}
		}
		out = next
	}
	if strings.HasPrefix(p, "/tickets/{id}") || strings.HasPrefix(p, "/api/v1/tickets/{id}") {
		expand("{id}", fmt.Sprint(c.normal.ID), fmt.Sprint(c.confidential.ID), fmt.Sprint(c.anonymous.ID))
	}
	expand("{id}", "1")
	expand("{name}", "acknowledge", "handling", "due-soon", "overdue", "open", "dispatch", "accepted", "review", "callback", "en")
	expand("{year}", "2026")
	expand("{day}", "2026-11-23")
	expand("{aid}", "1")
	var withQuery []string
	for _, q := range out {
		withQuery = append(withQuery, q)
		switch q {
		case "/tickets", "/api/v1/tickets", "/tickets/export.xlsx", "/api/v1/kb/search", "/kb":
			withQuery = append(withQuery, q+"?q=停水", q+"?q=13579246810", q+"?q=司马相如")
		case "/api/v1/tickets/similar":
			withQuery = append(withQuery, q+"?title=停水&content=凤凰街停水两天")
		case "/api/v1/caller-history":
			withQuery = append(withQuery, q+"?phone=13579246810", q+"?phone=13600001111", q+"?phone=13700002222")
		case "/api/v1/audit", "/admin/audit":
			withQuery = append(withQuery, q+"?action=caller.")
		}
	}
	return withQuery
}

// TestPrivacy_EveryRouteMasked walks every GET route the server has
// registered — pages, API, exports — as a unit user and as centre roles
// without the reveal permission (and a call agent, who has it but has not
// revealed), for every ticket, and finds no requester's name, phone or
// address unmasked, and, as the unit, nothing of the confidential and the
// anonymous requester at all. A new route is walked without anyone adding
// it here.
func TestPrivacy_EveryRouteMasked(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			c := newPrivacyCity(t, d)
			// The unit's acts are visible in the timeline; so are a caller
			// lookup's traces in the audit log.
			c.call("agent", "GET", "/api/v1/caller-history?phone=13579246810", nil, 200, nil)
			routes := c.server.Routes()
			if len(routes) < 100 {
				t.Fatalf("only %d routes registered", len(routes))
			}
			walked := 0
			for _, who := range []string{"util-water", "analyst", "inspector", "supervisor", "agent"} {
				for _, r := range routes {
					method, pattern, ok := strings.Cut(r, " ")
					// Event streams never end; what they send is a
					// sqldb.Change, which has no personal field.
					if !ok || method != "GET" || pattern == "/lang/{name}" || strings.HasSuffix(pattern, "/events") {
						continue
					}
					for _, path := range c.paths(pattern) {
						status, body := c.fetch(who, "GET", path)
						walked++
						if status >= 500 {
							t.Errorf("%s GET %s: %d", who, path, status)
						}
						// A page repeats its own search words (the search
						// box, the language link): those are the visitor's,
						// not stored data. They must not find the ticket.
						if u, err := url.Parse(path); err == nil {
							for _, v := range u.Query() {
								if !slices.Contains(plainSecrets, v[0]) {
									continue
								}
								lookup := u.Path == "/api/v1/caller-history" && who == "agent" // finding callers is its job
								if !lookup && bytes.Contains(body, []byte(c.normal.Number)) {
									t.Errorf("%s GET %s finds the ticket by its requester", who, path)
								}
								for _, echo := range []string{v[0], url.QueryEscape(v[0])} {
									body = bytes.ReplaceAll(body, []byte(echo), nil)
								}
							}
						}
						for _, s := range plainSecrets {
							if bytes.Contains(body, []byte(s)) {
								t.Errorf("%s GET %s (%d) shows %q", who, path, status, s)
							}
						}
						if who != "util-water" {
							continue
						}
						for _, s := range unitSecrets {
							if bytes.Contains(body, []byte(s)) {
								t.Errorf("unit GET %s (%d) shows %q of a confidential or anonymous requester", path, status, s)
							}
						}
					}
				}
			}
			// The unit's own actions answer with the ticket: masked too.
			for _, id := range []int64{c.confidential.ID, c.anonymous.ID} {
				for _, action := range []string{"acknowledge", "reveal"} {
					req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/tickets/%d/%s", c.srv.URL, id, action), strings.NewReader(`{"reason":"核实"}`))
					req.Header.Set("Authorization", "Bearer "+c.tokens["util-water"])
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					for _, s := range append(append([]string{}, plainSecrets...), unitSecrets...) {
						if bytes.Contains(b, []byte(s)) {
							t.Errorf("unit POST %s on ticket %d shows %q", action, id, s)
						}
					}
				}
			}
			t.Logf("%d routes, %d requests", len(routes), walked)
		})
	}
}

// TestPrivacy_NoPlaintextAnywhere runs every search, export, lookup and
// reveal path with the requesters' names and numbers as search words, then
// greps the database (SQLite file and WAL; every row on PostgreSQL), a
// backup and the server's log output: none of them holds a name, phone or
// address in plain text — not the audit log either.
func TestPrivacy_NoPlaintextAnywhere(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			c := newPrivacyCity(t, d)
			for _, q := range []string{"13579246810", "司马相如", "竹垣村", "13600001111"} {
				for _, who := range []string{"agent", "dispatcher", "lead", "util-water"} {
					c.fetch(who, "GET", "/api/v1/tickets?q="+q)
					c.fetch(who, "GET", "/tickets?q="+q)
					c.fetch(who, "GET", "/tickets/export.xlsx?q="+q)
					c.fetch(who, "GET", "/api/v1/kb/search?q="+q)
					c.fetch(who, "GET", "/api/v1/tickets/similar?title="+q+"&content="+q)
					c.fetch(who, "GET", "/api/v1/caller-history?phone="+q)
					c.fetch(who, "GET", "/api/v1/tickets?phone="+q)
				}
			}
			for _, id := range []int64{c.normal.ID, c.confidential.ID, c.anonymous.ID} {
				for _, who := range []string{"agent", "lead", "util-water", "analyst"} {
					req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/tickets/%d/reveal", c.srv.URL, id), strings.NewReader(`{"reason":"回访核实"}`))
					req.Header.Set("Authorization", "Bearer "+c.tokens[who])
					if resp, err := http.DefaultClient.Do(req); err == nil {
						resp.Body.Close()
					}
				}
			}
			var rev struct{ Requester hotline.Requester }
			c.call("lead", "POST", fmt.Sprintf("/api/v1/tickets/%d/reveal", c.normal.ID), map[string]string{"reason": "回访核实"}, 200, &rev)
			if rev.Requester.Phone != "13579246810" || rev.Requester.Name != "司马相如" {
				t.Fatalf("the reveal itself does not work: %+v", rev.Requester)
			}
			c.call("lead", "POST", fmt.Sprintf("/api/v1/tickets/%d/reveal", c.anonymous.ID), map[string]string{"reason": "回访"}, 200, &rev)
			if rev.Requester.Phone != "13700002222" || rev.Requester.Name != "" || rev.Requester.Address != "" {
				t.Errorf("anonymous requester as stored: %+v (want the phone only)", rev.Requester)
			}
			c.fetch("admin", "GET", "/api/v1/audit?page_size=200")
			// The same callers' calls through the webhook (and a bad event
			// whose error must not echo the number).
			key := c.ctiKey()
			if code, out := c.postEvents(key, []any{ev("p1", "offered", "09:00:00", "caller", "13579246810"), ev("p1", "answered", "09:00:09", "agent", "agent"),
				ev("p1", "ended", "09:04:00"), ev("p2", "offered", "09:10:00", "caller", "13600001111"), ev("p2", "ended", "09:10:20")}); code != 200 {
				t.Fatalf("call events: %d %v", code, out)
			}
			if code, _ := c.postEvents(key, ev("p3", "answered", "09:20:00", "caller", "13579246810")); code != 400 {
				t.Errorf("an answered event without agent: %d", code)
			}
			c.fetch("lead", "GET", "/calls?from=2026-11-30")
			c.fetch("lead", "GET", "/api/v1/calls/stats?from=2026-11-30&to=2026-11-30")

			places := map[string][]byte{"database": sqldbtest.RawContents(t, c.dsn), "log": c.logs.Bytes()}
			if d == "sqlite" {
				out := filepath.Join(t.TempDir(), "backup.db")
				if err := c.db.Backup(context.Background(), hotline.Actor{Role: hotline.RoleAdmin, Name: "测试"}, out); err != nil {
					t.Fatal(err)
				}
				places["backup"], _ = os.ReadFile(out)
			}
			if !bytes.Contains(places["database"], []byte("凤凰街停水两天")) {
				t.Fatal("the raw read does not see the tickets at all")
			}
			for where, raw := range places {
				for _, s := range plainSecrets {
					if bytes.Contains(raw, []byte(s)) {
						t.Errorf("%q is in the %s in plain text", s, where)
					}
				}
			}
		})
	}
}
