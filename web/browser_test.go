package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hotline"
	"hotline/sqldb"
	"hotline/web"
)

// chromium finds Debian's Chromium; CI installs it, so there a missing
// browser is a failure, elsewhere a skip.
func chromium(t *testing.T) string {
	for _, p := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed (apt-get install chromium)")
	}
	t.Skip("chromium is not installed (apt-get install chromium)")
	return ""
}

// TestBrowser_Lifecycle drives one ticket through the whole lifecycle in
// headless Chromium, through the pages only: agent intake → dispatch to the
// wrong unit → that unit returns it → re-dispatch with the catalogue's
// suggestion → the unit acknowledges and replies → the centre approves →
// callback with rating → archive. With HOTLINE_SCREENSHOTS=DIR it also
// saves the main pages as PNG at 1366×768.
func TestBrowser_Lifecycle(t *testing.T) {
	exe := chromium(t)
	e := MustServer(t)
	e.srv.Config.Handler.(*web.Server).SecureCookies = false
	ctx := context.Background()
	if err := e.db.PublishCatalogue(ctx, sqldb.SystemActor, &hotline.CatalogueVersion{Note: "test",
		Entries: []hotline.CatalogueEntry{{CategoryID: e.cat, LeadUnitID: e.units["util-water"]}}}); err != nil {
		t.Fatal(err)
	}
	shots := os.Getenv("HOTLINE_SCREENSHOTS")

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.WindowSize(1366, 768))
	actx, cancel := chromedp.NewExecAllocator(ctx, opts...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil { // starts the browser
		t.Fatal(err)
	}
	root := bctx
	bctx, cancel = context.WithTimeout(bctx, time.Minute)
	defer cancel()

	base := e.srv.URL
	type css = chromedp.CSS
	run := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		start := time.Now()
		err := chromedp.Do(bctx, actions...)
		t.Logf("%-28s %v", step, time.Since(start).Round(time.Millisecond))
		if err != nil {
			if png, perr := chromedp.Run(root, chromedp.FullScreenshot(100)); perr == nil {
				os.WriteFile(filepath.Join(os.TempDir(), "hotline-browser-failure.png"), png, 0o644)
			}
			t.Fatalf("%s: %v", step, err)
		}
	}
	read := func(step string, a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(bctx, a)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return v
	}
	shot := func(name string) {
		if shots == "" {
			return
		}
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	login := func(user string) {
		run("login "+user,
			chromedp.Navigate(base+"/login"),
			chromedp.WaitVisible(css(`input[name=username]`)),
			chromedp.SetValue(css(`input[name=username]`), user),
			chromedp.SetValue(css(`input[name=password]`), "hotline12345"),
			chromedp.Click(css(`.login button[type=submit]`)),
			chromedp.WaitVisible(css(`form.logout`)),
		)
	}
	logout := func() {
		run("logout", chromedp.Click(css(`form.logout button`)), chromedp.WaitVisible(css(`input[name=username]`)))
	}
	ticketURL := ""
	act := func(step, action string, fill ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		landing := `table.timeline`
		if action == "return" {
			landing = `ul.queues` // the unit no longer sees the ticket: back to its home
		}
		form := `form[action$="/act/` + action + `"]`
		steps := append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(ticketURL), chromedp.WaitVisible(css(form))}, fill...)
		// Mark the page, so that waiting for the timeline waits for the page
		// the form's submission loads, not the one it was sent from.
		steps = append(steps, chromedp.SetAttributeValue(css("body"), "data-stale", "1"),
			chromedp.Click(css(form+` button[type=submit]`)), chromedp.WaitVisible(css(`body:not([data-stale]) `+landing)))
		run(step, steps...)
		if msg, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`(document.querySelector("p.error")||{}).textContent||""`)); msg != "" {
			t.Fatalf("%s: the page says %q", step, msg)
		}
	}

	// 1. The agent accepts the call; the caller's history shows up, and the
	// knowledge base suggests an answer as the appeal is typed.
	e.newTicket(map[string]any{"title": "上次来电"}) // an earlier ticket of the same caller
	var kb struct{ ID int64 }
	e.call("admin", "POST", "/api/v1/kb/articles", map[string]any{"title": "停水了怎么查询原因", "kind": "faq",
		"body": "计划停水会提前通知；突发停水可拨打水务公司热线查询抢修进度。", "answer": "停水可拨打水务公司24小时热线查询。"}, 201, &kb)
	e.call("admin", "POST", fmt.Sprintf("/api/v1/kb/articles/%d/publish", kb.ID), nil, 200, nil)
	login("agent")
	run("intake",
		chromedp.Navigate(base+"/intake"),
		chromedp.WaitVisible(css(`#intake`)),
		chromedp.SendKeys(css(`#phone`), "13912345678"),
		chromedp.WaitVisible(css(`#history ul`)),
		chromedp.SetValue(css(`input[name=name]`), "赵六"),
		chromedp.SetValue(css(`select[name=appeal_kind]`), "complaint"),
		chromedp.SendKeys(css(`#category-filter`), "停水"),
		chromedp.SetValue(css(`input[name=title]`), "凤凰街停水三天"),
		chromedp.SendKeys(css(`textarea[name=content]`), "凤凰街小区停水三天无人处理。"),
		chromedp.SetValue(css(`input[name=location]`), "安源区凤凰街"),
		chromedp.WaitVisible(css(`#kb-suggest li button`)),
		chromedp.Click(css(`#kb-suggest li button`)),
		chromedp.WaitVisible(css(`#kb-linked`)),
	)
	if ans := read("answer", chromedp.Value(css(`#answer`))); ans != "停水可拨打水务公司24小时热线查询。" {
		t.Errorf("inserted answer %q", ans)
	}
	if linked := read("kb link", chromedp.Value(css(`#kb-article`))); linked != fmt.Sprint(kb.ID) {
		t.Errorf("linked article %q, want %d", linked, kb.ID)
	}
	if title := read("kb title", chromedp.Text(css(`#kb-suggest li a`))); title != "停水了怎么查询原因" {
		t.Errorf("suggested %q", title)
	}
	if history := read("history", chromedp.Text(css(`#history`))); !strings.Contains(history, "上次来电") {
		t.Errorf("caller history panel shows %q", history)
	}
	if cat := read("category", chromedp.Value(css(`#category`))); cat != fmt.Sprint(e.cat) {
		t.Errorf("type-ahead picked category %s, want %d", cat, e.cat)
	}
	shot("intake")
	run("submit with ctrl+enter", chromedp.Focus(css(`textarea[name=content]`)),
		chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.WaitVisible(css(`table.timeline`)))
	ticketURL = read("location", chromedp.Location())
	if !strings.Contains(ticketURL, "/tickets/") {
		t.Fatalf("after intake the browser is at %s", ticketURL)
	}
	if shots != "" { // the knowledge base's own page, for the README
		run("kb page", chromedp.Navigate(base+"/kb?q=%E5%81%9C%E6%B0%B4"), chromedp.WaitVisible(css(`ol.kb-hits`)))
		shot("kb-search")
	}
	logout()

	// 2. Dispatched to the wrong unit, returned, dispatched again as suggested.
	login("dispatcher")
	run("dispatcher queue", chromedp.Navigate(base+"/queue/dispatch"), chromedp.WaitVisible(css(`table.tickets`)))
	shot("dispatch-queue")
	// A ticket arriving meanwhile shows up in the open queue without a reload.
	arrived := e.newTicket(map[string]any{"submit": true, "title": "实时到达的工单"})
	run("live queue", chromedp.WaitVisible(css(`body[data-refreshed] table.tickets`)))
	if list := read("live list", chromedp.Text(css(`table.tickets`))); !strings.Contains(list, arrived.Number) {
		t.Errorf("the open queue did not show %s live:\n%s", arrived.Number, list)
	}
	act("dispatch to the wrong unit", "dispatch", chromedp.SetValue(css(`form[action$="/act/dispatch"] select[name=lead_unit_id]`), fmt.Sprint(e.units["util-power"])))
	logout()
	login("util-power")
	act("return", "return", chromedp.SetValue(css(`form[action$="/act/return"] textarea[name=reason]`), "停水不属于供电职责"))
	logout()
	login("dispatcher")
	run("returned in queue", chromedp.Navigate(base+"/queue/dispatch"), chromedp.WaitVisible(css(`table.tickets`)))
	if row := read("returned row", chromedp.Text(css(`tr.returned`))); !strings.Contains(row, "停水不属于供电职责") {
		t.Errorf("returned ticket's row does not show the unit's reason: %q", row)
	}
	run("suggestion", chromedp.Navigate(ticketURL), chromedp.WaitVisible(css(`form[action$="/act/dispatch"]`)))
	if suggested := read("suggestion", chromedp.Value(css(`form[action$="/act/dispatch"] select[name=lead_unit_id]`))); suggested != fmt.Sprint(e.units["util-water"]) {
		t.Errorf("dispatch form preselects unit %s, want the catalogue's %d", suggested, e.units["util-water"])
	}
	act("re-dispatch", "dispatch")
	logout()

	// 3. The unit acknowledges and replies.
	login("util-water")
	run("unit inbox", chromedp.Navigate(base+"/queue/acknowledge"), chromedp.WaitVisible(css(`table.tickets`)))
	shot("unit-inbox")
	act("acknowledge", "acknowledge")
	act("reply", "reply", chromedp.SetValue(css(`form[action$="/act/reply"] textarea[name=content]`), "已抢修管道，恢复供水。"))
	logout()

	// 4. The centre approves; the callback agent records the rating; archive.
	login("dispatcher")
	act("review", "review")
	run("board", chromedp.Navigate(base+"/board"), chromedp.WaitVisible(css(`main h1`)))
	shot("supervision-board")
	logout()
	login("callback")
	act("callback", "callback", chromedp.SetValue(css(`form[action$="/act/callback"] select[name=rating]`), "satisfied"))
	act("archive", "archive")
	shot("ticket")

	run("ticket page", chromedp.Navigate(ticketURL), chromedp.WaitVisible(css(`table.timeline`)))
	timeline := read("timeline", chromedp.Text(css(`table.timeline`)))
	for _, step := range []string{"受理", "提交派单", "派单", "退单", "签收", "答复", "审核", "回访", "归档"} {
		if !strings.Contains(timeline, step) {
			t.Errorf("timeline lacks %s:\n%s", step, timeline)
		}
	}
	if status := read("status", chromedp.Text(css(`h1 .status`))); status != "已归档" {
		t.Errorf("final status %q", status)
	}

	// The switch in the header turns the same page into English.
	run("english", chromedp.Click(css(`header a.lang`)), chromedp.WaitVisible(css(`html[lang=en] table.timeline`)))
	if tl := read("english timeline", chromedp.Text(css(`table.timeline`))); !strings.Contains(tl, "Acknowledge") || !strings.Contains(tl, "Archive") {
		t.Errorf("English timeline:\n%s", tl)
	}
	shot("ticket-en")
	run("chinese again", chromedp.Click(css(`header a.lang`)), chromedp.WaitVisible(css(`html[lang=zh-CN] table.timeline`)))
	logout()

	// 5. An agent looks up 20 different numbers: the admin's home page shows
	// the alert; the admin disables a unit login from the users page.
	for i := 0; i < 20; i++ {
		e.call("agent", "GET", fmt.Sprintf("/api/v1/caller-history?phone=1390000%04d", i), nil, 200, nil)
	}
	login("admin")
	run("alert", chromedp.Navigate(base+"/"), chromedp.WaitVisible(css(`section.alerts`)))
	if alert := read("alert text", chromedp.Text(css(`section.alerts`))); !strings.Contains(alert, "来电历史查询异常") {
		t.Errorf("admin home alert: %q", alert)
	}
	shot("security-alert")
	row := fmt.Sprintf(`form[action="/admin/users/%d"]`, e.userID("util-power"))
	run("disable a user", chromedp.Navigate(base+"/admin/users"), chromedp.WaitVisible(css(row)),
		chromedp.SetValue(css(row+` select[name=active]`), "false"),
		chromedp.SetAttributeValue(css("body"), "data-stale", "1"),
		chromedp.Click(css(row+` button[type=submit]`)), chromedp.WaitVisible(css(`body:not([data-stale]) table.grid`)))
	if state := read("disabled row", chromedp.Text(css(`tr.muted`))); !strings.Contains(state, "util-power") || !strings.Contains(state, "停用") {
		t.Errorf("after disabling, the users page shows %q", state)
	}
	shot("admin-users")
	e.call("util-power", "GET", "/api/v1/me", nil, 401, nil)

	// The time-limit table: each field under its header, saved by its row's
	// form (the fields join it with the form attribute).
	run("time limits", chromedp.Navigate(base+"/admin/sla"), chromedp.WaitVisible(css(`form#sla-0`)),
		chromedp.SetValue(css(`input[name=warning_share][form=sla-0]`), "0.3"),
		chromedp.SetAttributeValue(css("body"), "data-stale", "1"),
		chromedp.Click(css(`form#sla-0 button[type=submit]`)), chromedp.WaitVisible(css(`body:not([data-stale]) table.sla`)))
	if v := read("saved share", chromedp.Value(css(`input[name=warning_share][form=sla-0]`))); v != "0.3" {
		t.Errorf("the first row's warning share after saving: %q", v)
	}
	shot("admin-sla")
}
