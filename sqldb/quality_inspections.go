package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"hotline"
	"hotline/quality"
)

// InspectionFilter selects inspections; zero fields select all.
type InspectionFilter struct {
	TicketID    int64
	CallRef     string // the platform's call id
	Agent       string // username
	Status      quality.Status
	Reason      quality.Reason
	InspectorID int64
	Page, Size  int
}

const inspectionColumns = `i.id, COALESCE(i.ticket_id, 0), COALESCE(t.number, ''), COALESCE(c.call_id, ''), COALESCE(i.agent_id, 0), COALESCE(u.username, ''),
	i.reason, i.status, COALESCE(i.inspector_id, 0), i.due_at, i.created_at, COALESCE(i.card_id, 0), i.marks, i.comment, i.typical_case,
	i.score, i.fatal, i.passed, i.scored_at, i.objection, i.objected_at, i.objection_due_at, COALESCE(i.decided_by, 0), i.decided_at,
	i.upheld, i.decision, i.score_before`

const inspectionFrom = ` FROM inspections i LEFT JOIN calls c ON c.id = i.call_id LEFT JOIN users u ON u.id = i.agent_id
	LEFT JOIN tickets t ON t.id = i.ticket_id`

func scanInspection(row interface{ Scan(...any) error }) (*quality.Inspection, error) {
	in := &quality.Inspection{}
	var due, created int64
	var marks string
	var objDue *int64
	var objAt *time.Time
	o := &quality.Objection{}
	if err := row.Scan(&in.ID, &in.TicketID, &in.Number, &in.CallID, &in.AgentID, &in.Agent, &in.Reason, &in.Status, &in.InspectorID, &due, &created,
		&in.CardID, &marks, &in.Comment, &in.TypicalCase, &in.Score, &in.Fatal, &in.Passed, nullTime{&in.ScoredAt},
		&o.Reason, nullTime{&objAt}, &objDue, &o.DecidedBy, nullTime{&o.DecidedAt}, &o.Upheld, &o.Decision, &o.ScoreBefore); err != nil {
		return nil, err
	}
	in.DueAt, in.CreatedAt = fromMS(due), fromMS(created)
	if marks != "" {
		if err := json.Unmarshal([]byte(marks), &in.Marks); err != nil {
			return nil, err
		}
	}
	if objDue != nil {
		o.DueAt = fromMS(*objDue)
	}
	if objAt != nil {
		o.At = *objAt
	}
	if o.Reason != "" || objDue != nil {
		in.Objection = o
	}
	return in, nil
}

