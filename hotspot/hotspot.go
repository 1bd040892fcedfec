// Package hotspot finds hotspots (热点): clusters of appeals about the
// same place and problem in a period. Two appeals are linked when their
// texts are similar (dedup's weighted character-bigram cosine), they were
// made within Window of each other, they name the same place and
// they are of the same category (each when both name one); a hotspot is a connected group of at least MinSize
// appeals, ranked by its heat (Heat). Candidate pairs come from an index
// of each appeal's most telling bigrams, so a month of 30,000 appeals is
// not compared pair by pair. Pure: no I/O, no clock.
package hotspot

import (
	"math"
	"sort"
	"time"

	"hotline/dedup"
)

// Item is an appeal as the clustering reads it.
type Item struct {
	ID         int64
	Title      string
	Content    string
	PlaceID    int64 // the township or district; 0 when none was given
	CategoryID int64
	At         time.Time
	PhoneKey   string // the caller's blind index: repeat callers
	Urgent     bool   // 紧急 or 特急
	Open       bool   // not yet concluded
	Attention  int    // public attention where the channel has it (likes, co-signatures)
}

// Threshold is the least similarity of a link in a hotspot. Measured on
// a labelled sample of a real message board (hotspot/testdata/labels.tsv,
// docs/benchmarks.md): at 0.25 the pairs linked are 99% right and 78% of
// the pairs of one issue are linked within the 14-day window; at the
// duplicate threshold (dedup.Threshold, 0.35) only 47% are, and at 0.2
// unrelated appeals about one topic (公积金, 普惠幼儿园) start to chain.
const Threshold = 0.25

// Options tune the clustering; the zero value takes the defaults.
type Options struct {
	Threshold float64       // the least weighted similarity of a link (Threshold)
	Window    time.Duration // the longest time between two linked appeals (14 days)
	MinSize   int           // the fewest appeals in a hotspot (3)
	Keys      int           // the telling bigrams indexed per appeal (8)
}

func (o Options) withDefaults() Options {
	if o.Threshold <= 0 {
		o.Threshold = Threshold
	}
	if o.Window <= 0 {
		o.Window = 14 * 24 * time.Hour
	}
	if o.MinSize <= 0 {
		o.MinSize = 3
	}
	if o.Keys <= 0 {
		o.Keys = 8
	}
	return o
}

// Hotspot is a cluster of appeals with its heat.
type Hotspot struct {
	Items      []Item // in time order
	First      time.Time
	Last       time.Time
	Heat       float64
	Days       int // distinct days with an appeal
	Callers    int // distinct callers (with a known number)
	Repeats    int // appeals beyond the first from the same caller
	Urgent     int
	OpenCount  int
	Growth     float64 // (second half − first half) ÷ size, −1 to 1
	PlaceID    int64   // the commonest place
	CategoryID int64   // the commonest category
}

// Heat is the hotspot's heat index: the appeals, weighted up by how fast
// they grow, how many days they span, repeat callers, urgency and public
// attention —
//
//	heat = n × (1 + max(growth, 0)) × (1 + ln(days)) × (1 + repeats/n + urgent/n) + ln(1 + attention)
//
// so that thirty appeals over a week, still rising, outrank thirty on one
// day long past; documented in docs/figures.md.
func heat(h *Hotspot, attention int) float64 {
	n := float64(len(h.Items))
	return n*(1+math.Max(h.Growth, 0))*(1+math.Log(float64(max(h.Days, 1))))*(1+float64(h.Repeats)/n+float64(h.Urgent)/n) +
		math.Log1p(float64(attention))
}

// Cluster groups the items into hotspots, hottest first. The bigram
// weights are those of the items themselves (what is common in the
// period counts less).
func Cluster(items []Item, o Options) []Hotspot {
	o = o.withDefaults()
	sp := newSpace(items, o.Keys)
	cosine, index := sp.cosine, sp.index
	parent := make([]int, len(items))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	seen := map[[2]int]bool{}
	for _, ids := range index {
		if len(ids) > 2000 { // a bigram in everything tells nothing
			continue
		}
		for a := 0; a < len(ids); a++ {
			for b := a + 1; b < len(ids); b++ {
				i, j := ids[a], ids[b]
				if find(i) == find(j) || seen[[2]int{i, j}] {
					continue
				}
				seen[[2]int{i, j}] = true
				x, y := items[i], items[j]
				if d := x.At.Sub(y.At); d > o.Window || -d > o.Window {
					continue
				}
				if x.PlaceID != 0 && y.PlaceID != 0 && x.PlaceID != y.PlaceID ||
					x.CategoryID != 0 && y.CategoryID != 0 && x.CategoryID != y.CategoryID {
					continue
				}
				if cosine(i, j) >= o.Threshold {
					parent[find(i)] = find(j)
				}
			}
		}
	}
	groups := map[int][]int{}
	for i := range items {
		r := find(i)
		groups[r] = append(groups[r], i)
	}
	var out []Hotspot
	for _, g := range groups {
		if len(g) < o.MinSize {
			continue
		}
		out = append(out, describe(items, g))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Heat != out[j].Heat {
			return out[i].Heat > out[j].Heat
		}
		return out[i].Items[0].ID < out[j].Items[0].ID
	})
	return out
}

