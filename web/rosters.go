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
	Month, Prev, Next string
	View              *sqldb.RosterView
	Days              []rosterDayRow
	Manage            bool
	Approve           bool
	PostNames         map[string]string
	Missing           bool
	MyID              int64
	Mine              []rosterChoice // the actor's own shifts
	Coming            []rosterChoice // those from today on, for the swap and leave form
	People            []rosterPerson // everyone on the roster
	Shifts            []string
	Requests          []sqldb.RosterRequest
	Notices           []sqldb.RosterNotice
	Pending           int
}

// rosterChoice is a shift to choose: its "YYYY-MM-DD|班次" value.
type rosterChoice struct{ Value, Date, Shift, Post, Name string }

// rosterPerson is someone on the roster.
type rosterPerson struct {
	ID   int64
	Name string
}

type rosterDayRow struct {
	Date   string
	Shifts []sqldb.RosterSlot
	Gaps   int
}

func (s *Server) handleRosterPage(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	month, first := monthOrNow(s, r.URL.Query().Get("month"))
	if r.URL.Query().Get("month") == "" && a.Role.Has(hotline.PermManageStaff) {
		month, first = monthOrNow(s, first.AddDate(0, 1, 0).Format("2006-01")) // managers plan next month
	}
	s.show(w, r, http.StatusOK, "staff/rosters", "排班", func(rf *ref) (any, error) {
		c := &rosterContent{Month: month, Prev: first.AddDate(0, -1, 0).Format("2006-01"), Next: first.AddDate(0, 1, 0).Format("2006-01"),
			Manage: a.Role.Has(hotline.PermManageStaff), Approve: a.Role.Has(hotline.PermApproveRoster), PostNames: wfm.PostNames}
		for _, sh := range wfm.DefaultShifts {
			c.Shifts = append(c.Shifts, sh.Name)
		}
		wf := s.DB.Workforce()
		var err error
		if c.MyID, err = wf.MemberID(r.Context(), a); err == nil {
			if c.Notices, err = wf.Notices(r.Context(), a); err != nil {
				return nil, err
			}
		} else if hotline.ErrorCode(err) != hotline.ENotFound {
			return nil, err
		}
		v, err := wf.Roster(r.Context(), a, month)
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
		seen := map[int64]bool{}
		today := s.DB.Now().In(hotline.ChinaZone).Format("2006-01-02")
		for _, sl := range v.Shifts {
			if n := len(c.Days); n == 0 || c.Days[n-1].Date != sl.Date {
				c.Days = append(c.Days, rosterDayRow{Date: sl.Date, Gaps: gaps[sl.Date]})
			}
			c.Days[len(c.Days)-1].Shifts = append(c.Days[len(c.Days)-1].Shifts, sl)
			for _, p := range sl.Staff {
				ch := rosterChoice{Value: sl.Date + "|" + sl.Name, Date: sl.Date, Shift: sl.Name, Post: p.Post, Name: p.Name}
				if p.MemberID == c.MyID {
					c.Mine = append(c.Mine, ch)
					if sl.Date >= today {
						c.Coming = append(c.Coming, ch)
					}
				}
				if !seen[p.MemberID] {
					seen[p.MemberID] = true
					c.People = append(c.People, rosterPerson{ID: p.MemberID, Name: p.Name})
				}
			}
		}
		if c.MyID != 0 || c.Approve {
			if c.Requests, err = wf.RosterRequests(r.Context(), a, month); err != nil {
				return nil, err
			}
			for _, q := range c.Requests {
				if q.Status == "pending" {
					c.Pending++
				}
			}
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
