package sqldb

import (
	"context"
	"fmt"
	"time"

	"hotline"
	"hotline/report"
)

// The daily call counts (call_stats_daily) hold callFigures per day in
// total, per agent, per queue and per half hour, so that the call figures
// of whole days read a few rows a day instead of every call.

// callDims are the dimensions kept and the key each groups by.
var callDims = []struct{ dim, key string }{
	{"all", "''"},
	{"agent", "agent"},
	{"queue", "queue"},
	{"slot", "CAST(((offered_at + 28800000) % 86400000) / 1800000 AS TEXT)"},
}

// markCallDay marks the day the call was offered on for recounting; call
// it before a change (the day it had) and after (the day it has).
func markCallDay(ctx context.Context, tx *Tx, where string, arg any) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO call_stats_dirty (day) SELECT (offered_at + 28800000) / 86400000 FROM calls WHERE `+where+`
		ON CONFLICT DO NOTHING`, arg)
	return err
}

// RefreshCalls recounts the days whose calls changed since the last
// refresh, each in its own transaction (see refreshDay for the race).
func (s *Stats) RefreshCalls(ctx context.Context) (int, error) {
	days, err := s.dirtyDays(ctx, "call_stats_dirty")
	if err != nil {
		return 0, err
	}
	for i, d := range days {
		tx, err := s.db.begin(ctx)
		if err != nil {
			return i, err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM call_stats_dirty WHERE day = $1`, d)
		if err == nil {
			if n, _ := res.RowsAffected(); n > 0 {
				err = writeCallDays(ctx, tx, d, d+1)
			}
		}
		if err == nil {
			err = tx.Commit()
		}
		tx.Rollback()
		if err != nil {
			return i, fmt.Errorf("recounting the calls of %s: %w", report.DayStart(d).Format("2006-01-02"), err)
		}
	}
	return len(days), nil
}

// writeCallDays replaces the call counts of days [from, to) by a count of
// their calls.
func writeCallDays(ctx context.Context, tx *Tx, from, to int64) error {
	span := []any{report.DayStart(from).UnixMilli(), report.DayStart(to).UnixMilli()}
	for _, d := range callDims {
		if _, err := tx.ExecContext(ctx, `DELETE FROM call_stats_daily WHERE dim = $1 AND day >= $2 AND day < $3`, d.dim, from, to); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO call_stats_daily (dim, day, dim_key, offered, answered, abandoned, short, within15,
				wait_ms, talk_ms, talked, missed, called_back)
			SELECT '`+d.dim+`', (offered_at + 28800000) / 86400000, `+d.key+`, `+callFigures+`
			FROM calls WHERE offered_at >= $1 AND offered_at < $2 GROUP BY 2, 3`, span...); err != nil {
			return err
		}
	}
	return nil
}

// RebuildCalls recounts every day with calls from scratch, a month per
// transaction.
func (s *Stats) RebuildCalls(ctx context.Context) (int64, error) {
	var lo, hi *int64
	if err := s.db.write.QueryRowContext(ctx, `SELECT MIN(offered_at), MAX(offered_at) FROM calls`).Scan(&lo, &hi); err != nil || lo == nil {
		return 0, err
	}
	from, to := report.Day(time.UnixMilli(*lo)), report.Day(time.UnixMilli(*hi))+1
	for d := from; d < to; d += 31 {
		end := min(d+31, to)
		tx, err := s.db.begin(ctx)
		if err != nil {
			return d - from, err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM call_stats_dirty WHERE day >= $1 AND day < $2`, d, end)
		if err == nil {
			err = writeCallDays(ctx, tx, d, end)
		}
		if err == nil {
			err = tx.Commit()
		}
		tx.Rollback()
		if err != nil {
			return d - from, err
		}
	}
	return to - from, nil
}

// wholeDays reports whether [from, to) is a run of whole days, China time,
// and gives their numbers.
func wholeDays(from, to time.Time) (int64, int64, bool) {
	f, t := report.Day(from), report.Day(to)
	return f, t, report.DayStart(f).Equal(from) && report.DayStart(t).Equal(to)
}

