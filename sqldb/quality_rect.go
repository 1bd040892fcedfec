package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"hotline"
	"hotline/quality"
)

// openRectification stores a new rectification with its limits on the
// working calendar.
func openRectification(ctx context.Context, tx *Tx, r *quality.Rectification) error {
	cal, err := tx.calendar(ctx)
	if err != nil {
		return err
	}
	r.Status, r.CreatedAt = quality.RectOpen, tx.now
	l := tx.db.QualityLimits
	r.ResponseDue, r.PlanDue = cal.Deadline(tx.now, l.Response), cal.Deadline(tx.now, l.Plan)
	return tx.QueryRowContext(ctx, `INSERT INTO rectifications (source, inspection_id, agent_id, problem, status, created_at, created_by, response_due, plan_due)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, r.Source, nullID(r.InspectionID), nullID(r.AgentID), r.Problem, r.Status,
		r.CreatedAt.UnixMilli(), nullID(r.CreatedBy), r.ResponseDue.UnixMilli(), r.PlanDue.UnixMilli()).Scan(&r.ID)
}

// rectifyFailed opens the rectification of an inspection whose result
// has become final (acknowledged, or its objection decided) and failed.
func rectifyFailed(ctx context.Context, tx *Tx, q *Quality, in *quality.Inspection) error {
	if in.Passed || in.ScoredAt == nil {
		return nil
	}
	card, err := q.cardFor(ctx, tx, in, in.CardID)
	if err != nil {
		return err
	}
	return openRectification(ctx, tx, &quality.Rectification{Source: quality.SourceInspection, InspectionID: in.ID, AgentID: in.AgentID,
		Problem: quality.ProblemOf(in, card)})
}

// RaiseRectification opens a rectification the centre raises: a problem
// it found, or a verified citizen complaint about the service (source),
// optionally about one agent.
func (q *Quality) RaiseRectification(ctx context.Context, actor hotline.Actor, source, agent, problem string) (*quality.Rectification, error) {
	if !quality.CanRectify(actor) {
		return nil, hotline.Errorf(hotline.EForbidden, "%s不能发起整改", actor.Role.Label())
	}
	if source != quality.SourceCentre && source != quality.SourceComplaint {
		return nil, hotline.Invalid("source", "来源应为 centre（中心发现）或 complaint（经核实的投诉）")
	}
	if err := hotline.CheckInput("problem", problem); err != nil {
		return nil, err
	}
	if hotline.Blank(problem) || len([]rune(problem)) > 2000 {
		return nil, hotline.Invalid("problem", "请写明问题（不超过2000字）")
	}
	tx, err := q.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r := &quality.Rectification{Source: source, Problem: hotline.TrimText(problem), CreatedBy: actor.UserID}
	if agent != "" {
		if err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE username = $1`, agent).Scan(&r.AgentID); errors.Is(err, sql.ErrNoRows) {
			return nil, hotline.Invalid("agent", "没有用户名为 %s 的坐席", agent)
		} else if err != nil {
			return nil, err
		}
	}
	if err := openRectification(ctx, tx, r); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, "rectification.open", fmt.Sprintf("rectification:%d", r.ID), source); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return q.FindRectification(ctx, actor, r.ID)
}

const rectColumns = `r.id, r.source, COALESCE(r.inspection_id, 0), COALESCE(r.agent_id, 0), COALESCE(u.username, ''), r.problem, r.status,
	r.created_at, COALESCE(r.created_by, 0), r.response_due, r.plan_due, r.responded_at, r.planned_at, r.closed_at
	FROM rectifications r LEFT JOIN users u ON u.id = r.agent_id`

func scanRect(row interface{ Scan(...any) error }) (*quality.Rectification, error) {
	r := &quality.Rectification{}
	var created, resp, plan int64
	if err := row.Scan(&r.ID, &r.Source, &r.InspectionID, &r.AgentID, &r.Agent, &r.Problem, &r.Status, &created, &r.CreatedBy, &resp, &plan,
		nullTime{&r.RespondedAt}, nullTime{&r.PlannedAt}, nullTime{&r.ClosedAt}); err != nil {
		return nil, err
	}
	r.CreatedAt, r.ResponseDue, r.PlanDue = fromMS(created), fromMS(resp), fromMS(plan)
	return r, nil
}

// canSeeRect: the quality staff and managers, and the agent concerned.
func canSeeRect(a hotline.Actor, r *quality.Rectification) bool {
	return quality.CanRectify(a) || (&quality.Inspection{}).CanSee(a) || r.AgentID != 0 && r.AgentID == a.UserID
}

