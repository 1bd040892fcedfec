package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"hotline"
	"hotline/report"
	"hotline/sqldb"
)

var ledgerNames = map[string]string{sqldb.LedgerByCategory: "按分类台账", sqldb.LedgerByUnit: "按承办单位台账", sqldb.LedgerByKind: "按诉求类型台账"}

// ledgerColumns are a ledger's columns after its key, as a government
// office files them.
var ledgerColumns = []string{"工单编号", "受理时间", "渠道", "诉求类型", "诉求人", "诉求内容摘要", "分类", "承办单位", "办理时限", "办结时间", "答复", "回访结果"}

var ledgerKeyColumn = map[string]string{sqldb.LedgerByCategory: "分类", sqldb.LedgerByUnit: "承办单位", sqldb.LedgerByKind: "诉求类型"}

// ledgerFilter reads a ledger's kind, period and filters.
func (s *Server) ledgerFilter(r *http.Request, kind string) (sqldb.LedgerFilter, error) {
	q := r.URL.Query()
	p, err := statsPeriod(q, s.DB.Now())
	if err != nil {
		return sqldb.LedgerFilter{}, err
	}
	f := sqldb.LedgerFilter{Kind: kind, Period: p, AppealKind: hotline.AppealKind(q.Get("appeal_kind")), Channel: hotline.Channel(q.Get("channel"))}
	for name, dst := range map[string]*int64{"category_id": &f.CategoryID, "unit_id": &f.UnitID} {
		if v := q.Get(name); v != "" {
			if *dst, err = strconv.ParseInt(v, 10, 64); err != nil || *dst < 0 {
				return f, hotline.Invalid(name, "应为编号")
			}
		}
	}
	return f, nil
}

// ledgerRow is a ticket's line in a ledger.
func ledgerRow(l *locale, rf *ref, kind string, t *hotline.Ticket) []any {
	when := func(x *time.Time) string {
		if x == nil {
			return ""
		}
		return x.In(hotline.ChinaZone).Format("2006-01-02 15:04")
	}
	who := t.Requester.Name
	if t.Requester.Phone != "" {
		who = strings.TrimSpace(who + " " + t.Requester.Phone)
	}
	if t.Requester.Anonymous {
		who = l.T("匿名")
	}
	callback := ""
	if t.Rating.Valid() {
		callback = l.T(ratingNames[t.Rating])
		if t.Resolved != nil {
			callback += map[bool]string{true: l.T("，已解决"), false: l.T("，未解决")}[*t.Resolved]
		}
	}
	summary := t.Content
	if utf8.RuneCountInString(summary) > 80 {
		summary = string([]rune(summary)[:80]) + "…"
	}
	return []any{ledgerKeyName(l, rf, kind, t), t.Number, when(&t.CreatedAt), l.T(t.Channel.Label()), l.T(t.AppealKind.Label()), who, summary,
		rf.catPath[t.CategoryID], rf.unitName[t.LeadUnitID], when(t.ReplyDueAt), when(t.ConcludedAt), t.Reply, callback}
}

func ledgerKeyName(l *locale, rf *ref, kind string, t *hotline.Ticket) string {
	switch kind {
	case sqldb.LedgerByCategory:
		return rf.catPath[t.CategoryID]
	case sqldb.LedgerByUnit:
		if t.LeadUnitID == 0 {
			return l.T("热线中心（未派单）")
		}
		return rf.unitName[t.LeadUnitID]
	}
	return l.T(t.AppealKind.Label())
}

