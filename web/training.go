package web

import (
	"net/http"
	"strconv"
	"time"

	"hotline"
	"hotline/wfm"
)

// trainingMonth is the ?month= asked for, this month by default.
func (s *Server) trainingMonth(r *http.Request) string {
	if m := r.URL.Query().Get("month"); m != "" {
		return m
	}
	return s.DB.Now().In(hotline.ChinaZone).Format("2006-01")
}

// handleTraining is GET /api/v1/training?month=YYYY-MM: the month's
// training sessions and staff activities, and what they show.
func (s *Server) handleTraining(w http.ResponseWriter, r *http.Request) {
	items, month, err := s.DB.Workforce().TrainingRecords(r.Context(), actorFrom(r), s.trainingMonth(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "month": month})
}

// handleAddTraining is POST /api/v1/training.
func (s *Server) handleAddTraining(w http.ResponseWriter, r *http.Request) {
	var in wfm.TrainingRecord
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	out, err := s.DB.Workforce().AddTrainingRecord(r.Context(), actorFrom(r), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, out)
}

// trainingContent is the training page (培训与团建).
type trainingContent struct {
	Month     string
	Items     []wfm.TrainingRecord
	Summary   wfm.MonthRecord
	Members   []wfm.Member
	Names     map[int64]string
	KindNames map[string]string
	Kinds     []string
	Prev      string
	Flash     string
}

func (s *Server) handleTrainingPage(w http.ResponseWriter, r *http.Request) {
	s.show(w, r, http.StatusOK, "staff/training", "培训与团建", func(rf *ref) (any, error) {
		month := s.trainingMonth(r)
		items, sum, err := s.DB.Workforce().TrainingRecords(r.Context(), actorFrom(r), month)
		if err != nil {
			return nil, err
		}
		members, err := s.DB.Workforce().Members(r.Context(), actorFrom(r))
		if err != nil {
			return nil, err
		}
		c := &trainingContent{Month: month, Items: items, Summary: sum, Members: members, Names: map[int64]string{}, KindNames: wfm.RecordKindNames,
			Kinds: []string{wfm.TrainingMonthly, wfm.TrainingOnboarding, wfm.TrainingConfidentiality, wfm.ActivityTeamBuilding, wfm.ActivityCompetition, wfm.ActivityCare}}
		for _, m := range members {
			c.Names[m.ID] = m.Name
		}
		if t, err := timeParseMonth(month); err == nil {
			c.Prev = t.AddDate(0, -1, 0).Format("2006-01")
		}
		if r.URL.Query().Get("done") == "1" {
			c.Flash = "已保存。"
		}
		return c, nil
	})
}

// handleTrainingForm records a session or an activity from the page.
func (s *Server) handleTrainingForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	hours, err := strconv.ParseFloat(r.PostFormValue("hours"), 64)
	if err != nil {
		s.errorPage(w, r, hotline.Invalid("hours", "时长应为数字"))
		return
	}
	rec := wfm.TrainingRecord{Kind: r.PostFormValue("kind"), Title: r.PostFormValue("title"), Date: r.PostFormValue("date"), Hours: hours,
		Place: r.PostFormValue("place"), Trainer: r.PostFormValue("trainer"), Notes: r.PostFormValue("notes")}
	for _, v := range r.PostForm["participants"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			rec.Participants = append(rec.Participants, id)
		}
	}
	if _, err := s.DB.Workforce().AddTrainingRecord(r.Context(), actorFrom(r), rec); err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/training?done=1&month="+rec.Date[:7], http.StatusSeeOther)
}

func timeParseMonth(m string) (time.Time, error) {
	return time.ParseInLocation("2006-01", m, hotline.ChinaZone)
}
