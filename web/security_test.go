package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"testing"
)

func TestSecurity_SessionsAndCSRF(t *testing.T) {
	e := MustServer(t)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	resp, err := browser.Post(e.srv.URL+"/api/v1/auth/session", "application/json", strings.NewReader(`{"username":"agent","password":"hotline12345"}`))
	if err != nil {
		t.Fatal(err)
	}
	var login struct{ CSRF string }
	json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "hotline_session" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || !cookie.Secure || login.CSRF == "" {
		t.Fatalf("session cookie %+v, csrf %q", cookie, login.CSRF)
	}
	// httptest serves plain http, where the client will not send a Secure
	// cookie back: send it by hand as a browser on HTTPS would.
	send := func(method, path, body string, header map[string]string) int {
		req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
		req.AddCookie(&http.Cookie{Name: "hotline_session", Value: cookie.Value})
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := send("GET", "/api/v1/me", "", nil); got != 200 {
		t.Errorf("GET with session cookie: %d", got)
	}
	ticket := fmt.Sprintf(`{"channel":"phone","appeal_kind":"consult","category_id":%d,"urgency":"normal","title":"t","content":"c",
		"requester":{"anonymous":true},"location":{"address":"a"}}`, e.cat)
	if got := send("POST", "/api/v1/tickets", ticket, map[string]string{"Content-Type": "application/json"}); got != 403 {
		t.Errorf("state change without CSRF token: %d, want 403", got)
	}
	if got := send("POST", "/api/v1/tickets", ticket, map[string]string{"X-CSRF-Token": "forged"}); got != 403 {
		t.Errorf("state change with a wrong CSRF token: %d, want 403", got)
	}
	form := url.Values{"csrf_token": {"forged"}}.Encode()
	if got := send("POST", "/api/v1/auth/logout", form, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}); got != 403 {
		t.Errorf("form post with a wrong csrf_token: %d, want 403", got)
	}
	if got := send("POST", "/api/v1/tickets", ticket, map[string]string{"X-CSRF-Token": login.CSRF}); got != 201 {
		t.Errorf("state change with the CSRF token: %d, want 201", got)
	}
	form = url.Values{"csrf_token": {login.CSRF}}.Encode()
	if got := send("POST", "/api/v1/auth/logout", form, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}); got != 204 {
		t.Errorf("logout form with csrf_token: %d", got)
	}
	if got := send("GET", "/api/v1/me", "", nil); got != 401 {
		t.Errorf("session after logout: %d, want 401", got)
	}
}

func TestSecurity_RevokedTokenStopsAtOnce(t *testing.T) {
	e := MustServer(t)
	var second struct{ Token string }
	e.call("", "POST", "/api/v1/auth/login", map[string]string{"username": "agent", "password": "hotline12345", "name": "脚本"}, 200, &second)
	var list struct {
		Items []struct {
			ID   int64
			Name string
		}
	}
	e.call("agent", "GET", "/api/v1/auth/tokens", nil, 200, &list)
	if len(list.Items) != 2 {
		t.Fatalf("tokens %+v", list.Items)
	}
	var id int64
	for _, it := range list.Items {
		if it.Name == "脚本" {
			id = it.ID
		}
	}
	e.call("util-water", "DELETE", fmt.Sprintf("/api/v1/auth/tokens/%d", id), nil, 404, nil) // not theirs
	e.tokens["script"] = second.Token
	e.call("script", "GET", "/api/v1/me", nil, 200, nil)
	e.call("agent", "DELETE", fmt.Sprintf("/api/v1/auth/tokens/%d", id), nil, 204, nil)
	e.call("script", "GET", "/api/v1/me", nil, 401, nil)
	e.call("agent", "GET", "/api/v1/me", nil, 200, nil)
	var out struct{ Revoked int }
	e.call("agent", "POST", "/api/v1/auth/logout-all", nil, 200, &out)
	if out.Revoked != 1 {
		t.Errorf("logout-all revoked %d", out.Revoked)
	}
	e.call("agent", "GET", "/api/v1/me", nil, 401, nil)
}

func TestSecurity_LoginRateLimitAndHeaders(t *testing.T) {
	e := MustServer(t)
	var last *http.Response
	for i := 0; i < 40; i++ {
		body := fmt.Sprintf(`{"username":"nobody%d","password":"x"}`, i) // distinct users: the per-user lockout stays out of it
		resp, err := http.Post(e.srv.URL+"/api/v1/auth/login", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		last = resp
		if resp.StatusCode == 429 {
			break
		}
	}
	if last.StatusCode != 429 || last.Header.Get("Retry-After") == "" {
		t.Errorf("40 rapid logins from one address: last status %d, Retry-After %q", last.StatusCode, last.Header.Get("Retry-After"))
	}
	csp := last.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || last.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("security headers: CSP %q", csp)
	}
	var ae apiError
	e.call("agent", "POST", "/api/v1/tickets", `{"title":"`+strings.Repeat("x", 2<<20)+`"}`, 400, &ae)
	if ae.Error.Field != "title" {
		t.Errorf("2 MiB body: want the field being read named, got %+v", ae.Error)
	}
}

// TestSecurity_APIWritesNoPlaintext creates tickets through the HTTP API
// with a known name, phone and address, and greps the SQLite files.
func TestSecurity_APIWritesNoPlaintext(t *testing.T) {
	e := MustServer(t)
	for i := 0; i < 3; i++ {
		e.newTicket(map[string]any{"submit": true, "requester": map[string]any{"name": "司马相如", "phone": "+86 135-7924-6810", "address": "芦溪县宣风镇竹垣村"}})
	}
	var raw []byte
	for _, suffix := range []string{"", "-wal"} {
		b, _ := os.ReadFile(e.dsn + suffix)
		raw = append(raw, b...)
	}
	if !bytes.Contains(raw, []byte("凤凰街停水两天")) {
		t.Fatal("the raw read does not see the tickets")
	}
	for _, s := range []string{"司马相如", "13579246810", "135-7924-6810", "竹垣村"} {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("%q is stored in plain text", s)
		}
	}
	var list struct{ Total int }
	e.call("agent", "GET", "/api/v1/caller-history?phone=13579246810", nil, 200, &list)
	if list.Total != 3 {
		t.Errorf("caller history by phone: %d", list.Total)
	}
}
