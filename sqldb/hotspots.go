package sqldb

import (
	"context"
	"sort"
	"time"

	"hotline"
	"hotline/hotspot"
	"hotline/report"
)

// MaxHotspotDays bounds the period clustered at once (a quarter).
const MaxHotspotDays = 92

// HotspotView is a hotspot as the pages and the API show it.
type HotspotView struct {
	ID        int64     `json:"id"` // its first ticket's id: stable for the period
	Title     string    `json:"title"`
	Place     string    `json:"place"`
	Category  string    `json:"category"`
	Heat      float64   `json:"heat"`
	FirstAt   time.Time `json:"first_at"`
	LastAt    time.Time `json:"last_at"`
	Days      int       `json:"days"`
	Callers   int       `json:"callers"`
	Repeats   int       `json:"repeat_calls"`
	Urgent    int       `json:"urgent"`
	Open      int       `json:"open"`
	Units     []string  `json:"units"`
	TicketIDs []int64   `json:"ticket_ids"`
	Numbers   []string  `json:"-"`
}

// Hotspots clusters the tickets accepted in p (cancelled ones left out)
// into hotspots (hotspot.Cluster), hottest first, for those who may see
// the statistics. The period is at most MaxHotspotDays.
func (s *Stats) Hotspots(ctx context.Context, actor hotline.Actor, p report.Period) ([]HotspotView, error) {
	if err := canSeeStats(actor); err != nil {
		return nil, err
	}
	if from, to := p.Days(); to-from > MaxHotspotDays {
		return nil, hotline.Invalid("to", "热点分析的区间不超过%d天", MaxHotspotDays)
	}
	return s.findHotspots(ctx, p)
}

// findHotspots clusters the period's tickets, for whoever asked.
func (s *Stats) findHotspots(ctx context.Context, p report.Period) ([]HotspotView, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, number, title, content, COALESCE(location_unit_id, 0), category_id, created_at,
			requester_phone_key, urgency, status, COALESCE(lead_unit_id, 0)
		FROM tickets WHERE created_at >= $1 AND created_at < $2 AND status <> 'cancelled' ORDER BY id`, p.From.UnixMilli(), p.To.UnixMilli())
	if err != nil {
		return nil, err
	}
	var items []hotspot.Item
	numbers, leads := map[int64]string{}, map[int64]int64{}
	for rows.Next() {
		var it hotspot.Item
		var number string
		var created, lead int64
		var urgency hotline.Urgency
		var status hotline.Status
		if err := rows.Scan(&it.ID, &number, &it.Title, &it.Content, &it.PlaceID, &it.CategoryID, &created, &it.PhoneKey, &urgency, &status, &lead); err != nil {
			rows.Close()
			return nil, err
		}
		it.At, it.Urgent, it.Open = fromMS(created), urgency != hotline.Normal, status.Open()
		numbers[it.ID], leads[it.ID] = number, lead
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	units, err := s.db.FindUnits(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := s.db.FindCategories(ctx)
	if err != nil {
		return nil, err
	}
	unitName, catPath := map[int64]string{}, map[int64]string{}
	for _, u := range units {
		unitName[u.ID] = u.Name
	}
	for _, c := range cats {
		catPath[c.ID] = c.Path
	}
	out := []HotspotView{}
	for _, h := range hotspot.Cluster(items, hotspot.Options{}) {
		v := HotspotView{Heat: h.Heat, FirstAt: h.First, LastAt: h.Last, Days: h.Days, Callers: h.Callers, Repeats: h.Repeats,
			Urgent: h.Urgent, Open: h.OpenCount, Place: unitName[h.PlaceID], Category: catPath[h.CategoryID], Units: []string{}}
		titles, seen := map[string]int{}, map[string]bool{}
		v.ID = h.Items[0].ID
		for _, it := range h.Items {
			v.TicketIDs, v.Numbers = append(v.TicketIDs, it.ID), append(v.Numbers, numbers[it.ID])
			v.ID = min(v.ID, it.ID)
			titles[it.Title]++
			if u := unitName[leads[it.ID]]; u != "" && !seen[u] {
				seen[u] = true
				v.Units = append(v.Units, u)
			}
		}
		v.Title = commonestTitle(titles)
		sort.Strings(v.Units)
		out = append(out, v)
	}
	return out, nil
}

// commonestTitle is the title most of a hotspot's appeals bear (the
// shortest on a tie, then the first in order).
func commonestTitle(titles map[string]int) string {
	best, n := "", -1
	for t, c := range titles {
		if c > n || c == n && (len(t) < len(best) || len(t) == len(best) && t < best) {
			best, n = t, c
		}
	}
	return best
}
