package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"hotline"
	"hotline/hotspot"
	"hotline/report"
)

// Warning is an early warning (预测预警) as the centre reads it: nothing
// personal (titles and evidence name categories, places, ticket numbers
// and counts).
type Warning struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	Title     string     `json:"title"`
	Evidence  string     `json:"evidence"`
	TicketIDs []int64    `json:"ticket_ids"`
	Status    string     `json:"status"`
	Note      string     `json:"note"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	HandledAt *time.Time `json:"handled_at,omitempty"`
}

// raised is a warning the job found: inserted once per subject, brought
// up to date while it lasts.
type raised struct {
	kind, subject, title, evidence string
	ticketIDs                      []int64
}

// RaiseWarnings looks for surges (the appeals of a category in a
// district on each of the last days against the 28 days before), new
// hotspots (the last 14 days' clustering) and hard issues, and records
// each new one once; those already raised are brought up to date
// (counts, tickets) while they last. A surge of one category in one
// district is raised at most once a week. It returns how many were new.
// Run by the background job; safe on several instances (one row per
// subject).
func (s *Stats) RaiseWarnings(ctx context.Context, rule hotspot.HardRule, surge hotspot.SurgeRule) (int, error) {
	rule = rule.WithDefaults()
	now := s.db.Now()
	sr, err := s.surgeWarnings(ctx, now, surge)
	if err != nil {
		return 0, err
	}
	hr, err := s.hotspotWarnings(ctx, now, rule)
	if err != nil {
		return 0, err
	}
	hd, err := s.hardIssues(ctx, now, rule)
	if err != nil {
		return 0, err
	}
	return s.raise(ctx, append(append(sr, hr...), hd...))
}

// RaiseSurges is RaiseWarnings for surges only (the demo replays its
// history day by day with it).
func (s *Stats) RaiseSurges(ctx context.Context, surge hotspot.SurgeRule) (int, error) {
	sr, err := s.surgeWarnings(ctx, s.db.Now(), surge)
	if err != nil {
		return 0, err
	}
	return s.raise(ctx, sr)
}

// RaiseHotspots is RaiseWarnings for new hotspots only.
func (s *Stats) RaiseHotspots(ctx context.Context, rule hotspot.HardRule) (int, error) {
	hr, err := s.hotspotWarnings(ctx, s.db.Now(), rule.WithDefaults())
	if err != nil {
		return 0, err
	}
	return s.raise(ctx, hr)
}

// raise records the warnings found; how many were new.
func (s *Stats) raise(ctx context.Context, found []raised) (int, error) {
	created := 0
	for _, w := range found {
		n, err := s.record(ctx, w)
		if err != nil {
			return created, err
		}
		created += n
	}
	return created, nil
}

// record inserts a warning or brings its open row up to date (1 when new).
func (s *Stats) record(ctx context.Context, w raised) (int, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	ids := make([]string, len(w.ticketIDs))
	for i, id := range w.ticketIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	list := strings.Join(ids, ",")
	var id int64
	var was string
	err = tx.QueryRowContext(ctx, `SELECT id, evidence || '|' || ticket_ids FROM early_warnings WHERE subject = $1`, w.subject).Scan(&id, &was)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		res, err := tx.ExecContext(ctx, `INSERT INTO early_warnings (kind, subject, title, evidence, ticket_ids, status, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (subject) DO NOTHING`,
			w.kind, w.subject, w.title, w.evidence, list, hotspot.WarnOpen, tx.now.UnixMilli())
		if err != nil {
			return 0, err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 { // another instance raised it first
			return 0, err
		}
		tx.changed(Change{Warning: true})
		return 1, tx.Commit()
	case err != nil:
		return 0, err
	case was == w.evidence+"|"+list:
		return 0, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE early_warnings SET title = $1, evidence = $2, ticket_ids = $3, updated_at = $4 WHERE id = $5`,
		w.title, w.evidence, list, tx.now.UnixMilli(), id); err != nil {
		return 0, err
	}
	return 0, tx.Commit()
}

// SurgeLookback is how many days, today included, the job looks at for
// surges: a day missed while no instance ran is still raised.
const SurgeLookback = 3

