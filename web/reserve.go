package web

import (
	"net/http"
	"strconv"

	"hotline"
	"hotline/wfm"
)

// handleReserve is GET /api/v1/reserve: the reserve pool, as reported to
// the centre.
func (s *Server) handleReserve(w http.ResponseWriter, r *http.Request) {
	items, err := s.DB.Workforce().Reserve(r.Context(), actorFrom(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// handleCallUps is GET /api/v1/callups.
func (s *Server) handleCallUps(w http.ResponseWriter, r *http.Request) {
	items, err := s.DB.Workforce().CallUps(r.Context(), actorFrom(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// handleStartCallUp is POST /api/v1/callups {"kind","need","note","warning_id","member_ids"}.
func (s *Server) handleStartCallUp(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Kind      string  `json:"kind"`
		Need      int     `json:"need"`
		Note      string  `json:"note"`
		WarningID int64   `json:"warning_id"`
		MemberIDs []int64 `json:"member_ids"`
	}
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.DB.Workforce().StartCallUp(r.Context(), actorFrom(r), wfm.CallUp{Kind: in.Kind, Need: in.Need, Note: in.Note, WarningID: in.WarningID}, in.MemberIDs)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

// handleRecordCallUp is POST /api/v1/callups/{id}/members/{member} {"arrived":false|true}.
func (s *Server) handleRecordCallUp(w http.ResponseWriter, r *http.Request) {
	id, err1 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	member, err2 := strconv.ParseInt(r.PathValue("member"), 10, 64)
	if err1 != nil || err2 != nil {
		s.error(w, r, hotline.Invalid("id", "调用和人员编号应为数字"))
		return
	}
	var in struct {
		Arrived bool `json:"arrived"`
	}
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.DB.Workforce().RecordCallUp(r.Context(), actorFrom(r), id, member, in.Arrived)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// reserveContent is the reserve page (储备人员).
type reserveContent struct {
	Pool      []wfm.Member
	CallUps   []wfm.CallUp
	KindNames map[string]string
	Manage    bool
	WarningID string // a call-up started from an early warning
	Flash     string
}

func (s *Server) handleReservePage(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	s.show(w, r, http.StatusOK, "staff/reserve", "储备人员", func(rf *ref) (any, error) {
		pool, err := s.DB.Workforce().Reserve(r.Context(), a)
		if err != nil {
			return nil, err
		}
		calls, err := s.DB.Workforce().CallUps(r.Context(), a)
		if err != nil {
			return nil, err
		}
		c := &reserveContent{Pool: pool, CallUps: calls, KindNames: wfm.CallUpKindNames, Manage: a.Role.Has(hotline.PermManageStaff),
			WarningID: r.URL.Query().Get("warning")}
		if r.URL.Query().Get("done") == "1" {
			c.Flash = "已保存。"
		}
		return c, nil
	})
}

// handleCallUpForm starts a call-up from the page; handleCallUpMemberForm
// records a confirmation or an arrival.
func (s *Server) handleCallUpForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	need, _ := strconv.Atoi(r.PostFormValue("need"))
	warning, _ := strconv.ParseInt(r.PostFormValue("warning_id"), 10, 64)
	var members []int64
	for _, v := range r.PostForm["member_ids"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			members = append(members, id)
		}
	}
	if _, err := s.DB.Workforce().StartCallUp(r.Context(), actorFrom(r), wfm.CallUp{Kind: r.PostFormValue("kind"), Need: need, Note: r.PostFormValue("note"), WarningID: warning}, members); err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/reserve?done=1", http.StatusSeeOther)
}

func (s *Server) handleCallUpMemberForm(w http.ResponseWriter, r *http.Request) {
	id, err1 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	member, err2 := strconv.ParseInt(r.PathValue("member"), 10, 64)
	if err1 != nil || err2 != nil {
		s.errorPage(w, r, hotline.Invalid("id", "调用和人员编号应为数字"))
		return
	}
	if _, err := s.DB.Workforce().RecordCallUp(r.Context(), actorFrom(r), id, member, r.PostFormValue("arrived") == "true"); err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/reserve?done=1", http.StatusSeeOther)
}
