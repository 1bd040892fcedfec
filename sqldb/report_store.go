package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"hotline"
	"hotline/report"
)

// ReportState returns a period's report — its versions and when it is
// due — to those who may see the statistics.
func (s *Stats) ReportState(ctx context.Context, actor hotline.Actor, p report.Period) (*report.State, error) {
	if err := canSeeStats(actor); err != nil {
		return nil, err
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return s.reportState(ctx, tx, p)
}

func (s *Stats) reportState(ctx context.Context, tx *Tx, p report.Period) (*report.State, error) {
	cal, err := tx.calendar(ctx)
	if err != nil {
		return nil, err
	}
	days := s.db.ReportDueWorkdays
	if days <= 0 {
		days = report.DefaultDueWorkdays
	}
	st := &report.State{Period: p, Key: p.Key(), Kind: p.Kind, DueAt: report.DueAt(p, cal, days), Versions: []report.Version{}}
	rows, err := tx.QueryContext(ctx, `SELECT r.version, r.status, r.narrative, COALESCE(c.display_name, ''), r.created_at, r.updated_at,
			COALESCE(b.display_name, ''), r.submitted_at
		FROM ops_reports r LEFT JOIN users c ON c.id = r.created_by LEFT JOIN users b ON b.id = r.submitted_by
		WHERE r.period_kind = $1 AND r.period_key = $2 ORDER BY r.version`, p.Kind, p.Key())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var v report.Version
		var created, updated int64
		if err := rows.Scan(&v.Version, &v.Status, &v.Narrative, &v.CreatedBy, &created, &updated, &v.SubmittedBy, nullTime{&v.SubmittedAt}); err != nil {
			return nil, err
		}
		v.CreatedAt, v.UpdatedAt = fromMS(created), fromMS(updated)
		st.Versions = append(st.Versions, v)
	}
	return st, rows.Err()
}

func canWriteReports(actor hotline.Actor) error {
	if !actor.Role.Has(hotline.PermWriteReports) {
		return hotline.Errorf(hotline.EForbidden, "%s不能撰写或报送运营报告", actor.Role.Label())
	}
	return nil
}

// SaveReport stores the analyst's analysis and suggestions (分析与建议)
// of a period's report: into its draft, or as a new version once the
// last one was submitted.
func (s *Stats) SaveReport(ctx context.Context, actor hotline.Actor, p report.Period, narrative string) (*report.State, error) {
	if err := canWriteReports(actor); err != nil {
		return nil, err
	}
	text, err := report.CheckNarrative(narrative)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	st, err := s.reportState(ctx, tx, p)
	if err != nil {
		return nil, err
	}
	if v := st.Latest(); v != nil && v.Status == report.ReportDraft {
		_, err = tx.ExecContext(ctx, `UPDATE ops_reports SET narrative = $1, updated_at = $2 WHERE period_kind = $3 AND period_key = $4 AND version = $5`,
			text, tx.now.UnixMilli(), p.Kind, p.Key(), v.Version)
	} else {
		_, err = tx.ExecContext(ctx, `INSERT INTO ops_reports (period_kind, period_key, version, narrative, status, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, p.Kind, p.Key(), len(st.Versions)+1, text, report.ReportDraft, nullID(actor.UserID), tx.now.UnixMilli())
	}
	if err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, "report.save", "report:"+p.Kind+":"+p.Key(), ""); err != nil {
		return nil, err
	}
	if st, err = s.reportState(ctx, tx, p); err != nil {
		return nil, err
	}
	return st, tx.Commit()
}

// SubmitReport submits the period's latest draft to the centre (报送),
// once the period is over; its time is kept.
func (s *Stats) SubmitReport(ctx context.Context, actor hotline.Actor, p report.Period) (*report.State, error) {
	if err := canWriteReports(actor); err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if !p.Ended(tx.now) {
		return nil, hotline.Errorf(hotline.EConflict, "%s尚未结束，结束后才能报送", p.Label())
	}
	st, err := s.reportState(ctx, tx, p)
	if err != nil {
		return nil, err
	}
	v := st.Latest()
	if v == nil || v.Status != report.ReportDraft {
		return nil, hotline.Errorf(hotline.EConflict, "没有待报送的草稿：请先撰写分析与建议并保存")
	} else if v.Narrative == "" {
		return nil, hotline.Invalid("narrative", "请先撰写分析与建议")
	}
	res, err := tx.ExecContext(ctx, `UPDATE ops_reports SET status = $1, submitted_by = $2, submitted_at = $3, updated_at = $3
		WHERE period_kind = $4 AND period_key = $5 AND version = $6 AND status = $7`,
		report.ReportSubmitted, nullID(actor.UserID), tx.now.UnixMilli(), p.Kind, p.Key(), v.Version, report.ReportDraft)
	if err != nil {
		return nil, err
	} else if n, _ := res.RowsAffected(); n != 1 {
		return nil, errors.Join(sql.ErrNoRows, fmt.Errorf("report %s v%d changed meanwhile", p.Key(), v.Version))
	}
	if err := appendAudit(ctx, tx, actor, "report.submit", "report:"+p.Kind+":"+p.Key(), fmt.Sprintf("第%d版", v.Version)); err != nil {
		return nil, err
	}
	if st, err = s.reportState(ctx, tx, p); err != nil {
		return nil, err
	}
	return st, tx.Commit()
}

// FirstTicketAt is when the first ticket was accepted (zero with none):
// periods before it have no report to write.
func (s *Stats) FirstTicketAt(ctx context.Context) (time.Time, error) {
	var at sql.NullInt64
	if err := s.db.read.QueryRowContext(ctx, `SELECT MIN(created_at) FROM tickets`).Scan(&at); err != nil || !at.Valid {
		return time.Time{}, err
	}
	return fromMS(at.Int64), nil
}
