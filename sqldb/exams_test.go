package sqldb_test

import (
	"fmt"
	"strings"
	"testing"

	"hotline"
	"hotline/wfm"
)

// onboardingBank is twelve questions: single choice, multiple choice and
// true/false.
func onboardingBank() []wfm.Question {
	var qs []wfm.Question
	for i := 0; i < 12; i++ {
		q := wfm.Question{Bank: wfm.BankOnboarding, Kind: wfm.QuestionSingle, Text: fmt.Sprintf("第%d题：12345热线的服务时间是？", i+1),
			Options: []string{"7×24小时", "工作日白天", "每天8点到20点"}, Answer: "A"}
		switch i % 3 {
		case 1:
			q.Kind, q.Text, q.Options, q.Answer = wfm.QuestionMultiple, fmt.Sprintf("第%d题：哪些属于诉求人个人信息？", i+1), []string{"姓名", "电话", "诉求分类", "住址"}, "a, b, d"
		case 2:
			q.Kind, q.Text, q.Options, q.Answer = wfm.QuestionTrue, fmt.Sprintf("第%d题：可以把来电人电话告诉承办单位以外的人。", i+1), nil, "错"
		}
		qs = append(qs, q)
	}
	return qs
}

// TestExams_Certify: a bad question is refused naming its place and
// nothing is added; an exam draws ten questions without answers; wrong
// answers fail; the right ones pass at 100 and certify the member, who
// can then accept tickets; an attempt is handed in once and only by its
// owner; someone without a staff record cannot sit one.
func TestExams_Certify(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		ctx, w := f.Context, f.DB.Workforce()
		pm := hotline.Actor{Role: hotline.RoleProjectManager, Name: "项目经理"}
		bad := onboardingBank()
		bad[4].Answer = "E"
		if _, err := w.AddQuestions(ctx, pm, bad); hotline.ErrorField(err) != "questions[4].answer" {
			t.Fatalf("bad answer: %v", err)
		}
		if qs, _ := w.Questions(ctx, pm, wfm.BankOnboarding); len(qs) != 0 {
			t.Fatalf("a refused import added %d", len(qs))
		}
		if n, err := w.AddQuestions(ctx, pm, onboardingBank()); err != nil || n != 12 {
			t.Fatalf("import %d %v", n, err)
		}
		agent := f.Actors["agent"]
		if _, err := w.StartExam(ctx, agent, wfm.BankOnboarding); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("no staff record: %v", err)
		}
		if _, err := w.SaveMember(ctx, pm, wfm.Member{UserID: agent.UserID, Name: "李晓红", Posts: []string{wfm.PostCall}, Status: wfm.MemberActive, HireDate: "2026-11-20"}); err != nil {
			t.Fatal(err)
		}
		bank, _ := w.Questions(ctx, pm, wfm.BankOnboarding)
		key := map[int64]string{}
		for _, q := range bank {
			key[q.ID] = q.Answer
		}
		e, err := w.StartExam(ctx, agent, wfm.BankOnboarding)
		if err != nil || len(e.Questions) != wfm.ExamSize {
			t.Fatalf("exam %+v %v", e, err)
		}
		wrong := map[int64]string{}
		for _, q := range e.Questions {
			if q.Answer != "" {
				t.Fatalf("the exam shows the answer of %d", q.ID)
			}
			wrong[q.ID] = "B"
		}
		r, err := w.SubmitExam(ctx, agent, e.AttemptID, wrong)
		if err != nil || r.Passed || r.Certified || r.Score >= wfm.PassMark {
			t.Fatalf("wrong answers: %+v %v", r, err)
		}
		if _, err := w.SubmitExam(ctx, agent, e.AttemptID, wrong); hotline.ErrorCode(err) != hotline.EConflict {
			t.Errorf("handed in twice: %v", err)
		}
		if err := f.DB.CreateTicket(ctx, agent, &hotline.Ticket{Channel: hotline.ChannelPhone, AppealKind: hotline.Consult, Title: "咨询", Content: "咨询"}, false); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Fatalf("not yet certified but accepted: %v", err)
		}
		e2, _ := w.StartExam(ctx, agent, wfm.BankOnboarding)
		right := map[int64]string{}
		for _, q := range e2.Questions {
			right[q.ID] = strings.ToLower(key[q.ID])
		}
		if _, err := w.SubmitExam(ctx, f.Actors["lead"], e2.AttemptID, right); hotline.ErrorCode(err) != hotline.EForbidden && hotline.ErrorCode(err) != hotline.ENotFound {
			t.Errorf("someone else handed it in: %v", err)
		}
		r, err = w.SubmitExam(ctx, agent, e2.AttemptID, right)
		if err != nil || !r.Passed || !r.Certified || r.Score != 100 {
			t.Fatalf("right answers: %+v %v", r, err)
		}
		f.NewTicket(t, "13800000002", false) // certified now
		list, _ := w.Members(ctx, pm)
		if len(list) != 1 || !list[0].Certified() {
			t.Errorf("members %+v", list)
		}
	})
}

// TestGrade: multiple choice all or nothing; true/false in words.
func TestGrade(t *testing.T) {
	qs := onboardingBank()[:3]
	for i := range qs {
		qs[i].ID = int64(i + 1)
		if err := qs[i].Check(); err != nil {
			t.Fatal(err)
		}
	}
	if s, p := wfm.Grade(qs, map[int64]string{1: "a", 2: "DBA", 3: "错误"}); s != 100 || !p {
		t.Errorf("all right: %d %v", s, p)
	}
	if s, p := wfm.Grade(qs, map[int64]string{1: "A", 2: "AB", 3: "B"}); s != 67 || p {
		t.Errorf("half a multiple: %d %v", s, p)
	}
}
