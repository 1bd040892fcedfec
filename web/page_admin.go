package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hotline"
)

// require refuses a page to roles without the permission.
func (s *Server) require(p hotline.Permission, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a := actorFrom(r); !a.Role.Has(p) {
			s.errorPage(w, r, hotline.Errorf(hotline.EForbidden, "%s无权访问该页面", a.Role.Label()))
			return
		}
		h(w, r)
	}
}

// saved sends the browser back to a page after a successful change.
func saved(w http.ResponseWriter, r *http.Request, path string) {
	http.Redirect(w, r, path+"saved=1", http.StatusSeeOther)
}

// errText is a form error for display in the visitor's language, with
// the field named.
func errText(r *http.Request, err error) string {
	l := localeOf(r)
	if f := hotline.ErrorField(err); f != "" {
		return l.Err(err) + l.T("（") + f + l.T("）")
	}
	return l.Err(err)
}

type calendarContent struct {
	Year  int
	Years []int
	Days  []hotline.CalendarDay
	Error string
}

func (s *Server) adminCalendar(w http.ResponseWriter, r *http.Request, year int, errMsg string) {
	s.show(w, r, http.StatusOK, "admin_calendar", "工作日历", func(*ref) (any, error) {
		cal, err := s.DB.Calendar(r.Context())
		if err != nil {
			return nil, err
		}
		now := s.DB.Now().In(hotline.ChinaZone).Year()
		return calendarContent{Year: year, Years: []int{now - 1, now, now + 1}, Days: cal.Days(year), Error: errMsg}, nil
	})
}

func (s *Server) handleAdminCalendar(w http.ResponseWriter, r *http.Request) {
	year, err := strconv.Atoi(r.URL.Query().Get("year"))
	if err != nil || year < 2000 || year > 2100 {
		year = s.DB.Now().In(hotline.ChinaZone).Year()
	}
	s.adminCalendar(w, r, year, "")
}

func (s *Server) handleAdminCalendarSave(w http.ResponseWriter, r *http.Request) {
	d := hotline.CalendarDay{Day: r.PostFormValue("day"), Kind: hotline.DayKind(r.PostFormValue("kind")), Name: strings.TrimSpace(r.PostFormValue("name"))}
	if err := s.DB.SetCalendarDay(r.Context(), actorFrom(r), d); err != nil {
		s.adminCalendar(w, r, s.DB.Now().In(hotline.ChinaZone).Year(), errText(r, err))
		return
	}
	saved(w, r, "/admin/calendar?year="+d.Day[:4]+"&")
}

type limitField struct {
	Form  string // the id of the row's form: each field sits in its own cell, under its header
	Name  string
	Limit hotline.Limit
	Units map[string]string
}

var limitUnits = map[string]string{"working_days": "工作日", "working_hours": "工作小时", "calendar_hours": "小时", "calendar_minutes": "分钟"}

type slaContent struct {
	Policies []*hotline.SLAPolicy
	Ref      *ref
	Error    string
}

func (s *Server) adminSLA(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	s.show(w, r, status, "admin_sla", "时限规则", func(rf *ref) (any, error) {
		ps, err := s.DB.FindSLAPolicies(r.Context())
		return slaContent{Policies: ps, Ref: rf, Error: errMsg}, err
	})
}

func (s *Server) handleAdminSLA(w http.ResponseWriter, r *http.Request) {
	s.adminSLA(w, r, http.StatusOK, "")
}

func (s *Server) handleAdminSLASave(w http.ResponseWriter, r *http.Request) {
	p := &hotline.SLAPolicy{AppealKind: hotline.AppealKind(r.PostFormValue("appeal_kind")), Urgency: hotline.Urgency(r.PostFormValue("urgency"))}
	p.CategoryID, _ = strconv.ParseInt(r.PostFormValue("category_id"), 10, 64)
	for _, f := range []struct {
		name string
		dst  *hotline.Limit
	}{{"acknowledge", &p.Acknowledge}, {"reply", &p.Reply}, {"callback", &p.Callback}} {
		f.dst.Value, _ = strconv.Atoi(r.PostFormValue(f.name + "_value"))
		f.dst.Unit = hotline.LimitUnit(r.PostFormValue(f.name + "_unit"))
	}
	p.WarningShare, _ = strconv.ParseFloat(r.PostFormValue("warning_share"), 64)
	if err := s.DB.SetSLAPolicy(r.Context(), actorFrom(r), p); err != nil {
		s.adminSLA(w, r, statusOf[hotline.ErrorCode(err)], localeOf(r).Tf("%s/%s：%s", p.AppealKind.Label(), urgencyNames[p.Urgency], errText(r, err)))
		return
	}
	saved(w, r, "/admin/sla?")
}

