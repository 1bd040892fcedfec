package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"hotline"
)

// questionBook is an xlsx question bank: n rows of single choice (A),
// multiple choice (AC) and true/false (错).
func questionBook(t *testing.T, n int, badRow int) []byte {
	x := excelize.NewFile()
	sh := x.GetSheetName(0)
	x.SetSheetRow(sh, "A1", &[]any{"题型", "题目", "选项A", "选项B", "选项C", "选项D", "答案"})
	for i := 0; i < n; i++ {
		row := []any{"单选", fmt.Sprintf("第%d题：热线服务时间？", i+1), "7×24小时", "工作日", "", "", "A"}
		switch i % 3 {
		case 1:
			row = []any{"多选", fmt.Sprintf("第%d题：哪些是个人信息？", i+1), "姓名", "分类", "电话", "", "AC"}
		case 2:
			row = []any{"判断", fmt.Sprintf("第%d题：可以对外透露来电号码。", i+1), "", "", "", "", "错"}
		}
		if i+2 == badRow {
			row[0] = "填空"
		}
		x.SetSheetRow(sh, fmt.Sprintf("A%d", i+2), &row)
	}
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestExams_Browserless: the project manager imports the onboarding bank
// from xlsx (a bad row refused naming it, nothing added); the agent,
// recorded but uncertified, opens the exam page, hands in the right
// answers and is certified — intake then accepts; the API's start and
// submit do the same for a second attempt.
func TestExams_Browserless(t *testing.T) {
	e := MustServer(t)
	e.addUser("pm", hotline.RoleProjectManager, 0)
	post := func(body []byte) (int, string) {
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/exams/onboarding/questions", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+e.tokens["pm"])
		req.Header.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	if code, body := post(questionBook(t, 12, 5)); code != 400 || !strings.Contains(body, "第 5 行") {
		t.Fatalf("bad row: %d %s", code, body)
	}
	if code, body := post(questionBook(t, 12, 0)); code != 201 || !strings.Contains(body, `"added":12`) {
		t.Fatalf("import: %d %s", code, body)
	}
	agent := e.actor("agent")
	e.call("pm", "POST", "/api/v1/staff", map[string]any{"user_id": agent.UserID, "name": "李晓红", "posts": []string{"call_agent"}, "status": "active", "hire_date": "2026-11-20"}, 201, nil)
	c, csrf := loggedIn(t, e, "agent")
	code, page := get(t, c, e.srv.URL+"/exam/onboarding")
	action := regexp.MustCompile(`action="(/exam/onboarding/\d+)"`).FindStringSubmatch(page)
	if code != 200 || action == nil {
		t.Fatalf("exam page %d: %.300s", code, page)
	}
	form := url.Values{"csrf_token": {csrf}}
	for _, m := range regexp.MustCompile(`name="(q\d+)" value="([A-F])"> [A-F]\. ([^<]+)</label>`).FindAllStringSubmatch(page, -1) {
		right := map[string]bool{"7×24小时": true, "姓名": true, "电话": true, "错误": true}[strings.TrimSpace(m[3])]
		if right {
			form.Add(m[1], m[2])
		}
	}
	code, result := postForm(t, c, e.srv.URL+action[1], form)
	if code != 200 || !strings.Contains(result, "得分 100") || !strings.Contains(result, "已取得上岗资格") {
		t.Fatalf("result %d: %.400s", code, result)
	}
	e.newTicket(nil) // certified: intake accepts
	var ex struct {
		AttemptID int64 `json:"attempt_id"`
		Questions []struct {
			ID     int64
			Answer string
		}
	}
	e.call("agent", "POST", "/api/v1/exams/onboarding/start", nil, 201, &ex)
	if len(ex.Questions) != 10 || ex.Questions[0].Answer != "" {
		t.Fatalf("exam %+v", ex)
	}
	var res struct {
		Score  int
		Passed bool
	}
	e.call("agent", "POST", fmt.Sprintf("/api/v1/exam-attempts/%d", ex.AttemptID), map[string]any{"answers": map[string]string{}}, 200, &res)
	if res.Score != 0 || res.Passed {
		t.Errorf("blank answers %+v", res)
	}
	e.call("dispatcher", "POST", "/api/v1/exams/onboarding/start", nil, 403, nil) // no staff record
}
