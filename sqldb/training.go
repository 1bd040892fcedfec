package sqldb

import (
	"context"
	"strconv"
	"strings"

	"hotline"
	"hotline/wfm"
)

// AddTrainingRecord records a training session or a staff activity held,
// with who took part; audited.
func (w *Workforce) AddTrainingRecord(ctx context.Context, actor hotline.Actor, r wfm.TrainingRecord) (*wfm.TrainingRecord, error) {
	if err := canManageStaff(actor); err != nil {
		return nil, err
	}
	r.Title, r.Place, r.Trainer, r.Notes = strings.TrimSpace(r.Title), strings.TrimSpace(r.Place), strings.TrimSpace(r.Trainer), strings.TrimSpace(r.Notes)
	if err := r.Check(w.db.Now()); err != nil {
		return nil, err
	}
	tx, err := w.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `INSERT INTO training_records (kind, title, day, hours, place, trainer, notes, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, r.Kind, r.Title, r.Date, r.Hours, r.Place, r.Trainer, r.Notes,
		nullID(actor.UserID), tx.now.UnixMilli()).Scan(&r.ID); err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, m := range r.Participants {
		if seen[m] {
			continue
		}
		seen[m] = true
		if err := checkExists(ctx, tx, "staff_members", m, "participants", "人员档案"); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO training_participants (record_id, member_id) VALUES ($1, $2)`, r.ID, m); err != nil {
			return nil, err
		}
	}
	if err := appendAudit(ctx, tx, actor, "training.add", "training:"+strconv.FormatInt(r.ID, 10), r.Kind+" "+r.Date); err != nil {
		return nil, err
	}
	return &r, tx.Commit()
}

// TrainingRecords lists the records of a month (YYYY-MM), by date, and
// what they show for the assessment.
func (w *Workforce) TrainingRecords(ctx context.Context, actor hotline.Actor, month string) ([]wfm.TrainingRecord, wfm.MonthRecord, error) {
	if err := canManageStaff(actor); err != nil {
		return nil, wfm.MonthRecord{}, err
	}
	if len(month) != 7 || month[4] != '-' {
		return nil, wfm.MonthRecord{}, hotline.Invalid("month", "月份应为 YYYY-MM")
	}
	rows, err := w.db.read.QueryContext(ctx, `SELECT r.id, r.kind, r.title, r.day, r.hours, r.place, r.trainer, r.notes, COALESCE(p.member_id, 0)
		FROM training_records r LEFT JOIN training_participants p ON p.record_id = r.id
		WHERE r.day >= $1 AND r.day < $2 ORDER BY r.day, r.id, p.member_id`, month+"-01", month+"-99")
	if err != nil {
		return nil, wfm.MonthRecord{}, err
	}
	defer rows.Close()
	out := []wfm.TrainingRecord{}
	for rows.Next() {
		var r wfm.TrainingRecord
		var member int64
		if err := rows.Scan(&r.ID, &r.Kind, &r.Title, &r.Date, &r.Hours, &r.Place, &r.Trainer, &r.Notes, &member); err != nil {
			return nil, wfm.MonthRecord{}, err
		}
		if n := len(out); n > 0 && out[n-1].ID == r.ID {
			out[n-1].Participants = append(out[n-1].Participants, member)
			continue
		}
		r.Participants = []int64{}
		if member != 0 {
			r.Participants = append(r.Participants, member)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, wfm.MonthRecord{}, err
	}
	if err := w.loadPhotos(ctx, month, out); err != nil {
		return nil, wfm.MonthRecord{}, err
	}
	return out, wfm.SummarizeMonth(month, out), nil
}
