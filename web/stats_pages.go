package web

import (
	"net/http"
	"strconv"

	"hotline"
	"hotline/report"
	"hotline/sqldb"
)

// statsPeriods are a period's figures with their comparisons.
type statsPeriods struct{ sqldb.Compared }

func (s *Server) compared(r *http.Request, p report.Period) (statsPeriods, error) {
	c, err := s.DB.Stats().Compare(r.Context(), actorFrom(r), p)
	return statsPeriods{c}, err
}

// countTile and rateTile are headline figures compared with the period
// before and a year before.
func (c statsPeriods) countTile(label string, get func(report.Figures) int64) statTile {
	return statTile{Label: label, Value: strconv.FormatInt(get(c.Now), 10),
		Prev: compareCount(get(c.Now), get(c.Prev)), LastYear: compareCount(get(c.Now), get(c.Last))}
}

func (c statsPeriods) rateTile(label string, get func(report.Figures) float64, target float64) statTile {
	return statTile{Label: label, Value: cellText(pct(get(c.Now))), Points: true,
		Prev: compareRate(get(c.Now), get(c.Prev), c.HadPrev), LastYear: compareRate(get(c.Now), get(c.Last), c.HadLast),
		Bad: target > 0 && c.Now.Tickets > 0 && get(c.Now) < target}
}

// threeRatesNote defines the three rates where they are shown (and in
// docs/figures.md).
const threeRatesNote = "响应率 = 按时签收的派单 ÷ 派单次数（签收时限内签收）；解决率 = 回访为已解决的工单 ÷ 回访记录了是否解决的工单；满意率 = 回访满意和基本满意 ÷ 回访参评的工单。统计对象均为本期受理的工单（不含作废），按其当前状态计。"

// volumeContent fills the volume page (受理分析): the headline figures,
// the trend, and the tickets by channel, kind, urgency, category (with
// drill-down) and district.
func (s *Server) volumeContent(r *http.Request, rf *ref, l *locale, c *statsContent) error {
	p := c.Period
	cmp, err := s.compared(r, p)
	if err != nil {
		return err
	}
	c.Tiles = []statTile{
		cmp.countTile("受理量", func(f report.Figures) int64 { return f.Tickets }),
		cmp.rateTile("办结率", func(f report.Figures) float64 { return f.ConclusionRate }, 0),
		cmp.rateTile("按期办结率", func(f report.Figures) float64 { return f.OnTimeRate }, 0),
		cmp.rateTile("直接答复率", func(f report.Figures) float64 { return f.DirectAnswerRate }, 0),
		cmp.rateTile("响应率", func(f report.Figures) float64 { return f.ResponseRate }, 0),
		cmp.rateTile("解决率", func(f report.Figures) float64 { return f.ResolutionRate }, 0),
		cmp.rateTile("满意率", func(f report.Figures) float64 { return f.SatisfactionRate }, 0),
	}
	c.Notes = []string{threeRatesNote}
	tr := func(v string) string { return l.T(v) }
	total := cmp.Now.Tickets
	trend, err := s.trendTable(r, tr, p)
	if err != nil {
		return err
	}
	c.Tables = append(c.Tables, trend)
	st := s.DB.Stats()
	for _, d := range []struct {
		dim, id, title, column string
		name                   func(string) string
		pie                    bool
	}{
		{report.DimChannel, "channel", "按渠道", "渠道", func(k string) string { return l.T(hotline.Channel(k).Label()) }, true},
		{report.DimKind, "kind", "按诉求类型", "诉求类型", func(k string) string { return l.T(hotline.AppealKind(k).Label()) }, false},
		{report.DimUrgency, "urgency", "按紧急程度", "紧急程度", func(k string) string { return l.T(urgencyNames[hotline.Urgency(k)]) }, false},
	} {
		m, err := st.Totals(r.Context(), actorFrom(r), d.dim, p)
		if err != nil {
			return err
		}
		c.Tables = append(c.Tables, breakdown(tr, d.id, d.title, d.column, report.Rows(m, d.name), total, d.pie, false))
	}
	cats, err := st.Totals(r.Context(), actorFrom(r), report.DimCategory, p)
	if err != nil {
		return err
	}
	parent, _ := strconv.ParseInt(r.URL.Query().Get("category"), 10, 64)
	level := report.CategoryLevel(cats, rf.Categories, parent)
	rows := report.Rows(level, func(k string) string { id, _ := strconv.ParseInt(k, 10, 64); return rf.catName(id) })
	title := "按诉求分类"
	c.Crumbs = rf.categoryCrumbs(parent, c.Query)
	t := breakdown(tr, "category", title, "分类", rows, total, false, true)
	for _, row := range rows {
		id, _ := strconv.ParseInt(row.Key, 10, 64)
		link := ""
		if rf.hasChildren(id) {
			link = "?" + c.Query + "&category=" + row.Key + "#category"
		}
		t.Links = append(t.Links, link)
	}
	c.Tables = append(c.Tables, t)
	places, err := st.Totals(r.Context(), actorFrom(r), report.DimLocation, p)
	if err != nil {
		return err
	}
	districts := report.Rows(report.Districts(places, rf.Units), func(k string) string {
		if k == "0" {
			return l.T("未填写或不属区县")
		}
		id, _ := strconv.ParseInt(k, 10, 64)
		return rf.unitName[id]
	})
	c.Tables = append(c.Tables, breakdown(tr, "district", "按区县", "区县", districts, total, false, true))
	return nil
}

