package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"hotline"
	"hotline/quality"
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
	Months    []*sqldb.CallGroup
	Queues    []*sqldb.CallGroup
	Peak      int // the busiest half hour's offered calls, the bars' full width
	// The period's calls, one page, of one outcome when Outcome is set.
	Calls       []*hotline.Call
	Outcome     string
	Outcomes    []hotline.CallOutcome
	Total       int
	Page, Pages int
	Prev, Next  string
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
		from, to, err := parsePeriod(c.From, c.To)
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
		if from.In(hotline.ChinaZone).Format("2006-01") != to.Add(-time.Millisecond).In(hotline.ChinaZone).Format("2006-01") {
			if c.Months, err = s.DB.FindCallStatsBy(r.Context(), a, f, sqldb.ByMonth); err != nil {
				return nil, err
			}
		}
		for _, g := range c.Intervals {
			c.Peak = max(c.Peak, g.Offered)
		}
		if !c.Own {
			if c.Queues, err = s.DB.FindCallStatsBy(r.Context(), a, f, sqldb.ByQueue); err != nil {
				return nil, err
			}
		}
		return c, s.callList(r, c, f)
	})
}

// missedContent is the missed-call queue (未接来电回拨).
type missedContent struct {
	Calls       []*hotline.Call
	Total       int
	Page, Pages int
	Prev, Next  string
	Revealed    map[int64]string // numbers shown on this page (audited)
	CSRF        string
	CanReveal   bool
	Results     []hotline.CallbackResult
	WithinMins  int
	Error       string
}

func (s *Server) missedPage(w http.ResponseWriter, r *http.Request, status int, revealed map[int64]string, errMsg string) {
	a := actorFrom(r)
	page, err := parsePage(r.URL.Query(), "page")
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	calls, total, err := s.DB.FindMissedCalls(r.Context(), a, page, 20)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	c := &missedContent{Calls: calls, Total: total, Page: page, Pages: (total + 19) / 20, Revealed: revealed, CSRF: sessionFrom(r).CSRF,
		CanReveal: a.Role.Has(hotline.PermRevealRequester), Results: []hotline.CallbackResult{hotline.CallbackReached, hotline.CallbackNoAnswer, hotline.CallbackNotNeeded},
		WithinMins: int(hotline.MissedCallWithin / time.Minute), Error: errMsg}
	if page > 1 {
		c.Prev = "/calls/missed?page=" + strconv.Itoa(page-1)
	}
	if page < c.Pages {
		c.Next = "/calls/missed?page=" + strconv.Itoa(page+1)
	}
	s.render(w, r, status, "missed", "未接来电回拨", c)
}

func (s *Server) handleMissedPage(w http.ResponseWriter, r *http.Request) {
	s.missedPage(w, r, http.StatusOK, nil, "")
}

// handleMissedReveal shows one missed call's number to dial (audited).
func (s *Server) handleMissedReveal(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.errorPage(w, r, hotline.Errorf(hotline.ENotFound, "通话不存在"))
		return
	}
	phone, err := s.DB.RevealCaller(r.Context(), actorFrom(r), id)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	s.missedPage(w, r, http.StatusOK, map[int64]string{id: phone}, "")
}

// handleMissedCallback records a callback's result.
func (s *Server) handleMissedCallback(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.errorPage(w, r, hotline.Errorf(hotline.ENotFound, "通话不存在"))
		return
	}
	err := s.DB.RecordCallback(r.Context(), actorFrom(r), id, hotline.CallbackResult(r.PostFormValue("result")), r.PostFormValue("note"))
	if code := hotline.ErrorCode(err); code == hotline.EInvalid {
		s.missedPage(w, r, http.StatusBadRequest, nil, localeOf(r).Err(err))
		return
	} else if err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/calls/missed", http.StatusSeeOther)
}

// wallContent is the team lead's live wall of seats (坐席监控); an
// inspector or team lead marks there the seat it listens to (实时监控).
type wallContent struct {
	Seats      []*hotline.Seat
	Queue      *hotline.CallQueue
	Now        time.Time
	CanMonitor bool
	Open       *quality.Monitoring // the viewer's monitoring in progress
	Live       *quality.LiveDay    // today's
	CSRF       string
}

func (s *Server) handleWallPage(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	s.show(w, r, http.StatusOK, "wall", "坐席监控", func(rf *ref) (any, error) {
		seats, q, err := s.DB.FindSeats(r.Context(), a)
		if err != nil {
			return nil, err
		}
		c := &wallContent{Seats: seats, Queue: q, Now: s.DB.Now(), CanMonitor: quality.CanInspect(a), CSRF: sessionFrom(r).CSRF}
		if c.CanMonitor {
			if c.Open, err = s.DB.Quality().OpenMonitoring(r.Context(), a); err != nil {
				return nil, err
			}
			if c.Live, err = s.DB.Quality().LiveMonitoringDay(r.Context(), a, s.DB.Now()); err != nil {
				return nil, err
			}
		}
		return c, nil
	})
}

// handleSeatForm sets the agent's own seat status from the header.
func (s *Server) handleSeatForm(w http.ResponseWriter, r *http.Request) {
	if err := s.DB.SetSeat(r.Context(), actorFrom(r), hotline.SeatStatus(r.PostFormValue("status"))); err != nil {
		s.errorPage(w, r, err)
		return
	}
	next := r.PostFormValue("next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// span says how long since t, as 3分12秒 or 1小时5分.
func span(l *locale, since *time.Time, now time.Time) string {
	if since == nil {
		return ""
	}
	d := max(now.Sub(*since), 0).Round(time.Second)
	if d >= time.Hour {
		return l.Tf("%d小时%d分", int(d.Hours()), int(d.Minutes())%60)
	}
	return l.Tf("%d分%d秒", int(d.Minutes()), int(d.Seconds())%60)
}