// FindInspections returns one page of inspections, newest first, to those
// who may see them (quality.Inspection.CanSee: an agent only its own), and
// how many match.
func (q *Quality) FindInspections(ctx context.Context, actor hotline.Actor, f InspectionFilter) ([]*quality.Inspection, int, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if !(&quality.Inspection{}).CanSee(actor) {
		if actor.Role != hotline.RoleCallAgent && actor.Role != hotline.RoleDispatcher && actor.Role != hotline.RoleCallbackAgent {
			return nil, 0, hotline.Errorf(hotline.EForbidden, "%s不能查看质检", actor.Role.Label())
		}
		add("i.agent_id = $%d", actor.UserID) // one's own work
	}
	if f.TicketID != 0 {
		add("i.ticket_id = $%d", f.TicketID)
	}
	if f.CallRef != "" {
		add("c.call_id = $%d", f.CallRef)
	}
	if f.Agent != "" {
		add("u.username = $%d", f.Agent)
	}
	if f.Status != "" {
		if !f.Status.Valid() {
			return nil, 0, hotline.Invalid("status", "状态应为 pending、scored、acknowledged、objected 或 decided")
		}
		add("i.status = $%d", f.Status)
	}
	if f.Reason != "" {
		if !f.Reason.Valid() {
			return nil, 0, hotline.Invalid("reason", "原因应为 unsatisfied、complaint、reopened、new_agent、sampled 或 manual")
		}
		add("i.reason = $%d", f.Reason)
	}
	if f.InspectorID != 0 {
		add("i.inspector_id = $%d", f.InspectorID)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := q.db.read.QueryRowContext(ctx, `SELECT COUNT(*)`+inspectionFrom+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	page, size := max(f.Page, 1), min(max(f.Size, 1), 200)
	if f.Size == 0 {
		size = 50
	}
	args = append(args, size, (page-1)*size)
	rows, err := q.db.read.QueryContext(ctx, fmt.Sprintf(`SELECT %s%s%s ORDER BY i.created_at DESC, i.id DESC LIMIT $%d OFFSET $%d`,
		inspectionColumns, inspectionFrom, cond, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*quality.Inspection{}
	for rows.Next() {
		in, err := scanInspection(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, in)
	}
	return out, total, rows.Err()
}

// FindInspection returns one inspection to one who may see it.
func (q *Quality) FindInspection(ctx context.Context, actor hotline.Actor, id int64) (*quality.Inspection, error) {
	in, err := scanInspection(q.db.read.QueryRowContext(ctx, `SELECT `+inspectionColumns+inspectionFrom+` WHERE i.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !in.CanSee(actor) {
		return nil, hotline.Errorf(hotline.ENotFound, "质检任务不存在")
	}
	return in, err
}

// InspectionCommand is what is done to an inspection: score it (marks on
// a card, a comment, a typical-case mark), acknowledge it, object to it
// (Text: why) or decide the objection (Uphold, Text: why; an upheld
// objection scores again with Marks).
type InspectionCommand struct {
	Action      string         `json:"action"`
	CardID      int64          `json:"card_id,omitempty"`
	Marks       []quality.Mark `json:"marks,omitempty"`
	Comment     string         `json:"comment,omitempty"`
	TypicalCase string         `json:"typical_case,omitempty"`
	Text        string         `json:"text,omitempty"`
	Uphold      *bool          `json:"uphold,omitempty"`
}

// ActOnInspection applies a command to an inspection in one transaction,
// audited, and returns it as it now stands.
func (q *Quality) ActOnInspection(ctx context.Context, actor hotline.Actor, id int64, cmd InspectionCommand) (*quality.Inspection, error) {
	tx, err := q.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	in, err := scanInspection(tx.QueryRowContext(ctx, `SELECT `+inspectionColumns+inspectionFrom+` WHERE i.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !in.CanSee(actor) {
		return nil, hotline.Errorf(hotline.ENotFound, "质检任务不存在")
	} else if err != nil {
		return nil, err
	}
	objectBy := tx.now
	if in.Objection != nil {
		objectBy = in.Objection.DueAt
	}
	if err := in.Check(actor, cmd.Action, tx.now, objectBy); err != nil {
		return nil, err
	}
	for _, f := range []struct{ name, v string }{{"comment", cmd.Comment}, {"text", cmd.Text}} {
		if err := hotline.CheckInput(f.name, f.v); err != nil {
			return nil, err
		}
	}
	detail := ""
	switch cmd.Action {
	case quality.ActScore, quality.ActDecide:
		if cmd.Action == quality.ActDecide {
			if cmd.Uphold == nil {
				return nil, hotline.Invalid("uphold", "请裁定申诉是否成立")
			}
			if hotline.Blank(cmd.Text) {
				return nil, hotline.Invalid("text", "请写明裁定理由")
			}
			if !*cmd.Uphold {
				_, err = tx.ExecContext(ctx, `UPDATE inspections SET status = 'decided', decided_by = $1, decided_at = $2, upheld = FALSE,
					decision = $3, score_before = score WHERE id = $4`, actor.UserID, tx.now.UnixMilli(), hotline.TrimText(cmd.Text), id)
				detail = "申诉不成立，维持原分"
				break
			}
			cmd.CardID = in.CardID // the objection is decided on the card it was scored on
		}
		card, err := q.cardFor(ctx, tx, in, cmd.CardID)
		if err != nil {
			return nil, err
		}
		marks, o, err := card.Score(cmd.Marks)
		if err != nil {
			return nil, err
		}
		if cmd.TypicalCase != "" && cmd.TypicalCase != quality.TypicalGood && cmd.TypicalCase != quality.TypicalBad {
			return nil, hotline.Invalid("typical_case", "典型案例应为 good（正面）或 bad（反面），或留空")
		}
		raw, _ := json.Marshal(marks)
		if cmd.Action == quality.ActScore {
			cal, err := tx.calendar(ctx)
			if err != nil {
				return nil, err
			}
			_, err = tx.ExecContext(ctx, `UPDATE inspections SET status = 'scored', card_id = $1, marks = $2, comment = $3, typical_case = $4,
				score = $5, fatal = $6, passed = $7, scored_at = $8, scored_by = $9, objection_due_at = $10 WHERE id = $11`,
				card.ID, string(raw), hotline.TrimText(cmd.Comment), cmd.TypicalCase, o.Score, o.Fatal, o.Passed, tx.now.UnixMilli(),
				actor.UserID, cal.Deadline(tx.now, q.db.QualityLimits.Objection).UnixMilli(), id)
			detail = fmt.Sprintf("%d 分%s", o.Score, map[bool]string{true: "（致命项）", false: ""}[o.Fatal])
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE inspections SET status = 'decided', decided_by = $1, decided_at = $2, upheld = TRUE,
				decision = $3, score_before = score, marks = $4, score = $5, fatal = $6, passed = $7 WHERE id = $8`,
				actor.UserID, tx.now.UnixMilli(), hotline.TrimText(cmd.Text), string(raw), o.Score, o.Fatal, o.Passed, id)
			detail = fmt.Sprintf("申诉成立，%d → %d 分", in.Score, o.Score)
		}
	case quality.ActAcknowledge:
		_, err = tx.ExecContext(ctx, `UPDATE inspections SET status = 'acknowledged' WHERE id = $1`, id)
	case quality.ActObject:
		if hotline.Blank(cmd.Text) {
			return nil, hotline.Invalid("text", "请写明申诉理由")
		}
		_, err = tx.ExecContext(ctx, `UPDATE inspections SET status = 'objected', objection = $1, objected_at = $2 WHERE id = $3`,
			hotline.TrimText(cmd.Text), tx.now.UnixMilli(), id)
	}
	if err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, "inspection."+cmd.Action, fmt.Sprintf("inspection:%d", id), detail); err != nil {
		return nil, err
	}
	out, err := scanInspection(tx.QueryRowContext(ctx, `SELECT `+inspectionColumns+inspectionFrom+` WHERE i.id = $1`, id))
	if err != nil {
		return nil, err
	}
	// A failed result that has become final opens its rectification.
	if cmd.Action == quality.ActAcknowledge || cmd.Action == quality.ActDecide {
		if err := rectifyFailed(ctx, tx, q, out); err != nil {
			return nil, err
		}
	}
	return out, tx.Commit()
}

// cardFor is the scorecard an inspection is scored on: the one named, or
// the active card of its target (a call card for a call of its own, a
// ticket card otherwise).
func (q *Quality) cardFor(ctx context.Context, tx *Tx, in *quality.Inspection, id int64) (*quality.Scorecard, error) {
	if err := ensureCards(ctx, tx); err != nil {
		return nil, err
	}
	var row *sql.Row
	if id != 0 {
		row = tx.QueryRowContext(ctx, `SELECT `+cardColumns+` FROM scorecards WHERE id = $1`, id)
	} else {
		target := quality.TargetTicket
		if in.TicketID == 0 {
			target = quality.TargetCall
		}
		row = tx.QueryRowContext(ctx, `SELECT `+cardColumns+` FROM scorecards WHERE active AND target = $1 ORDER BY id DESC LIMIT 1`, target)
	}
	c, err := scanCard(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotline.Invalid("card_id", "没有这张质检评分表")
	}
	return c, err
}

// CardFor returns the scorecard an inspection is (or will be) scored on.
func (q *Quality) CardFor(ctx context.Context, in *quality.Inspection) (*quality.Scorecard, error) {
	tx, err := q.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := q.cardFor(ctx, tx, in, in.CardID)
	if err != nil {
		return nil, err
	}
	return c, tx.Commit()
}

// NextInspection returns the id of the oldest pending task of the
// inspector (or nobody's), 0 when none waits.
func (q *Quality) NextInspection(ctx context.Context, actor hotline.Actor) (int64, error) {
	var id int64
	err := q.db.read.QueryRowContext(ctx, `SELECT id FROM inspections WHERE status = 'pending' AND (inspector_id = $1 OR inspector_id IS NULL)
		ORDER BY due_at, id LIMIT 1`, actor.UserID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}