// FindRectifications returns one page of rectifications (of a status,
// when given), the oldest limit first, and how many there are.
func (q *Quality) FindRectifications(ctx context.Context, actor hotline.Actor, status quality.RectStatus, page, size int) ([]*quality.Rectification, int, error) {
	where, args := "WHERE 1 = 1", []any{}
	if !quality.CanRectify(actor) && !(&quality.Inspection{}).CanSee(actor) {
		if actor.Role != hotline.RoleCallAgent && actor.Role != hotline.RoleDispatcher && actor.Role != hotline.RoleCallbackAgent {
			return nil, 0, hotline.Errorf(hotline.EForbidden, "%s不能查看整改", actor.Role.Label())
		}
		args = append(args, actor.UserID)
		where += " AND r.agent_id = $1"
	}
	if status != "" {
		if !status.Valid() {
			return nil, 0, hotline.Invalid("status", "状态应为 open、analysed、planned、carried_out、verified 或 closed")
		}
		args = append(args, status)
		where += fmt.Sprintf(" AND r.status = $%d", len(args))
	}
	var total int
	if err := q.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM rectifications r `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	page, size = max(page, 1), min(max(size, 1), 200)
	args = append(args, size, (page-1)*size)
	rows, err := q.db.read.QueryContext(ctx, fmt.Sprintf(`SELECT %s %s ORDER BY (r.status = 'closed'), r.response_due, r.id LIMIT $%d OFFSET $%d`,
		rectColumns, where, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*quality.Rectification{}
	for rows.Next() {
		r, err := scanRect(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// FindRectification returns one rectification with its steps.
func (q *Quality) FindRectification(ctx context.Context, actor hotline.Actor, id int64) (*quality.Rectification, error) {
	r, err := scanRect(q.db.read.QueryRowContext(ctx, `SELECT `+rectColumns+` WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !canSeeRect(actor, r) {
		return nil, hotline.Errorf(hotline.ENotFound, "整改不存在")
	} else if err != nil {
		return nil, err
	}
	rows, err := q.db.read.QueryContext(ctx, `SELECT s.step, COALESCE(s.actor_id, 0), COALESCE(u.display_name, ''), s.at, s.text, s.passed, s.link
		FROM rectification_steps s LEFT JOIN users u ON u.id = s.actor_id WHERE s.rect_id = $1 ORDER BY s.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var st quality.RectStep
		var at int64
		var passed sql.NullBool
		if err := rows.Scan(&st.Step, &st.ActorID, &st.Actor, &at, &st.Text, &passed, &st.Link); err != nil {
			return nil, err
		}
		st.At = fromMS(at)
		if passed.Valid {
			st.Passed = &passed.Bool
		}
		r.Steps = append(r.Steps, st)
	}
	return r, rows.Err()
}

// TakeRectStep takes the next step of a rectification (quality.Rectification
// .CheckStep), with what was done and, for the mechanism, a link.
func (q *Quality) TakeRectStep(ctx context.Context, actor hotline.Actor, id int64, step, text string, passed *bool, link string) (*quality.Rectification, error) {
	for _, f := range []struct{ name, v string }{{"text", text}, {"link", link}} {
		if err := hotline.CheckInput(f.name, f.v); err != nil {
			return nil, err
		}
	}
	if hotline.Blank(text) || len([]rune(text)) > 2000 {
		return nil, hotline.Invalid("text", "请写明%s的内容（不超过2000字）", quality.StepLabel(step))
	}
	if step == quality.StepVerify && passed == nil {
		return nil, hotline.Invalid("passed", "请说明整改是否见效")
	}
	tx, err := q.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := scanRect(tx.QueryRowContext(ctx, `SELECT `+rectColumns+` WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !canSeeRect(actor, r) {
		return nil, hotline.Errorf(hotline.ENotFound, "整改不存在")
	} else if err != nil {
		return nil, err
	}
	if err := r.CheckStep(actor, step); err != nil {
		return nil, err
	}
	r.Apply(step, passed, tx.now)
	if _, err := tx.ExecContext(ctx, `UPDATE rectifications SET status = $1, responded_at = $2, planned_at = $3, closed_at = $4 WHERE id = $5`,
		r.Status, ms(r.RespondedAt), ms(r.PlannedAt), ms(r.ClosedAt), id); err != nil {
		return nil, err
	}
	var p any
	if passed != nil {
		p = *passed
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO rectification_steps (rect_id, step, actor_id, at, text, passed, link) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		id, step, nullID(actor.UserID), tx.now.UnixMilli(), hotline.TrimText(text), p, hotline.TrimText(link)); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, "rectification."+step, fmt.Sprintf("rectification:%d", id), string(r.Status)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return q.FindRectification(ctx, actor, id)
}

// RectificationFigures computes the figures of the rectifications opened
// in [from, to).
func (q *Quality) RectificationFigures(ctx context.Context, actor hotline.Actor, from, to time.Time) (*quality.RectFigures, error) {
	if !quality.CanRectify(actor) && !(&quality.Inspection{}).CanSee(actor) {
		return nil, hotline.Errorf(hotline.EForbidden, "%s不能查看质检统计", actor.Role.Label())
	}
	rows, err := q.db.read.QueryContext(ctx, `SELECT `+rectColumns+` WHERE r.created_at >= $1 AND r.created_at < $2`, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	f := &quality.RectFigures{}
	now := q.db.Now()
	for rows.Next() {
		r, err := scanRect(rows)
		if err != nil {
			return nil, err
		}
		f.Opened++
		if r.Status == quality.RectClosed {
			f.Closed++
		}
		if r.OnTime(now) {
			f.OnTime++
		}
	}
	f.Finish()
	return f, rows.Err()
}
