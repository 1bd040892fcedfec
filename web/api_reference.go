package web

import (
	"net/http"
	"strconv"

	"hotline"
)

func (s *Server) handleUnits(w http.ResponseWriter, r *http.Request) {
	units, err := s.DB.FindUnits(r.Context())
	s.respond(w, r, http.StatusOK, map[string]any{"items": units}, err)
}

func (s *Server) handleCreateUnit(w http.ResponseWriter, r *http.Request) {
	var u hotline.Unit
	if err := decode(r, &u); err != nil {
		s.error(w, r, err)
		return
	}
	err := s.DB.CreateUnit(r.Context(), actorFrom(r), &u)
	s.respond(w, r, http.StatusCreated, u, err)
}

func (s *Server) handleCategories(w http.ResponseWriter, r *http.Request) {
	cats, err := s.DB.FindCategories(r.Context())
	s.respond(w, r, http.StatusOK, map[string]any{"items": cats}, err)
}

func (s *Server) handleCalendar(w http.ResponseWriter, r *http.Request) {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 2000 || year > 2100 {
		s.error(w, r, hotline.Invalid("year", "年份应为 2000–2100 之间的整数"))
		return
	}
	cal, err := s.DB.Calendar(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	days := cal.Days(year)
	if days == nil {
		days = []hotline.CalendarDay{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": year, "days": days,
		"note": localeOf(r).T("周一至周五为工作日；此处列出法定节假日（holiday）和调休上班日（workday）")})
}

func (s *Server) handleSetCalendarDay(w http.ResponseWriter, r *http.Request) {
	var d hotline.CalendarDay
	if err := decode(r, &d); err != nil {
		s.error(w, r, err)
		return
	}
	d.Day = r.PathValue("day")
	err := s.DB.SetCalendarDay(r.Context(), actorFrom(r), d)
	s.respond(w, r, http.StatusOK, d, err)
}

func (s *Server) handlePolicies(w http.ResponseWriter, r *http.Request) {
	ps, err := s.DB.FindSLAPolicies(r.Context())
	s.respond(w, r, http.StatusOK, map[string]any{"items": ps}, err)
}

func (s *Server) handleSetPolicy(w http.ResponseWriter, r *http.Request) {
	var p hotline.SLAPolicy
	if err := decode(r, &p); err != nil {
		s.error(w, r, err)
		return
	}
	err := s.DB.SetSLAPolicy(r.Context(), actorFrom(r), &p)
	s.respond(w, r, http.StatusOK, p, err)
}

func (s *Server) handleCatalogue(w http.ResponseWriter, r *http.Request) {
	v, err := s.DB.FindCatalogue(r.Context())
	s.respond(w, r, http.StatusOK, v, err)
}

func (s *Server) handlePublishCatalogue(w http.ResponseWriter, r *http.Request) {
	var v hotline.CatalogueVersion
	if err := decode(r, &v); err != nil {
		s.error(w, r, err)
		return
	}
	err := s.DB.PublishCatalogue(r.Context(), actorFrom(r), &v)
	s.respond(w, r, http.StatusCreated, v, err)
}

func (s *Server) handleSuggest(w http.ResponseWriter, r *http.Request) {
	cat, err1 := strconv.ParseInt(r.URL.Query().Get("category_id"), 10, 64)
	if err1 != nil || cat <= 0 {
		s.error(w, r, hotline.Invalid("category_id", "应为正整数"))
		return
	}
	region, _ := strconv.ParseInt(r.URL.Query().Get("region_unit_id"), 10, 64)
	e, err := s.DB.SuggestDispatch(r.Context(), cat, region)
	s.respond(w, r, http.StatusOK, e, err)
}