var unitKinds = map[string]string{"city": "市", "district": "区县", "township": "乡镇街道", "department": "市直部门", "utility": "公共事业", "company": "企业"}

type unitsContent struct {
	Ref      *ref
	Kinds    map[string]string
	Accounts map[int64]string
	Error    string
}

func (s *Server) adminUnits(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	s.show(w, r, status, "admin_units", "承办单位", func(rf *ref) (any, error) {
		users, err := s.DB.FindUsers(r.Context())
		acc := map[int64]string{}
		for _, u := range users {
			if u.UnitID != 0 {
				acc[u.UnitID] = strings.TrimPrefix(acc[u.UnitID]+" "+u.Username, " ")
			}
		}
		return unitsContent{Ref: rf, Kinds: unitKinds, Accounts: acc, Error: errMsg}, err
	})
}

func (s *Server) handleAdminUnits(w http.ResponseWriter, r *http.Request) {
	s.adminUnits(w, r, http.StatusOK, "")
}

func (s *Server) handleAdminUnitSave(w http.ResponseWriter, r *http.Request) {
	u := &hotline.Unit{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), Kind: hotline.UnitKind(r.PostFormValue("kind"))}
	u.ParentID, _ = strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64)
	if err := s.DB.CreateUnit(r.Context(), actorFrom(r), u); err != nil {
		s.adminUnits(w, r, statusOf[hotline.ErrorCode(err)], errText(r, err))
		return
	}
	saved(w, r, "/admin/units?")
}

type categoriesContent struct {
	Ref   *ref
	Error string
}

func (s *Server) adminCategories(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	s.show(w, r, status, "admin_categories", "诉求分类", func(rf *ref) (any, error) {
		return categoriesContent{Ref: rf, Error: errMsg}, nil
	})
}

func (s *Server) handleAdminCategories(w http.ResponseWriter, r *http.Request) {
	s.adminCategories(w, r, http.StatusOK, "")
}

func (s *Server) handleAdminCategoriesSave(w http.ResponseWriter, r *http.Request) {
	var rows [][]string
	for _, line := range strings.Split(r.PostFormValue("csv"), "\n") {
		if line = strings.TrimSpace(strings.ReplaceAll(line, "，", ",")); line != "" {
			rows = append(rows, strings.Split(line, ","))
		}
	}
	if _, err := s.DB.ImportCategories(r.Context(), actorFrom(r), rows); err != nil {
		s.adminCategories(w, r, statusOf[hotline.ErrorCode(err)], errText(r, err))
		return
	}
	saved(w, r, "/admin/categories?")
}

type catalogueContent struct {
	Version *hotline.CatalogueVersion
	Text    string
	Error   string
}

