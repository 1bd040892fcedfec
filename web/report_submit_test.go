package web_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/report"
	"hotline/sqldb/sqldbtest"
)

type reportState struct {
	Status      string
	OnTime      bool       `json:"on_time"`
	Overdue     bool       `json:"overdue"`
	SubmittedAt *time.Time `json:"submitted_at"`
	DueAt       time.Time  `json:"due_at"`
	Versions    []struct {
		Version   int
		Status    string
		Narrative string
	}
}

// TestAPI_ReportSubmission: the analyst writes last month's analysis,
// submits it to the centre on time (the due time is five working days
// after the month), saves again (a new version, the first submission's
// time kept); the month under way cannot be submitted; the analysis is
// in the report's docx; the pages save and submit through their forms;
// the read-only supervisor and units may not write.
func TestAPI_ReportSubmission(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { testReportSubmission(t, MustServerOn(t, d)) })
	}
}

func testReportSubmission(t *testing.T, e *env) {
	ctx := context.Background()
	e.addUser("analyst", hotline.RoleAnalyst, 0)
	e.addUser("centre", hotline.RoleSupervisor, 0)
	// The first of this month, 10:00: last month's report is not due yet
	// whatever day the test runs.
	real := e.db.Now().In(hotline.ChinaZone)
	start := time.Date(real.Year(), real.Month(), 1, 10, 0, 0, 0, hotline.ChinaZone)
	e.db.Now = func() time.Time { return start }
	defer func() { e.db.Now = time.Now }()
	now := e.db.Now().In(hotline.ChinaZone)
	last := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, hotline.ChinaZone).AddDate(0, -1, 0).Format("2006-01")
	this := now.Format("2006-01")
	path := "/api/v1/reports/month/" + last
	var st reportState
	e.call("analyst", "GET", path, nil, 200, &st)
	if st.Status != "none" || len(st.Versions) != 0 || st.DueAt.IsZero() {
		t.Fatalf("before: %+v", st)
	}
	var bad apiError
	e.call("analyst", "POST", path+"/submit", nil, 409, &bad)
	e.call("analyst", "PUT", path, map[string]string{"narrative": "金典城片区停水诉求集中。\n建议供水部门提前公告。"}, 200, &st)
	if len(st.Versions) != 1 || st.Versions[0].Status != "draft" || st.Status != "draft" && st.Status != "overdue" {
		t.Fatalf("saved: %+v", st)
	}
	e.call("analyst", "POST", path+"/submit", nil, 200, &st)
	if st.SubmittedAt == nil || st.Versions[0].Status != "submitted" || st.OnTime != !st.SubmittedAt.After(st.DueAt) {
		t.Fatalf("submitted: %+v", st)
	}
	first := *st.SubmittedAt
	e.call("analyst", "POST", path+"/submit", nil, 409, nil) // nothing left to submit
	e.call("analyst", "PUT", path, map[string]string{"narrative": "补充：夜间施工噪音投诉上升。"}, 200, &st)
	if len(st.Versions) != 2 || st.Versions[1].Status != "draft" || !st.SubmittedAt.Equal(first) || st.Versions[0].Narrative == st.Versions[1].Narrative {
		t.Errorf("a new version after the submission: %+v", st)
	}
	if _, err := os.Stat(report.DefaultFont); err == nil &&
		!strings.Contains(reportText(t, e.call("analyst", "GET", path+".docx", nil, 200, nil)), "补充：夜间施工噪音投诉上升。") {
		t.Error("the report lacks the latest analysis")
	}
	e.call("analyst", "PUT", "/api/v1/reports/month/"+this, map[string]string{"narrative": "草稿"}, 200, nil)
	e.call("analyst", "POST", "/api/v1/reports/month/"+this+"/submit", nil, 409, &bad)
	if !strings.Contains(bad.Error.Message, "尚未结束") {
		t.Errorf("the month under way: %+v", bad)
	}
	e.call("analyst", "PUT", path, map[string]string{"narrative": strings.Repeat("长", 20001)}, 400, &bad)
	if bad.Error.Field != "narrative" {
		t.Errorf("too long: %+v", bad)
	}
	e.call("centre", "GET", path, nil, 200, nil)
	e.call("centre", "PUT", path, map[string]string{"narrative": "x"}, 403, nil)
	e.call("util-water", "GET", path, nil, 403, nil)
	if n := e.auditCount(ctx, "report.submit"); n != 1 {
		t.Errorf("%d submissions audited", n)
	}
	// The pages: the reminder at home, the list, the report, its two forms
	// (on the real clock: the browser's cookies expire by it).
	e.db.Now = time.Now
	c, csrf := loggedIn(t, e, "analyst")
	if _, home := get(t, c, e.srv.URL+"/"); !strings.Contains(home, "待报送报告") {
		t.Error("no reminder of the reports to submit on the analyst's home page")
	}
	code, body := get(t, c, e.srv.URL+"/stats/reports")
	if code != 200 || !strings.Contains(body, "/stats/reports/month/"+last) || !strings.Contains(body, "第2版") {
		t.Fatalf("reports page %d %.400s", code, body)
	}
	page := e.srv.URL + "/stats/reports/month/" + last
	if code, loc := postForm(t, c, page, url.Values{"csrf_token": {csrf}, "narrative": {"第三稿：分析与建议。"}}); code != 303 || !strings.Contains(loc, "done=saved") {
		t.Fatalf("save form: %d %s", code, loc)
	}
	if code, loc := postForm(t, c, page+"/submit", url.Values{"csrf_token": {csrf}}); code != 303 || !strings.Contains(loc, "done=submitted") {
		t.Fatalf("submit form: %d %s", code, loc)
	}
	_, body = get(t, c, page+"?done=submitted")
	if !strings.Contains(body, "已报送中心。") || !strings.Contains(body, "第三稿：分析与建议。") {
		t.Errorf("report page %.600s", body)
	}
}
