package web

import (
	"net/http"
	"net/url"
	"strconv"

	"hotline"
	"hotline/hotspot"
	"hotline/sqldb"
)

// handleWarnings is GET /api/v1/warnings?status=: the early warnings
// (surges, new hotspots, hard issues), newest first, with their evidence.
func (s *Server) handleWarnings(w http.ResponseWriter, r *http.Request) {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	items, err := s.DB.Stats().Warnings(r.Context(), actorFrom(r), sqldb.WarningFilter{Status: r.URL.Query().Get("status"), Kind: r.URL.Query().Get("kind"), Limit: limit})
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// handleWarningUpdate is POST /api/v1/warnings/{id} {"status","note"}:
// acknowledged, or closed with a note of what was done.
func (s *Server) handleWarningUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.error(w, r, hotline.Invalid("id", "预警编号应为数字"))
		return
	}
	var in struct {
		Status string `json:"status"`
		Note   string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	out, err := s.DB.Stats().HandleWarning(r.Context(), actorFrom(r), id, in.Status, in.Note)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// warningsContent is the early-warning page (预警): one state's
// warnings, and whether the viewer may handle them.
type warningsContent struct {
	Status      string
	BackStatus  string // the list's state ("all" for every state) and kind, to come back to after a form
	Kind        string
	Kinds       []tab
	KindNames   map[string]string
	StatusNames map[string]string
	Tabs        []tab
	Items       []sqldb.Warning
	Handle      bool
	Flash       string
}

func (s *Server) handleWarningsPage(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	q := r.URL.Query()
	status, kind := q.Get("status"), q.Get("kind")
	if status == "" {
		status = hotspot.WarnOpen
	} else if status == "all" {
		status = ""
	}
	s.show(w, r, http.StatusOK, "stats/warnings", "预警", func(rf *ref) (any, error) {
		items, err := s.DB.Stats().Warnings(r.Context(), a, sqldb.WarningFilter{Status: status, Kind: kind, Limit: 200})
		if err != nil {
			return nil, err
		}
		counts, err := s.DB.Stats().WarningCounts(r.Context(), a, status)
		if err != nil {
			return nil, err
		}
		c := &warningsContent{Status: status, Items: items, Handle: a.Role.Has(hotline.PermHandleWarnings), KindNames: hotspot.WarnKindNames,
			StatusNames: hotspot.WarnStatusNames}
		back := status
		if back == "" {
			back = "all"
		}
		for _, st := range append(append([]string{}, hotspot.WarnStatuses...), "all") {
			name := hotspot.WarnStatusNames[st]
			if st == "all" {
				name = "全部"
			}
			c.Tabs = append(c.Tabs, tab{Label: name, URL: "/stats/warnings?status=" + st, Active: st == back})
		}
		total := 0
		for _, k := range []string{hotspot.WarnHotspot, hotspot.WarnSurge, hotspot.WarnHardIssue} {
			total += counts[k]
			c.Kinds = append(c.Kinds, tab{Label: hotspot.WarnKindNames[k], URL: "/stats/warnings?status=" + back + "&kind=" + k, Count: counts[k], Active: k == kind})
		}
		c.Kinds = append([]tab{{Label: "全部类型", URL: "/stats/warnings?status=" + back, Count: total, Active: kind == ""}}, c.Kinds...)
		c.BackStatus, c.Kind = back, kind
		if q.Get("done") == "1" {
			c.Flash = "已更新。"
		}
		return c, nil
	})
}

// handleWarningForm is the page's form: acknowledge or close a warning.
func (s *Server) handleWarningForm(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		_, err = s.DB.Stats().HandleWarning(r.Context(), actorFrom(r), id, r.PostFormValue("status"), r.PostFormValue("note"))
	} else {
		err = hotline.Invalid("id", "预警编号应为数字")
	}
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	back := url.Values{"status": {r.PostFormValue("status_back")}, "kind": {r.PostFormValue("kind_back")}, "done": {"1"}}
	http.Redirect(w, r, "/stats/warnings?"+back.Encode(), http.StatusSeeOther)
}

// warningsDue is the home page's tab for the centre's managers: the
// warnings not yet acknowledged.
func (s *Server) warningsDue(r *http.Request, a hotline.Actor) (tab, error) {
	n, err := s.DB.Stats().OpenWarnings(r.Context(), a)
	t := tab{Label: "预警", URL: "/stats/warnings", Count: n}
	if n > 0 {
		t.Class = "overdue"
	}
	return t, err
}
