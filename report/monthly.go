package report

import (
	"fmt"
	"math"
	"strings"
)

// ReportData is what an operations report is made of, gathered by
// storage for the period: the ticket figures with their comparisons, the
// breakdowns, the units, the calls and quality, typical cases and the
// analyst's narrative.
type ReportData struct {
	Period             Period
	Issuer             string
	Now, Prev, Last    Figures
	HadPrev, HadLast   bool
	Daily, PrevDaily   []Counts
	Channels, Kinds    []Row
	Categories, Leaves []Row // first level; the ten commonest leaves
	Districts          []Row
	Units              []Row // ranked (RankUnits)
	Calls              CallFigures
	Quality            QualityFigures
	Cases              []Case
	Warnings           []WarningLine // the early warnings raised in the period, in time order
	Workforce          WorkforceFigures
	Narrative          string // 分析与建议, written by the analyst
}

// WarningLine is an early warning as a report lists it: its kind
// (hotspot.WarnSurge …), what it said, its tickets and what became of it.
type WarningLine struct {
	Kind, Title, Evidence, Status, Raised string
	Tickets                               int
}

// CallFigures are the call figures a report quotes (hotline.CallStats).
type CallFigures struct {
	Offered, Answered, Abandoned   int
	AnswerRate, ServiceLevel15s    float64
	AvgTalkSeconds, AvgWaitSeconds float64
}

// WorkforceFigures are the staffing figures a report quotes: the
// attendance ledger (sqldb.AttendanceView), the training records and the
// reserve call-ups (wfm.CallOutcome).
type WorkforceFigures struct {
	Shifts, Late, Early, Absent, GapHours int
	Training, Activities                  int
	CallUps, CallUpsMet, CallUpsLate      int
}

// QualityFigures are the quality figures a report quotes (quality.Figures).
type QualityFigures struct {
	Scored                      int
	AvgScore, PassRate          float64
	UnsatisfiedCoverage, RectOK float64
}

// Case is a typical case (典型案例) marked at an inspection.
type Case struct {
	Number, Title, Kind, Comment string
	Score                        int
}

// Titles of the reports by period kind.
var reportTitles = map[string]string{PeriodMonth: "统计分析报告", PeriodQuarter: "热点难点预测预警专报",
	PeriodHalf: "工作报告", PeriodYear: "工作报告"}

// Title is the report's title for its period: 萍乡市12345热线2026年11月统计分析报告.
func (d *ReportData) Title() string {
	return d.Issuer + d.Period.Label() + reportTitles[d.Period.Kind]
}

func pctText(f float64) string { return fmt.Sprintf("%.1f%%", f*100) }

func changeText(now, before int64, had bool) string {
	if ch, ok := Change(now, before); ok && had {
		if ch >= 0 {
			return fmt.Sprintf("增长%.1f%%", ch*100)
		}
		return fmt.Sprintf("下降%.1f%%", -ch*100)
	}
	return "无可比数据"
}

func pointsText(now, before float64, had bool) string {
	if !had {
		return "—"
	}
	pp := math.Round((now-before)*1000) / 10
	if pp == 0 {
		return "0.0"
	}
	return fmt.Sprintf("%+.1f", pp)
}

