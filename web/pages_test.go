package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"hotline"
	"hotline/web"
)

// browser is a cookie-keeping client that does not follow redirects, so
// tests see them.
func browser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == 303 {
		return 303, resp.Header.Get("Location")
	}
	return resp.StatusCode, string(b)
}

// pageLogin signs a browser in through the login page, as a person would:
// the form's pre-session token comes with the page.
func pageLogin(t *testing.T, c *http.Client, base, user string) int {
	t.Helper()
	code, _ := postForm(t, c, base+"/login", url.Values{"username": {user}, "password": {"hotline12345"}, "csrf_token": {loginToken(t, c, base)}})
	return code
}

// loginToken opens the login page and returns its pre-session token.
func loginToken(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	_, page := get(t, c, base+"/login")
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the login page has no token")
	}
	return m[1]
}

func postForm(t *testing.T, c *http.Client, u string, v url.Values) (int, string) {
	t.Helper()
	resp, err := c.PostForm(u, v)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == 303 {
		return 303, resp.Header.Get("Location")
	}
	return resp.StatusCode, string(b)
}

func TestPages_LoginAuditAndCSRF(t *testing.T) {
	e := MustServer(t)
	base := e.srv.URL
	// The test server speaks plain http: Secure cookies would not be sent.
	e.srv.Config.Handler.(*web.Server).SecureCookies = false

	admin := browser(t)
	if code, loc := get(t, admin, base+"/admin/audit"); code != 303 || !strings.HasPrefix(loc, "/login?next=") {
		t.Fatalf("audit page without login: %d %s", code, loc)
	}
	// Login CSRF: a post without the login page's token (another site's
	// form) signs nobody in.
	code, body := postForm(t, admin, base+"/login", url.Values{"username": {"admin"}, "password": {"hotline12345"}})
	if code != 403 {
		t.Fatalf("login without the page's token: %d", code)
	}
	if code, _ := postForm(t, browser(t), base+"/login", url.Values{"username": {"admin"}, "password": {"hotline12345"}, "csrf_token": {loginToken(t, admin, base)}}); code != 403 {
		t.Fatalf("login with a token but without its cookie: %d", code)
	}
	code, body = postForm(t, admin, base+"/login?next=%2Fadmin%2Faudit", url.Values{"username": {"admin"}, "password": {"wrong-pass1"}, "csrf_token": {loginToken(t, admin, base)}})
	if code != 401 || !strings.Contains(body, "用户名或密码错误") {
		t.Fatalf("wrong password: %d", code)
	}
	code, loc := postForm(t, admin, base+"/login?next=%2Fadmin%2Faudit", url.Values{"username": {"admin"}, "password": {"hotline12345"}, "csrf_token": {loginToken(t, admin, base)}})
	if code != 303 || loc != "/admin/audit" {
		t.Fatalf("login: %d %s", code, loc)
	}
	code, body = get(t, admin, base+"/admin/audit?action=auth.login_failed")
	if code != 200 || !strings.Contains(body, "auth.login_failed") || !strings.Contains(body, "共 1 条") || strings.Contains(body, "auth.login<") {
		t.Fatalf("audit search: %d\n%s", code, body)
	}
	code, body = get(t, admin, base+"/admin/audit?from=yesterday")
	if code != 200 || !strings.Contains(body, "日期格式应为") {
		t.Errorf("bad date: %d", code)
	}
	// A form post without the session's CSRF token is refused.
	code, body = postForm(t, admin, base+"/logout", url.Values{})
	if code != 403 || !strings.Contains(body, "CSRF") {
		t.Errorf("logout without CSRF token: %d", code)
	}
	_, home := get(t, admin, base+"/")
	csrf := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(home)
	if csrf == nil {
		t.Fatal("no CSRF token in the page")
	}
	if code, loc := postForm(t, admin, base+"/logout", url.Values{"csrf_token": {csrf[1]}}); code != 303 || loc != "/login" {
		t.Errorf("logout: %d %s", code, loc)
	}
	if code, _ := get(t, admin, base+"/admin/audit"); code != 303 {
		t.Errorf("audit page after logout: %d", code)
	}

	agent := browser(t)
	pageLogin(t, agent, base, "agent")
	if code, body := get(t, agent, base+"/admin/audit"); code != 403 || !strings.Contains(body, "无权查看审计日志") {
		t.Errorf("agent on the audit page: %d", code)
	}
	evil := browser(t)
	if code, loc := postForm(t, evil, base+"/login?next=https%3A%2F%2Fevil.example", url.Values{"username": {"agent"}, "password": {"hotline12345"},
		"csrf_token": {loginToken(t, evil, base)}}); code != 303 || loc != "/" {
		t.Errorf("open redirect: %d %s", code, loc)
	}
	code, body = get(t, agent, base+"/me/sessions")
	if code != 200 || !strings.Contains(body, "当前") {
		t.Errorf("sessions page: %d", code)
	}
	if code, body := get(t, agent, base+"/static/app.css"); code != 200 || !strings.Contains(body, "table.grid") {
		t.Errorf("stylesheet: %d", code)
	}
	// A path no page has: the error page in Chinese, with the menu for a
	// signed-in visitor; the API keeps its JSON answer.
	if code, body := get(t, agent, base+"/dispatch"); code != 404 || !strings.Contains(body, "没有这个页面：/dispatch") || !strings.Contains(body, `form class="logout"`) {
		t.Errorf("unknown page: %d\n%s", code, body)
	}
	if code, body := get(t, browser(t), base+"/no/such/page"); code != 404 || !strings.Contains(body, "找不到页面") {
		t.Errorf("unknown page without a session: %d", code)
	}
	if code, body := get(t, agent, base+"/api/v1/nothing"); code != 404 || !strings.Contains(body, `"code"`) {
		t.Errorf("unknown API: %d %s", code, body)
	}
}

