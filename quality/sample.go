package quality

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"hotline"
)

// DefaultShare is the sampled share of each agent's work per week (抽样
// 比例, 5%).
const DefaultShare = 0.05

// Candidate is a call or ticket that may be drawn, and whose work it is.
// Key and Agent (the platform's call id or the ticket number, the
// username) make the draw the same in any database that holds the same
// calls, whatever their rows' ids.
type Candidate struct {
	ID      int64  `json:"id"` // the call's or ticket's row
	Key     string `json:"key"`
	AgentID int64  `json:"agent_id"`
	Agent   string `json:"agent"`
}

// Draw picks the share of each agent's candidates (rounded, at least one
// of an agent who has any), so that the sample spreads over agents in
// proportion to their work. It is reproducible: the same seed and
// candidates (by Key and Agent) give the same draw, in any input order,
// and an agent's draw does not depend on the other agents' candidates.
func Draw(cands []Candidate, share float64, seed uint64) []Candidate {
	if share <= 0 || len(cands) == 0 {
		return nil
	}
	byAgent := map[int64][]Candidate{}
	for _, c := range cands {
		byAgent[c.AgentID] = append(byAgent[c.AgentID], c)
	}
	agents := make([]int64, 0, len(byAgent))
	for a := range byAgent {
		agents = append(agents, a)
	}
	sort.Slice(agents, func(i, j int) bool { return agents[i] < agents[j] })
	var out []Candidate
	for _, a := range agents {
		own := byAgent[a]
		sort.Slice(own, func(i, j int) bool { return own[i].Key < own[j].Key })
		k := min(len(own), max(1, int(math.Round(share*float64(len(own))))))
		h := fnv.New64a()
		h.Write([]byte(own[0].Agent))
		rng := rand.New(rand.NewPCG(seed, h.Sum64()))
		// A partial Fisher–Yates shuffle: the first k are the draw.
		for i := 0; i < k; i++ {
			j := i + rng.IntN(len(own)-i)
			own[i], own[j] = own[j], own[i]
		}
		picked := append([]Candidate(nil), own[:k]...)
		sort.Slice(picked, func(i, j int) bool { return picked[i].Key < picked[j].Key })
		out = append(out, picked...)
	}
	return out
}

// LastWeek is the week before the one now is in: Monday 00:00 to Monday
// 00:00, China time (the weekly draw's period).
func LastWeek(now time.Time) (time.Time, time.Time) {
	l := now.In(hotline.ChinaZone)
	monday := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, hotline.ChinaZone)
	monday = monday.AddDate(0, 0, -(int(monday.Weekday())+6)%7)
	return monday.AddDate(0, 0, -7), monday
}