// breakdown is a table of tickets by one dimension: share, conclusion,
// on-time and satisfaction, with a ring or bar chart of the volume.
func breakdown(tr func(string) string, id, title, column string, rows []report.Row, total int64, pie, ranked bool) statTable {
	t := statTable{ID: id, Title: title, Columns: []string{column, "受理量", "占比", "办结", "办结率", "按期办结率", "满意率"}, Tall: ranked && len(rows) > 8}
	var names []string
	var values []int64
	var bars []any
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{r.Name, r.Tickets, share(r.Tickets, total), r.Concluded, pct(r.ConclusionRate), pct(r.OnTimeRate), pct(r.SatisfactionRate)})
		names, values, bars = append(names, r.Name), append(values, r.Tickets), append(bars, r.Tickets)
	}
	if len(rows) == 0 {
		return t
	}
	if pie {
		t.Chart = pieChart(names, values)
	} else {
		t.Chart = barChart(tr, names, []chartSeries{{Name: "受理量", Values: bars}}, ranked)
	}
	return t
}

// trendTable is the period's tickets day by day (month by month past two
// months) against the period before and the same period a year ago.
func (s *Server) trendTable(r *http.Request, tr func(string) string, p report.Period) (statTable, error) {
	st := s.DB.Stats()
	series := make([][]report.Counts, 3)
	for i, q := range []report.Period{p, p.Previous(), p.LastYear()} {
		days, err := st.Daily(r.Context(), actorFrom(r), q)
		if err != nil {
			return statTable{}, err
		}
		series[i] = days
	}
	t := statTable{ID: "trend", Title: "受理趋势", Columns: []string{"日期", "本期受理", "上期受理", "去年同期受理", "本期办结"}}
	byMonth := len(series[0]) > 62
	if byMonth {
		t.Columns[0] = "月份"
	}
	var names []string
	vals := make([][]any, 3)
	add := func(label string, idx []int) {
		var sums [3]int64
		var concluded int64
		for _, i := range idx {
			for k := range series {
				if i < len(series[k]) {
					sums[k] += series[k][i].Tickets
				}
			}
			concluded += series[0][i].Concluded
		}
		names = append(names, label)
		for k := range sums {
			vals[k] = append(vals[k], sums[k])
		}
		t.Rows = append(t.Rows, []any{label, sums[0], sums[1], sums[2], concluded})
	}
	from, _ := p.Days()
	if byMonth {
		var idx []int
		month := ""
		for i := range series[0] {
			m := report.DayStart(from + int64(i)).Format("2006-01")
			if m != month && idx != nil {
				add(month, idx)
				idx = nil
			}
			month, idx = m, append(idx, i)
		}
		if idx != nil {
			add(month, idx)
		}
	} else {
		for i := range series[0] {
			add(report.DayStart(from+int64(i)).Format("01-02"), []int{i})
		}
	}
	lines := []chartSeries{{"本期受理", vals[0], true}}
	for k, name := range []string{"上期受理", "去年同期受理"} {
		for _, v := range vals[k+1] {
			if v.(int64) > 0 { // a comparison with no tickets at all is left off the chart
				lines = append(lines, chartSeries{name, vals[k+1], true})
				break
			}
		}
	}
	t.Chart = barChart(tr, names, lines, false)
	t.Note = "上期：紧挨本期之前、同样长度的周期（环比）；去年同期：一年前的同一周期（同比），逐日（或逐月）对齐。"
	return t, nil
}