// A team lead hands a ticket to another agent by name, not by typing an id.
func TestPages_TransferPicksAnAgent(t *testing.T) {
	e := MustServer(t)
	base := e.srv.URL
	e.srv.Config.Handler.(*web.Server).SecureCookies = false
	tk := e.newTicket(nil)
	lead := browser(t)
	pageLogin(t, lead, base, "lead")
	_, page := get(t, lead, base+"/tickets/"+fmt.Sprint(tk.ID))
	form := regexp.MustCompile(`(?s)<select name="owner_id" required>(.*?)</select>`).FindStringSubmatch(page)
	if form == nil {
		t.Fatal("no owner picker on the ticket page")
	}
	// The agent owns it now; the others who can accept calls are offered.
	opts := regexp.MustCompile(`<option value="(\d+)">([^<]+)</option>`).FindAllStringSubmatch(form[1], -1)
	var to string
	for _, o := range opts {
		if strings.HasPrefix(o[2], "agent") {
			t.Errorf("the current owner is offered: %v", o)
		}
		if strings.HasPrefix(o[2], "lead") {
			to = o[1]
		}
	}
	if to == "" || len(opts) < 2 {
		t.Fatalf("owners offered: %v", opts)
	}
	csrf := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(page)[1]
	if code, _ := postForm(t, lead, base+fmt.Sprintf("/tickets/%d/act/transfer", tk.ID), url.Values{"csrf_token": {csrf}, "owner_id": {to}, "reason": {"agent off sick"}}); code != 303 {
		t.Fatalf("transfer: %d", code)
	}
	var got hotline.Ticket
	e.call("lead", "GET", fmt.Sprintf("/api/v1/tickets/%d", tk.ID), nil, 200, &got)
	if fmt.Sprint(got.OwnerID) != to {
		t.Errorf("owner %d, want %s", got.OwnerID, to)
	}
}

// TestPages_RequestsQueueShowsTheAsk: the dispatcher's 待审批延期/挂起 queue
// says what each unit asked for — the days and the reason — so the request
// can be decided from the list.
func TestPages_RequestsQueueShowsTheAsk(t *testing.T) {
	e := MustServer(t)
	tk := e.newTicket(map[string]any{"submit": true})
	e.call("dispatcher", "POST", fmt.Sprintf("/api/v1/tickets/%d/dispatch", tk.ID), map[string]any{"lead_unit_id": e.units["util-water"]}, 200, nil)
	e.call("util-water", "POST", fmt.Sprintf("/api/v1/tickets/%d/acknowledge", tk.ID), nil, 200, nil)
	e.call("util-water", "POST", fmt.Sprintf("/api/v1/tickets/%d/request_extension", tk.ID), map[string]any{"working_days": 3, "reason": "需更换主管道"}, 200, nil)
	code, page := e.get("dispatcher", "/queue/requests")
	if code != 200 || !strings.Contains(page, "申请延期 3 个工作日：需更换主管道") {
		t.Errorf("requests queue (%d) does not show the ask", code)
	}
}

// TestPages_OversightHomeShowsToday: the analyst's home page counts
// today's acceptances and the work waiting at each step, each a list.
func TestPages_OversightHomeShowsToday(t *testing.T) {
	e := MustServer(t)
	e.addUser("analyst", hotline.RoleAnalyst, 0)
	e.newTicket(map[string]any{"submit": true})
	e.newTicket(nil)
	code, page := e.get("analyst", "/")
	for _, want := range []string{`href="/queue/today">今日受理 <b class="">2</b>`, `href="/queue/dispatch">待派单 <b class="">1</b>`, "待审核答复", "待回访"} {
		if code != 200 || !strings.Contains(page, want) {
			t.Errorf("analyst home (%d) lacks %s", code, want)
		}
	}
	if code, list := e.get("analyst", "/queue/today"); code != 200 || strings.Count(list, `href="/tickets/`) < 2 {
		t.Errorf("today's list: %d", code)
	}
}
