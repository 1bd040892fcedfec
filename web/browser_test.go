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

// startBrowser starts headless Chromium at 1366×768 for the test; the
// first context times out after a minute, the second (root) does not.
func startBrowser(t *testing.T, exe string) (bctx, root context.Context) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.WindowSize(1366, 768),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"), chromedp.Flag("mute-audio", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	root, cancel = chromedp.NewContext(actx)
	t.Cleanup(cancel)
	if err := chromedp.Do(root, chromedp.Navigate("about:blank")); err != nil { // starts the browser
		t.Fatal(err)
	}
	bctx, cancel = context.WithTimeout(root, time.Minute)
	t.Cleanup(cancel)
	return bctx, root
}

// browserLogin signs user in through the login page.
func browserLogin(t *testing.T, bctx context.Context, base, user string) {
	t.Helper()
	type css = chromedp.CSS
	if err := chromedp.Do(bctx, chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css(`input[name=username]`)),
		chromedp.SetValue(css(`input[name=username]`), user),
		chromedp.SetValue(css(`input[name=password]`), "hotline12345"),
		chromedp.Click(css(`.login button[type=submit]`)),
		chromedp.WaitVisible(css(`form.logout`))); err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
}

// TestBrowser_Lifecycle drives one ticket through the whole lifecycle in
// headless Chromium, through the pages only: agent intake → dispatch to the
// wrong unit → that unit asks to return it → the dispatcher rejects (the
// unit reads why) → asked again with a suggested unit → approved →
// re-dispatch with the suggestion preselected → the district forwards to
// its township → the township replies with a photo → the district approves
// and replies → the centre approves → callback with rating → archive; the
// timeline lists each step with actor and time. With HOTLINE_SCREENSHOTS=DIR it also
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

	bctx, root := startBrowser(t, exe)

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
	login := func(user string) { browserLogin(t, bctx, base, user) }
	logout := func() {
		run("logout", chromedp.Click(css(`form.logout button`)), chromedp.WaitVisible(css(`input[name=username]`)))
	}
	ticketURL := ""
	act := func(step, action string, fill ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		landing := `table.timeline`
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
	earlier := e.newTicket(map[string]any{"title": "上次来电"}) // an earlier ticket of the same caller, still open
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
	// The caller also urges the earlier ticket: attached to it from the
	// history panel, with what the agent wrote down.
	run("repeat call", chromedp.Click(css(`#history .repeat-call button`)), chromedp.WaitVisible(css(`#history .repeat-call .notice`)))
	var urged hotline.Ticket
	e.call("lead", "GET", fmt.Sprintf("/api/v1/tickets/%d", earlier.ID), nil, 200, &urged)
	if last := urged.Events[len(urged.Events)-1]; urged.RepeatCalls != 1 || urged.UrgeCount != 1 || last.Payload["content"] != "凤凰街小区停水三天无人处理。" {
		t.Errorf("the earlier ticket after the repeat call: %d calls, %d urges, last event %+v", urged.RepeatCalls, urged.UrgeCount, last)
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

	// 2. Dispatched to the wrong unit, which asks to return it; the
	// dispatcher rejects (the unit reads why); asked again with a
	// suggested unit, approved; re-dispatched with that unit preselected.
	e.addTownships(map[string]string{"fh": "凤凰街道"})
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
	act("return request", "return", chromedp.SetValue(css(`form[action$="/act/return"] textarea[name=reason]`), "人手不足"))
	logout()
	login("dispatcher")
	run("returns queue", chromedp.Navigate(base+"/queue/returns"), chromedp.WaitVisible(css(`table.tickets`)))
	if row := read("return row", chromedp.Text(css(`table.tickets tbody tr`))); !strings.Contains(row, "人手不足") || !strings.Contains(row, "审核") {
		t.Errorf("the 退单待审核 row lacks the reason or the review limit: %q", row)
	}
	shot("return-review")
	act("reject the return", "review_return",
		chromedp.Click(css(`form[action$="/act/review_return"] input[name=approve][value=false]`)),
		chromedp.SetValue(css(`form[action$="/act/review_return"] textarea[name=reason]`), "人手不足不是退单理由，请继续办理"))
	logout()
	login("util-power")
	run("rejection read", chromedp.Navigate(ticketURL), chromedp.WaitVisible(css(`dd.return-request`)))
	if dd := read("rejection", chromedp.Text(css(`dd.return-request`))); !strings.Contains(dd, "驳回退单") || !strings.Contains(dd, "人手不足不是退单理由") {
		t.Errorf("the unit does not read why its return was rejected: %q", dd)
	}
	act("return again", "return", chromedp.SetValue(css(`form[action$="/act/return"] textarea[name=reason]`), "停水属安源区及供水职责，不属于供电"),
		chromedp.SetValue(css(`form[action$="/act/return"] select[name=suggested_unit_id]`), fmt.Sprint(e.units["anyuan"])))
	logout()
	login("dispatcher")
	act("approve the return", "review_return")
	if suggested := read("suggestion", chromedp.Value(css(`form[action$="/act/dispatch"] select[name=lead_unit_id]`))); suggested != fmt.Sprint(e.units["anyuan"]) {
		t.Errorf("dispatch form preselects unit %s, want the returning unit's suggestion %d", suggested, e.units["anyuan"])
	}
	act("re-dispatch", "dispatch")
	logout()

	// 3. The district acknowledges and forwards to its township, which
	// replies with a photo; the district approves and replies.
	login("anyuan")
	run("unit inbox", chromedp.Navigate(base+"/queue/acknowledge"), chromedp.WaitVisible(css(`table.tickets`)))
	shot("unit-inbox")
	act("acknowledge", "acknowledge")
	act("forward", "forward", chromedp.SetValue(css(`form[action$="/act/forward"] select[name=unit_id]`), fmt.Sprint(e.units["anyuan-fh"])),
		chromedp.SetValue(css(`form[action$="/act/forward"] textarea[name=note]`), "请凤凰街道现场核查"))
	logout()
	photoPath := filepath.Join(t.TempDir(), "现场照片.png")
	if err := os.WriteFile(photoPath, photo(640, 480), 0o600); err != nil {
		t.Fatal(err)
	}
	login("fh")
	run("forwarded queue", chromedp.Navigate(base+"/queue/forwarded"), chromedp.WaitVisible(css(`table.tickets`)))
	act("township acknowledges", "acknowledge")
	act("township replies", "reply", chromedp.SetValue(css(`form[action$="/act/reply"] textarea[name=content]`), "凤凰街道已协调水务公司抢修管道，恢复供水。"),
		chromedp.SetUploadFiles(css(`form[action$="/act/reply"] input[type=file]`), []string{photoPath}))
	logout()
	login("anyuan")
	act("approve the township", "review_sub")
	if draft := read("draft reply", chromedp.Value(css(`form[action$="/act/reply"] textarea[name=content]`))); !strings.Contains(draft, "凤凰街道已协调") {
		t.Errorf("the district's reply does not start from the township's: %q", draft)
	}
	act("district replies", "reply")
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
	run("thumbnail", chromedp.Navigate(ticketURL), chromedp.WaitVisible(css(`ul.attachments img`)))
	if w := read("thumbnail width", chromedp.Evaluate[string](`String(document.querySelector("ul.attachments img").naturalWidth)`)); w != "240" {
		t.Errorf("the photo's thumbnail is %s px wide, want 240", w)
	}
	shot("ticket")

	run("ticket page", chromedp.Navigate(ticketURL), chromedp.WaitVisible(css(`table.timeline`)))
	var rows []struct{ When, Action, Actor string }
	list := read("timeline rows", chromedp.Evaluate[string](`Array.from(document.querySelectorAll("table.timeline tbody tr")).map(tr => Array.from(tr.cells).slice(0, 3).map(c => c.textContent.trim()).join("|")).join("\n")`))
	for _, line := range strings.Split(list, "\n") {
		f := strings.Split(line, "|")
		if len(f) == 3 {
			rows = append(rows, struct{ When, Action, Actor string }{f[0], f[1], f[2]})
		}
	}
	var steps []string
	for _, r := range rows {
		if r.When == "" || r.Actor == "" {
			t.Errorf("timeline row without time or actor: %+v", r)
		}
		steps = append(steps, r.Action+"/"+r.Actor)
	}
	want := "受理/agent 提交派单/agent 派单/dispatcher 申请退单/util-power 退单审核/dispatcher 申请退单/util-power 退单审核/dispatcher " +
		"派单/dispatcher 签收/anyuan 转派下级/anyuan 签收/fh 答复/fh 上传附件/fh 审核下级答复/anyuan 答复/anyuan 审核/dispatcher 回访/callback 归档/callback"
	if got := strings.Join(steps, " "); got != want {
		t.Errorf("timeline\n%s\nwant\n%s", got, want)
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
