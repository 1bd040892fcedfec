package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"hotline/kbio"
	"hotline/web"
)

// loginPage logs a browser in and returns it with its CSRF token.
func loginPage(t *testing.T, base, who string) (*http.Client, string) {
	t.Helper()
	c := browser(t)
	if code := pageLogin(t, c, base, who); code != 303 {
		t.Fatalf("login %s: %d", who, code)
	}
	_, home := get(t, c, base+"/")
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(home)
	if m == nil {
		t.Fatal("no CSRF token")
	}
	return c, m[1]
}

// The knowledge base through the pages: a team lead writes and sends an
// article for review, the admin publishes it, an agent finds it with a
// two-character word, answers a call with it and concludes on the call.
func TestPages_KnowledgeBase(t *testing.T) {
	e := MustServer(t)
	base := e.srv.URL
	e.srv.Config.Handler.(*web.Server).SecureCookies = false
	lead, leadCSRF := loginPage(t, base, "lead")
	form := url.Values{"csrf_token": {leadCSRF}, "title": {"停水期间如何取水"}, "kind": {"faq"}, "unit_id": {fmt.Sprint(e.units["util-water"])},
		"body":   {"## 临时供水\n\n计划停水期间，水务公司在小区门口设置**临时供水点**。<script>alert(1)</script>"},
		"answer": {"停水期间可到小区门口的临时供水点取水。"}, "review_on": {"2027-05-01"}, "category_ids": {fmt.Sprint(e.cat)}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("expires_on", "2027-02-30")
	if code, body := postForm(t, lead, base+"/kb/new", bad); code != 400 || !strings.Contains(body, "日期格式应为") || !strings.Contains(body, "停水期间如何取水") {
		t.Errorf("bad date: %d", code)
	}
	code, loc := postForm(t, lead, base+"/kb/new", form)
	if code != 303 || !strings.HasPrefix(loc, "/kb/") {
		t.Fatalf("create: %d %s", code, loc)
	}
	articlePath := strings.TrimSuffix(loc, "?saved=1")
	if code, loc := postForm(t, lead, base+articlePath+"/review/submit", url.Values{"csrf_token": {leadCSRF}}); code != 303 {
		t.Fatalf("submit: %d %s", code, loc)
	}
	// An attachment, uploaded as a form.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", leadCSRF)
	fw, _ := mw.CreateFormFile("file", "停水通知.html")
	fw.Write([]byte("<script>alert(1)</script>通知正文"))
	mw.Close()
	resp, err := lead.Post(base+articlePath+"/attachments", mw.FormDataContentType(), &buf)
	if err != nil || resp.StatusCode != 303 {
		t.Fatalf("upload: %v %v", err, resp)
	}
	resp.Body.Close()
	// The agent does not find it before it is published.
	agent, agentCSRF := loginPage(t, base, "agent")
	if _, body := get(t, agent, base+"/kb?q=%E5%8F%96%E6%B0%B4"); strings.Contains(body, "停水期间如何取水") {
		t.Error("an unpublished article is found by an agent")
	}
	admin, adminCSRF := loginPage(t, base, "admin")
	_, page := get(t, admin, base+articlePath)
	if !strings.Contains(page, `/review/publish"`) || !strings.Contains(page, `/review/reject"`) || strings.Contains(page, `/review/retire"`) {
		t.Errorf("the publisher's actions on an article in review are wrong")
	}
	if code, _ := postForm(t, admin, base+articlePath+"/review/publish", url.Values{"csrf_token": {adminCSRF}}); code != 303 {
		t.Fatalf("publish: %d", code)
	}
	code, body := get(t, agent, base+"/kb?q=%E5%8F%96%E6%B0%B4") // 取水
	if code != 200 || !strings.Contains(body, "停水期间如何<mark>取水</mark>") {
		t.Fatalf("agent search: %d\n%s", code, body)
	}
	_, page = get(t, agent, base+articlePath)
	if !strings.Contains(page, "<h2>临时供水</h2>") || !strings.Contains(page, "<strong>临时供水点</strong>") || strings.Contains(page, "<script>alert") {
		t.Errorf("article page: markdown not rendered safely")
	}
	if strings.Contains(page, "/edit\"") || strings.Contains(page, "/review/") || strings.Contains(page, `enctype="multipart/form-data"`) {
		t.Error("an agent is offered editing")
	}
	link := regexp.MustCompile(`href="(/kb/\d+/attachments/\d+)">停水通知.html</a>`).FindStringSubmatch(page)
	if link == nil {
		t.Fatal("no attachment on the article page")
	}
	resp, err = agent.Get(base + link[1])
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/octet-stream" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("download: %v %v", err, resp)
	}
	if b, _ := io.ReadAll(resp.Body); string(b) != "<script>alert(1)</script>通知正文" {
		t.Errorf("downloaded %q", b)
	}
	resp.Body.Close()
	// Editing from an old version is refused with a clear message.
	form.Set("version", "1")
	form.Set("body", "新的正文")
	if code, body := postForm(t, lead, base+articlePath+"/edit", form); code != 409 || !strings.Contains(body, "请刷新后重新编辑") {
		t.Errorf("stale edit: %d", code)
	}
	form.Set("version", "3")
	form.Set("body", "计划停水期间，水务公司在小区门口设置临时供水点，并用水车送水。")
	form.Set("note", "补充送水")
	if code, _ := postForm(t, lead, base+articlePath+"/edit", form); code != 303 {
		t.Errorf("edit: %d", code)
	}
	_, versions := get(t, lead, base+articlePath+"/versions")
	if !strings.Contains(versions, "<ins>") || !strings.Contains(versions, "补充送水") || strings.Count(versions, `class="version"`) != 4 {
		t.Errorf("versions page:\n%s", versions)
	}
	// The lead's edit sent it back to review; the admin publishes again.
	postForm(t, admin, base+articlePath+"/review/publish", url.Values{"csrf_token": {adminCSRF}})
	// The agent answers a call with it and concludes on the call.
	id := strings.TrimPrefix(articlePath, "/kb/")
	code, loc = postForm(t, agent, base+"/intake", url.Values{"csrf_token": {agentCSRF}, "phone": {"13912345678"}, "name": {"李四"},
		"channel": {"phone"}, "appeal_kind": {"consult"}, "urgency": {"normal"}, "category_id": {fmt.Sprint(e.cat)},
		"title": {"停水怎么取水"}, "content": {"问停水期间去哪里取水"}, "location": {"安源区"}, "answer": {"到小区门口临时供水点取水"},
		"kb_article_id": {id}, "mode": {"resolve"}})
	if code != 303 {
		t.Fatalf("intake: %d %s", code, loc)
	}
	_, review := get(t, lead, base+"/kb/review")
	if !strings.Contains(review, "本月受理 1 件，其中借助知识库直接办结 1 件（直接答复率 100.0%）") {
		t.Errorf("review page lacks the direct-answer rate:\n%s", review)
	}
	resp, err = lead.Get(base + "/kb/export.xlsx?status=all")
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("export: %v %v", err, resp)
	} else {
		items, err := kbio.ReadXLSX(resp.Body)
		if err != nil || len(items) != 1 || items[0].Title != "停水期间如何取水" || items[0].Unit != "util-water" {
			t.Errorf("exported workbook: %v %+v", err, items)
		}
		resp.Body.Close()
	}
	if code, _ := get(t, agent, base+"/kb/export.xlsx"); code != 403 {
		t.Errorf("agent exporting: %d", code)
	}
	// The owning unit is reminded of its articles due for review.
	var due struct{ ID int64 }
	e.call("admin", "POST", "/api/v1/kb/articles", map[string]any{"title": "水费标准", "kind": "faq", "body": "按阶梯水价计费。",
		"unit_id": e.units["util-water"], "review_on": "2026-01-01"}, 201, &due)
	e.call("admin", "POST", fmt.Sprintf("/api/v1/kb/articles/%d/publish", due.ID), nil, 200, nil)
	water, _ := loginPage(t, base, "util-water")
	_, home := get(t, water, base+"/")
	m := regexp.MustCompile(`<a href="(/kb\?due_on=[^"]+)">知识库待复核 <b class="warning">1</b>`).FindStringSubmatch(home)
	if m == nil {
		t.Fatalf("no reminder on the unit's home:\n%s", home)
	}
	if _, list := get(t, water, base+strings.ReplaceAll(m[1], "&amp;", "&")); !strings.Contains(list, "水费标准") || strings.Contains(list, "停水期间如何取水") {
		t.Errorf("the reminder's list is wrong")
	}
	if code, _ := get(t, agent, base+"/kb/review"); code != 403 {
		t.Errorf("agent on the upkeep page: %d", code)
	}
	if code, _ := get(t, agent, base+"/kb/new"); code != 403 {
		t.Errorf("agent on the new-article page: %d", code)
	}
}
