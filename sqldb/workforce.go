package sqldb

import (
	"context"
	"database/sql"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hotline"
	"hotline/report"
	"hotline/wfm"
)

// Workforce is the store of the workforce figures: the call history the
// forecast reads, the forecast's adjustments.
type Workforce struct{ db *DB }

// Workforce is the store of the workforce figures.
func (db *DB) Workforce() *Workforce { return &Workforce{db: db} }

func canPlan(actor hotline.Actor) error {
	if !actor.Role.Has(hotline.PermCallStats) {
		return hotline.Errorf(hotline.EForbidden, "%s不能查看话务预测", actor.Role.Label())
	}
	return nil
}

// CallHistory is the calls offered in each half hour of the days from
// the first day with calls (at most days back) to yesterday, with each
// day's type from the working calendar; days without calls count zero.
// It reads the daily call counts (call_stats_daily), refreshed first.
func (w *Workforce) CallHistory(ctx context.Context, actor hotline.Actor, days int) ([]wfm.CallDay, error) {
	if err := canPlan(actor); err != nil {
		return nil, err
	}
	if _, err := w.db.Stats().RefreshCalls(ctx); err != nil {
		return nil, err
	}
	cal, err := w.db.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	today := report.Day(w.db.Now())
	rows, err := w.db.read.QueryContext(ctx, `SELECT day, dim_key, offered FROM call_stats_daily WHERE dim = 'slot' AND day >= $1 AND day < $2 ORDER BY day`,
		today-int64(days), today)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byDay := map[int64]*[wfm.Slots]float64{}
	first := today
	for rows.Next() {
		var day, offered int64
		var key string
		if err := rows.Scan(&day, &key, &offered); err != nil {
			return nil, err
		}
		slot, err := strconv.Atoi(key)
		if err != nil || slot < 0 || slot >= wfm.Slots {
			continue
		}
		if byDay[day] == nil {
			byDay[day] = &[wfm.Slots]float64{}
		}
		byDay[day][slot] += float64(offered)
		first = min(first, day)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []wfm.CallDay
	for d := first; d < today; d++ {
		date := report.DayStart(d)
		cd := wfm.CallDay{Date: date, Type: wfm.TypeOf(cal, date)}
		if c := byDay[d]; c != nil {
			cd.Calls = *c
		}
		out = append(out, cd)
	}
	return out, nil
}

// AverageHandle is the mean talk time of the answered calls of the last
// days, in seconds (0 when none).
func (w *Workforce) AverageHandle(ctx context.Context, days int) (float64, error) {
	today := report.Day(w.db.Now())
	var talk, talked sql.NullInt64
	err := w.db.read.QueryRowContext(ctx, `SELECT SUM(talk_ms), SUM(talked) FROM call_stats_daily WHERE dim = 'all' AND day >= $1 AND day < $2`,
		today-int64(days), today).Scan(&talk, &talked)
	if err != nil || !talked.Valid || talked.Int64 == 0 {
		return 0, err
	}
	return float64(talk.Int64) / float64(talked.Int64) / 1000, nil
}

// ForecastAdjustment is an adjustment as stored.
type ForecastAdjustment struct {
	ID        int64     `json:"id"`
	From      string    `json:"from"` // YYYY-MM-DD
	To        string    `json:"to"`
	Factor    float64   `json:"factor"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
}

// Adjustments lists the adjustments ending today or later, by date.
func (w *Workforce) Adjustments(ctx context.Context, actor hotline.Actor) ([]ForecastAdjustment, error) {
	if err := canPlan(actor); err != nil {
		return nil, err
	}
	today := w.db.Now().In(hotline.ChinaZone).Format("2006-01-02")
	rows, err := w.db.read.QueryContext(ctx, `SELECT id, day_from, day_to, factor, note, created_at FROM forecast_adjustments WHERE day_to >= $1 ORDER BY day_from, id`, today)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ForecastAdjustment{}
	for rows.Next() {
		var a ForecastAdjustment
		var at int64
		if err := rows.Scan(&a.ID, &a.From, &a.To, &a.Factor, &a.Note, &at); err != nil {
			return nil, err
		}
		a.CreatedAt = fromMS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AddAdjustment records a known event's factor (0.1–10) for its days
// (at most 92, not ended before today) with a note; audited.
func (w *Workforce) AddAdjustment(ctx context.Context, actor hotline.Actor, a ForecastAdjustment) (*ForecastAdjustment, error) {
	if err := canPlan(actor); err != nil {
		return nil, err
	}
	from, err := time.ParseInLocation("2006-01-02", a.From, hotline.ChinaZone)
	if err != nil {
		return nil, hotline.Invalid("from", "开始日期应为 YYYY-MM-DD")
	}
	to, err := time.ParseInLocation("2006-01-02", a.To, hotline.ChinaZone)
	if err != nil {
		return nil, hotline.Invalid("to", "结束日期应为 YYYY-MM-DD")
	}
	switch today := report.DayStart(report.Day(w.db.Now())); {
	case to.Before(from) || to.Sub(from) > 91*24*time.Hour:
		return nil, hotline.Invalid("to", "结束日期应不早于开始日期，且不超过 92 天")
	case to.Before(today):
		return nil, hotline.Invalid("to", "不能调整已过去的日期")
	case math.IsNaN(a.Factor) || a.Factor < 0.1 || a.Factor > 10:
		return nil, hotline.Invalid("factor", "调整系数应在 0.1 到 10 之间（如 1.3 表示增加 30%%）")
	}
	a.Note = strings.TrimSpace(a.Note)
	if a.Note == "" || utf8.RuneCountInString(a.Note) > 200 {
		return nil, hotline.Invalid("note", "请写明调整原因（不超过200字）")
	}
	tx, err := w.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	a.CreatedAt = tx.now
	if err := tx.QueryRowContext(ctx, `INSERT INTO forecast_adjustments (day_from, day_to, factor, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		a.From, a.To, a.Factor, a.Note, nullID(actor.UserID), tx.now.UnixMilli()).Scan(&a.ID); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, "forecast.adjust", "forecast_adjustment:"+strconv.FormatInt(a.ID, 10), a.From+"~"+a.To+" ×"+strconv.FormatFloat(a.Factor, 'f', -1, 64)); err != nil {
		return nil, err
	}
	return &a, tx.Commit()
}