// callSums are the sums behind the call figures, which add up across
// days (the figures themselves do not).
type callSums struct{ offered, answered, abandoned, short, within15, wait, talk, talked, missed, calledBack int64 }

func (c *callSums) add(o callSums) {
	c.offered, c.answered, c.abandoned, c.short = c.offered+o.offered, c.answered+o.answered, c.abandoned+o.abandoned, c.short+o.short
	c.within15, c.wait, c.talk, c.talked = c.within15+o.within15, c.wait+o.wait, c.talk+o.talk, c.talked+o.talked
	c.missed, c.calledBack = c.missed+o.missed, c.calledBack+o.calledBack
}

func (c callSums) stats() hotline.CallStats {
	s := hotline.CallStats{Offered: int(c.offered), Answered: int(c.answered), Abandoned: int(c.abandoned), ShortAbandons: int(c.short),
		Missed: int(c.missed), CalledBackInTime: int(c.calledBack)}
	s.Finish(int(c.within15), c.wait, c.talk, int(c.talked))
	return s
}

// rolledCalls sums the daily call counts of one dimension over days
// [from, to) per key (per day with byDay), after recounting the days
// marked since the last refresh; keys in the order the rows came.
func (db *DB) rolledCalls(ctx context.Context, dim string, from, to int64, byDay bool) ([]string, map[string]callSums, error) {
	if _, err := db.Stats().RefreshCalls(ctx); err != nil {
		return nil, nil, err
	}
	group := "dim_key"
	if byDay {
		group = "CAST(day AS TEXT)"
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+group+`, SUM(offered), SUM(answered), SUM(abandoned), SUM(short), SUM(within15),
			SUM(wait_ms), SUM(talk_ms), SUM(talked), SUM(missed), SUM(called_back)
		FROM call_stats_daily WHERE dim = $1 AND day >= $2 AND day < $3 GROUP BY 1 ORDER BY 1`, dim, from, to)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var keys []string
	out := map[string]callSums{}
	for rows.Next() {
		var k string
		var c callSums
		if err := rows.Scan(&k, &c.offered, &c.answered, &c.abandoned, &c.short, &c.within15, &c.wait, &c.talk, &c.talked, &c.missed, &c.calledBack); err != nil {
			return nil, nil, err
		}
		keys, out[k] = append(keys, k), c
	}
	return keys, out, rows.Err()
}

// CheckCalls compares the daily call counts with a count of the calls
// themselves, day by day, and describes each difference.
func (s *Stats) CheckCalls(ctx context.Context) ([]string, error) {
	if _, err := s.RefreshCalls(ctx); err != nil {
		return nil, err
	}
	var diffs []string
	for _, d := range callDims {
		q := func(table string) (map[string]hotline.CallStats, error) {
			var query string
			if table == "calls" {
				query = `SELECT CAST((offered_at + 28800000) / 86400000 AS TEXT) || '/' || ` + d.key + `, ` + callFigures +
					` FROM calls GROUP BY 1`
			} else {
				query = `SELECT CAST(day AS TEXT) || '/' || dim_key, offered, answered, abandoned, short, within15, wait_ms, talk_ms, talked,
					missed, called_back FROM call_stats_daily WHERE dim = '` + d.dim + `'`
			}
			rows, err := s.db.read.QueryContext(ctx, query)
			if err != nil {
				return nil, err
			}
			defer rows.Close()
			out := map[string]hotline.CallStats{}
			for rows.Next() {
				var k string
				var c hotline.CallStats
				if err := scanCallStats(rows, &c, &k); err != nil {
					return nil, err
				}
				out[k] = c
			}
			return out, rows.Err()
		}
		kept, err := q("call_stats_daily")
		if err != nil {
			return diffs, err
		}
		counted, err := q("calls")
		if err != nil {
			return diffs, err
		}
		for k, c := range counted {
			if kept[k] != c {
				diffs = append(diffs, fmt.Sprintf("calls %s %s: kept %+v, counted %+v", d.dim, k, kept[k], c))
			}
			delete(kept, k)
		}
		for k, c := range kept {
			diffs = append(diffs, fmt.Sprintf("calls %s %s: kept %+v, no calls", d.dim, k, c))
		}
	}
	return diffs, nil
}
