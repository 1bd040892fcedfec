package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"hotline/sqldb/sqldbtest"
	"hotline/web"
)

// BenchmarkPages renders the main pages server-side (handler time, no
// network) over 100,000 tickets in SQLite, spread over the test city's four
// units (25,000 each, far more than any one unit of a real city holds) in
// the proportions of a running hotline: half archived, a fifth in hand.
func BenchmarkPages(b *testing.B) {
	e := MustServer(b)
	h := e.srv.Config.Handler.(*web.Server)
	h.SecureCookies = false
	tk := e.newTicket(map[string]any{"submit": true})
	e.call("dispatcher", "POST", fmt.Sprintf("/api/v1/tickets/%d/dispatch", tk.ID), map[string]any{"lead_unit_id": e.units["util-water"]}, 200, nil)
	sqldbtest.CopyTickets(b, e.dsn, tk.ID, 100_000, time.Now().Add(-50*time.Hour), sqldbtest.Spread{
		UnitIDs: []int64{e.units["px"], e.units["util-water"], e.units["util-power"], e.units["anyuan"]},
		Statuses: []string{"archived", "archived", "archived", "archived", "archived", "archived", "concluded",
			"handling", "handling", "dispatched", "replied", "pending_dispatch"}})
	cookies := benchCookies(b, e, "dispatcher", "util-water", "lead")
	for _, p := range []struct{ name, user, path string }{
		{"home_dispatcher", "dispatcher", "/"},
		{"ticket_list", "lead", "/tickets"},
		{"ticket_list_filtered", "lead", fmt.Sprintf("/tickets?status=dispatched&category_id=%d&overdue=true&sort=due", e.cat)},
		{"ticket_list_page_100", "lead", "/tickets?page=100"},
		{"dispatch_queue", "dispatcher", "/queue/dispatch"},
		{"unit_inbox", "util-water", "/queue/acknowledge"},
		{"unit_home", "util-water", "/"},
		{"unit_urged", "util-water", "/queue/urged"},
		{"unit_forwarded", "util-water", "/queue/forwarded"},
		{"unit_sub_review", "util-water", "/queue/sub-review"},
		{"returns_queue", "dispatcher", "/queue/returns"},
		{"home_lead", "lead", "/"},
		{"ticket_page", "dispatcher", fmt.Sprintf("/tickets/%d", tk.ID)},
		{"supervision_board", "lead", "/board"},
		{"intake", "dispatcher", "/intake"},
	} {
		b.Run(p.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				req := httptest.NewRequest("GET", p.path, nil)
				req.AddCookie(cookies[p.user])
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("%s: %d %s", p.path, w.Code, w.Body.String()[:min(300, w.Body.Len())])
				}
			}
		})
	}
}

// benchCookies signs the users in through the login form and returns
// their session cookies, for requests straight to the handler.
func benchCookies(b *testing.B, e *env, users ...string) map[string]*http.Cookie {
	cookies := map[string]*http.Cookie{}
	for _, user := range users {
		noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		// The login form's pre-session token, with its cookie.
		page, err := noRedirect.Get(e.srv.URL + "/login")
		if err != nil {
			b.Fatal(err)
		}
		raw, _ := io.ReadAll(page.Body)
		page.Body.Close()
		m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(raw)
		if m == nil {
			b.Fatal("no login token")
		}
		req, _ := http.NewRequest("POST", e.srv.URL+"/login", strings.NewReader(url.Values{"username": {user}, "password": {"hotline12345"},
			"csrf_token": {string(m[1])}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range page.Cookies() {
			req.AddCookie(c)
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		for _, c := range resp.Cookies() {
			if c.Name == web.SessionCookie {
				cookies[user] = c
			}
		}
		if cookies[user] == nil {
			b.Fatalf("no session for %s", user)
		}
	}
	return cookies
}