// catalogueText renders a catalogue as the editable CSV of its page.
func catalogueText(v *hotline.CatalogueVersion, rf *ref, codes map[int64]string) string {
	var b strings.Builder
	for _, e := range v.Entries {
		var co []string
		for _, id := range e.CoUnitIDs {
			co = append(co, codes[id])
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s\n", rf.catPath[e.CategoryID], codes[e.RegionUnitID], codes[e.LeadUnitID], strings.Join(co, " "))
	}
	return b.String()
}

func (s *Server) adminCatalogue(w http.ResponseWriter, r *http.Request, status int, text, errMsg string) {
	s.show(w, r, status, "admin_catalogue", "派单目录", func(rf *ref) (any, error) {
		c := catalogueContent{Text: text, Error: errMsg}
		v, err := s.DB.FindCatalogue(r.Context())
		if hotline.ErrorCode(err) == hotline.ENotFound {
			return c, nil // none published yet
		} else if err != nil {
			return nil, err
		}
		c.Version = v
		if text == "" {
			codes := map[int64]string{}
			for _, u := range rf.Units {
				codes[u.ID] = u.Code
			}
			c.Text = catalogueText(v, rf, codes)
		}
		return c, nil
	})
}

func (s *Server) handleAdminCatalogue(w http.ResponseWriter, r *http.Request) {
	s.adminCatalogue(w, r, http.StatusOK, "", "")
}

func (s *Server) handleAdminCatalogueSave(w http.ResponseWriter, r *http.Request) {
	text := r.PostFormValue("csv")
	rf, ok := s.pageRef(w, r)
	if !ok {
		return
	}
	byCode, byPath := map[string]int64{"": 0}, map[string]int64{}
	for _, u := range rf.Units {
		byCode[u.Code] = u.ID
	}
	for _, c := range rf.Categories {
		byPath[c.Path] = c.ID
	}
	v := &hotline.CatalogueVersion{Note: strings.TrimSpace(r.PostFormValue("note"))}
	for i, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		f := strings.Split(line, ",")
		if len(f) < 3 {
			s.adminCatalogue(w, r, http.StatusBadRequest, text, localeOf(r).Tf("第 %d 行应为：分类路径,区域编码,主办单位编码,协办单位编码", i+1))
			return
		}
		e := hotline.CatalogueEntry{CategoryID: byPath[strings.TrimSpace(f[0])]}
		var ok1, ok2 bool
		e.RegionUnitID, ok1 = byCode[strings.TrimSpace(f[1])]
		e.LeadUnitID, ok2 = byCode[strings.TrimSpace(f[2])]
		if e.CategoryID == 0 || !ok1 || !ok2 || e.LeadUnitID == 0 {
			s.adminCatalogue(w, r, http.StatusBadRequest, text, localeOf(r).Tf("第 %d 行：分类路径或单位编码不存在", i+1))
			return
		}
		if len(f) > 3 {
			for _, code := range strings.Fields(f[3]) {
				id, ok := byCode[code]
				if !ok {
					s.adminCatalogue(w, r, http.StatusBadRequest, text, localeOf(r).Tf("第 %d 行：协办单位编码“%s”不存在", i+1, code))
					return
				}
				e.CoUnitIDs = append(e.CoUnitIDs, id)
			}
		}
		v.Entries = append(v.Entries, e)
	}
	if err := s.DB.PublishCatalogue(r.Context(), actorFrom(r), v); err != nil {
		s.adminCatalogue(w, r, statusOf[hotline.ErrorCode(err)], text, errText(r, err))
		return
	}
	saved(w, r, "/admin/catalogue?")
}

type usersContent struct {
	Users []*hotline.User
	Roles []hotline.Role
	Ref   *ref
	Error string
}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	s.show(w, r, status, "admin_users", "用户与角色", func(rf *ref) (any, error) {
		users, err := s.DB.FindUsers(r.Context())
		return usersContent{Users: users, Roles: hotline.Roles, Ref: rf, Error: errMsg}, err
	})
}

func (s *Server) handleAdminUsers(w http.ResponseWriter, r *http.Request) {
	s.adminUsers(w, r, http.StatusOK, "")
}

func (s *Server) handleAdminUserSave(w http.ResponseWriter, r *http.Request) {
	u := &hotline.User{Username: r.PostFormValue("username"), DisplayName: r.PostFormValue("display_name"), Role: hotline.Role(r.PostFormValue("role"))}
	u.UnitID, _ = strconv.ParseInt(r.PostFormValue("unit_id"), 10, 64)
	if err := s.DB.CreateUser(r.Context(), actorFrom(r), u, r.PostFormValue("password")); err != nil {
		s.adminUsers(w, r, statusOf[hotline.ErrorCode(err)], errText(r, err))
		return
	}
	saved(w, r, "/admin/users?")
}

func (s *Server) handleResolveAlert(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.errorPage(w, r, hotline.Errorf(hotline.ENotFound, "告警不存在或已处理"))
		return
	}
	if err := s.DB.ResolveAlert(r.Context(), actorFrom(r), id); err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// weekday names a YYYY-MM-DD day's weekday in Chinese.
func weekday(day string) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return ""
	}
	return [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[t.Weekday()]
}
