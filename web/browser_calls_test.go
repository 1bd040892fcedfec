package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hotline"
	"hotline/web"
)

// TestBrowser_ScreenPop: the platform reports that the signed-in agent
// answered a call; the agent's browser opens intake with the caller's
// number and history (the log says how fast); the ticket saved there is
// linked to the call; when the call has ended and its recording arrived,
// an inspector plays it on the ticket page, audited.
func TestBrowser_ScreenPop(t *testing.T) {
	exe := chromium(t)
	e := MustServer(t)
	e.srv.Config.Handler.(*web.Server).SecureCookies = false
	key := e.ctiKey()
	e.newTicket(map[string]any{"title": "上次来电：停水", "requester": map[string]any{"name": "钱七", "phone": "13907990001"}})
	bctx, _ := startBrowser(t, exe)
	type css = chromedp.CSS
	browserLogin(t, bctx, e.srv.URL, "agent")
	if err := chromedp.Do(bctx, chromedp.WaitVisible(css(`body[data-stream=open]`))); err != nil {
		t.Fatalf("the agent's event stream: %v", err)
	}
	now := time.Now()
	body := []any{
		map[string]any{"call_id": "pop-1", "event": "offered", "at": now.Add(-8 * time.Second).Format(time.RFC3339), "caller": "13907990001", "callee": "12345", "queue": "12345"},
		map[string]any{"call_id": "pop-1", "event": "answered", "at": now.Format(time.RFC3339), "agent": "agent"},
	}
	if code, out := e.postEvents(key, body); code != 200 {
		t.Fatalf("events: %d %v", code, out)
	}
	start := time.Now()
	if err := chromedp.Do(bctx, chromedp.WaitVisible(css(`#intake p.call-link`)), chromedp.WaitVisible(css(`#history ul`))); err != nil {
		t.Fatalf("no screen pop: %v", err)
	}
	// Measured, not asserted (timing belongs to benchmarks): 150–200 ms here.
	t.Logf("screen pop after %v", time.Since(start))
	phone, err := chromedp.Run(bctx, chromedp.Value(css(`#phone`)))
	if err != nil || phone != "13907990001" {
		t.Errorf("the number filled in: %q (%v)", phone, err)
	}
	history, _ := chromedp.Run(bctx, chromedp.Text(css(`#history`)))
	if !strings.Contains(history, "上次来电：停水") {
		t.Errorf("caller history: %q", history)
	}
	if err := chromedp.Do(bctx,
		chromedp.SetValue(css(`input[name=name]`), "钱七"),
		chromedp.SetValue(css(`select[name=appeal_kind]`), "help"),
		chromedp.SetValue(css(`#category`), fmt.Sprint(e.cat)),
		chromedp.SetValue(css(`input[name=title]`), "又停水了"),
		chromedp.SendKeys(css(`textarea[name=content]`), "凤凰街又停水了。"),
		chromedp.SetValue(css(`input[name=location]`), "安源区凤凰街"),
		chromedp.Click(css(`#intake button[value=submit]`)),
		chromedp.WaitVisible(css(`table.calls`))); err != nil {
		t.Fatalf("intake: %v", err)
	}
	calls, _ := chromedp.Run(bctx, chromedp.Text(css(`table.calls`)))
	if !strings.Contains(calls, "pop-1") || !strings.Contains(calls, "139****0001") {
		t.Errorf("the ticket's calls: %q", calls)
	}
	var tickets struct{ Items []hotline.Ticket }
	e.call("lead", "GET", "/api/v1/tickets?page_size=1", nil, 200, &tickets) // the newest
	if len(tickets.Items) == 0 {
		t.Fatal("the ticket is not there")
	}
	var got hotline.Ticket
	e.call("lead", "GET", fmt.Sprintf("/api/v1/tickets/%d", tickets.Items[0].ID), nil, 200, &got)
	if len(got.Calls) != 1 || got.Calls[0].CallID != "pop-1" || got.Calls[0].Outcome != hotline.CallTalking {
		t.Errorf("linked calls %+v", got.Calls)
	}

	// The call ends and its recording arrives; an inspector plays it on
	// the ticket page, and the playback is in the audit log.
	if code, out := e.postEvents(key, map[string]any{"call_id": "pop-1", "event": "ended", "at": time.Now().Format(time.RFC3339)}); code != 200 {
		t.Fatalf("end: %d %v", code, out)
	}
	if code := e.uploadRecording(key, "pop-1", wav()); code != 200 {
		t.Fatalf("recording upload: %d", code)
	}
	e.addUser("qa", hotline.RoleInspector, 0)
	if err := chromedp.Do(bctx, chromedp.Click(css(`form.logout button`)), chromedp.WaitVisible(css(`input[name=username]`))); err != nil {
		t.Fatal(err)
	}
	browserLogin(t, bctx, e.srv.URL, "qa")
	before := e.auditCount(t.Context(), "call.listen")
	if err := chromedp.Do(bctx, chromedp.Navigate(fmt.Sprintf("%s/tickets/%d", e.srv.URL, got.ID)), chromedp.WaitVisible(css(`audio.recording`))); err != nil {
		t.Fatalf("the ticket page's player: %v", err)
	}
	played, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`(async () => { const a = document.querySelector("audio.recording"); await a.play(); `+
		`await new Promise(r => setTimeout(r, 300)); return !a.paused && a.duration > 0.9; })()`, chromedp.EvalAwaitPromise))
	if err != nil || !played {
		t.Errorf("the inspector's player: playing %v (%v)", played, err)
	}
	if n := e.auditCount(t.Context(), "call.listen"); n < before+1 {
		t.Errorf("the playback is not in the audit log")
	}
}

// TestBrowser_WallTicks: on the team lead's wall the current call's
// duration runs by itself, without a reload or an event.
func TestBrowser_WallTicks(t *testing.T) {
	exe := chromium(t)
	e := MustServer(t)
	e.srv.Config.Handler.(*web.Server).SecureCookies = false
	key := e.ctiKey()
	now := time.Now()
	if code, out := e.postEvents(key, []any{
		map[string]any{"call_id": "w-1", "event": "offered", "at": now.Add(-70 * time.Second).Format(time.RFC3339), "caller": "13907990001"},
		map[string]any{"call_id": "w-1", "event": "answered", "at": now.Add(-65 * time.Second).Format(time.RFC3339), "agent": "agent"}}); code != 200 {
		t.Fatalf("events: %d %v", code, out)
	}
	bctx, _ := startBrowser(t, exe)
	type css = chromedp.CSS
	browserLogin(t, bctx, e.srv.URL, "lead")
	if err := chromedp.Do(bctx, chromedp.Navigate(e.srv.URL+"/calls/wall"), chromedp.WaitVisible(css(`table.wall`))); err != nil {
		t.Fatal(err)
	}
	// The text of the call's duration, now and once it has changed.
	changed, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](`(async () => {
		const el = document.querySelector("table.wall tr.seat-busy td:nth-child(4) [data-since]");
		if (!el) return ["no running call on the wall"];
		const first = el.textContent;
		for (let i = 0; i < 40 && el.textContent === first; i++) await new Promise(r => setTimeout(r, 100));
		return [first, el.textContent];
	})()`, chromedp.EvalAwaitPromise))
	if err != nil || len(changed) != 2 || changed[0] == changed[1] || !strings.HasPrefix(changed[0], "1分") {
		t.Errorf("the running call's duration: %q (%v)", changed, err)
	}
}