// unitsContent fills the handling page (办理分析): every unit's figures
// and the ranking by the three rates.
func (s *Server) unitsContent(r *http.Request, l *locale, c *statsContent) error {
	units, centre, err := s.DB.Stats().Units(r.Context(), actorFrom(r), c.Period)
	if err != nil {
		return err
	}
	cmp, err := s.compared(r, c.Period)
	if err != nil {
		return err
	}
	c.Tiles = []statTile{
		cmp.countTile("派单量", func(f report.Figures) int64 { return f.Dispatched }),
		cmp.rateTile("响应率", func(f report.Figures) float64 { return f.ResponseRate }, 0),
		cmp.rateTile("解决率", func(f report.Figures) float64 { return f.ResolutionRate }, 0),
		cmp.rateTile("满意率", func(f report.Figures) float64 { return f.SatisfactionRate }, 0),
		cmp.rateTile("按期办结率", func(f report.Figures) float64 { return f.OnTimeRate }, 0),
		cmp.rateTile("回访率", func(f report.Figures) float64 { return f.CallbackRate }, 0),
		cmp.rateTile("重办率", func(f report.Figures) float64 { return f.ReopenRate }, 0),
	}
	c.Notes = []string{threeRatesNote, "三率综合 = 三率的平均，单位排名按它从高到低（相同时派单多的在前）；派单、签收、退单、延期、督办、催办、超期记在当时承办的单位，办结、回访、重办记在现在的主办单位。直接答复和未派出的工单记在热线中心。"}
	tr := func(v string) string { return l.T(v) }
	t := statTable{ID: "units", Title: "单位办理情况", Columns: []string{"排名", "单位", "派单", "按时签收", "响应率", "办结", "按期办结", "超期",
		"延期", "退单通过", "退单驳回", "督办", "催办", "解决率", "满意率", "回访率", "重办率", "三率综合"}}
	var names []string
	three := make([][]any, 3)
	for i, u := range units {
		t.Rows = append(t.Rows, []any{int64(i + 1), u.Name, u.Dispatches, u.AckOnTime, pct(u.ResponseRate), u.Concluded, u.OnTime, u.Overdue,
			u.Extensions, u.ReturnsApproved, u.ReturnsRejected, u.Supervisions, u.Urges, pct(u.ResolutionRate), pct(u.SatisfactionRate),
			pct(u.CallbackRate), pct(u.ReopenRate), pct(report.ThreeRates(u.Figures))})
		if i < 15 {
			names = append(names, u.Name)
			three[0] = append(three[0], pctValue(u.ResponseRate))
			three[1] = append(three[1], pctValue(u.ResolutionRate))
			three[2] = append(three[2], pctValue(u.SatisfactionRate))
		}
	}
	if len(units) > 0 {
		t.Chart = barChart(tr, names, []chartSeries{{Name: "响应率", Values: three[0]}, {Name: "解决率", Values: three[1]}, {Name: "满意率", Values: three[2]}}, true)
		t.Tall = true
	}
	c.Tables = append(c.Tables, t)
	c.Tables = append(c.Tables, statTable{ID: "centre", Title: "热线中心", Columns: []string{"受理", "直接答复", "直接答复率", "督办", "办结", "满意率"},
		Rows: [][]any{{centre.Tickets, centre.DirectAnswers, share(centre.DirectAnswers, cmp.Now.Tickets), centre.Supervisions, centre.Concluded, pct(centre.SatisfactionRate)}},
		Note: "未派出（直接答复、待派单中）的工单，以及派单前的督办。"})
	return nil
}

// pctValue is a ratio as a percentage with one decimal, for charts.
func pctValue(f float64) float64 { return float64(int64(f*1000+0.5)) / 10 }

