package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"hotline"
	"hotline/report"
	"hotline/wfm"
)

// AddQuestions adds questions to their banks, all or none (the first bad
// one refused naming its place: "questions[3].answer").
func (w *Workforce) AddQuestions(ctx context.Context, actor hotline.Actor, qs []wfm.Question) (int, error) {
	if err := canManageStaff(actor); err != nil {
		return 0, err
	}
	if len(qs) == 0 || len(qs) > 2000 {
		return 0, hotline.Invalid("questions", "一次导入 1 到 2000 道题")
	}
	for i := range qs {
		if err := qs[i].Check(); err != nil {
			return 0, hotline.Invalid(fmt.Sprintf("questions[%d].%s", i, hotline.ErrorField(err)), "第 %d 题：%s", i+1, hotline.ErrorMessage(err))
		}
	}
	tx, err := w.db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	for _, q := range qs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO exam_questions (bank, kind, text, options, answer, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			q.Bank, q.Kind, strings.TrimSpace(q.Text), strings.Join(q.Options, "\n"), q.Answer, tx.now.UnixMilli()); err != nil {
			return 0, err
		}
	}
	if err := appendAudit(ctx, tx, actor, "exam.questions", "exam_bank:"+qs[0].Bank, fmt.Sprintf("%d 题", len(qs))); err != nil {
		return 0, err
	}
	return len(qs), tx.Commit()
}

// Questions lists a bank's questions with their answers (for those who
// keep the bank).
func (w *Workforce) Questions(ctx context.Context, actor hotline.Actor, bank string) ([]wfm.Question, error) {
	if err := canManageStaff(actor); err != nil {
		return nil, err
	}
	return w.questions(ctx, w.db.read, bank, "")
}

func (w *Workforce) questions(ctx context.Context, q queryer, bank, ids string) ([]wfm.Question, error) {
	query, args := `SELECT id, bank, kind, text, options, answer FROM exam_questions WHERE bank = $1 ORDER BY id`, []any{bank}
	if ids != "" {
		query = `SELECT id, bank, kind, text, options, answer FROM exam_questions WHERE bank = $1 AND id IN (` + ids + `) ORDER BY id`
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []wfm.Question{}
	for rows.Next() {
		var x wfm.Question
		var opts string
		if err := rows.Scan(&x.ID, &x.Bank, &x.Kind, &x.Text, &opts, &x.Answer); err != nil {
			return nil, err
		}
		x.Options = strings.Split(opts, "\n")
		out = append(out, x)
	}
	return out, rows.Err()
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// memberOf is the staff record linked to the actor's account.
func (w *Workforce) memberOf(ctx context.Context, tx *Tx, actor hotline.Actor) (id int64, certified string, err error) {
	err = tx.QueryRowContext(ctx, `SELECT id, certified_date FROM staff_members WHERE user_id = $1`, actor.UserID).Scan(&id, &certified)
	if errors.Is(err, sql.ErrNoRows) || actor.UserID == 0 {
		return 0, "", hotline.Errorf(hotline.EForbidden, "没有人员档案，不能参加考试；请联系项目经理")
	}
	return id, certified, err
}

// Exam is an attempt started: its questions without their answers.
type Exam struct {
	AttemptID int64          `json:"attempt_id"`
	Bank      string         `json:"bank"`
	Questions []wfm.Question `json:"questions"`
}

// StartExam draws an exam of the bank for the actor's staff record.
func (w *Workforce) StartExam(ctx context.Context, actor hotline.Actor, bank string) (*Exam, error) {
	if _, ok := wfm.BankNames[bank]; !ok {
		return nil, hotline.Errorf(hotline.ENotFound, "没有题库 %s", bank)
	}
	tx, err := w.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	member, _, err := w.memberOf(ctx, tx, actor)
	if err != nil {
		return nil, err
	}
	all, err := w.questions(ctx, tx, bank, "")
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, hotline.Errorf(hotline.EConflict, "题库还没有题目")
	}
	drawn := wfm.Draw(all, rand.New(rand.NewPCG(uint64(tx.now.UnixNano()), uint64(member))))
	ids := make([]string, len(drawn))
	for i := range drawn {
		ids[i] = strconv.FormatInt(drawn[i].ID, 10)
		drawn[i].Answer = ""
	}
	e := &Exam{Bank: bank, Questions: drawn}
	if err := tx.QueryRowContext(ctx, `INSERT INTO exam_attempts (member_id, bank, question_ids, started_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		member, bank, strings.Join(ids, ","), tx.now.UnixMilli()).Scan(&e.AttemptID); err != nil {
		return nil, err
	}
	return e, tx.Commit()
}

// ExamResult is an attempt handed in.
type ExamResult struct {
	Score     int  `json:"score"`
	Passed    bool `json:"passed"`
	PassMark  int  `json:"pass_mark"`
	Certified bool `json:"certified"` // this attempt certified the member (the onboarding exam)
}

// SubmitExam grades the actor's open attempt (question id → letters);
// passing the onboarding exam certifies the member (audited).
func (w *Workforce) SubmitExam(ctx context.Context, actor hotline.Actor, attempt int64, answers map[int64]string) (*ExamResult, error) {
	tx, err := w.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	member, certified, err := w.memberOf(ctx, tx, actor)
	if err != nil {
		return nil, err
	}
	var owner int64
	var bank, ids string
	var submitted sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT member_id, bank, question_ids, submitted_at FROM exam_attempts WHERE id = $1`, attempt).Scan(&owner, &bank, &ids, &submitted)
	if errors.Is(err, sql.ErrNoRows) || err == nil && owner != member {
		return nil, hotline.Errorf(hotline.ENotFound, "考试 %d 不存在", attempt)
	} else if err != nil {
		return nil, err
	}
	if submitted.Valid {
		return nil, hotline.Errorf(hotline.EConflict, "这次考试已经交卷")
	}
	qs, err := w.questions(ctx, tx, bank, ids)
	if err != nil {
		return nil, err
	}
	res := &ExamResult{PassMark: wfm.PassMark}
	res.Score, res.Passed = wfm.Grade(qs, answers)
	if _, err := tx.ExecContext(ctx, `UPDATE exam_attempts SET submitted_at = $1, score = $2, passed = $3 WHERE id = $4`,
		tx.now.UnixMilli(), res.Score, res.Passed, attempt); err != nil {
		return nil, err
	}
	if bank == wfm.BankOnboarding && res.Passed && certified == "" {
		day := report.DayStart(report.Day(tx.now)).Format("2006-01-02")
		if _, err := tx.ExecContext(ctx, `UPDATE staff_members SET certified_date = $1, updated_at = $2 WHERE id = $3`, day, tx.now.UnixMilli(), member); err != nil {
			return nil, err
		}
		res.Certified = true
	}
	detail := fmt.Sprintf("bank=%s score=%d passed=%v", bank, res.Score, res.Passed)
	if err := appendAudit(ctx, tx, actor, "exam.submit", "staff:"+strconv.FormatInt(member, 10), detail); err != nil {
		return nil, err
	}
	return res, tx.Commit()
}
