package web

import (
	"net/http"
	"time"

	"hotline"
	"hotline/sqldb"
)

// callsContent is the call statistics page (话务统计): the period's
// figures, and per agent and per half hour; a call agent sees its own.
type callsContent struct {
	From, To  string // YYYY-MM-DD, as in the form
	Own       bool   // a call agent's own figures
	Stats     *hotline.CallStats
	Agents    []*sqldb.CallGroup
	Intervals []*sqldb.CallGroup
	Days      []*sqldb.CallGroup
	Peak      int // the busiest half hour's offered calls, the bars' full width
}

func (s *Server) handleCallsPage(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	s.show(w, r, http.StatusOK, "calls", "话务统计", func(rf *ref) (any, error) {
		today := s.DB.Now().In(hotline.ChinaZone).Format("2006-01-02")
		c := &callsContent{From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
		if c.From == "" {
			c.From = today
		}
		if c.To == "" {
			c.To = c.From
		}
		from, err := parseWhen("from", c.From, false)
		if err != nil {
			return nil, err
		}
		to, err := parseWhen("to", c.To, true)
		if err != nil {
			return nil, err
		}
		f := sqldb.CallFilter{From: from, To: to}
		if !a.Role.Has(hotline.PermCallStats) {
			f.AgentID, c.Own = a.UserID, true
		}
		if c.Stats, err = s.DB.FindCallStats(r.Context(), a, f); err != nil {
			return nil, err
		}
		if !c.Own {
			groups, err := s.DB.FindCallStatsBy(r.Context(), a, f, sqldb.ByAgent)
			if err != nil {
				return nil, err
			}
			for _, g := range groups {
				if g.Key == "" { // the unanswered calls have no agent
					continue
				}
				if u, err := s.DB.FindUserByUsername(r.Context(), g.Key); err == nil && u.DisplayName != g.Key {
					g.Key = u.DisplayName + "（" + g.Key + "）"
				}
				c.Agents = append(c.Agents, g)
			}
		}
		if c.Intervals, err = s.DB.FindCallStatsBy(r.Context(), a, f, sqldb.ByInterval); err != nil {
			return nil, err
		}
		if to.Sub(from) > 24*time.Hour {
			if c.Days, err = s.DB.FindCallStatsBy(r.Context(), a, f, sqldb.ByDay); err != nil {
				return nil, err
			}
		}
		for _, g := range c.Intervals {
			c.Peak = max(c.Peak, g.Offered)
		}
		return c, nil
	})
}