// serviceContent fills the service page (服务分析): the calls, the
// direct answers and knowledge-base use, and the quality figures.
func (s *Server) serviceContent(r *http.Request, l *locale, c *statsContent) error {
	p := c.Period
	tr := func(v string) string { return l.T(v) }
	f := sqldb.CallFilter{From: p.From, To: p.To}
	calls, err := s.DB.FindCallStats(r.Context(), actorFrom(r), f)
	if err != nil {
		return err
	}
	cmp, err := s.compared(r, p)
	if err != nil {
		return err
	}
	c.Tiles = []statTile{
		{Label: "呼入", Value: strconv.Itoa(calls.Offered)},
		{Label: "接通率", Value: cellText(pct(calls.AnswerRate))},
		{Label: "15秒服务水平", Value: cellText(pct(calls.ServiceLevel15s)), Bad: calls.Offered > 0 && calls.ServiceLevel15s < 0.8},
		{Label: "平均通话", Value: cellText(secs(calls.AvgTalkSeconds)), Unit: "秒", Bad: calls.AvgTalkSeconds > 400},
		{Label: "未接来电回拨率", Value: cellText(pct(calls.CallbackRate))},
		cmp.rateTile("直接答复率", func(f report.Figures) float64 { return f.DirectAnswerRate }, 0),
		cmp.rateTile("知识库使用率", func(f report.Figures) float64 { return f.KBUseRate }, 0),
	}
	c.Notes = []string{"接通率 = 接听 ÷ 呼入；15秒服务水平 = 15秒内接听 ÷ 呼入；平均通话按已结束的接听通话（考核目标 400 秒）。直接答复率 = 话务员当场答复办结的工单 ÷ 受理量；知识库使用率 = 引用了知识库条目的工单 ÷ 受理量。"}
	for _, g := range []struct{ by, id, title, column string }{{sqldb.ByDay, "calls_day", "每日话务", "日期"}, {sqldb.ByInterval, "calls_interval", "分时段话务（每半小时）", "时段"}} {
		if g.by == sqldb.ByDay && p.To.Sub(p.From).Hours() <= 24 {
			continue
		}
		groups, err := s.DB.FindCallStatsBy(r.Context(), actorFrom(r), f, g.by)
		if err != nil {
			return err
		}
		t := statTable{ID: g.id, Title: g.title, Columns: []string{g.column, "呼入", "接听", "放弃", "接通率", "15秒服务水平", "平均通话（秒）"}}
		var names []string
		vals := make([][]any, 2)
		for _, x := range groups {
			t.Rows = append(t.Rows, []any{x.Key, int64(x.Offered), int64(x.Answered), int64(x.Abandoned), pct(x.AnswerRate), pct(x.ServiceLevel15s), secs(x.AvgTalkSeconds)})
			names = append(names, x.Key)
			vals[0], vals[1] = append(vals[0], x.Answered), append(vals[1], x.Abandoned)
		}
		if len(groups) > 0 {
			t.Chart = barChart(tr, names, []chartSeries{{Name: "接听", Values: vals[0]}, {Name: "放弃", Values: vals[1]}}, false)
		}
		c.Tables = append(c.Tables, t)
	}
	q, err := s.DB.Quality().QualityFigures(r.Context(), actorFrom(r), p.To.AddDate(0, 0, -1))
	if err == nil {
		t := statTable{ID: "quality", Title: "质检（近六个月）", Columns: []string{"月份", "已评分", "平均得分", "合格率"},
			Note: "质检指标的定义见质检统计页；本表为所选周期最后一个月及之前五个月。"}
		var names []string
		var avg []any
		for _, m := range q.Trend {
			t.Rows = append(t.Rows, []any{m.Month, int64(m.Scored), secs(m.AvgScore), pct(m.PassRate)})
			names, avg = append(names, m.Month), append(avg, m.AvgScore)
		}
		t.Chart = barChart(tr, names, []chartSeries{{Name: "平均得分", Values: avg, Line: true}}, false)
		c.Tables = append(c.Tables, t)
	} else if hotline.ErrorCode(err) != hotline.EForbidden {
		return err
	}
	return nil
}

// catName is a category's own name (its path's last part).
func (r *ref) catName(id int64) string {
	for _, c := range r.Categories {
		if c.ID == id {
			return c.Name
		}
	}
	return ""
}

// hasChildren reports whether a category has sub-categories to drill into.
func (r *ref) hasChildren(id int64) bool {
	for _, c := range r.Categories {
		if c.ParentID == id {
			return true
		}
	}
	return false
}

// categoryCrumbs is the way back up from the category drilled into: the
// top (all categories) and each ancestor, as links keeping the period.
func (r *ref) categoryCrumbs(id int64, query string) []statCrumb {
	if id == 0 {
		return nil
	}
	byID := map[int64]*hotline.Category{}
	for _, c := range r.Categories {
		byID[c.ID] = c
	}
	var out []statCrumb
	for c := byID[id]; c != nil; c = byID[c.ParentID] {
		out = append([]statCrumb{{Name: c.Name, Link: "?" + query + "&category=" + strconv.FormatInt(c.ID, 10)}}, out...)
	}
	return append([]statCrumb{{Name: "全部分类", Link: "?" + query}}, out...)
}