// handleLedgerExport is GET /api/v1/ledgers/{kind}.xlsx?from=&to= (or
// period=, and category_id, unit_id, appeal_kind, channel): the ledger
// as a workbook — a summary sheet by key and the ledger sheet with bold
// frozen headers — streamed row by row; audited.
func (s *Server) handleLedgerExport(w http.ResponseWriter, r *http.Request) {
	kind, ok := strings.CutSuffix(r.PathValue("file"), ".xlsx")
	if !ok || ledgerNames[kind] == "" {
		s.error(w, r, hotline.Errorf(hotline.ENotFound, "没有这个台账：%s（有 category.xlsx、unit.xlsx、kind.xlsx）", r.PathValue("file")))
		return
	}
	f, err := s.ledgerFilter(r, kind)
	if err != nil {
		s.error(w, r, err)
		return
	}
	rf, err := s.loadRef(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	l := localeOf(r)
	x := excelize.NewFile()
	defer x.Close()
	summary, sheet := l.T("汇总"), l.T("台账")
	x.SetSheetName("Sheet1", summary)
	if _, err := x.NewSheet(sheet); err != nil {
		s.error(w, r, err)
		return
	}
	head, _ := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#DCE6F1"}},
		Border: []excelize.Border{{Type: "bottom", Color: "#7F7F7F", Style: 1}}, Alignment: &excelize.Alignment{Vertical: "center"}})
	wrap, _ := x.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		s.error(w, r, err)
		return
	}
	for i, width := range []float64{24, 20, 17, 10, 10, 16, 40, 26, 22, 17, 17, 40, 16} {
		sw.SetColWidth(i+1, i+1, width)
	}
	sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"})
	header := []any{excelize.Cell{StyleID: head, Value: l.T(ledgerKeyColumn[kind])}}
	for _, c := range ledgerColumns {
		header = append(header, excelize.Cell{StyleID: head, Value: l.T(c)})
	}
	sw.SetRow("A1", header, excelize.RowOpts{Height: 20})
	type sums struct {
		name                                 string
		tickets, concluded, rated, satisfied int64
	}
	var order []string
	per := map[string]*sums{}
	row := 2
	n, err := s.DB.Stats().Ledger(r.Context(), actorFrom(r), f, true, 0, func(t *hotline.Ticket) error {
		cells := ledgerRow(l, rf, kind, t)
		for i := range cells {
			if i == 6 || i == 11 {
				cells[i] = excelize.Cell{StyleID: wrap, Value: cells[i]}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		key := sqldb.LedgerKey(kind, t)
		if per[key] == nil {
			per[key] = &sums{name: ledgerKeyName(l, rf, kind, t)}
			order = append(order, key)
		}
		g := per[key]
		g.tickets++
		if t.Status == hotline.StatusConcluded || t.Status == hotline.StatusArchived {
			g.concluded++
		}
		if t.Rating.Valid() {
			g.rated++
			if t.Rating != hotline.Unsatisfied {
				g.satisfied++
			}
		}
		return sw.SetRow(cell, cells)
	})
	if err == nil {
		err = sw.Flush()
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	x.SetSheetRow(summary, "A1", &[]any{l.T(ledgerKeyColumn[kind]), l.T("件数"), l.T("办结"), l.T("办结率"), l.T("参评"), l.T("满意率")})
	x.SetCellStyle(summary, "A1", "F1", head)
	pctStyle, _ := x.NewStyle(&excelize.Style{NumFmt: 10})
	for i, key := range order {
		g := per[key]
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		x.SetSheetRow(summary, cell, &[]any{g.name, g.tickets, g.concluded, report.Ratio(g.concluded, g.tickets), g.rated, report.Ratio(g.satisfied, g.rated)})
	}
	last := len(order) + 2
	x.SetSheetRow(summary, fmt.Sprintf("A%d", last), &[]any{l.T("合计"), int64(n)})
	x.SetCellStyle(summary, "D2", fmt.Sprintf("D%d", last), pctStyle)
	x.SetCellStyle(summary, "F2", fmt.Sprintf("F%d", last), pctStyle)
	x.SetColWidth(summary, "A", "A", 36)
	x.SetPanes(summary, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	name := l.Tf("%s-%s.xlsx", l.T(ledgerNames[kind]), f.Period.Key())
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="ledger-%s.xlsx"; filename*=UTF-8''%s`, kind, urlPathEscape(name)))
	if err := x.Write(w); err != nil {
		s.Logger.Error("write ledger", "err", err)
	}
}

// ledgerForm is the ledger tab's choices: the kind and the filters, and
// the download that carries them.
type ledgerForm struct {
	Kind, Download     string
	Kinds              []string
	CategoryID, UnitID int64
	AppealKind         string
	Channel            string
	Total              int
	Shown              int
}

// ledgerPreview is how many of a ledger's rows its page shows.
const ledgerPreview = 100

// ledgersContent fills the ledger tab (台账): the first rows of the
// chosen ledger and the link to the whole of it.
func (s *Server) ledgersContent(r *http.Request, rf *ref, l *locale, c *statsContent) error {
	kind := r.URL.Query().Get("ledger")
	if kind == "" {
		kind = sqldb.LedgerByCategory
	}
	f, err := s.ledgerFilter(r, kind)
	if err != nil {
		return err
	}
	f.Period = c.Period
	q := r.URL.Query() // the filters, without the period (c.Query has it) and the ledger (in the path)
	for _, k := range []string{"ledger", "kind", "at", "period", "from", "to"} {
		q.Del(k)
	}
	form := &ledgerForm{Kind: kind, Kinds: sqldb.LedgerKinds, CategoryID: f.CategoryID, UnitID: f.UnitID, AppealKind: string(f.AppealKind), Channel: string(f.Channel)}
	extra := q.Encode()
	form.Download = "/api/v1/ledgers/" + kind + ".xlsx?" + c.Query
	if extra != "" {
		form.Download += "&" + extra
	}
	t := statTable{ID: "ledger", Title: ledgerNames[kind], Columns: append([]string{ledgerKeyColumn[kind]}, ledgerColumns...)}
	form.Total, err = s.DB.Stats().Ledger(r.Context(), actorFrom(r), f, false, ledgerPreview, func(tk *hotline.Ticket) error {
		t.Rows = append(t.Rows, ledgerRow(l, rf, kind, tk))
		return nil
	})
	if err != nil {
		return err
	}
	form.Shown = len(t.Rows)
	t.Note = "页面只列出前 100 条；下载的台账含全部工单（诉求人已脱敏），下载记入审计日志。"
	c.Ledger, c.Tables = form, []statTable{t}
	return nil
}
