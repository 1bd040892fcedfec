package web_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"hotline"
)

// lastCode reads the code of the outbox's last text.
func (p *portalEnv) lastCode(t *testing.T) string {
	t.Helper()
	raw, _ := os.ReadFile(p.outbox)
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	var last struct{ Kind, Text string }
	json.Unmarshal([]byte(lines[len(lines)-1]), &last)
	if last.Kind != "code" {
		t.Fatalf("the last text is a %q", last.Kind)
	}
	return regexp.MustCompile(`\d{6}`).FindString(last.Text)
}

// TestBrowser_Portal, in headless Chromium on a phone-sized viewport
// (390×844): a citizen files an appeal with a photo (the code asked
// through the page's proof of work), gets its number; the centre
// dispatches it and the unit's reply concludes it; the citizen follows
// it with number, phone and a new code, sees the steps and the reply,
// and rates it — the ticket's callback result. With HOTLINE_SCREENSHOTS
// the portal's pages are saved.
func TestBrowser_Portal(t *testing.T) {
	exe := chromium(t)
	p := mustPortal(t, "sqlite", 0)
	shots := os.Getenv("HOTLINE_SCREENSHOTS")
	bctx, _ := startBrowser(t, exe)
	type css = chromedp.CSS
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	shot := func(name string) {
		if shots == "" {
			return
		}
		if png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(shots, name), png, 0o644)
		}
	}
	photoPath := filepath.Join(t.TempDir(), "路灯.png")
	os.WriteFile(photoPath, photo(480, 320), 0o600)
	const phone = "13907992468"
	do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	do("appeal form", chromedp.Navigate(p.srv.URL+"/portal/appeal"), chromedp.WaitVisible(css(`form#appeal`)),
		chromedp.SetValue(css(`select[name=kind]`), "complaint"), chromedp.SetValue(css(`select[name=category_id]`), fmt.Sprint(p.cat)),
		chromedp.SetValue(css(`input[name=title]`), "小区路灯不亮"), chromedp.SetValue(css(`textarea[name=content]`), "金典城小区东门路灯坏了一个月，晚上出行不便。"),
		chromedp.SetValue(css(`input[name=place]`), "安源区金典城小区东门"), chromedp.SetValue(css(`input[name=name]`), "李四"),
		chromedp.SetValue(css(`input[name=phone]`), phone), chromedp.Click(css(`[data-send-code]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector(".status").textContent.includes("已发送至")`))
	shot("portal-appeal.png")
	do("submit", chromedp.SetValue(css(`input[name=code]`), p.lastCode(t)), chromedp.SetUploadFiles(css(`input[type=file]`), []string{photoPath}),
		chromedp.Click(css(`button.primary`)), chromedp.WaitVisible(css(`#number`)))
	number, err := chromedp.Run(bctx, chromedp.Text(css(`#number`)))
	if err != nil || !strings.HasPrefix(number, "PX") {
		t.Fatalf("number %q %v", number, err)
	}
	shot("portal-done.png")

	// The centre checks and dispatches it; the unit replies; concluded.
	var list struct {
		Items []struct {
			ID     int64
			Number string
		}
	}
	p.call("dispatcher", "GET", "/api/v1/tickets?status=accepted", nil, 200, &list)
	id := ""
	for _, it := range list.Items {
		if it.Number == number {
			id = fmt.Sprint(it.ID)
		}
	}
	if id == "" {
		t.Fatalf("%s is not in the centre's 待提交", number)
	}
	for _, s := range []struct {
		who, action string
		body        any
	}{{"dispatcher", "submit", nil}, {"dispatcher", "dispatch", map[string]any{"lead_unit_id": p.units["util-water"]}},
		{"util-water", "acknowledge", nil}, {"util-water", "reply", map[string]string{"content": "已更换东门路灯灯泡，恢复照明。"}},
		{"dispatcher", "review", map[string]any{"approve": true, "comment": "同意"}}} {
		p.call(s.who, "POST", "/api/v1/tickets/"+id+"/"+s.action, s.body, 200, nil)
	}

	do("query", chromedp.Navigate(p.srv.URL+"/portal/query?number="+number), chromedp.WaitVisible(css(`form#query`)),
		chromedp.SetValue(css(`input[name=phone]`), phone), chromedp.Click(css(`[data-send-code]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector(".status").textContent.includes("已发送至")`))
	do("follow", chromedp.SetValue(css(`input[name=code]`), p.lastCode(t)), chromedp.Click(css(`button.primary`)), chromedp.WaitVisible(css(`ol.steps`)))
	page, _ := chromedp.Run(bctx, chromedp.Text(css(`main`)))
	if !strings.Contains(page, "已派发承办单位") || !strings.Contains(page, "已更换东门路灯灯泡") || strings.Contains(page, "水务公司") {
		t.Errorf("the citizen's view: %s", page)
	}
	shot("portal-ticket.png")
	do("rate", chromedp.Click(css(`form.rate button[value=satisfied]`)), chromedp.WaitNotPresent(css(`form.rate`)))
	var tk hotline.Ticket
	p.call("dispatcher", "GET", "/api/v1/tickets/"+id, nil, 200, &tk)
	if !tk.CallbackDone || tk.Rating != hotline.Satisfied || len(tk.Attachments) != 1 {
		t.Errorf("after the rating: done %v, rating %q, %d photos", tk.CallbackDone, tk.Rating, len(tk.Attachments))
	}
}
