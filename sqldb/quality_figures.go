package sqldb

import (
	"context"
	"fmt"
	"sort"
	"time"

	"hotline"
	"hotline/quality"
)

// QualityFigures computes a month's quality figures (quality.Figures) to
// the quality staff and managers: per agent and for the team, the
// coverage of unsatisfied tickets, the sampled share, live monitoring per
// day, rectification, and the six months' trend.
func (q *Quality) QualityFigures(ctx context.Context, actor hotline.Actor, month time.Time) (*quality.Figures, error) {
	if !(&quality.Inspection{}).CanSee(actor) {
		return nil, hotline.Errorf(hotline.EForbidden, "%s不能查看质检统计", actor.Role.Label())
	}
	local := month.In(hotline.ChinaZone)
	from := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, hotline.ChinaZone)
	to := from.AddDate(0, 1, 0)
	f := &quality.Figures{Month: from.Format("2006-01"), Agents: []quality.AgentFigures{}, Live: []quality.LivePoint{}}
	per := map[string]*quality.AgentFigures{}
	sums := map[string]int{}
	agent := func(name string) *quality.AgentFigures {
		if per[name] == nil {
			per[name] = &quality.AgentFigures{Agent: name}
		}
		return per[name]
	}
	span := []any{from.UnixMilli(), to.UnixMilli()}
	rows, err := q.db.read.QueryContext(ctx, `SELECT COALESCE(u.username, ''), COUNT(*), COALESCE(SUM(i.score), 0),
			COALESCE(SUM(CASE WHEN i.passed THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN i.fatal THEN 1 ELSE 0 END), 0)
		FROM inspections i LEFT JOIN users u ON u.id = i.agent_id WHERE i.scored_at >= $1 AND i.scored_at < $2 GROUP BY 1`, span...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var name string
		var a quality.AgentFigures
		var sum int
		if err := rows.Scan(&name, &a.Scored, &sum, &a.Passed, &a.Fatal); err != nil {
			rows.Close()
			return nil, err
		}
		g := agent(name)
		g.Scored, g.Passed, g.Fatal, sums[name] = a.Scored, a.Passed, a.Fatal, sum
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, part := range []struct {
		query string
		set   func(g *quality.AgentFigures, a, b int)
	}{
		{`SELECT COALESCE(u.username, ''), COALESCE(SUM(CASE WHEN i.reason = 'sampled' THEN 0 ELSE 1 END), 0), COALESCE(SUM(CASE WHEN i.reason = 'sampled' THEN 1 ELSE 0 END), 0)
			FROM inspections i LEFT JOIN users u ON u.id = i.agent_id WHERE i.created_at >= $1 AND i.created_at < $2 GROUP BY 1`,
			func(g *quality.AgentFigures, a, b int) { g.Full, g.Sampled = a, b }},
		{`SELECT COALESCE(u.username, ''), COUNT(*), COALESCE(SUM(CASE WHEN i.upheld THEN 1 ELSE 0 END), 0)
			FROM inspections i LEFT JOIN users u ON u.id = i.agent_id WHERE i.objected_at >= $1 AND i.objected_at < $2 GROUP BY 1`,
			func(g *quality.AgentFigures, a, b int) { g.Objections, g.Upheld = a, b }},
	} {
		rows, err := q.db.read.QueryContext(ctx, part.query, span...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var name string
			var a, b int
			if err := rows.Scan(&name, &a, &b); err != nil {
				rows.Close()
				return nil, err
			}
			part.set(agent(name), a, b)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	urows, err := q.db.read.QueryContext(ctx, `SELECT username, display_name FROM users`)
	if err != nil {
		return nil, err
	}
	for urows.Next() {
		var name, display string
		if err := urows.Scan(&name, &display); err != nil {
			urows.Close()
			return nil, err
		}
		if g := per[name]; g != nil {
			g.Name = display
		}
	}
	urows.Close()
	if err := urows.Err(); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(per))
	for name := range per {
		names = append(names, name)
	}
	sort.Strings(names)
	teamSum := 0
	for _, name := range names {
		g := per[name]
		g.Finish(sums[name])
		f.Agents = append(f.Agents, *g)
		t := &f.Team
		t.Scored, t.Passed, t.Fatal, t.Objections, t.Upheld = t.Scored+g.Scored, t.Passed+g.Passed, t.Fatal+g.Fatal, t.Objections+g.Objections, t.Upheld+g.Upheld
		t.Full, t.Sampled = t.Full+g.Full, t.Sampled+g.Sampled
		teamSum += sums[name]
	}
	f.Team.Finish(teamSum)
	cov, err := q.UnsatisfiedCoverage(ctx, actor, from, to)
	if err != nil {
		return nil, err
	}
	f.Unsatisfied = *cov
	if err := q.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM calls WHERE outcome = 'answered' AND offered_at >= $1 AND offered_at < $2`, span...).Scan(&f.AnsweredCalls); err != nil {
		return nil, err
	}
	if f.AnsweredCalls > 0 {
		f.SampledShare = float64(f.Team.Sampled) / float64(f.AnsweredCalls)
	}
	// Live monitoring: distinct seats per day.
	lrows, err := q.db.read.QueryContext(ctx, `SELECT started_at, agent_id FROM live_monitoring WHERE started_at >= $1 AND started_at < $2`, span...)
	if err != nil {
		return nil, err
	}
	days := map[string]map[int64]bool{}
	for lrows.Next() {
		var at, agentID int64
		if err := lrows.Scan(&at, &agentID); err != nil {
			lrows.Close()
			return nil, err
		}
		day := fromMS(at).In(hotline.ChinaZone).Format("2006-01-02")
		if days[day] == nil {
			days[day] = map[int64]bool{}
		}
		days[day][agentID] = true
	}
	lrows.Close()
	if err := lrows.Err(); err != nil {
		return nil, err
	}
	for d := from; d.Before(to) && !d.After(q.db.Now()); d = d.AddDate(0, 0, 1) {
		p := quality.LivePoint{Date: d.Format("2006-01-02"), Seats: len(days[d.Format("2006-01-02")])}
		if p.Seats >= quality.LiveTarget {
			f.LiveDaysMet++
		}
		f.Live = append(f.Live, p)
	}
	rect, err := q.RectificationFigures(ctx, actor, from, to)
	if err != nil {
		return nil, err
	}
	f.Rectification = *rect
	// The trend: six months to this one, by the scoring's month.
	first := from.AddDate(0, -5, 0)
	key, months := monthKeyOf("scored_at", first, to)
	trows, err := q.db.read.QueryContext(ctx, fmt.Sprintf(`SELECT %s, COUNT(*), COALESCE(SUM(score), 0), COALESCE(SUM(CASE WHEN passed THEN 1 ELSE 0 END), 0)
		FROM inspections WHERE scored_at >= $1 AND scored_at < $2 GROUP BY 1`, key), first.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, err
	}
	trend := make([]quality.MonthPoint, len(months))
	for i, m := range months {
		trend[i].Month = m
	}
	for trows.Next() {
		var k any
		var n, sum, passed int
		if err := trows.Scan(&k, &n, &sum, &passed); err != nil {
			trows.Close()
			return nil, err
		}
		p := &trend[asInt(k)]
		p.Scored = n
		if n > 0 {
			p.AvgScore, p.PassRate = float64(sum)/float64(n), float64(passed)/float64(n)
		}
	}
	trows.Close()
	f.Trend = trend
	return f, trows.Err()
}
