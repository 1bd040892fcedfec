package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"time"

	"hotline"
	"hotline/quality"
	"hotline/sqldb"
)

// ref is the reference data pages show names from.
type ref struct {
	Units      []*hotline.Unit
	Categories []*hotline.Category
	Owners     []*hotline.User           // active centre staff who can own a ticket (首接人)
	unitStaff  map[int64][]*hotline.User // active staff of each unit, for assigning a handler (经办人)
	unitName   map[int64]string
	catPath    map[int64]string
	userName   map[int64]string
}

// loadRef returns the units, categories and users, read again only when
// they changed (on any server: sqldb's reference counter) — every page
// and every automatic dispatch needs them. The result is shared: read it,
// never change it.
func (s *Server) loadRef(ctx context.Context) (*ref, error) {
	v, err := s.DB.ReferenceVersion(ctx)
	if err != nil {
		return nil, err
	}
	s.refMu.Lock()
	cached, at := s.ref, s.refVersion
	s.refMu.Unlock()
	if cached != nil && at == v {
		return cached, nil
	}
	r, err := s.readRef(ctx)
	if err != nil {
		return nil, err
	}
	s.refMu.Lock()
	s.ref, s.refVersion = r, v
	s.refMu.Unlock()
	return r, nil
}

func (s *Server) readRef(ctx context.Context) (*ref, error) {
	units, err := s.DB.FindUnits(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := s.DB.FindCategories(ctx)
	if err != nil {
		return nil, err
	}
	users, err := s.DB.FindUsers(ctx)
	if err != nil {
		return nil, err
	}
	r := &ref{Units: units, Categories: cats, unitName: map[int64]string{}, catPath: map[int64]string{}, userName: map[int64]string{},
		unitStaff: map[int64][]*hotline.User{}}
	for _, u := range users {
		r.userName[u.ID] = u.DisplayName
		if u.CanOwnTickets() {
			r.Owners = append(r.Owners, u)
		}
		if u.Active && u.Role == hotline.RoleUnit {
			r.unitStaff[u.UnitID] = append(r.unitStaff[u.UnitID], u)
		}
	}
	for _, u := range units {
		r.unitName[u.ID] = u.Name
	}
	for _, c := range cats {
		r.catPath[c.ID] = c.Path
	}
	return r, nil
}

// pageRef loads the reference data for a page; on failure it renders the
// error page and returns false.
func (s *Server) pageRef(w http.ResponseWriter, r *http.Request) (*ref, bool) {
	rf, err := s.loadRef(r.Context())
	if err != nil {
		s.errorPage(w, r, err)
		return nil, false
	}
	return rf, true
}

// show is the load → check → render of a page: load builds the page's
// data from the reference data and storage; its error (a refusal, a
// missing thing, a failure) renders the error page instead.
func (s *Server) show(w http.ResponseWriter, r *http.Request, status int, name, title string, load func(rf *ref) (any, error)) {
	rf, ok := s.pageRef(w, r)
	if !ok {
		return
	}
	c, err := load(rf)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	s.render(w, r, status, name, title, c)
}

// regions are the districts and townships a place can belong to.
func (r *ref) regions() []*hotline.Unit {
	var out []*hotline.Unit
	for _, u := range r.Units {
		if u.Kind == hotline.UnitDistrict || u.Kind == hotline.UnitTownship {
			out = append(out, u)
		}
	}
	return out
}

// children are the active units below parent in the unit tree, where a
// sub-dispatch may go.
func (r *ref) children(parent int64) []*hotline.Unit {
	up := make(map[int64]int64, len(r.Units))
	for _, u := range r.Units {
		up[u.ID] = u.ParentID
	}
	var out []*hotline.Unit
	for _, u := range r.Units {
		for at, depth := u.ParentID, 0; at != 0 && depth < 10; at, depth = up[at], depth+1 {
			if at == parent {
				if u.Active {
					out = append(out, u)
				}
				break
			}
		}
	}
	return out
}

// remaining says how long until (or since) a deadline.
func remaining(l *locale, due *time.Time, now time.Time) string {
	if due == nil {
		return ""
	}
	d := due.Sub(now)
	overdue := d < 0
	if overdue {
		d = -d
	}
	pick := func(left, late string) string {
		if overdue {
			return late
		}
		return left
	}
	switch {
	case d >= 48*time.Hour:
		return l.Tf(pick("剩余%d天", "超期%d天"), int(d.Hours()/24))
	case d >= time.Hour:
		return l.Tf(pick("剩余%d小时", "超期%d小时"), int(d.Hours()))
	}
	return l.Tf(pick("剩余%d分钟", "超期%d分钟"), int(math.Max(1, d.Minutes())))
}

// Labels of values that have no Label method in the domain.
var (
	dueKindNames     = map[string]string{"acknowledge": "签收", "reply": "答复", "callback": "回访"}
	urgencyNames     = map[hotline.Urgency]string{hotline.Normal: "一般", hotline.Urgent: "紧急", hotline.Emergency: "特急"}
	ratingNames      = map[hotline.Rating]string{hotline.Satisfied: "满意", hotline.BasicallySatisfied: "基本满意", hotline.Unsatisfied: "不满意"}
	supervisionNames = map[string]string{"manual": "人工督办", "warning": "预警自动督办", "overdue": "超期自动督办"}
)

func (s *Server) templateFuncs(l *locale) template.FuncMap {
	return template.FuncMap{
		"T":          l.T,
		"cell":       cellText,
		"inc":        func(i int) int { return i + 1 },
		"pct":        func(f float64) pct { return pct(f) },
		"periodKind": func(k string) string { return periodKindNames[k] },
		"ledgerName": func(k string) string { return ledgerNames[k] },
		"json": func(v any) string {
			b, _ := json.Marshal(v)
			return string(b)
		},
		"details": func(rf *ref, ev *hotline.Event) []string { return eventDetails(l, rf, ev) },
		"size": func(n int64) string {
			if n < 1<<20 {
				return fmt.Sprintf("%.0f KB", math.Max(1, float64(n)/1024))
			}
			return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
		},
		"Tf":   l.Tf,
		"Text": l.Text,
		"time": func(t any) string {
			switch v := t.(type) {
			case time.Time:
				if v.IsZero() {
					return ""
				}
				return v.In(hotline.ChinaZone).Format("2006-01-02 15:04")
			case *time.Time:
				if v == nil {
					return ""
				}
				return v.In(hotline.ChinaZone).Format("2006-01-02 15:04")
			}
			return ""
		},
		"clock":     func(t time.Time) string { return t.In(hotline.ChinaZone).Format("2006-01-02 15:04:05") },
		"stepLabel": quality.StepLabel,
		"add":       func(a, b int) int { return a + b },
		"replyFlag": func(code string) string { return l.T(replyFlagNames[code]) },
		"callEvent": func(k hotline.CallEventKind) string { return l.T(callEventNames[k]) },
		"callSource": func(src string) string {
			if n, ok := callSourceNames[src]; ok {
				return l.T(n)
			}
			return src
		},
		"iso": func(t any) string {
			switch v := t.(type) {
			case time.Time:
				return v.UTC().Format("2006-01-02T15:04:05.000Z07:00")
			case *time.Time:
				if v != nil {
					return v.UTC().Format("2006-01-02T15:04:05.000Z07:00")
				}
			}
			return ""
		},
		"remaining": func(t any) string {
			switch v := t.(type) {
			case time.Time:
				return remaining(l, &v, s.DB.Now())
			case *time.Time:
				return remaining(l, v, s.DB.Now())
			}
			return ""
		},
		// reviewDue is a return request's review limit, as the "due" template shows a deadline.
		"reviewDue": func(r *hotline.ReturnRequest) template.HTML {
			state := "ok"
			if r.Overdue(s.DB.Now()) {
				state = "overdue"
			}
			return template.HTML(`<span class="due ` + state + `" title="` + template.HTMLEscapeString(l.T("审核时限")+" "+r.DueAt.In(hotline.ChinaZone).Format("2006-01-02 15:04")) +
				`">` + template.HTMLEscapeString(l.T("审核")+" "+remaining(l, &r.DueAt, s.DB.Now())) + `</span>`)
		},
		"dueKind":     func(k string) string { return l.T(dueKindNames[k]) },
		"urgency":     func(u hotline.Urgency) string { return l.T(urgencyNames[u]) },
		"rating":      func(r hotline.Rating) string { return l.T(ratingNames[r]) },
		"supervision": func(src string) string { return l.T(supervisionNames[src]) },
		"unit": func(r *ref, id int64) string {
			if id == 0 {
				return "—"
			}
			return r.unitName[id]
		},
		"category": func(r *ref, id int64) string { return r.catPath[id] },
		"user":     func(r *ref, id int64) string { return r.userName[id] },
		"deref":    func(b *bool) bool { return b != nil && *b },
		"has": func(ids []int64, id int64) bool {
			for _, x := range ids {
				if x == id {
					return true
				}
			}
			return false
		},
		"actionForm": newActionForm,
		// snippet marks as safe the HTML zhsearch.SnippetHTML built from
		// escaped text and <mark>.
		"snippet":   func(s string) template.HTML { return template.HTML(s) },
		"percent":   func(f float64) float64 { return f * 100 },
		"div":       func(a, b int) float64 { return float64(a) / float64(b) },
		"canListen": func(a hotline.Actor, c *hotline.Call) bool { return a.CanListen(c) },
		"span":      func(since *time.Time) string { return span(l, since, s.DB.Now()) },
		"maxHits":   func() int { return sqldb.MaxTicketHits },
		"kb": func(n int64) string {
			if n < 1024 {
				return fmt.Sprintf("%d B", n)
			}
			return fmt.Sprintf("%.1f KB", float64(n)/1024)
		},
		"weekday": func(day string) string { return l.T(weekday(day)) },
		"limitField": func(form, name string, l hotline.Limit) limitField {
			return limitField{Form: form, Name: name, Limit: l, Units: limitUnits}
		},
	}
}

// urlPathEscape percent-encodes a file name for Content-Disposition.
func urlPathEscape(s string) string { return url.PathEscape(s) }
