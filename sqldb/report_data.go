package sqldb

import (
	"context"
	"strconv"
	"strings"

	"hotline"
	"hotline/hotspot"
	"hotline/report"
)

// ReportIssuer names the hotline on its reports.
const ReportIssuer = "萍乡市12345政务服务便民热线"

// ReportData gathers a period's operations report (report.ReportData) —
// every figure read where the pages read it — for those who may see the
// statistics. The quality figures are those of the period's last month.
func (s *Stats) ReportData(ctx context.Context, actor hotline.Actor, p report.Period) (*report.ReportData, error) {
	if err := canSeeStats(actor); err != nil {
		return nil, err
	}
	d := &report.ReportData{Period: p, Issuer: ReportIssuer}
	totals := map[string]map[string]report.Counts{}
	for _, dim := range []string{report.DimChannel, report.DimKind, report.DimCategory, report.DimLocation} {
		m, err := s.totals(ctx, dim, p)
		if err != nil {
			return nil, err
		}
		totals[dim] = m
	}
	cmp, err := s.Compare(ctx, actor, p)
	if err != nil {
		return nil, err
	}
	d.Now, d.Prev, d.Last, d.HadPrev, d.HadLast = cmp.Now, cmp.Prev, cmp.Last, cmp.HadPrev, cmp.HadLast
	if d.Daily, err = s.Daily(ctx, actor, p); err != nil {
		return nil, err
	}
	if d.PrevDaily, err = s.Daily(ctx, actor, p.Previous()); err != nil {
		return nil, err
	}
	cats, err := s.db.FindCategories(ctx)
	if err != nil {
		return nil, err
	}
	units, err := s.db.FindUnits(ctx)
	if err != nil {
		return nil, err
	}
	catName, catPath, unitName := map[string]string{}, map[string]string{}, map[string]string{"0": "未填写或不属区县"}
	for _, c := range cats {
		catName[strconv.FormatInt(c.ID, 10)], catPath[strconv.FormatInt(c.ID, 10)] = c.Name, c.Path
	}
	for _, u := range units {
		unitName[strconv.FormatInt(u.ID, 10)] = u.Name
	}
	d.Channels = report.Rows(totals[report.DimChannel], func(k string) string { return hotline.Channel(k).Label() })
	d.Kinds = report.Rows(totals[report.DimKind], func(k string) string { return hotline.AppealKind(k).Label() })
	d.Categories = report.Rows(report.CategoryLevel(totals[report.DimCategory], cats, 0), func(k string) string { return catName[k] })
	d.Leaves = report.Rows(totals[report.DimCategory], func(k string) string { return catPath[k] })
	d.Districts = report.Rows(report.Districts(totals[report.DimLocation], units), func(k string) string { return unitName[k] })
	if d.Units, _, err = s.Units(ctx, actor, p); err != nil {
		return nil, err
	}
	if c, err := s.db.FindCallStats(ctx, actor, CallFilter{From: p.From, To: p.To}); err == nil {
		d.Calls = report.CallFigures{Offered: c.Offered, Answered: c.Answered, Abandoned: c.Abandoned, AnswerRate: c.AnswerRate,
			ServiceLevel15s: c.ServiceLevel15s, AvgTalkSeconds: c.AvgTalkSeconds, AvgWaitSeconds: c.AvgWaitSeconds}
	} else if hotline.ErrorCode(err) != hotline.EForbidden {
		return nil, err
	}
	if q, err := s.db.Quality().QualityFigures(ctx, actor, p.To.AddDate(0, 0, -1)); err == nil {
		d.Quality = report.QualityFigures{Scored: q.Team.Scored, AvgScore: q.Team.AvgScore, PassRate: q.Team.PassRate,
			UnsatisfiedCoverage: q.Unsatisfied.Rate, RectOK: q.Rectification.CompletionRate}
	} else if hotline.ErrorCode(err) != hotline.EForbidden {
		return nil, err
	}
	if st, err := s.ReportState(ctx, actor, p); err != nil {
		return nil, err
	} else if v := st.Latest(); v != nil {
		d.Narrative = v.Narrative
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT COALESCE(t.number, ''), COALESCE(t.title, ''), i.typical_case, i.comment, i.score
		FROM inspections i LEFT JOIN tickets t ON t.id = i.ticket_id
		WHERE i.typical_case <> '' AND i.scored_at >= $1 AND i.scored_at < $2 ORDER BY i.scored_at LIMIT 20`, p.From.UnixMilli(), p.To.UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c report.Case
		if err := rows.Scan(&c.Number, &c.Title, &c.Kind, &c.Comment, &c.Score); err != nil {
			return nil, err
		}
		d.Cases = append(d.Cases, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.reportWorkforce(ctx, d, p); err != nil {
		return nil, err
	}
	return d, s.reportWarnings(ctx, d, p)
}

// reportWarnings adds the early warnings raised in the period.
func (s *Stats) reportWarnings(ctx context.Context, d *report.ReportData, p report.Period) error {
	rows, err := s.db.read.QueryContext(ctx, `SELECT kind, title, evidence, ticket_ids, status, created_at FROM early_warnings
		WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at, id`, p.From.UnixMilli(), p.To.UnixMilli())
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var w report.WarningLine
		var ids string
		var at int64
		if err := rows.Scan(&w.Kind, &w.Title, &w.Evidence, &ids, &w.Status, &at); err != nil {
			return err
		}
		w.Status, w.Raised = hotspot.WarnStatusNames[w.Status], fromMS(at).In(hotline.ChinaZone).Format("01-02 15:04")
		if ids != "" {
			w.Tickets = strings.Count(ids, ",") + 1
		}
		d.Warnings = append(d.Warnings, w)
	}
	return rows.Err()
}
