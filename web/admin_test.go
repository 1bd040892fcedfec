package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"hotline/web"
)

// loggedIn returns a browser logged in as user, and its CSRF token.
func loggedIn(t *testing.T, e *env, user string) (*http.Client, string) {
	t.Helper()
	e.srv.Config.Handler.(*web.Server).SecureCookies = false
	c := browser(t)
	if code := pageLogin(t, c, e.srv.URL, user); code != 303 {
		t.Fatalf("login %s: %d", user, code)
	}
	_, home := get(t, c, e.srv.URL+"/")
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(home)
	if m == nil {
		t.Fatal("no CSRF token")
	}
	return c, m[1]
}

func TestPages_Admin(t *testing.T) {
	e := MustServer(t)
	admin, csrf := loggedIn(t, e, "admin")
	base := e.srv.URL
	for _, p := range []string{"/admin/calendar?year=2026", "/admin/sla", "/admin/units", "/admin/categories", "/admin/catalogue", "/admin/users"} {
		if code, body := get(t, admin, base+p); code != 200 || strings.Contains(body, "系统错误") {
			t.Errorf("%s: %d", p, code)
		}
	}
	post := func(path string, v url.Values) (int, string) {
		v.Set("csrf_token", csrf)
		return postForm(t, admin, base+path, v)
	}
	if code, loc := post("/admin/calendar", url.Values{"day": {"2026-12-31"}, "kind": {"holiday"}, "name": {"跨年"}}); code != 303 {
		t.Errorf("calendar save: %d %s", code, loc)
	}
	if _, body := get(t, admin, base+"/admin/calendar?year=2026&saved=1"); !strings.Contains(body, "2026-12-31") || !strings.Contains(body, "已保存") {
		t.Error("saved calendar day not listed")
	}
	code, body := post("/admin/sla", url.Values{"appeal_kind": {"consult"}, "urgency": {"normal"}, "category_id": {"0"},
		"acknowledge_value": {"0"}, "acknowledge_unit": {"working_days"}, "reply_value": {"2"}, "reply_unit": {"working_days"},
		"callback_value": {"3"}, "callback_unit": {"working_days"}, "warning_share": {"0.2"}})
	if code != 400 || !strings.Contains(body, "acknowledge.value") {
		t.Errorf("invalid time limit: %d", code)
	}
	if code, _ := post("/admin/sla", url.Values{"appeal_kind": {"consult"}, "urgency": {"normal"}, "category_id": {"0"},
		"acknowledge_value": {"2"}, "acknowledge_unit": {"working_hours"}, "reply_value": {"3"}, "reply_unit": {"working_days"},
		"callback_value": {"3"}, "callback_unit": {"working_days"}, "warning_share": {"0.25"}}); code != 303 {
		t.Errorf("valid time limit: %d", code)
	}
	if code, _ := post("/admin/units", url.Values{"code": {"dept-new"}, "name": {"新部门"}, "kind": {"department"}, "parent_id": {"0"}}); code != 303 {
		t.Errorf("unit: %d", code)
	}
	if code, body := post("/admin/units", url.Values{"code": {"dept-new"}, "name": {"重复"}, "kind": {"department"}}); code != 400 || !strings.Contains(body, "已存在") {
		t.Errorf("duplicate unit: %d", code)
	}
	if code, _ := post("/admin/categories", url.Values{"csv": {"城乡建设,物业管理,维修基金\n城乡建设，物业管理，停车收费"}}); code != 303 {
		t.Errorf("categories: %d", code)
	}
	if _, body := get(t, admin, base+"/admin/categories"); !strings.Contains(body, "城乡建设/物业管理/停车收费") {
		t.Error("imported category missing")
	}
	if code, body := post("/admin/catalogue", url.Values{"csv": {"公共事业/供水/停水,,util-water,anyuan\n"}, "note": {"v1"}}); code != 303 {
		t.Errorf("catalogue: %d %s", code, body)
	}
	if _, body := get(t, admin, base+"/admin/catalogue"); !strings.Contains(body, "公共事业/供水/停水,,util-water,anyuan") {
		t.Error("published catalogue not shown for editing")
	}
	if code, body := post("/admin/catalogue", url.Values{"csv": {"公共事业/供水/停水,,nobody,\n"}, "note": {"v2"}}); code != 400 || !strings.Contains(body, "不存在") {
		t.Errorf("catalogue with unknown unit: %d", code)
	}
	if code, _ := post("/admin/users", url.Values{"username": {"wang"}, "display_name": {"王工"}, "role": {"dispatcher"}, "unit_id": {"0"}, "password": {"secret-pass-9"}}); code != 303 {
		t.Errorf("user: %d", code)
	}
	if code, body := post("/admin/users", url.Values{"username": {"li"}, "role": {"dispatcher"}, "unit_id": {"0"}, "password": {"short"}}); code != 400 || !strings.Contains(body, "密码") {
		t.Errorf("weak password: %d", code)
	}
	lead, _ := loggedIn(t, e, "lead")
	if code, _ := get(t, lead, base+"/admin/units"); code != 403 {
		t.Errorf("team lead on an admin page: %d", code)
	}
}