// Build lays the report out: the overview with its comparisons and trend,
// the appeals by channel, kind, category and district, the units'
// handling and ranking, calls and quality, typical cases, and the
// analyst's analysis and suggestions. chart draws each chart as a PNG of
// w × h centimetres, the size it is placed at.
func Build(d *ReportData, chart func(c Chart, w, h float64) ([]byte, error)) (*Doc, error) {
	doc := &Doc{Title: d.Title(), Subtitle: fmt.Sprintf("统计周期：%s至%s", d.Period.From.Format("2006年1月2日"),
		d.Period.To.AddDate(0, 0, -1).Format("2006年1月2日"))}
	var err error
	img := func(c Chart, w, h float64) {
		if err != nil {
			return
		}
		var png []byte
		if png, err = chart(c, w, h); err == nil {
			doc.Add(ImageBlock(png, w, h, c.Title))
		}
	}
	numerals := []string{"一", "二", "三", "四", "五", "六", "七", "八"}
	section := 0
	heading := func(t string) {
		doc.Add(Heading(numerals[section] + "、" + t))
		section++
	}
	n, p, l := d.Now, d.Prev, d.Last
	heading("总体情况")
	var mix []string
	for _, r := range d.Channels {
		mix = append(mix, fmt.Sprintf("%s%d件（%s）", r.Name, r.Tickets, pctText(Ratio(r.Tickets, n.Tickets))))
	}
	doc.Add(Para(fmt.Sprintf("本期共受理群众诉求%d件，环比%s，同比%s。其中%s。办结%d件，办结率%s，按期办结率%s，超期%d件；直接答复%d件，直接答复率%s。"+
		"响应率%s，解决率%s，满意率%s。",
		n.Tickets, changeText(n.Tickets, p.Tickets, d.HadPrev), changeText(n.Tickets, l.Tickets, d.HadLast), strings.Join(mix, "，"),
		n.Concluded, pctText(n.ConclusionRate), pctText(n.OnTimeRate), n.Overdue, n.DirectAnswers, pctText(n.DirectAnswerRate),
		pctText(n.ResponseRate), pctText(n.ResolutionRate), pctText(n.SatisfactionRate))))
	count := func(name string, get func(Figures) int64) []string {
		return []string{name, fmt.Sprint(get(n)), fmt.Sprint(get(p)), changeText(get(n), get(p), d.HadPrev), fmt.Sprint(get(l)), changeText(get(n), get(l), d.HadLast)}
	}
	rate := func(name string, get func(Figures) float64) []string {
		return []string{name, pctText(get(n)), pctText(get(p)), pointsText(get(n), get(p), d.HadPrev), pctText(get(l)), pointsText(get(n), get(l), d.HadLast)}
	}
	doc.Add(TableBlock([]string{"指标", "本期", "上期", "环比", "去年同期", "同比（百分点）"}, [][]string{
		count("受理量", func(f Figures) int64 { return f.Tickets }),
		count("办结量", func(f Figures) int64 { return f.Concluded }),
		count("派单量", func(f Figures) int64 { return f.Dispatched }),
		count("超期件", func(f Figures) int64 { return f.Overdue }),
		rate("办结率", func(f Figures) float64 { return f.ConclusionRate }),
		rate("按期办结率", func(f Figures) float64 { return f.OnTimeRate }),
		rate("响应率", func(f Figures) float64 { return f.ResponseRate }),
		rate("解决率", func(f Figures) float64 { return f.ResolutionRate }),
		rate("满意率", func(f Figures) float64 { return f.SatisfactionRate }),
	}))
	doc.Add(Para("注：响应率 = 按时签收的派单 ÷ 派单次数；解决率 = 回访为已解决的工单 ÷ 回访记录了是否解决的工单；满意率 = 回访满意和基本满意 ÷ 回访参评的工单。统计对象为本期受理的工单（不含作废），按出报告时的状态计。"))
	trend := Chart{Title: "受理趋势", Lines: true}
	var cur, prev []float64
	for i, c := range d.Daily {
		trend.Names = append(trend.Names, d.Period.From.AddDate(0, 0, i).Format("01-02"))
		cur = append(cur, float64(c.Tickets))
		if i < len(d.PrevDaily) {
			prev = append(prev, float64(d.PrevDaily[i].Tickets))
		}
	}
	trend.Series = []ChartSeries{{"本期", cur}}
	if d.HadPrev {
		trend.Series = append(trend.Series, ChartSeries{"上期", prev})
	}
	img(trend, 16, 7)

	if d.Period.Kind == PeriodQuarter {
		hotspotSection(doc, d, heading, img)
	}
	heading("诉求分析")
	rows := func(rs []Row, limit int) ([][]string, []string, []float64) {
		var out [][]string
		var names []string
		var vals []float64
		for i, r := range rs {
			if limit > 0 && i >= limit {
				break
			}
			out = append(out, []string{r.Name, fmt.Sprint(r.Tickets), pctText(Ratio(r.Tickets, n.Tickets)), pctText(r.ConclusionRate), pctText(r.SatisfactionRate)})
			names, vals = append(names, r.Name), append(vals, float64(r.Tickets))
		}
		return out, names, vals
	}
	for _, part := range []struct {
		title, column string
		rows          []Row
		limit         int
		horizontal    bool
	}{
		{"（一）按渠道", "渠道", d.Channels, 0, false},
		{"（二）按诉求类型", "诉求类型", d.Kinds, 0, false},
		{"（三）按诉求分类", "分类", d.Categories, 0, true},
		{"（四）诉求量前十的具体事项", "事项", d.Leaves, 10, true},
		{"（五）按区县", "区县", d.Districts, 0, true},
	} {
		t, names, vals := rows(part.rows, part.limit)
		doc.Add(Para(part.title))
		if len(t) == 0 {
			doc.Add(Para("本期无。"))
			continue
		}
		doc.Add(TableBlock([]string{part.column, "受理量", "占比", "办结率", "满意率"}, t))
		h := 6.0
		if part.horizontal {
			h = 2 + 0.6*float64(len(names))
		}
		img(Chart{Title: strings.TrimLeft(part.title, "（一二三四五）"), Names: names, Series: []ChartSeries{{"受理量", vals}}, Horizontal: part.horizontal}, 16, h)
	}

	heading("办理情况")
	doc.Add(Para(fmt.Sprintf("本期派单%d次，涉及承办单位%d个；按时签收率（响应率）%s，延期%d次，退单通过%d次、驳回%d次，督办%d次，催办%d次。",
		n.Dispatches, len(d.Units), pctText(n.ResponseRate), n.Extensions, n.ReturnsApproved, n.ReturnsRejected, n.Supervisions, n.Urges)))
	var unitRows [][]string
	var unitNames []string
	var three []float64
	for i, u := range d.Units {
		unitRows = append(unitRows, []string{fmt.Sprintf("%d. %s", i+1, u.Name), fmt.Sprint(u.Dispatches), pctText(u.ResponseRate), pctText(u.OnTimeRate),
			pctText(u.ResolutionRate), pctText(u.SatisfactionRate), pctText(ThreeRates(u.Figures))})
		if i < 10 {
			unitNames, three = append(unitNames, u.Name), append(three, ThreeRates(u.Figures)*100)
		}
	}
	if len(unitRows) > 0 {
		doc.Add(TableBlock([]string{"单位（按三率综合排名）", "派单", "响应率", "按期办结率", "解决率", "满意率", "三率综合"}, unitRows))
		img(Chart{Title: "三率综合前十的单位（%）", Names: unitNames, Series: []ChartSeries{{"三率综合", three}}, Horizontal: true}, 16, 2+0.6*float64(len(unitNames)))
	}

	heading("服务质量")
	c, q := d.Calls, d.Quality
	doc.Add(Para(fmt.Sprintf("本期呼入%d个，接听%d个，接通率%s，15秒服务水平%s，平均等待%.0f秒，平均通话%.0f秒（考核目标400秒）。"+
		"质检评分%d件，平均得分%.1f，合格率%s；不满意工单质检覆盖率%s，整改完成率%s。",
		c.Offered, c.Answered, pctText(c.AnswerRate), pctText(c.ServiceLevel15s), c.AvgWaitSeconds, c.AvgTalkSeconds,
		q.Scored, q.AvgScore, pctText(q.PassRate), pctText(q.UnsatisfiedCoverage), pctText(q.RectOK))))

	heading("人员保障")
	wf := d.Workforce
	doc.Add(Para(fmt.Sprintf("本期排班在岗%d个班次，迟到%d次、早退%d次、缺勤%d次；话务岗位无人在岗%d小时（7×24服务缺口）。"+
		"开展业务、上岗及保密培训%d次，团建、劳动竞赛和员工关怀%d次；调用储备人员%d次，按时到岗%d次，逾期%d次。",
		wf.Shifts, wf.Late, wf.Early, wf.Absent, wf.GapHours, wf.Training, wf.Activities, wf.CallUps, wf.CallUpsMet, wf.CallUpsLate)))

	if d.Period.Kind != PeriodQuarter {
		hotspotSection(doc, d, heading, img)
	}
	heading("典型案例")
	if len(d.Cases) == 0 {
		doc.Add(Para("本期质检未标记典型案例。"))
	}
	for i, cs := range d.Cases {
		kind := map[string]string{"good": "正面典型", "bad": "反面典型"}[cs.Kind]
		doc.Add(Para(fmt.Sprintf("%d. 【%s】%s %s（质检得分%d）：%s", i+1, kind, cs.Number, cs.Title, cs.Score, cs.Comment)))
	}

	heading("分析与建议")
	narrative := strings.TrimSpace(d.Narrative)
	if narrative == "" {
		narrative = "（待数据分析员撰写。）"
	}
	doc.Add(Block{Text: narrative, Editable: true})
	return doc, err
}

