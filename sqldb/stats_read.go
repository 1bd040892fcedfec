package sqldb

import (
	"context"
	"strconv"
	"strings"

	"hotline"
	"hotline/report"
)

// canSeeStats: the centre's analysts, managers, team leads and the
// read-only supervisor.
func canSeeStats(actor hotline.Actor) error {
	if !actor.Role.Has(hotline.PermStats) {
		return hotline.Errorf(hotline.EForbidden, "%s不能查看统计分析", actor.Role.Label())
	}
	return nil
}

var sumColumns = func() string {
	var b strings.Builder
	for i, c := range report.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("COALESCE(SUM(" + c + "), 0)")
	}
	return b.String()
}()

// Totals sums the daily counts of one dimension over p, per key, after
// recounting the days marked since the last refresh.
func (s *Stats) Totals(ctx context.Context, actor hotline.Actor, dim string, p report.Period) (map[string]report.Counts, error) {
	if err := canSeeStats(actor); err != nil {
		return nil, err
	}
	return s.totals(ctx, dim, p)
}

func (s *Stats) totals(ctx context.Context, dim string, p report.Period) (map[string]report.Counts, error) {
	if _, err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	from, to := p.Days()
	rows, err := s.db.read.QueryContext(ctx, `SELECT dim_key, `+sumColumns+` FROM stats_daily
		WHERE dim = $1 AND day >= $2 AND day < $3 GROUP BY dim_key`, dim, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]report.Counts{}
	for rows.Next() {
		var key string
		var c report.Counts
		dest := []any{&key}
		for _, f := range c.Fields() {
			dest = append(dest, f)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out[key] = c
	}
	return out, rows.Err()
}

// Daily is the counts of every day of p (all tickets), day by day; days
// without tickets are zero.
func (s *Stats) Daily(ctx context.Context, actor hotline.Actor, p report.Period) ([]report.Counts, error) {
	if err := canSeeStats(actor); err != nil {
		return nil, err
	}
	if _, err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	from, to := p.Days()
	rows, err := s.db.read.QueryContext(ctx, `SELECT day, `+sumColumns+` FROM stats_daily
		WHERE dim = 'all' AND day >= $1 AND day < $2 GROUP BY day`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]report.Counts, to-from)
	for rows.Next() {
		var day int64
		var c report.Counts
		dest := []any{&day}
		for _, f := range c.Fields() {
			dest = append(dest, f)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if day >= from && day < to {
			out[day-from] = c
		}
	}
	return out, rows.Err()
}

// Recount counts one dimension over p from the tickets themselves, not
// the daily counts: `hotline stats check` and the tests compare the two.
func (s *Stats) Recount(ctx context.Context, dim string, p report.Period) (map[string]report.Counts, error) {
	from, to := p.Days()
	sums, err := countTickets(ctx, s.db.read, from, to)
	if err != nil {
		return nil, err
	}
	out := map[string]report.Counts{}
	for k, c := range sums {
		if k.dim == dim {
			sum := out[k.key]
			sum.Add(*c)
			out[k.key] = sum
		}
	}
	return out, nil
}

// Summary is a period's ticket figures, in total and by channel and
// appeal kind (GET /api/v1/stats/summary).
type Summary struct {
	Period    report.Period
	Total     report.Figures
	ByChannel map[string]report.Counts
	ByKind    map[string]report.Counts
}

// Summary returns the period's figures to those who may see statistics.
func (s *Stats) Summary(ctx context.Context, actor hotline.Actor, p report.Period) (*Summary, error) {
	if err := canSeeStats(actor); err != nil {
		return nil, err
	}
	out := &Summary{Period: p}
	for _, part := range []struct {
		dim string
		set func(map[string]report.Counts)
	}{
		{report.DimAll, func(m map[string]report.Counts) { out.Total = report.Finish(m[""]) }},
		{report.DimChannel, func(m map[string]report.Counts) { out.ByChannel = m }},
		{report.DimKind, func(m map[string]report.Counts) { out.ByKind = m }},
	} {
		m, err := s.totals(ctx, part.dim, p)
		if err != nil {
			return nil, err
		}
		part.set(m)
	}
	return out, nil
}

// Units returns the figures of every unit that held a ticket of the
// period (GET /api/v1/stats/units), ranked (report.RankUnits); the
// centre's own counts (key 0) are the second result.
func (s *Stats) Units(ctx context.Context, actor hotline.Actor, p report.Period) ([]report.Row, report.Row, error) {
	if err := canSeeStats(actor); err != nil {
		return nil, report.Row{}, err
	}
	m, err := s.totals(ctx, report.DimUnit, p)
	if err != nil {
		return nil, report.Row{}, err
	}
	units, err := s.db.FindUnits(ctx)
	if err != nil {
		return nil, report.Row{}, err
	}
	names := map[string]string{"0": "热线中心"}
	for _, u := range units {
		names[strconv.FormatInt(u.ID, 10)] = u.Name
	}
	centre := report.Row{Key: "0", Name: names["0"], Figures: report.Finish(m["0"])}
	delete(m, "0")
	return report.RankUnits(report.Rows(m, func(k string) string { return names[k] })), centre, nil
}

// Compared is a period's ticket figures with those of the period before
// (环比) and the same period a year earlier (同比); had… report whether
// those had any tickets to compare with.
type Compared struct {
	Now, Prev, Last  report.Figures
	HadPrev, HadLast bool
}

// Compare reads the three periods' figures.
func (s *Stats) Compare(ctx context.Context, actor hotline.Actor, p report.Period) (Compared, error) {
	var c Compared
	if err := canSeeStats(actor); err != nil {
		return c, err
	}
	for i, q := range []report.Period{p, p.Previous(), p.LastYear()} {
		m, err := s.totals(ctx, report.DimAll, q)
		if err != nil {
			return c, err
		}
		f := report.Finish(m[""])
		switch i {
		case 0:
			c.Now = f
		case 1:
			c.Prev, c.HadPrev = f, f.Tickets > 0
		case 2:
			c.Last, c.HadLast = f, f.Tickets > 0
		}
	}
	return c, nil
}

// CanSee reports (as an error) whether the actor may see the statistics.
func (s *Stats) CanSee(actor hotline.Actor) error { return canSeeStats(actor) }
