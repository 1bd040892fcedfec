package wfm

import "fmt"

// Edits (调整) of a roster by hand — a shift moved, two swapped, a leave
// granted — keep the labour rules; what they leave short is listed again.

// Regap recomputes a roster's uncovered list after an edit: a gap still
// short keeps its reason with the new count, a new shortfall is listed
// with reason, a gap now covered drops out.
func Regap(in RosterInput, r Roster, reason string) []Gap {
	old := map[string]Gap{}
	for _, g := range r.Uncovered {
		old[gapKey(g)] = g
	}
	out := []Gap{}
	keep := func(g Gap) {
		if o, ok := old[gapKey(g)]; ok {
			g.Reason = o.Reason
		}
		out = append(out, g)
	}
	for di, d := range in.Days {
		key := dateKey(d.Date)
		for _, sh := range in.Shifts {
			if !sh.Key {
				continue
			}
			for _, post := range []string{PostTeamLead, PostDispatcher} {
				found := false
				for _, a := range r.Assignments {
					found = found || a.Date == key && a.Shift == sh.Name && a.Post == post
				}
				if !found {
					keep(Gap{Date: key, Slot: -1, Shift: sh.Name, Post: post, Need: 1, Have: 0, Reason: reason})
				}
			}
		}
		g := &gen{in: in, out: r}
		short := g.shortfall(di)
		for s := 0; s < Slots; s++ {
			if short[s] > 0 {
				keep(Gap{Date: key, Slot: s, Post: PostCall, Need: d.Need[s], Have: d.Need[s] - short[s], Reason: reason})
			}
		}
	}
	return out
}

func gapKey(g Gap) string {
	return fmt.Sprintf("%s/%s/%s/%d", g.Date, g.Shift, g.Post, g.Slot)
}
