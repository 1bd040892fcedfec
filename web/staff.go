package web

import (
	"net/http"
	"strconv"
	"strings"

	"hotline"
	"hotline/wfm"
)

// handleStaff is GET /api/v1/staff: the team's records, phone and ID
// number masked.
func (s *Server) handleStaff(w http.ResponseWriter, r *http.Request) {
	items, err := s.DB.Workforce().Members(r.Context(), actorFrom(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// handleSaveStaff is POST /api/v1/staff (a new record) and PUT
// /api/v1/staff/{id} (the whole record replaced).
func (s *Server) handleSaveStaff(w http.ResponseWriter, r *http.Request) {
	var m wfm.Member
	if err := decode(r, &m); err != nil {
		s.error(w, r, err)
		return
	}
	status := http.StatusCreated
	m.ID = 0
	if v := r.PathValue("id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.error(w, r, hotline.Invalid("id", "人员档案编号应为数字"))
			return
		}
		m.ID, status = id, http.StatusOK
	}
	out, err := s.DB.Workforce().SaveMember(r.Context(), actorFrom(r), m)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, status, out)
}

// staffContent is the staff page (人员档案).
type staffContent struct {
	Members     []wfm.Member
	Unrecorded  []*hotline.User  // call agents with no record: the gate lets them through
	Agents      []*hotline.User  // accounts a new record can be linked to
	Accounts    map[int64]string // user id → username
	PostNames   map[string]string
	StatusNames map[string]string
	Posts       []string
	Flash       string
}

func (s *Server) handleStaffPage(w http.ResponseWriter, r *http.Request) {
	s.show(w, r, http.StatusOK, "staff/list", "人员档案", func(rf *ref) (any, error) {
		members, err := s.DB.Workforce().Members(r.Context(), actorFrom(r))
		if err != nil {
			return nil, err
		}
		users, err := s.DB.FindUsers(r.Context())
		if err != nil {
			return nil, err
		}
		linked, accounts := map[int64]bool{}, map[int64]string{}
		for _, m := range members {
			linked[m.UserID] = true
		}
		for _, u := range users {
			accounts[u.ID] = u.Username
		}
		c := &staffContent{Members: members, Accounts: accounts, PostNames: wfm.PostNames, StatusNames: wfm.MemberStatusNames,
			Posts: []string{wfm.PostCall, wfm.PostDispatcher, wfm.PostTeamLead, wfm.PostInspector, wfm.PostCallback, wfm.PostSpecialist}}
		for _, u := range users {
			if linked[u.ID] || !u.Active {
				continue
			}
			c.Agents = append(c.Agents, u)
			if u.Role == hotline.RoleCallAgent {
				c.Unrecorded = append(c.Unrecorded, u)
			}
		}
		if r.URL.Query().Get("done") == "1" {
			c.Flash = "已保存。"
		}
		return c, nil
	})
}

// handleStaffForm is the page's form for a new record.
func (s *Server) handleStaffForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	m := wfm.Member{Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone"), IDNumber: r.PostFormValue("id_number"),
		Posts: r.PostForm["posts"], Skills: r.PostFormValue("skills"), Education: r.PostFormValue("education"), Status: wfm.MemberActive,
		HireDate: r.PostFormValue("hire_date"), CertifiedDate: r.PostFormValue("certified_date"),
		ConfidentialityDate: r.PostFormValue("confidentiality_date"), BackgroundCheckDate: r.PostFormValue("background_check_date"),
		Manager: r.PostFormValue("manager") == "true"}
	if v := strings.TrimSpace(r.PostFormValue("user_id")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.errorPage(w, r, hotline.Invalid("user_id", "账号编号应为数字"))
			return
		}
		m.UserID = id
	}
	if _, err := s.DB.Workforce().SaveMember(r.Context(), actorFrom(r), m); err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff?done=1", http.StatusSeeOther)
}
