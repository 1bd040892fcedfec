package sqldb

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"hotline"
	"hotline/report"
)

// CallFilter selects calls for statistics: offered in [From, To), and
// optionally answered by one agent or in one queue.
type CallFilter struct {
	From, To time.Time
	AgentID  int64
	Queue    string
}

// CallGroup is the figures of one agent, queue, day or half hour.
type CallGroup struct {
	Key string `json:"key"` // username, queue, YYYY-MM-DD or HH:MM (China time)
	hotline.CallStats
}

// callFigures is the one aggregate behind every call figure (and its
// columns' order for scanCallStats).
const callFigures = `COUNT(*),
	COALESCE(SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN outcome IN ('abandoned', 'short_abandon') THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN outcome = 'short_abandon' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN answered_at IS NOT NULL AND wait_ms <= 15000 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN answered_at IS NOT NULL THEN wait_ms ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN outcome = 'answered' THEN talk_ms ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN outcome = 'answered' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN outcome = 'abandoned' AND caller_key <> '' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN outcome = 'abandoned' AND caller_key <> '' AND callback_at <= ended_at + 1800000 THEN 1 ELSE 0 END), 0)`

// scanCallStats reads callFigures (after any leading columns in dest).
func scanCallStats(row interface{ Scan(...any) error }, s *hotline.CallStats, lead ...any) error {
	var within15, talked int64
	var waitMS, talkMS int64
	dest := append(lead, &s.Offered, &s.Answered, &s.Abandoned, &s.ShortAbandons, &within15, &waitMS, &talkMS, &talked,
		&s.Missed, &s.CalledBackInTime)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	s.Finish(int(within15), waitMS, talkMS, int(talked))
	return nil
}

// Groupings of FindCallStatsBy.
const (
	ByAgent    = "agent"
	ByQueue    = "queue"
	ByDay      = "day"
	ByMonth    = "month"    // calendar months, China time
	ByInterval = "interval" // half hours of the day, over every day of the period
)

// monthKey is an SQL expression numbering the calendar months (China
// time) of [from, to) by offered_at, 0 for the first, and the months'
// names.
func monthKey(from, to time.Time) (string, []string) { return monthKeyOf("offered_at", from, to) }

// monthKeyOf is monthKey over another column of milliseconds.
func monthKeyOf(column string, from, to time.Time) (string, []string) {
	local := from.In(hotline.ChinaZone)
	m := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, hotline.ChinaZone)
	var b strings.Builder
	var names []string
	b.WriteString("CASE")
	for i := 0; m.Before(to); i++ {
		names = append(names, m.Format("2006-01"))
		m = m.AddDate(0, 1, 0)
		fmt.Fprintf(&b, " WHEN %s < %d THEN %d", column, m.UnixMilli(), i)
	}
	b.WriteString(" END")
	return b.String(), names
}

