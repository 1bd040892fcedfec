package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"hotline/web"
)

// chineseRun finds what is still Chinese on a page.
var chineseRun = regexp.MustCompile(`[\p{Han}\x{3000}-\x{303f}\x{ff00}-\x{ffef}]+`)

// The English locale shows no Chinese but the data (unit, category and
// holiday names), and the Chinese locale stays the default.
func TestLocale_EnglishPages(t *testing.T) {
	e := MustServer(t)
	base := e.srv.URL
	e.srv.Config.Handler.(*web.Server).SecureCookies = false
	tk := e.newTicket(map[string]any{"title": "No water", "content": "No water on Fenghuang Street for two days",
		"requester": map[string]any{"name": "Wang Wu", "phone": "13912345678", "address": "Fenghuang Street 2"},
		"location":  map[string]any{"address": "Fenghuang Street"}})
	e.call("agent", "POST", fmt.Sprintf("/api/v1/tickets/%d/submit", tk.ID), nil, 200, nil)
	e.call("dispatcher", "POST", fmt.Sprintf("/api/v1/tickets/%d/dispatch", tk.ID), map[string]any{"lead_unit_id": e.units["util-water"]}, 200, nil)
	// Data stays as entered: the fixture's unit and category names, the
	// official holidays, and the switch back to Chinese, named in Chinese.
	data := []string{"萍乡市", "水务公司", "供电公司", "安源区", "公共事业", "供水", "停水",
		"中秋节", "元旦节", "劳动节", "国庆中秋", "国庆节", "春节", "清明节", "端午节", "中文"}
	leftover := func(body string) []string {
		for _, d := range data {
			body = strings.ReplaceAll(body, d, "")
		}
		return chineseRun.FindAllString(body, 5)
	}

	pages := map[string][]string{
		"admin": {"/", "/tickets", "/tickets?status=dispatched&sort=due", "/tickets?from=yesterday", fmt.Sprintf("/tickets/%d", tk.ID),
			"/board", "/admin/units", "/admin/categories", "/admin/catalogue", "/admin/calendar?year=2026", "/admin/sla",
			"/admin/users", "/admin/audit?action=ticket.", "/admin/audit?actor_id=x", "/me/sessions", "/tickets/999999", "/queue/nope",
			"/kb", "/kb?q=water&status=all", "/kb?page=0", "/kb/review", "/kb/new", "/kb/999"},
		"agent":      {"/", "/intake", "/queue/mine-accepted", "/admin/units", "/kb", "/kb/review"},
		"dispatcher": {"/", "/queue/dispatch", "/queue/overdue", "/queue/open"},
		"util-water": {"/", "/queue/acknowledge", fmt.Sprintf("/tickets/%d", tk.ID)},
	}
	for who, paths := range pages {
		c := browser(t)
		if code := pageLogin(t, c, base, who); code != 303 {
			t.Fatalf("login %s: %d", who, code)
		}
		if _, body := get(t, c, base+"/"); !strings.Contains(body, `lang="zh-CN"`) || !strings.Contains(body, "工作台") {
			t.Fatalf("%s: the default is not Chinese", who)
		}
		if code, loc := get(t, c, base+"/lang/en?next=%2Ftickets%3Fsort%3Ddue"); code != 303 || loc != "/tickets?sort=due" {
			t.Fatalf("switch to English: %d %s", code, loc)
		}
		for _, p := range paths {
			code, body := get(t, c, base+p)
			if code == 303 || code >= 500 {
				t.Errorf("%s %s: %d", who, p, code)
				continue
			}
			if !strings.Contains(body, `<html lang="en">`) {
				t.Errorf("%s %s: not in English", who, p)
			}
			if left := leftover(body); len(left) > 0 {
				t.Errorf("%s %s (%d): Chinese left in the English page: %q", who, p, code, left)
			}
		}
		if who == "agent" {
			// A refused form speaks English too, field and all.
			_, intake := get(t, c, base+"/intake")
			csrf := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(intake)[1]
			code, body := postForm(t, c, base+"/intake", url.Values{"csrf_token": {csrf}, "phone": {"13912345678"}, "name": {"Li"},
				"channel": {"phone"}, "appeal_kind": {"consult"}, "urgency": {"normal"}, "category_id": {fmt.Sprint(e.cat)},
				"content": {"When is the water back?"}, "location": {"Fenghuang Street"}, "mode": {"submit"}})
			if code != 400 || !strings.Contains(body, "Enter the Title (Title)") || len(leftover(body)) > 0 {
				t.Errorf("refused intake in English: %d %q", code, leftover(body))
			}
		}
		if code, _ := get(t, c, base+"/lang/zh?next=https%3A%2F%2Fevil.example"); code != 303 {
			t.Errorf("switch back: %d", code)
		}
		if _, body := get(t, c, base+"/"); !strings.Contains(body, `lang="zh-CN"`) || !strings.Contains(body, "English") {
			t.Errorf("%s: back in Chinese: no", who)
		}
	}
	if code, _ := get(t, browser(t), base+"/lang/fr"); code != 404 {
		t.Errorf("unknown language: %d", code)
	}

	// The API speaks English to a client that asks for it.
	req, _ := http.NewRequest("GET", base+"/api/v1/tickets?status=nope", nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens["admin"])
	req.Header.Set("Accept-Language", "en-GB,en;q=0.9")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var msg strings.Builder
	buf := make([]byte, 512)
	n, _ := resp.Body.Read(buf)
	resp.Body.Close()
	msg.Write(buf[:n])
	if resp.StatusCode != 400 || !strings.Contains(msg.String(), `No status “nope”`) || strings.IndexFunc(msg.String(), func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 {
		t.Errorf("API in English: %d %s", resp.StatusCode, msg.String())
	}
}