// describe works out a group's figures and heat.
func describe(items []Item, g []int) Hotspot {
	h := Hotspot{}
	for _, i := range g {
		h.Items = append(h.Items, items[i])
	}
	sort.Slice(h.Items, func(a, b int) bool {
		if !h.Items[a].At.Equal(h.Items[b].At) {
			return h.Items[a].At.Before(h.Items[b].At)
		}
		return h.Items[a].ID < h.Items[b].ID
	})
	h.First, h.Last = h.Items[0].At, h.Items[len(h.Items)-1].At
	days, callers, places, cats := map[string]bool{}, map[string]int{}, map[int64]int{}, map[int64]int{}
	mid := h.First.Add(h.Last.Sub(h.First) / 2)
	attention, early, late := 0, 0, 0
	for _, it := range h.Items {
		days[it.At.Format("2006-01-02")] = true
		if it.PhoneKey != "" {
			callers[it.PhoneKey]++
		}
		if it.PlaceID != 0 {
			places[it.PlaceID]++
		}
		cats[it.CategoryID]++
		if it.Urgent {
			h.Urgent++
		}
		if it.Open {
			h.OpenCount++
		}
		attention += it.Attention
		if it.At.After(mid) {
			late++
		} else {
			early++
		}
	}
	h.Days, h.Callers = len(days), len(callers)
	for _, n := range callers {
		h.Repeats += n - 1
	}
	h.PlaceID, h.CategoryID = commonest(places), commonest(cats)
	if h.Last.After(h.First) {
		h.Growth = float64(late-early) / float64(len(h.Items))
	}
	h.Heat = math.Round(heat(&h, attention)*100) / 100
	return h
}

func commonest(m map[int64]int) int64 {
	var best int64
	n := -1
	for k, c := range m {
		if c > n || c == n && k < best {
			best, n = k, c
		}
	}
	return best
}

// entry is one bigram of a vector: its number and weight.
type entry struct {
	id int32
	w  float64
}

// space is the items' weighted bigram vectors: by bigram number, sorted,
// with their norms, and the index of each item's telling bigrams.
type space struct {
	sparse [][]entry
	norms  []float64
	index  map[int32][]int
}

// newSpace builds the items' vectors: their bigrams (dedup.Of) weighted
// as dedup.Weights weighs them — ln((n+1)/(df+1)) + 1 over the items
// themselves (a test checks it is the same similarity) — for a merge
// instead of map lookups; keys bigrams of each indexed.
func newSpace(items []Item, keys int) *space {
	ids := map[string]int32{}
	sp := &space{sparse: make([][]entry, len(items)), norms: make([]float64, len(items)), index: map[int32][]int{}}
	var df []float64
	for i, it := range items {
		v := dedup.Of(it.Title, it.Content)
		es := make([]entry, 0, len(v))
		for k, x := range v {
			id, ok := ids[k]
			if !ok {
				id = int32(len(ids))
				ids[k] = id
				df = append(df, 0)
			}
			df[id]++
			es = append(es, entry{id, x})
		}
		sp.sparse[i] = es
	}
	n := float64(len(items))
	for i, es := range sp.sparse {
		for j := range es {
			es[j].w *= math.Log((n+1)/(df[es[j].id]+1)) + 1
			sp.norms[i] += es[j].w * es[j].w
		}
		sp.norms[i] = math.Sqrt(sp.norms[i])
		sort.Slice(es, func(a, b int) bool {
			if es[a].w != es[b].w {
				return es[a].w > es[b].w
			}
			return es[a].id < es[b].id
		})
		for _, e := range es[:min(keys, len(es))] {
			sp.index[e.id] = append(sp.index[e.id], i)
		}
		sort.Slice(es, func(a, b int) bool { return es[a].id < es[b].id })
	}
	return sp
}

// cosine is the weighted similarity of items i and j (dedup.Similarity).
func (sp *space) cosine(i, j int) float64 {
	if sp.norms[i] == 0 || sp.norms[j] == 0 {
		return 0
	}
	a, b := sp.sparse[i], sp.sparse[j]
	var dot float64
	for x, y := 0, 0; x < len(a) && y < len(b); {
		switch {
		case a[x].id < b[y].id:
			x++
		case a[x].id > b[y].id:
			y++
		default:
			dot += a[x].w * b[y].w
			x, y = x+1, y+1
		}
	}
	return dot / (sp.norms[i] * sp.norms[j])
}