// FindCallStatsBy returns the figures of the period per agent, queue, day,
// month or half hour, in key order, to those who may read FindCallStats.
func (db *DB) FindCallStatsBy(ctx context.Context, actor hotline.Actor, f CallFilter, by string) ([]*CallGroup, error) {
	where, args, err := callWhere(actor, f)
	if err != nil {
		return nil, err
	}
	const china = 8 * 3600 * 1000
	key := map[string]string{ByAgent: "agent", ByQueue: "queue",
		ByDay:      fmt.Sprintf("(offered_at + %d) / 86400000", china),
		ByInterval: fmt.Sprintf("((offered_at + %d) %% 86400000) / 1800000", china)}[by]
	var months []string
	if by == ByMonth {
		if f.To.Sub(f.From) > 5*366*24*time.Hour {
			return nil, hotline.Invalid("to", "按月统计的时段不能超过五年")
		}
		key, months = monthKey(f.From, f.To)
	}
	if key == "" {
		return nil, hotline.Invalid("by", "应为 agent、queue、day、month 或 interval")
	}
	if from, to, ok := wholeDays(f.From, f.To); ok && f.AgentID == 0 && f.Queue == "" {
		return db.rolledCallsBy(ctx, by, from, to, months, f.From)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+key+`, `+callFigures+` FROM calls WHERE `+where+` GROUP BY 1 ORDER BY 1`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*CallGroup{}
	for rows.Next() {
		g := &CallGroup{}
		var k any
		if err := scanCallStats(rows, &g.CallStats, &k); err != nil {
			return nil, err
		}
		switch by {
		case ByDay:
			g.Key = time.UnixMilli(asInt(k) * 86400000).UTC().Format("2006-01-02")
		case ByMonth:
			g.Key = months[asInt(k)]
		case ByInterval:
			n := asInt(k)
			g.Key = fmt.Sprintf("%02d:%02d", n/2, n%2*30)
		default:
			g.Key = fmt.Sprint(asString(k))
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func asInt(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case float64:
		return int64(n)
	case []byte:
		var x int64
		fmt.Sscan(string(n), &x)
		return x
	}
	return 0
}

func asString(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return fmt.Sprint(v)
}

// callWhere checks who asks and builds the period's conditions.
func callWhere(actor hotline.Actor, f CallFilter) (string, []any, error) {
	if !actor.Role.Has(hotline.PermCallStats) && !(actor.Role == hotline.RoleCallAgent && f.AgentID == actor.UserID && f.AgentID != 0) {
		return "", nil, hotline.Errorf(hotline.EForbidden, "%s无权查看话务统计", actor.Role.Label())
	}
	if f.From.IsZero() || f.To.IsZero() || !f.To.After(f.From) {
		return "", nil, hotline.Invalid("to", "请给出统计时段：from 早于 to（RFC 3339 或 YYYY-MM-DD）")
	}
	where := []string{"offered_at >= $1", "offered_at < $2"}
	args := []any{f.From.UnixMilli(), f.To.UnixMilli()}
	if f.AgentID != 0 {
		args = append(args, f.AgentID)
		where = append(where, fmt.Sprintf("agent_id = $%d", len(args)))
	}
	if f.Queue != "" {
		args = append(args, f.Queue)
		where = append(where, fmt.Sprintf("queue = $%d", len(args)))
	}
	return strings.Join(where, " AND "), args, nil
}

// FindCallStats returns the call figures of a period (hotline.CallStats)
// to those who may read them: the centre's managers, inspectors, analysts
// and supervisors; a call agent only its own (AgentID = itself).
func (db *DB) FindCallStats(ctx context.Context, actor hotline.Actor, f CallFilter) (*hotline.CallStats, error) {
	where, args, err := callWhere(actor, f)
	if err != nil {
		return nil, err
	}
	if from, to, ok := wholeDays(f.From, f.To); ok && f.AgentID == 0 && f.Queue == "" {
		_, sums, err := db.rolledCalls(ctx, "all", from, to, false)
		if err != nil {
			return nil, err
		}
		s := sums[""].stats()
		return &s, nil
	}
	s := &hotline.CallStats{}
	if err := scanCallStats(db.read.QueryRowContext(ctx, `SELECT `+callFigures+` FROM calls WHERE `+where, args...), s); err != nil {
		return nil, err
	}
	return s, nil
}

// rolledCallsBy is FindCallStatsBy over whole days without an agent or
// queue, from the daily call counts.
func (db *DB) rolledCallsBy(ctx context.Context, by string, from, to int64, months []string, start time.Time) ([]*CallGroup, error) {
	dim := map[string]string{ByAgent: "agent", ByQueue: "queue", ByInterval: "slot", ByDay: "all", ByMonth: "all"}[by]
	keys, sums, err := db.rolledCalls(ctx, dim, from, to, by == ByDay || by == ByMonth)
	if err != nil {
		return nil, err
	}
	out := []*CallGroup{}
	switch by {
	case ByMonth:
		index := map[string]int{}
		for i, m := range months {
			index[m] = i
		}
		folded := make([]callSums, len(months))
		seen := make([]bool, len(months))
		for _, k := range keys {
			d, _ := strconv.ParseInt(k, 10, 64)
			i, ok := index[report.DayStart(d).Format("2006-01")]
			if ok {
				folded[i].add(sums[k])
				seen[i] = true
			}
		}
		for i, m := range months {
			if seen[i] {
				out = append(out, &CallGroup{Key: m, CallStats: folded[i].stats()})
			}
		}
		return out, nil
	case ByInterval:
		slots := make([]int, 0, len(keys))
		for _, k := range keys {
			n, _ := strconv.Atoi(k)
			slots = append(slots, n)
		}
		sort.Ints(slots)
		for _, n := range slots {
			out = append(out, &CallGroup{Key: fmt.Sprintf("%02d:%02d", n/2, n%2*30), CallStats: sums[strconv.Itoa(n)].stats()})
		}
		return out, nil
	}
	for _, k := range keys {
		key := k
		if by == ByDay {
			d, _ := strconv.ParseInt(k, 10, 64)
			key = report.DayStart(d).Format("2006-01-02")
		}
		out = append(out, &CallGroup{Key: key, CallStats: sums[k].stats()})
	}
	if by == ByDay {
		sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	}
	return out, nil
}
