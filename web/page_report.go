package web

import (
	"net/http"
	"time"

	"hotline"
	"hotline/report"
)

// reportLine is one period's report on the reports tab.
type reportLine struct {
	Kind, KindName, Key, Label string
	Due                        time.Time
	Standing, StandingName     string
	Version                    int
	Ended                      bool
}

// lineOf is a period's report as the pages list it.
func lineOf(p report.Period, st *report.State, now time.Time) reportLine {
	l := reportLine{Kind: p.Kind, KindName: reportKinds[p.Kind], Key: p.Key(), Label: p.Label(), Due: st.DueAt,
		Standing: st.Standing(now), Ended: p.Ended(now)}
	l.StandingName = reportStandings[l.Standing]
	if v := st.Latest(); v != nil {
		l.Version = v.Version
	}
	return l
}

// reportsContent is the reports tab (运营报告): the recent periods'
// reports with their state.
type reportsContent struct {
	Lines       []reportLine
	Write       bool
	DueWorkdays int
}

// recentReportPeriods are the report periods a list shows: the last
// twelve months, four quarters, two halves and two years, each ended or
// under way, newest first by kind.
func recentReportPeriods(now time.Time) []report.Period {
	var out []report.Period
	for _, k := range []struct {
		kind string
		n    int
	}{{report.PeriodMonth, 12}, {report.PeriodQuarter, 4}, {report.PeriodHalf, 2}, {report.PeriodYear, 2}} {
		p, _ := report.Containing(k.kind, now)
		for i := 0; i < k.n; i++ {
			out = append(out, p)
			p = p.Previous()
		}
	}
	return out
}

func (s *Server) handleReportsPage(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	s.show(w, r, http.StatusOK, "stats/reports", "运营报告", func(rf *ref) (any, error) {
		now := s.DB.Now()
		c := &reportsContent{Write: a.Role.Has(hotline.PermWriteReports), DueWorkdays: s.DB.ReportDueWorkdays}
		if c.DueWorkdays <= 0 {
			c.DueWorkdays = report.DefaultDueWorkdays
		}
		first, err := s.DB.Stats().FirstTicketAt(r.Context())
		if err != nil {
			return nil, err
		}
		for _, p := range recentReportPeriods(now) {
			if !p.To.After(first) {
				continue // before the hotline had tickets
			}
			st, err := s.DB.Stats().ReportState(r.Context(), a, p)
			if err != nil {
				return nil, err
			}
			c.Lines = append(c.Lines, lineOf(p, st, now))
		}
		return c, nil
	})
}

// reportContent is one report's page: its state, the analyst's text and
// the generated figures' headline.
type reportContent struct {
	Line    reportLine
	State   *report.State
	Latest  *report.Version
	Summary report.Figures
	Write   bool
	Flash   string
}

func (s *Server) handleReportPage(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	p, err := reportPeriod(r.PathValue("period"), r.PathValue("key"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	s.show(w, r, http.StatusOK, "stats/report", reportKinds[p.Kind], func(rf *ref) (any, error) {
		now := s.DB.Now()
		st, err := s.DB.Stats().ReportState(r.Context(), a, p)
		if err != nil {
			return nil, err
		}
		sum, err := s.DB.Stats().Summary(r.Context(), a, p)
		if err != nil {
			return nil, err
		}
		c := &reportContent{State: st, Latest: st.Latest(), Summary: sum.Total, Write: a.Role.Has(hotline.PermWriteReports),
			Line: lineOf(p, st, now)}
		switch r.URL.Query().Get("done") {
		case "saved":
			c.Flash = "已保存。"
		case "submitted":
			c.Flash = "已报送中心。"
		}
		return c, nil
	})
}

// handleReportSaveForm and handleReportSubmitForm are the report page's
// two forms.
func (s *Server) handleReportSaveForm(w http.ResponseWriter, r *http.Request) {
	p, err := reportPeriod(r.PathValue("period"), r.PathValue("key"))
	if err == nil {
		_, err = s.DB.Stats().SaveReport(r.Context(), actorFrom(r), p, r.PostFormValue("narrative"))
	}
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/stats/reports/"+p.Kind+"/"+p.Key()+"?done=saved", http.StatusSeeOther)
}

func (s *Server) handleReportSubmitForm(w http.ResponseWriter, r *http.Request) {
	p, err := reportPeriod(r.PathValue("period"), r.PathValue("key"))
	if err == nil {
		_, err = s.DB.Stats().SubmitReport(r.Context(), actorFrom(r), p)
	}
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/stats/reports/"+p.Kind+"/"+p.Key()+"?done=submitted", http.StatusSeeOther)
}

// reportsDue is the home page's reminder: the reports of the periods just
// ended (month, quarter, half, year) not yet submitted, marked overdue
// when one is past its due time.
func (s *Server) reportsDue(r *http.Request, a hotline.Actor) (tab, error) {
	now := s.DB.Now()
	t := tab{Label: "待报送报告", URL: "/stats/reports"}
	first, err := s.DB.Stats().FirstTicketAt(r.Context())
	if err != nil {
		return t, err
	}
	for _, kind := range []string{report.PeriodMonth, report.PeriodQuarter, report.PeriodHalf, report.PeriodYear} {
		p, _ := report.Containing(kind, now)
		if p = p.Previous(); !p.To.After(first) {
			continue
		}
		st, err := s.DB.Stats().ReportState(r.Context(), a, p)
		if err != nil {
			return t, err
		}
		if st.FirstSubmitted() == nil {
			t.Count++
			if t.Class == "" {
				t.Class = "warning"
			}
			if st.Overdue(now) {
				t.Class = "overdue"
			}
		}
	}
	return t, nil
}
