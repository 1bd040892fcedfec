package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"hotline"
	"hotline/report"
	"hotline/sqldb/sqldbtest"
)

// TestAPI_Reports: the month's report as docx and PDF; every number of
// its overview equals GET /api/v1/stats/summary for the same month; the
// PDF renders in pdftoppm; a period of the wrong kind, another format and
// a call agent are refused.
func TestAPI_Reports(t *testing.T) {
	if _, err := os.Stat(report.DefaultFont); err != nil {
		t.Skip("the reports' font is not installed (apt-get install fonts-arphic-gbsn00lp)")
	}
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { testReports(t, MustServerOn(t, d)) })
	}
}

func testReports(t *testing.T, e *env) {
	e.addUser("analyst", hotline.RoleAnalyst, 0)
	for i, rating := range []string{"satisfied", "unsatisfied", "basically_satisfied"} {
		tk := e.concluded(map[string]any{"channel": []string{"phone", "web", "phone"}[i]})
		e.call("callback", "POST", fmt.Sprintf("/api/v1/tickets/%d/callback", tk.ID),
			map[string]any{"reached": true, "rating": rating, "resolved": rating != "unsatisfied"}, 200, nil)
	}
	e.newTicket(map[string]any{"submit": true})
	month := e.db.Now().In(hotline.ChinaZone).Format("2006-01")
	e.addUser("pm", hotline.RoleProjectManager, 0)
	var m struct{ ID int64 }
	e.call("pm", "POST", "/api/v1/staff", map[string]any{"name": "员工甲", "posts": []string{"call_agent"}, "status": "active", "hire_date": "2026-01-01"}, 201, &m)
	e.call("pm", "POST", "/api/v1/training", map[string]any{"kind": "monthly", "title": "业务培训", "date": e.db.Now().In(hotline.ChinaZone).Format("2006-01-02"),
		"hours": 2, "participants": []int64{m.ID}}, 201, nil)
	var sum struct {
		Tickets, Concluded, Overdue int64
		ByChannel                   map[string]int64 `json:"by_channel"`
		ResponseRate                float64          `json:"response_rate"`
		ResolutionRate              float64          `json:"resolution_rate"`
		SatisfactionRate            float64          `json:"satisfaction_rate"`
	}
	e.call("analyst", "GET", "/api/v1/stats/summary?period="+month, nil, 200, &sum)
	raw := e.call("analyst", "GET", "/api/v1/reports/month/"+month+".docx", nil, 200, nil)
	text := reportText(t, raw)
	pct := func(f float64) string { return fmt.Sprintf("%.1f%%", f*100) }
	for _, want := range []string{
		fmt.Sprintf("本期共受理群众诉求%d件", sum.Tickets),
		fmt.Sprintf("电话%d件", sum.ByChannel["phone"]), fmt.Sprintf("网络留言%d件", sum.ByChannel["web"]),
		fmt.Sprintf("办结%d件", sum.Concluded), fmt.Sprintf("超期%d件", sum.Overdue),
		"响应率" + pct(sum.ResponseRate), "解决率" + pct(sum.ResolutionRate), "满意率" + pct(sum.SatisfactionRate),
		"开展业务、上岗及保密培训1次", "调用储备人员0次",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q (the summary API's figure)", want)
		}
	}
	if sum.Tickets != 4 || sum.Concluded != 3 || sum.SatisfactionRate != 0.6667 {
		t.Errorf("summary %+v", sum)
	}
	pdf := e.call("analyst", "GET", "/api/v1/reports/month/"+month+".pdf", nil, 200, nil)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.40q", pdf)
	}
	if _, err := exec.LookPath("pdftoppm"); err == nil {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "r.pdf"), pdf, 0o600)
		if out, err := exec.Command("pdftoppm", "-r", "30", "-png", filepath.Join(dir, "r.pdf"), filepath.Join(dir, "p")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		if pages, _ := filepath.Glob(filepath.Join(dir, "p*.png")); len(pages) < 2 {
			t.Errorf("%d pages rendered", len(pages))
		}
	}
	var bad apiError
	e.call("analyst", "GET", "/api/v1/reports/quarter/"+month+".pdf", nil, 400, &bad)
	if bad.Error.Field != "period" {
		t.Errorf("a month as a quarter: %+v", bad)
	}
	e.call("analyst", "GET", "/api/v1/reports/month/"+month+".odt", nil, 404, nil)
	e.call("agent", "GET", "/api/v1/reports/month/"+month+".docx", nil, 403, nil)
}

// reportText is the text of a docx's document.
func reportText(t *testing.T, raw []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var text string
	for _, f := range z.File {
		if f.Name != "word/document.xml" {
			continue
		}
		r, _ := f.Open()
		dec := xml.NewDecoder(r)
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			} else if err != nil {
				t.Fatal(err)
			}
			if cd, ok := tok.(xml.CharData); ok {
				text += string(cd)
			}
		}
		r.Close()
	}
	return text
}
