package web

import (
	"net/http"

	"hotline"
	"hotline/sqldb"
	"hotline/wfm"
)

// handleRoster is GET /api/v1/rosters/{month}: {"month","status",
// "shifts":[{"date","name","start","end","staff":[{"username","name","post"}]}],"uncovered":[…]}.
func (s *Server) handleRoster(w http.ResponseWriter, r *http.Request) {
	v, err := s.DB.Workforce().Roster(r.Context(), actorFrom(r), r.PathValue("month"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// handleGenerateRoster is POST /api/v1/rosters/{month}/generate, and
// handlePublishRoster POST …/publish.
func (s *Server) handleGenerateRoster(w http.ResponseWriter, r *http.Request) {
	v, err := s.DB.Workforce().GenerateRoster(r.Context(), actorFrom(r), r.PathValue("month"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, v)
}

func (s *Server) handlePublishRoster(w http.ResponseWriter, r *http.Request) {
	v, err := s.DB.Workforce().PublishRoster(r.Context(), actorFrom(r), r.PathValue("month"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// rosterContent is the roster page (排班): a month's days, each with its
// shifts and who works them.
type rosterContent struct {
	Month     string
	View      *sqldb.RosterView
	Days      []rosterDayRow
	Manage    bool
	PostNames map[string]string
	Missing   bool
}

type rosterDayRow struct {
	Date   string
	Shifts []sqldb.RosterSlot
	Gaps   int
}

func (s *Server) handleRosterPage(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	month := r.URL.Query().Get("month")
	if month == "" {
		month = s.DB.Now().In(hotline.ChinaZone).AddDate(0, 1, 0).Format("2006-01")
	}
	s.show(w, r, http.StatusOK, "staff/rosters", "排班", func(rf *ref) (any, error) {
		c := &rosterContent{Month: month, Manage: a.Role.Has(hotline.PermManageStaff), PostNames: wfm.PostNames}
		v, err := s.DB.Workforce().Roster(r.Context(), a, month)
		if hotline.ErrorCode(err) == hotline.ENotFound {
			c.Missing = true
			return c, nil
		} else if err != nil {
			return nil, err
		}
		c.View = v
		gaps := map[string]int{}
		for _, g := range v.Uncovered {
			gaps[g.Date]++
		}
		for _, sl := range v.Shifts {
			if n := len(c.Days); n == 0 || c.Days[n-1].Date != sl.Date {
				c.Days = append(c.Days, rosterDayRow{Date: sl.Date, Gaps: gaps[sl.Date]})
			}
			c.Days[len(c.Days)-1].Shifts = append(c.Days[len(c.Days)-1].Shifts, sl)
		}
		return c, nil
	})
}

// handleRosterForm generates or publishes from the page.
func (s *Server) handleRosterForm(w http.ResponseWriter, r *http.Request) {
	month := r.PostFormValue("month")
	var err error
	if r.PostFormValue("action") == "publish" {
		_, err = s.DB.Workforce().PublishRoster(r.Context(), actorFrom(r), month)
	} else {
		_, err = s.DB.Workforce().GenerateRoster(r.Context(), actorFrom(r), month)
	}
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/rosters?month="+month, http.StatusSeeOther)
}