// RemoveAdjustment deletes an adjustment; audited.
func (w *Workforce) RemoveAdjustment(ctx context.Context, actor hotline.Actor, id int64) error {
	if err := canPlan(actor); err != nil {
		return err
	}
	tx, err := w.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM forecast_adjustments WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hotline.Errorf(hotline.ENotFound, "调整 %d 不存在", id)
	}
	if err := appendAudit(ctx, tx, actor, "forecast.unadjust", "forecast_adjustment:"+strconv.FormatInt(id, 10), ""); err != nil {
		return err
	}
	return tx.Commit()
}

// ForecastView is the forecast of the days ahead with the agents each
// half hour needs, the method's accuracy on held-back weeks of the
// history, and the last four weeks as they were.
type ForecastView struct {
	Days        []ForecastDay        `json:"days"`
	History     []ForecastDay        `json:"history"` // the last 28 days, actual calls
	Accuracy    wfm.Accuracy         `json:"accuracy"`
	HeldWeeks   int                  `json:"held_weeks"`
	HistoryDays int                  `json:"history_days"`
	AHTSeconds  float64              `json:"aht_seconds"`
	Need        wfm.Need             `json:"-"`
	Adjustments []ForecastAdjustment `json:"adjustments"`
}

// ForecastDay is a day's calls by half hour, and (ahead) the agents.
type ForecastDay struct {
	Date      string             `json:"date"`
	Type      wfm.DayType        `json:"type"`
	Calls     float64            `json:"calls"`
	Intervals [wfm.Slots]float64 `json:"intervals"`
	Agents    []int              `json:"agents,omitempty"` // on the phones, per half hour
	Peak      int                `json:"peak_agents,omitempty"`
}

// Forecast forecasts the next days (1–62) from up to two years of call
// history, with the adjustments, and the agents each half hour needs
// for the target (need's calls ignored; AHT = the last 28 days' mean
// talk time + wfm.AfterCallSeconds when need's is 0).
func (w *Workforce) Forecast(ctx context.Context, actor hotline.Actor, days int, need wfm.Need) (*ForecastView, error) {
	if days < 1 || days > 62 {
		return nil, hotline.Invalid("days", "预测天数应在 1 到 62 之间")
	}
	history, err := w.CallHistory(ctx, actor, 730)
	if err != nil {
		return nil, err
	}
	adj, err := w.Adjustments(ctx, actor)
	if err != nil {
		return nil, err
	}
	cal, err := w.db.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	v := &ForecastView{Adjustments: adj, HistoryDays: len(history)}
	if need.AHTSeconds == 0 {
		talk, err := w.AverageHandle(ctx, 28)
		if err != nil {
			return nil, err
		}
		if talk == 0 {
			talk = wfm.DefaultTalkSeconds
		}
		need.AHTSeconds = talk + wfm.AfterCallSeconds
	}
	v.AHTSeconds, v.Need = need.AHTSeconds, need
	var events []wfm.Adjustment
	for _, a := range adj {
		from, _ := time.ParseInLocation("2006-01-02", a.From, hotline.ChinaZone)
		to, _ := time.ParseInLocation("2006-01-02", a.To, hotline.ChinaZone)
		events = append(events, wfm.Adjustment{From: from, To: to, Factor: a.Factor, Note: a.Note})
	}
	today := report.Day(w.db.Now())
	var ahead []wfm.CallDay
	for i := 0; i < days; i++ {
		d := report.DayStart(today + int64(i))
		ahead = append(ahead, wfm.CallDay{Date: d, Type: wfm.TypeOf(cal, d)})
	}
	for _, d := range wfm.Predict(history, ahead, events, wfm.Method{}) {
		fd := dayView(d)
		for _, c := range d.Calls {
			n := need
			n.Calls = c
			a := wfm.Required(n).Agents
			fd.Agents = append(fd.Agents, a)
			fd.Peak = max(fd.Peak, a)
		}
		v.Days = append(v.Days, fd)
	}
	for _, d := range history[max(0, len(history)-28):] {
		v.History = append(v.History, dayView(d))
	}
	v.HeldWeeks = 4
	if len(history) < 12*7 {
		v.HeldWeeks = 2
	}
	v.Accuracy = wfm.Backtest(history, v.HeldWeeks, wfm.Method{})
	return v, nil
}

func dayView(d wfm.CallDay) ForecastDay {
	fd := ForecastDay{Date: d.Date.In(hotline.ChinaZone).Format("2006-01-02"), Type: d.Type, Intervals: d.Calls}
	for _, c := range d.Calls {
		fd.Calls += c
	}
	return fd
}
