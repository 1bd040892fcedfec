package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hotline"
	"hotline/quality"
	"hotline/web"
)

// TestBrowser_QualityLoop, through the pages in headless Chromium: the
// inspector opens the task of a complaint, plays its call's recording
// (audited), scores it with a fatal item; the agent objects; the analyst
// rejects the objection, which opens a rectification; the team lead takes
// it through every step to closed; and a rectification found 25 hours ago
// and not answered shows its overdue mark.
func TestBrowser_QualityLoop(t *testing.T) {
	exe := chromium(t)
	e := MustServer(t)
	e.srv.Config.Handler.(*web.Server).SecureCookies = false
	e.addUser("qa", hotline.RoleInspector, 0)
	e.addUser("ana", hotline.RoleAnalyst, 0)
	key := e.ctiKey()
	now := time.Now()
	if code, out := e.postEvents(key, []any{
		map[string]any{"call_id": "q-1", "event": "offered", "at": now.Add(-10 * time.Minute).Format(time.RFC3339), "caller": "13907990001"},
		map[string]any{"call_id": "q-1", "event": "answered", "at": now.Add(-590 * time.Second).Format(time.RFC3339), "agent": "agent"},
		map[string]any{"call_id": "q-1", "event": "ended", "at": now.Add(-5 * time.Minute).Format(time.RFC3339)}}); code != 200 {
		t.Fatalf("events: %d %v", code, out)
	}
	if code := e.uploadRecording(key, "q-1", wav()); code != 200 {
		t.Fatalf("recording: %d", code)
	}
	tk := e.newTicket(map[string]any{"appeal_kind": "complaint", "title": "投诉窗口人员态度差"})
	e.call("agent", "POST", fmt.Sprintf("/api/v1/tickets/%d/calls", tk.ID), map[string]string{"call_id": "q-1"}, 200, nil)
	var list inspectionList
	e.call("qa", "GET", fmt.Sprintf("/api/v1/inspections?ticket_id=%d", tk.ID), nil, 200, &list)
	if list.Total != 1 || list.Items[0].CallID != "q-1" {
		t.Fatalf("the complaint's task with its call: %+v", list)
	}
	in := list.Items[0]
	page := fmt.Sprintf("%s/quality/inspections/%d", e.srv.URL, in.ID)

	bctx, _ := startBrowser(t, exe)
	type css = chromedp.CSS
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	logout := func() {
		t.Helper()
		do("logout", chromedp.Click(css(`form.logout button`)), chromedp.WaitVisible(css(`input[name=username]`)))
	}
	browserLogin(t, bctx, e.srv.URL, "qa")
	do("the task list", chromedp.Navigate(e.srv.URL+"/quality"), chromedp.Click(css(fmt.Sprintf(`a[href="/quality/inspections/%d"]`, in.ID))),
		chromedp.WaitVisible(css(`audio.recording`)), chromedp.WaitVisible(css(`form.scorecard`)))
	before := e.auditCount(context.Background(), "call.listen")
	played, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`(async () => { const a = document.querySelector("audio.recording"); await a.play(); `+
		`await new Promise(r => setTimeout(r, 300)); return !a.paused && a.duration > 0.9; })()`, chromedp.EvalAwaitPromise))
	if err != nil || !played {
		t.Errorf("the recording beside the scorecard: playing %v (%v)", played, err)
	}
	if e.auditCount(context.Background(), "call.listen") < before+1 {
		t.Error("the playback is not audited")
	}
	do("score with a fatal item", chromedp.Click(css(`input[name="failed.privacy"]`)),
		chromedp.SetValue(css(`input[name="comment.privacy"]`), "内容写入了来电人号码"),
		chromedp.SetAttributeValue(css("body"), "data-stale", "1"),
		chromedp.Click(css(`form.scorecard button[type=submit]`)), chromedp.WaitVisible(css(`body:not([data-stale]) h1`)))
	got, _ := e.db.Quality().FindInspection(context.Background(), e.actor("qa"), in.ID)
	if got.Status != quality.StatusScored || !got.Fatal || got.Score != 0 {
		t.Fatalf("after scoring: %+v", got)
	}
	logout()

	browserLogin(t, bctx, e.srv.URL, "agent")
	do("object", chromedp.Navigate(page), chromedp.WaitVisible(css(`form[action$="/object"]`)),
		chromedp.SetValue(css(`form[action$="/object"] input[name=text]`), "号码是来电人要求写入的联系方式"),
		chromedp.SetAttributeValue(css("body"), "data-stale", "1"),
		chromedp.Click(css(`form[action$="/object"] button`)), chromedp.WaitVisible(css(`body:not([data-stale]) dl.fields`)))
	logout()

	browserLogin(t, bctx, e.srv.URL, "ana")
	do("decide", chromedp.Navigate(page), chromedp.WaitVisible(css(`form[action$="/decide"]`)),
		chromedp.SetValue(css(`form[action$="/decide"] input[name=text]`), "复听录音，来电人并未要求写入号码"),
		chromedp.Click(css(`form[action$="/decide"] button`)), chromedp.WaitNotPresent(css(`form[action$="/decide"]`)))
	logout()
	var rects struct {
		Items []quality.Rectification
		Total int
	}
	e.call("lead", "GET", "/api/v1/rectifications", nil, 200, &rects)
	if rects.Total != 1 || rects.Items[0].InspectionID != in.ID {
		t.Fatalf("the rejected objection's rectification: %+v", rects)
	}
	rectPage := fmt.Sprintf("%s/quality/rectifications/%d", e.srv.URL, rects.Items[0].ID)

	browserLogin(t, bctx, e.srv.URL, "lead")
	for _, step := range []string{"cause", "plan", "carry", "verify", "improve"} {
		do(step, chromedp.Navigate(rectPage), chromedp.WaitVisible(css(fmt.Sprintf(`form[action$="/%s"]`, step))),
			chromedp.SetValue(css(`textarea[name=text]`), "第"+step+"步：已办理"), chromedp.SetAttributeValue(css("body"), "data-stale", "1"),
			chromedp.Click(css(`form[action$="/`+step+`"] button`)), chromedp.WaitVisible(css(`body:not([data-stale]) ol.timeline`)))
	}
	text, _ := chromedp.Run(bctx, chromedp.Text(css(`h1`)))
	if !strings.Contains(text, "已闭环") {
		t.Errorf("after every step the heading says %q", text)
	}
	// Found 25 hours ago, not answered: past its 24-hour response limit.
	e.db.Now = func() time.Time { return time.Now().Add(-25 * time.Hour) }
	late, err := e.db.Quality().RaiseRectification(context.Background(), e.actor("lead"), quality.SourceCentre, "agent", "夜班 15 秒接通率偏低")
	e.db.Now = time.Now
	if err != nil {
		t.Fatal(err)
	}
	do("the overdue mark", chromedp.Navigate(e.srv.URL+"/quality/rectifications"),
		chromedp.WaitVisible(css(fmt.Sprintf(`a[href="/quality/rectifications/%d"]`, late.ID))))
	mark, _ := chromedp.Run(bctx, chromedp.Text(css(`table.rectifications span.due.overdue`)))
	if !strings.Contains(mark, "原因分析") {
		t.Errorf("the overdue mark: %q", mark)
	}
}
