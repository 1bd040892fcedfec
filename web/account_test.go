package web_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/sqldb/sqldbtest"
	"hotline/web"
)

// streamEnds waits for an SSE stream to end; it fails after within.
func streamEnds(t *testing.T, sc *bufio.Scanner, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	done := make(chan struct{})
	go func() {
		for sc.Scan() {
		}
		close(done)
	}()
	select {
	case <-done:
		return time.Since(start)
	case <-time.After(within):
		t.Fatalf("the event stream is still open %s after", within)
		return 0
	}
}

// TestAccounts_DisableEndsStreamsAndTokens disables a user whose event
// stream is open (on PostgreSQL, on another instance than the one that
// disables): the stream closes at once — well before the periodic
// re-check — and the token gets 401; enabling does not bring the old
// token back. Several named users of one unit act in their own names.
func TestAccounts_DisableEndsStreamsAndTokens(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			e := MustServerOn(t, d)
			second, listening := e.liveSecond(d)
			e.addUser("water-li", hotline.RoleUnit, e.units["util-water"])
			// Her browser: a cookie session with the page's event stream
			// open (the same /events a list page opens), on the second
			// instance; and an API token of hers.
			resp, err := http.Post(second+"/api/v1/auth/session", "application/json", strings.NewReader(`{"username":"water-li","password":"hotline12345"}`))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			var cookie *http.Cookie
			for _, c := range resp.Cookies() {
				if c.Name == web.SessionCookie {
					cookie = c
				}
			}
			if cookie == nil {
				t.Fatal("no session cookie")
			}
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel)
			req, _ := http.NewRequestWithContext(ctx, "GET", second+"/events", nil)
			req.AddCookie(cookie)
			sresp, err := http.DefaultClient.Do(req)
			if err != nil || sresp.StatusCode != 200 {
				t.Fatalf("browser event stream: %v %v", err, sresp.Status)
			}
			t.Cleanup(func() { sresp.Body.Close() })
			stream := bufio.NewScanner(sresp.Body)
			apiStream := subscribe(t, second, e.tokens["water-li"])
			<-listening // the second instance receives the first's changes
			var users struct{ Items []hotline.User }
			e.call("admin", "GET", "/api/v1/users", nil, 200, &users)
			var id int64
			for _, u := range users.Items {
				if u.Username == "water-li" {
					id = u.ID
				}
			}
			e.call("agent", "PATCH", fmt.Sprintf("/api/v1/users/%d", id), map[string]any{"active": false}, 403, nil)
			e.call("admin", "PATCH", fmt.Sprintf("/api/v1/users/%d", id), map[string]any{"active": false}, 200, nil)
			took := streamEnds(t, stream, 3*time.Second)
			if took > time.Second {
				t.Errorf("the browser's stream closed %s after the user was disabled", took)
			}
			t.Logf("the browser's event stream closed %s after the response to the disabling", took)
			streamEnds(t, apiStream, time.Second)
			e.call("water-li", "GET", "/api/v1/me", nil, 401, nil)
			req, _ = http.NewRequest("GET", e.srv.URL+"/api/v1/me", nil)
			req.AddCookie(cookie)
			if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
				t.Errorf("the browser session after disabling: %v %v", err, resp.Status)
			}
			e.call("", "POST", "/api/v1/auth/login", map[string]string{"username": "water-li", "password": "hotline12345"}, 401, nil)
			e.call("admin", "PATCH", fmt.Sprintf("/api/v1/users/%d", id), map[string]any{"active": true}, 200, nil)
			e.call("water-li", "GET", "/api/v1/me", nil, 401, nil) // the old token stays revoked

			// A bad patch changes nothing.
			var ae apiError
			e.call("admin", "PATCH", fmt.Sprintf("/api/v1/users/%d", id), map[string]any{"role": "dispatcher", "display_name": "\u200b"}, 400, &ae)
			if ae.Error.Field != "display_name" {
				t.Errorf("zero-width name: %+v", ae.Error)
			}
			e.call("admin", "PATCH", fmt.Sprintf("/api/v1/users/%d", id), map[string]any{"role": "unit", "unit_id": 0}, 400, nil)
			var u hotline.User
			e.call("admin", "PATCH", fmt.Sprintf("/api/v1/users/%d", id), map[string]any{"display_name": "李娜"}, 200, &u)
			if u.Role != hotline.RoleUnit || u.UnitID != e.units["util-water"] || u.DisplayName != "李娜" {
				t.Errorf("after a bad patch and a rename: %+v", u)
			}

			// Reset: the user must change the password before anything else.
			e.call("admin", "POST", fmt.Sprintf("/api/v1/users/%d/reset-password", id), map[string]string{"password": "temp4321abc"}, 200, nil)
			var out struct{ Token string }
			e.call("", "POST", "/api/v1/auth/login", map[string]string{"username": "water-li", "password": "temp4321abc"}, 200, &out)
			e.tokens["water-li"] = out.Token
			e.call("water-li", "GET", "/api/v1/tickets", nil, 403, nil)
			e.call("water-li", "POST", "/api/v1/me/password", map[string]string{"current_password": "wrong1234", "password": "mine5678xyz"}, 400, nil)
			e.call("water-li", "POST", "/api/v1/me/password", map[string]string{"current_password": "temp4321abc", "password": "mine5678xyz"}, 200, nil)
			e.call("water-li", "GET", "/api/v1/tickets", nil, 200, nil)

			// Two named users of one unit act in their own names.
			tk := e.newTicket(map[string]any{"submit": true})
			e.call("dispatcher", "POST", fmt.Sprintf("/api/v1/tickets/%d/dispatch", tk.ID), map[string]any{"lead_unit_id": e.units["util-water"]}, 200, nil)
			var got hotline.Ticket
			e.call("water-li", "POST", fmt.Sprintf("/api/v1/tickets/%d/acknowledge", tk.ID), nil, 200, &got)
			if last := got.Events[len(got.Events)-1]; last.ActorName != "李娜" || last.ActorID != id {
				t.Errorf("acknowledged as %q #%d", last.ActorName, last.ActorID)
			}
			// Logging out everywhere (token revocation) ends the streams too.
			cb := subscribe(t, second, e.tokens["callback"]) // subscribed before its headers were sent
			e.call("callback", "POST", "/api/v1/auth/logout-all", nil, 200, nil)
			if took := streamEnds(t, cb, 3*time.Second); took > time.Second {
				t.Errorf("the stream closed %s after its token was revoked", took)
			}
			// An admin cannot lock themselves out.
			var me hotline.User
			e.call("admin", "GET", "/api/v1/me", nil, 200, &me)
			e.call("admin", "PATCH", fmt.Sprintf("/api/v1/users/%d", me.ID), map[string]any{"active": false}, 409, nil)
		})
	}
}