// hotspotSection is the report's hotspots and early warnings (热点难点
// 预测预警): the hotspots the early warnings found in the period (read
// from the warnings, not clustered again: the report stays fast) with
// their appeals as a chart, then the surges and hard issues with what
// became of them.
func hotspotSection(doc *Doc, d *ReportData, heading func(string), img func(Chart, float64, float64)) {
	heading("热点难点与预警")
	var spots, others [][]string
	var names []string
	var counts []float64
	kinds := map[string]int{}
	for _, w := range d.Warnings {
		kinds[w.Kind]++
		if w.Kind == "hotspot" {
			spots = append(spots, []string{w.Raised, strings.TrimPrefix(w.Title, "新热点 "), fmt.Sprint(w.Tickets), w.Evidence, w.Status})
			if len(names) < 15 {
				names, counts = append(names, strings.TrimPrefix(w.Title, "新热点 ")), append(counts, float64(w.Tickets))
			}
		} else if len(others) < 30 {
			kind := map[string]string{"surge": "激增", "hard_issue": "难点"}[w.Kind]
			others = append(others, []string{w.Raised, kind, w.Title, w.Evidence, w.Status})
		}
	}
	if len(d.Warnings) == 0 {
		doc.Add(Para("本期没有激增、新热点或难点预警。"))
		return
	}
	doc.Add(Para(fmt.Sprintf("本期共发出预警%d条：新热点%d条、诉求激增%d条、难点%d条。热点指同一地点、同类问题在 14 天内相似的诉求（至少 5 件且仍在增加）；"+
		"激增指某类诉求在某区县一日的件数远超前 28 天的基线；难点指久拖未决、反复重办、单位间反复退回或同一来电人反复来电的诉求。定义见 docs/figures.md。",
		len(d.Warnings), kinds["hotspot"], kinds["surge"], kinds["hard_issue"])))
	if len(spots) > 0 {
		doc.Add(TableBlock([]string{"发现时间", "热点", "件数", "依据", "状态"}, spots))
		img(Chart{Title: "热点诉求件数", Names: names, Series: []ChartSeries{{"件数", counts}}, Horizontal: true}, 16, 2+0.6*float64(len(names)))
	}
	if len(others) > 0 {
		doc.Add(TableBlock([]string{"发现时间", "类型", "预警", "依据", "状态"}, others))
	}
}
