package report

import (
	"sort"
	"strconv"

	"hotline"
)

// Row is the figures of one key of a dimension, named for display.
type Row struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	Figures
}

// Rows turns counts per key into rows named by name (the key itself when
// name gives nothing), the largest first by tickets, then by key.
func Rows(counts map[string]Counts, name func(key string) string) []Row {
	out := make([]Row, 0, len(counts))
	for k, c := range counts {
		n := name(k)
		if n == "" {
			n = k
		}
		out = append(out, Row{Key: k, Name: n, Figures: Finish(c)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Tickets != out[j].Tickets {
			return out[i].Tickets > out[j].Tickets
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// CategoryLevel sums the counts of the categories (keyed by id, as
// stored: the leaf a ticket is filed under) up the tree and returns those
// of the children of parent (0: the first level).
func CategoryLevel(counts map[string]Counts, cats []*hotline.Category, parent int64) map[string]Counts {
	byID := map[int64]*hotline.Category{}
	for _, c := range cats {
		byID[c.ID] = c
	}
	out := map[string]Counts{}
	for k, c := range counts {
		id, _ := strconv.ParseInt(k, 10, 64)
		// Walk up from the filed category to the child of parent.
		for cat := byID[id]; cat != nil; cat = byID[cat.ParentID] {
			if cat.ParentID == parent {
				sum := out[strconv.FormatInt(cat.ID, 10)]
				sum.Add(c)
				out[strconv.FormatInt(cat.ID, 10)] = sum
				break
			}
		}
	}
	return out
}

// Districts sums the counts by place (unit id keys) into the districts and
// counties holding them; places outside any district (or none given) go
// under "0".
func Districts(counts map[string]Counts, units []*hotline.Unit) map[string]Counts {
	byID := map[int64]*hotline.Unit{}
	for _, u := range units {
		byID[u.ID] = u
	}
	out := map[string]Counts{}
	for k, c := range counts {
		id, _ := strconv.ParseInt(k, 10, 64)
		key := "0"
		for u, hops := byID[id], 0; u != nil && hops < 10; u, hops = byID[u.ParentID], hops+1 {
			if u.Kind == hotline.UnitDistrict {
				key = strconv.FormatInt(u.ID, 10)
				break
			}
		}
		sum := out[key]
		sum.Add(c)
		out[key] = sum
	}
	return out
}

// RankUnits orders the units' rows by the three rates' mean (三率综合),
// then by tickets dispatched, and numbers them from 1. Rows with nothing
// dispatched (the centre's own) are left out of the ranking.
func RankUnits(rows []Row) []Row {
	var out []Row
	for _, r := range rows {
		if r.Dispatched > 0 {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := ThreeRates(out[i].Figures), ThreeRates(out[j].Figures)
		if a != b {
			return a > b
		}
		return out[i].Dispatched > out[j].Dispatched
	})
	return out
}

// ThreeRates is the mean of the response, resolution and satisfaction
// rates (三率综合), the units' ranking score.
func ThreeRates(f Figures) float64 {
	return Ratio(int64((f.ResponseRate+f.ResolutionRate+f.SatisfactionRate)*10000+0.5), 30000)
}
