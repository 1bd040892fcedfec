package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"hotline"
	"hotline/web"
)

// TestBrowser_Statistics, in headless Chromium: the analyst's statistics
// pages draw every chart (ECharts from the vendored file, under the
// pages' content security policy), the category table drills down a
// level, and the period picker offers the custom dates when chosen.
func TestBrowser_Statistics(t *testing.T) {
	exe := chromium(t)
	e := MustServer(t)
	e.srv.Config.Handler.(*web.Server).SecureCookies = false
	e.addUser("analyst", hotline.RoleAnalyst, 0)
	for i := 0; i < 3; i++ {
		tk := e.concluded(map[string]any{"channel": []string{"phone", "web", "wechat"}[i]})
		e.call("callback", "POST", fmt.Sprintf("/api/v1/tickets/%d/callback", tk.ID),
			map[string]any{"reached": true, "rating": "satisfied", "resolved": true}, 200, nil)
	}
	today := e.db.Now().In(hotline.ChinaZone).Format("2006-01-02")
	bctx, _ := startBrowser(t, exe)
	browserLogin(t, bctx, e.srv.URL, "analyst")
	type css = chromedp.CSS
	drawn := `(() => { const all = document.querySelectorAll("[data-chart]");
		return all.length + "/" + document.querySelectorAll("[data-chart][data-drawn] canvas").length; })()`
	for _, page := range []string{"/stats", "/stats/units", "/stats/service"} {
		if err := chromedp.Do(bctx, chromedp.Navigate(e.srv.URL+page+"?period="+today), chromedp.WaitReady(css(`[data-chart][data-drawn]`))); err != nil {
			t.Fatal(page, err)
		}
		got, err := chromedp.Run(bctx, chromedp.Evaluate[string](drawn))
		if err != nil {
			t.Fatal(err)
		}
		var all, canvases int
		fmt.Sscanf(got, "%d/%d", &all, &canvases)
		if all == 0 || canvases != all {
			t.Errorf("%s: %d charts, %d drawn", page, all, canvases)
		}
	}
	// Drill down from 公共事业 to its second level.
	if err := chromedp.Do(bctx, chromedp.Navigate(e.srv.URL+"/stats?period="+today),
		chromedp.Click(css(`#category table a`)), chromedp.WaitVisible(css(`#category .crumbs`)), chromedp.WaitReady(css(`[data-chart][data-drawn]`))); err != nil {
		t.Fatal(err)
	}
	loc, _ := chromedp.Run(bctx, chromedp.Location())
	cells, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector("#category tbody td").textContent`))
	if !strings.Contains(loc, "category=") || cells != "供水" {
		t.Errorf("drill-down: %s, first row %q", loc, cells)
	}
	// The picker: custom shows the two dates and hides the single one.
	hidden := `[document.querySelector("form.period label.at").hidden, document.querySelector("form.period label.custom").hidden].join()`
	if err := chromedp.Do(bctx, chromedp.SetValue(css(`form.period select[name=kind]`), "custom")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`document.querySelector("form.period select[name=kind]").dispatchEvent(new Event("change"))`)); err != nil {
		t.Fatal(err)
	}
	if got, _ := chromedp.Run(bctx, chromedp.Evaluate[string](hidden)); got != "true,false" {
		t.Errorf("custom period: at/custom hidden = %s", got)
	}
}
