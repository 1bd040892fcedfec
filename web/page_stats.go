package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"hotline"
	"hotline/report"
)

// statsContent is a statistics page (统计分析): the period picker, the
// headline figures and the tables with their charts.
type statsContent struct {
	Page        string // volume | units | service
	Period      report.Period
	Label       string
	Kind, At    string // the picker's period kind and date
	From, To    string // a custom period's first and last day
	Query       string // period=… for links that keep the period
	Prev, Next  string // the periods before and after, as links
	Compare     string // what the tiles compare with
	Tiles       []statTile
	Notes       []string
	Tables      []statTable
	Crumbs      []statCrumb // the category drill-down's way back
	PeriodKinds []string
	Ledger      *ledgerForm // the ledger tab's choices
	Ref         *ref
}

// statCrumb is a step of the category drill-down.
type statCrumb struct{ Name, Link string }

var statsPages = map[string]string{"volume": "受理分析", "units": "办理分析", "service": "服务分析", "ledgers": "台账", "hotspots": "热点"}

var periodKindNames = map[string]string{report.PeriodDay: "日", report.PeriodWeek: "周", report.PeriodMonth: "月",
	report.PeriodQuarter: "季度", report.PeriodHalf: "半年", report.PeriodYear: "年", report.PeriodCustom: "自定义"}

// statsPeriod reads the period of a statistics page or API: period=KEY
// (2026-11, 2026-Q4, 2026-H1, 2026, 2026-W45, 2026-11-03), from= and to=
// (dates, both included, or RFC 3339 times: their days), or kind= with
// at= (the period of that kind holding the date); by default the month
// so far.
func statsPeriod(q url.Values, now time.Time) (report.Period, error) {
	if key := q.Get("period"); key != "" {
		return report.ParseKey(key)
	}
	kind := q.Get("kind")
	if q.Get("from") != "" || q.Get("to") != "" || kind == report.PeriodCustom {
		from, to, err := parsePeriod(q.Get("from"), q.Get("to"))
		if err != nil {
			return report.Period{}, err
		}
		return report.Custom(from, to.Add(-time.Millisecond))
	}
	at := now
	if v := q.Get("at"); v != "" {
		d, err := time.ParseInLocation("2006-01-02", v, hotline.ChinaZone)
		if err != nil {
			return report.Period{}, hotline.Invalid("at", "日期应为 YYYY-MM-DD")
		}
		at = d
	}
	if kind == "" {
		kind = report.PeriodMonth
	}
	return report.Containing(kind, at)
}

// periodQuery is the query string naming p.
func periodQuery(p report.Period) string {
	if p.Kind == report.PeriodCustom {
		return url.Values{"from": {p.From.Format("2006-01-02")}, "to": {p.To.AddDate(0, 0, -1).Format("2006-01-02")}}.Encode()
	}
	return "period=" + url.QueryEscape(p.Key())
}

func (s *Server) handleStatsPage(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.show(w, r, http.StatusOK, "stats/page", statsPages[name], func(rf *ref) (any, error) {
			c, err := s.statsContent(r, rf, name)
			return c, err
		})
	}
}

func (s *Server) statsContent(r *http.Request, rf *ref, name string) (*statsContent, error) {
	a := actorFrom(r)
	if !a.Role.Has(hotline.PermStats) {
		return nil, hotline.Errorf(hotline.EForbidden, "%s不能查看统计分析", a.Role.Label())
	}
	p, err := statsPeriod(r.URL.Query(), s.DB.Now())
	if err != nil {
		return nil, err
	}
	p.From, p.To = p.From.In(hotline.ChinaZone), p.To.In(hotline.ChinaZone)
	c := &statsContent{Page: name, Period: p, Label: p.Label(), Kind: p.Kind, At: p.From.Format("2006-01-02"),
		From: p.From.Format("2006-01-02"), To: p.To.AddDate(0, 0, -1).Format("2006-01-02"), Query: periodQuery(p),
		PeriodKinds: []string{report.PeriodDay, report.PeriodWeek, report.PeriodMonth, report.PeriodQuarter, report.PeriodHalf, report.PeriodYear, report.PeriodCustom}}
	c.Prev = "?" + periodQuery(p.Previous())
	if next := p.Next(); next.From.Before(s.DB.Now()) {
		c.Next = "?" + periodQuery(next)
	}
	l := localeOf(r)
	switch name {
	case "volume":
		err = s.volumeContent(r, rf, l, c)
	case "units":
		err = s.unitsContent(r, l, c)
	case "service":
		err = s.serviceContent(r, l, c)
	case "hotspots":
		err = s.hotspotsContent(r, l, c)
	case "ledgers":
		c.Ref = rf
		err = s.ledgersContent(r, rf, l, c)
	}
	return c, err
}

// handleStatsExport is GET /stats/{page}/export.xlsx?period=…[&table=ID]:
// the page's tables, a sheet each (or the one asked for).
func (s *Server) handleStatsExport(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("page")
	if statsPages[name] == "" {
		s.handleNoPage(w, r)
		return
	}
	rf, ok := s.pageRef(w, r)
	if !ok {
		return
	}
	c, err := s.statsContent(r, rf, name)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	tables := c.Tables
	if id := r.URL.Query().Get("table"); id != "" {
		tables = nil
		for _, t := range c.Tables {
			if t.ID == id {
				tables = append(tables, t)
			}
		}
		if tables == nil {
			s.errorPage(w, r, hotline.Invalid("table", "没有这个统计表：%s", id))
			return
		}
	}
	l := localeOf(r)
	x := excelize.NewFile()
	defer x.Close()
	if err := writeStatSheets(x, func(v string) string { return l.T(v) }, tables); err != nil {
		s.errorPage(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	file := l.Tf("%s-%s.xlsx", l.T(statsPages[name]), c.Period.Key())
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="stats-%s.xlsx"; filename*=UTF-8''%s`, name, urlPathEscape(file)))
	if err := x.Write(w); err != nil {
		s.Logger.Error("write statistics", "err", err)
	}
}

// share is n of the total as a pct.
func share(n, total int64) pct { return pct(report.Ratio(n, total)) }

// compareCount describes now against before: "+12.5%", "" without a before.
func compareCount(now, before int64) string {
	ch, ok := report.Change(now, before)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%+.1f%%", ch*100)
}

// compareRate describes a rate against before in percentage points.
func compareRate(now, before float64, had bool) string {
	if !had {
		return ""
	}
	return fmt.Sprintf("%+.1f", (now-before)*100)
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