// surgeWarnings raises the surges of the last SurgeLookback days —
// unless one was raised for the same category and district within the
// week before.
func (s *Stats) surgeWarnings(ctx context.Context, now time.Time, rule hotspot.SurgeRule) ([]raised, error) {
	today := report.Day(now)
	found, _, err := s.surges(ctx, today-SurgeLookback+1, today, rule)
	if err != nil {
		return nil, err
	}
	var out []raised
	for _, f := range found {
		prefix := "surge:" + strconv.FormatInt(f.CategoryID, 10) + ":" + strconv.FormatInt(f.DistrictID, 10) + ":"
		subject := prefix + strconv.FormatInt(f.day, 10)
		var recent int
		if err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM early_warnings WHERE subject LIKE $1 AND subject <> $2 AND created_at >= $3`,
			prefix+"%", subject, report.DayStart(f.day-7).UnixMilli()).Scan(&recent); err != nil {
			return nil, err
		}
		if recent > 0 {
			continue
		}
		title, evidence := hotspot.SurgeText(f.Day.Format("01-02"), f.District, f.Category, f.Surge)
		out = append(out, raised{kind: hotspot.WarnSurge, subject: subject, title: title, evidence: evidence, ticketIDs: f.TicketIDs})
	}
	return out, nil
}

// SurgeFound is a surge of a category in a district on a day.
type SurgeFound struct {
	hotspot.Surge
	Day        time.Time `json:"day"`
	CategoryID int64     `json:"category_id"`
	DistrictID int64     `json:"district_id"`
	Category   string    `json:"category"`
	District   string    `json:"district"`
	TicketIDs  []int64   `json:"ticket_ids"`
	day        int64
}

// Surges runs the surge rule on every day from from to to (dates, China
// time; at most a year): what the early warnings would have raised, for
// the rule's false-alarm rate on the deployment's own history. It also
// returns how many category × district series were read (the key-days
// are that times the days).
func (s *Stats) Surges(ctx context.Context, actor hotline.Actor, from, to time.Time, rule hotspot.SurgeRule) ([]SurgeFound, int, error) {
	if err := canSeeStats(actor); err != nil {
		return nil, 0, err
	}
	first, last := report.Day(from), report.Day(to)
	if last < first || last-first > 366 {
		return nil, 0, hotline.Invalid("to", "区间应在一年以内且结束不早于开始")
	}
	return s.surges(ctx, first, last, rule)
}

// surges counts the appeals of each category and district a day over
// the rule's baseline before day first and up to day last, and finds the
// surges of each day from first to last (hotspot.Surges), and the
// number of series read.
func (s *Stats) surges(ctx context.Context, first, last int64, rule hotspot.SurgeRule) ([]SurgeFound, int, error) {
	baseline := int64(rule.Baseline)
	if baseline <= 0 {
		baseline = 28
	}
	start := first - baseline
	days := int(last - start + 1)
	district, unitName, err := s.districts(ctx)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, category_id, COALESCE(location_unit_id, 0), created_at FROM tickets
		WHERE created_at >= $1 AND created_at < $2 AND status <> 'cancelled'`, report.DayStart(start).UnixMilli(), report.DayStart(last+1).UnixMilli())
	if err != nil {
		return nil, 0, err
	}
	series := map[hotspot.SurgeKey][]int{}
	ids := map[hotspot.SurgeKey]map[int][]int64{}
	for rows.Next() {
		var id, cat, place, at int64
		if err := rows.Scan(&id, &cat, &place, &at); err != nil {
			rows.Close()
			return nil, 0, err
		}
		d := int(report.Day(fromMS(at)) - start)
		k := hotspot.SurgeKey{CategoryID: cat, DistrictID: district[place]}
		if d < 0 || d >= days || k.DistrictID == 0 {
			continue
		}
		if series[k] == nil {
			series[k], ids[k] = make([]int, days), map[int][]int64{}
		}
		series[k][d]++
		if d >= int(baseline) {
			ids[k][d] = append(ids[k][d], id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	weekday := make([]int, days)
	for i := range weekday {
		weekday[i] = int(report.DayStart(start + int64(i)).Weekday())
	}
	cats, err := s.categoryPaths(ctx)
	if err != nil {
		return nil, 0, err
	}
	var out []SurgeFound
	for d := int(baseline); d < days; d++ {
		for _, sg := range hotspot.Surges(series, weekday, d, rule) {
			out = append(out, SurgeFound{Surge: sg, Day: report.DayStart(start + int64(d)), CategoryID: sg.Key.CategoryID, DistrictID: sg.Key.DistrictID,
				Category: cats[sg.Key.CategoryID], District: unitName[sg.Key.DistrictID], TicketIDs: ids[sg.Key][d], day: start + int64(d)})
		}
	}
	return out, len(series), nil
}

// hotspotWarnings raises the hotspots of the last 14 days that are new
// (their first appeal within the rule's days), big enough and still
// being added to. A hotspot already warned of (sharing a ticket with a
// hotspot warning of the last 30 days) is brought up to date instead:
// as the window moves its first ticket changes, it is the same hotspot.
func (s *Stats) hotspotWarnings(ctx context.Context, now time.Time, rule hotspot.HardRule) ([]raised, error) {
	today := report.Day(now)
	p, err := report.Custom(report.DayStart(today-13), report.DayStart(today))
	if err != nil {
		return nil, err
	}
	hs, err := s.findHotspots(ctx, p)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT subject, ticket_ids FROM early_warnings WHERE kind = $1 AND created_at >= $2 ORDER BY id`,
		hotspot.WarnHotspot, now.Add(-30*24*time.Hour).UnixMilli())
	if err != nil {
		return nil, err
	}
	warned := map[int64]string{} // ticket → the subject of the hotspot warning holding it
	held := map[string][]int64{} // subject → its tickets
	for rows.Next() {
		var subject, ids string
		if err := rows.Scan(&subject, &ids); err != nil {
			rows.Close()
			return nil, err
		}
		for _, x := range strings.Split(ids, ",") {
			if id, err := strconv.ParseInt(x, 10, 64); err == nil {
				warned[id], held[subject] = subject, append(held[subject], id)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []raised
	fresh := now.Add(-time.Duration(rule.HotspotFresh) * 24 * time.Hour)
	began := now.Add(-time.Duration(rule.HotspotNew) * 24 * time.Hour)
	for _, h := range hs {
		subject := ""
		for _, id := range h.TicketIDs {
			if subject = warned[id]; subject != "" {
				break
			}
		}
		if subject == "" && (len(h.TicketIDs) < rule.HotspotSize || h.LastAt.Before(fresh) || h.FirstAt.Before(began)) {
			continue
		}
		if subject == "" {
			subject = "hotspot:" + strconv.FormatInt(h.ID, 10)
		}
		ids := union(held[subject], h.TicketIDs)
		first, last, days, callers := h.FirstAt, h.LastAt, h.Days, h.Callers
		if len(ids) > len(h.TicketIDs) { // its earlier appeals have left the window: describe them all
			if first, last, days, callers, err = s.spanOf(ctx, ids); err != nil {
				return nil, err
			}
		}
		title, evidence := hotspot.HotspotText(h.Title, h.Place, len(ids), days, callers, h.Heat,
			first.In(hotline.ChinaZone).Format("01-02"), last.In(hotline.ChinaZone).Format("01-02"))
		out = append(out, raised{kind: hotspot.WarnHotspot, subject: subject, title: title, evidence: evidence, ticketIDs: ids})
	}
	return out, nil
}

// spanOf is the first and last acceptance, the distinct days (China
// time) and the distinct callers of the tickets.
func (s *Stats) spanOf(ctx context.Context, ids []int64) (first, last time.Time, days, callers int, err error) {
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10)
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT created_at, requester_phone_key FROM tickets WHERE id IN (`+strings.Join(list, ",")+`)`)
	if err != nil {
		return first, last, 0, 0, err
	}
	defer rows.Close()
	dayset, phones := map[int64]bool{}, map[string]bool{}
	for rows.Next() {
		var at int64
		var key string
		if err := rows.Scan(&at, &key); err != nil {
			return first, last, 0, 0, err
		}
		t := fromMS(at)
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
		dayset[report.Day(t)] = true
		if key != "" {
			phones[key] = true
		}
	}
	return first, last, len(dayset), len(phones), rows.Err()
}

// union is the ids of a and b, each once, in order.
func union(a, b []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range append(append([]int64{}, a...), b...) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// districts maps each unit of a place to its district (区县) and names
// the units.
func (s *Stats) districts(ctx context.Context) (map[int64]int64, map[int64]string, error) {
	units, err := s.db.FindUnits(ctx)
	if err != nil {
		return nil, nil, err
	}
	byID, name := map[int64]*hotline.Unit{}, map[int64]string{}
	for _, u := range units {
		byID[u.ID], name[u.ID] = u, u.Name
	}
	district := map[int64]int64{}
	for _, u := range units {
		for x, hops := u, 0; x != nil && hops < 10; x, hops = byID[x.ParentID], hops+1 {
			if x.Kind == hotline.UnitDistrict {
				district[u.ID] = x.ID
				break
			}
		}
	}
	return district, name, nil
}

// categoryPaths names each category by its path.
func (s *Stats) categoryPaths(ctx context.Context) (map[int64]string, error) {
	cats, err := s.db.FindCategories(ctx)
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, c := range cats {
		out[c.ID] = c.Path
	}
	return out, nil
}
