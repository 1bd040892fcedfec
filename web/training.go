package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hotline"
	"hotline/sqldb"
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

// handleTrainingPhotoForm attaches photos to a record from the page
// (multipart, field "file").
func (s *Server) handleTrainingPhotoForm(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.errorPage(w, r, hotline.Errorf(hotline.ENotFound, "培训记录不存在"))
		return
	}
	ups, err := s.readUploads(r)
	if err == nil && len(ups) == 0 {
		err = hotline.Invalid("file", "请选择要上传的照片")
	}
	for _, u := range ups {
		if err != nil {
			break
		}
		_, err = s.DB.Workforce().AddTrainingPhoto(r.Context(), actorFrom(r), id, u.name, u.data)
	}
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/training?done=1&month="+r.PostFormValue("month"), http.StatusSeeOther)
}

// handleTrainingPhoto sends a photo (…/thumbnail: its thumbnail) inline,
// never able to run in the hotline's origin.
func (s *Server) handleTrainingPhoto(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.error(w, r, hotline.Errorf(hotline.ENotFound, "照片不存在"))
		return
	}
	thumb := strings.HasSuffix(r.URL.Path, "/thumbnail")
	p, data, err := s.DB.Workforce().OpenTrainingPhoto(r.Context(), actorFrom(r), id, thumb)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ctype := p.ContentType
	if thumb {
		ctype = "image/jpeg"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="photo"; filename*=UTF-8''%s`, urlPathEscape(p.Name)))
	w.Write(data)
}

// handleAddTrainingPhotos is POST /api/v1/training/{id}/photos
// (multipart, field "file", up to 5 pictures) → 201 {"items":[…]}.
func (s *Server) handleAddTrainingPhotos(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.error(w, r, hotline.Errorf(hotline.ENotFound, "培训记录不存在"))
		return
	}
	ups, err := s.readUploads(r)
	if err == nil && len(ups) == 0 {
		err = hotline.Invalid("file", "请选择要上传的照片")
	}
	var out []*sqldb.TrainingPhoto
	for _, u := range ups {
		if err != nil {
			break
		}
		var p *sqldb.TrainingPhoto
		if p, err = s.DB.Workforce().AddTrainingPhoto(r.Context(), actorFrom(r), id, u.name, u.data); err == nil {
			out = append(out, p)
		}
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"items": out})
}
