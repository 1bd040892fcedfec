package sqldb

import (
	"context"
	"time"

	"hotline"
	"hotline/report"
	"hotline/wfm"
)

// reportWorkforce adds the period's staffing (人员保障) to a report: the
// attendance ledger's lines by status and the coverage gaps of each of
// its months, the training and team activities held, and the reserve
// call-ups started with how they went.
func (s *Stats) reportWorkforce(ctx context.Context, d *report.ReportData, p report.Period) error {
	w := s.db.Workforce()
	f := &d.Workforce
	end := p.To
	if now := s.db.Now(); now.Before(end) {
		end = now
	}
	for m := p.From.In(hotline.ChinaZone); m.Before(end); m = m.AddDate(0, 1, 0) {
		first := time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, hotline.ChinaZone)
		v, err := w.attendance(ctx, first.Format("2006-01"), first, 0)
		if err != nil {
			return err
		}
		f.Shifts += len(v.Records) - v.Totals[wfm.AttendUnrostered]
		f.Late += v.Totals[wfm.AttendLate] + v.Totals[wfm.AttendLateEarly]
		f.Early += v.Totals[wfm.AttendEarly] + v.Totals[wfm.AttendLateEarly]
		f.Absent += v.Totals[wfm.AttendAbsent]
		f.GapHours += len(v.Gaps)
	}
	day := func(t time.Time) string { return t.In(hotline.ChinaZone).Format("2006-01-02") }
	rows, err := s.db.read.QueryContext(ctx, `SELECT kind, COUNT(*) FROM training_records WHERE day >= $1 AND day < $2 GROUP BY kind`, day(p.From), day(p.To))
	if err != nil {
		return err
	}
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			rows.Close()
			return err
		}
		switch kind {
		case wfm.TrainingMonthly, wfm.TrainingOnboarding, wfm.TrainingConfidentiality:
			f.Training += n
		default:
			f.Activities += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.db.read.QueryContext(ctx, `SELECT id FROM call_ups WHERE requested_at >= $1 AND requested_at < $2 ORDER BY id`, p.From.UnixMilli(), p.To.UnixMilli())
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		c, err := w.callUp(ctx, id)
		if err != nil {
			return err
		}
		f.CallUps++
		if c.Outcome.Met {
			f.CallUpsMet++
		} else if c.Outcome.Late {
			f.CallUpsLate++
		}
	}
	return nil
}
