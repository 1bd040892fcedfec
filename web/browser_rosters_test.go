package web_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hotline"
	"hotline/sqldb"
	"hotline/web"
	"hotline/wfm"
)

// keepsRules reports whether the roster, edited, keeps every labour rule
// for the member (the check the server makes on a move or a swap).
func keepsRules(in wfm.RosterInput, r wfm.Roster, member int64) bool {
	order := map[string]int{}
	for i, s := range wfm.DefaultShifts {
		order[s.Name] = i
	}
	sort.SliceStable(r.Assignments, func(i, j int) bool {
		a, b := r.Assignments[i], r.Assignments[j]
		return a.Date < b.Date || a.Date == b.Date && order[a.Shift] < order[b.Shift]
	})
	r.Uncovered = wfm.Regap(in, r, "")
	for _, v := range wfm.Check(in, r) {
		if v.StaffID == member {
			return false
		}
	}
	return true
}

// TestBrowser_Rosters, in headless Chromium: the project manager
// generates next month's roster, moves one of the agent's shifts and
// publishes; the agent sees their shifts and asks for a swap; the team
// lead approves it (the shift is the other person's, both are told);
// and on a shift of that month the agent signs in ten minutes late,
// which the attendance ledger shows.
func TestBrowser_Rosters(t *testing.T) {
	exe := chromium(t)
	e := MustServer(t)
	e.srv.Config.Handler.(*web.Server).SecureCookies = false
	ctx := context.Background()
	e.addUser("pm", hotline.RoleProjectManager, 0)
	e.addTeam(7, 7, 4)
	month := e.db.Now().In(hotline.ChinaZone).AddDate(0, 1, 0).Format("2006-01")
	page := e.srv.URL + "/staff/rosters?month=" + month
	w, pm := e.db.Workforce(), e.actor("pm")
	me, err := w.MemberID(ctx, e.actor("agent"))
	if err != nil {
		t.Fatal(err)
	}

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
	stored := func() (*sqldb.RosterView, wfm.Roster) {
		t.Helper()
		v, err := w.Roster(ctx, pm, month)
		if err != nil {
			t.Fatal(err)
		}
		return v, v.Assignments()
	}

	browserLogin(t, bctx, e.srv.URL, "pm")
	do("generate", chromedp.Navigate(page), chromedp.Click(css(`button[value=generate]`)), chromedp.WaitVisible(css(`details#move`)))
	in, err := w.CheckInput(ctx, pm, month)
	if err != nil {
		t.Fatal(err)
	}
	_, r := stored()
	// A move of the agent's first shift that keeps the rules.
	from, to := -1, wfm.Assignment{}
	for i, a := range r.Assignments {
		if a.StaffID == me && from < 0 {
			from = i
		}
	}
	for d := 1; d <= 28 && to.Date == ""; d++ {
		for _, sh := range wfm.DefaultShifts {
			cand := append([]wfm.Assignment(nil), r.Assignments...)
			cand[from].Date, cand[from].Shift = fmt.Sprintf("%s-%02d", month, d), sh.Name
			if cand[from] != r.Assignments[from] && keepsRules(in, wfm.Roster{Assignments: cand}, me) {
				to = cand[from]
				break
			}
		}
	}
	if from < 0 || to.Date == "" {
		t.Fatal("no move of the agent's first shift keeps the rules")
	}
	first := r.Assignments[from]
	do("move", chromedp.Click(css(`details#move summary`)),
		chromedp.SetValue(css(`#move select[name=from]`), fmt.Sprintf("%d|%s|%s", me, first.Date, first.Shift)),
		chromedp.SetValue(css(`#move input[name=to_date]`), to.Date), chromedp.SetValue(css(`#move select[name=to_shift]`), to.Shift),
		chromedp.SetAttributeValue(css("body"), "data-stale", "1"), chromedp.Click(css(`#move button`)), chromedp.WaitVisible(css(`body:not([data-stale]) details#move`)))
	v, r := stored()
	found := false
	for _, a := range r.Assignments {
		found = found || a.StaffID == me && a.Date == to.Date && a.Shift == to.Shift
	}
	if !found || v.Status != "draft" {
		t.Fatalf("the move to %s %s is not stored (%s)", to.Date, to.Shift, v.Status)
	}
	do("publish", chromedp.Click(css(`button[value=publish]`)), chromedp.WaitNotPresent(css(`button[value=publish]`)))
	logout()

	// A swap the rules allow: someone takes one of the agent's shifts.
	var give wfm.Assignment
	var partner int64
	for i, a := range r.Assignments {
		if a.StaffID != me || partner != 0 {
			continue
		}
		for _, s := range in.Staff {
			cand := append([]wfm.Assignment(nil), r.Assignments...)
			cand[i].StaffID = s.ID
			if s.ID != me && keepsRules(in, wfm.Roster{Assignments: cand}, s.ID) {
				give, partner = a, s.ID
				break
			}
		}
	}
	if partner == 0 {
		t.Fatal("no one can take a shift of the agent")
	}
	browserLogin(t, bctx, e.srv.URL, "agent")
	do("my shifts", chromedp.Navigate(page), chromedp.WaitVisible(css(`form#swap`)))
	mine, _ := chromedp.Run(bctx, chromedp.Text(css(`form#swap select[name=shift]`)))
	if !strings.Contains(mine, give.Date+" "+give.Shift) {
		t.Fatalf("the agent's shifts %q lack %s %s", mine, give.Date, give.Shift)
	}
	do("ask swap", chromedp.SetValue(css(`form#swap select[name=shift]`), give.Date+"|"+give.Shift),
		chromedp.SetValue(css(`form#swap select[name=other_member_id]`), fmt.Sprint(partner)),
		chromedp.SetValue(css(`form#swap input[name=reason]`), "孩子生病需要照顾"),
		chromedp.SetAttributeValue(css("body"), "data-stale", "1"), chromedp.Click(css(`form#swap button`)), chromedp.WaitVisible(css(`body:not([data-stale]) form#swap`)))
	body, _ := chromedp.Run(bctx, chromedp.Text(css(`main`)))
	if !strings.Contains(body, "孩子生病需要照顾") || !strings.Contains(body, "待审批") {
		t.Fatalf("the request is not listed as pending")
	}
	logout()

	browserLogin(t, bctx, e.srv.URL, "lead")
	do("approve", chromedp.Navigate(page), chromedp.Click(css(`form[action^="/staff/roster-requests/"] button[value=true]`)),
		chromedp.WaitNotPresent(css(`form[action^="/staff/roster-requests/"]`)))
	body, _ = chromedp.Run(bctx, chromedp.Text(css(`main`)))
	if !strings.Contains(body, "已批准") {
		t.Fatal("the approval is not shown")
	}
	_, r = stored()
	for _, a := range r.Assignments {
		if a.Date == give.Date && a.Shift == give.Shift && a.StaffID == me {
			t.Fatal("the approved swap left the agent on the shift")
		}
	}
	logout()

	// A shift of that month: the agent signs in ten minutes after it starts.
	var late sqldb.RosterSlot
	v, _ = stored()
	for _, s := range v.Shifts {
		for _, p := range s.Staff {
			if p.MemberID == me && late.Name == "" {
				late = s
			}
		}
	}
	e.db.Now = func() time.Time { return late.Start.Add(10 * time.Minute) }
	defer func() { e.db.Now = time.Now }()
	browserLogin(t, bctx, e.srv.URL, "agent")
	do("notices", chromedp.Navigate(page), chromedp.WaitVisible(css(`ul.notices`)))
	notices, _ := chromedp.Run(bctx, chromedp.Text(css(`ul.notices`)))
	if !strings.Contains(notices, "已批准") {
		t.Errorf("the agent's notices %q", notices)
	}
	do("sign in", chromedp.Navigate(e.srv.URL+"/staff/attendance"), chromedp.Click(css(`button[value=sign_in]`)), chromedp.WaitVisible(css(`button[value=sign_out]`)))
	logout()
	browserLogin(t, bctx, e.srv.URL, "lead")
	do("ledger", chromedp.Navigate(e.srv.URL+"/staff/attendance?exceptions=1&month="+month), chromedp.WaitVisible(css(`table.attendance`)))
	row, _ := chromedp.Run(bctx, chromedp.Text(css(`table.attendance tr.late`)))
	if !strings.Contains(row, "员工00") || !strings.Contains(row, "迟到 10 分钟") {
		t.Errorf("the ledger's late line %q", row)
	}
}
