package web

import (
	"net/http"
	"strconv"

	"hotline/report"
)

// handleStatsSummary is GET /api/v1/stats/summary?from=&to= (or
// period=2026-11 …): the tickets accepted in the period and what became
// of them — exactly the fields, defined in report.Figures.
func (s *Server) handleStatsSummary(w http.ResponseWriter, r *http.Request) {
	p, err := statsPeriod(r.URL.Query(), s.DB.Now())
	if err != nil {
		s.error(w, r, err)
		return
	}
	sum, err := s.DB.Stats().Summary(r.Context(), actorFrom(r), p)
	if err != nil {
		s.error(w, r, err)
		return
	}
	counts := func(m map[string]report.Counts) map[string]int64 {
		out := map[string]int64{}
		for k, c := range m {
			if c.Tickets > 0 {
				out[k] = c.Tickets
			}
		}
		return out
	}
	t := sum.Total
	writeJSON(w, http.StatusOK, map[string]any{"tickets": t.Tickets, "by_channel": counts(sum.ByChannel), "by_kind": counts(sum.ByKind),
		"concluded": t.Concluded, "overdue": t.Overdue, "response_rate": t.ResponseRate, "resolution_rate": t.ResolutionRate,
		"satisfaction_rate": t.SatisfactionRate})
}

// unitFigures is one unit's line of GET /api/v1/stats/units.
type unitFigures struct {
	UnitID     int64   `json:"unit_id"`
	Name       string  `json:"name"`
	Rank       int     `json:"rank,omitempty"`
	ThreeRates float64 `json:"three_rates"`
	report.Figures
}

// handleStatsUnits is GET /api/v1/stats/units?from=&to=: every unit's
// handling figures, ranked by the three rates (report.RankUnits), and the
// centre's own.
func (s *Server) handleStatsUnits(w http.ResponseWriter, r *http.Request) {
	p, err := statsPeriod(r.URL.Query(), s.DB.Now())
	if err != nil {
		s.error(w, r, err)
		return
	}
	units, centre, err := s.DB.Stats().Units(r.Context(), actorFrom(r), p)
	if err != nil {
		s.error(w, r, err)
		return
	}
	line := func(row report.Row, rank int) unitFigures {
		id, _ := strconv.ParseInt(row.Key, 10, 64)
		return unitFigures{UnitID: id, Name: row.Name, Rank: rank, ThreeRates: report.ThreeRates(row.Figures), Figures: row.Figures}
	}
	items := make([]unitFigures, 0, len(units))
	for i, u := range units {
		items = append(items, line(u, i+1))
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": p.From.Format("2006-01-02"), "to": p.To.AddDate(0, 0, -1).Format("2006-01-02"),
		"items": items, "centre": line(centre, 0)})
}
