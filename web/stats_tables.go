package web

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/xuri/excelize/v2"
)

// pct is a ratio shown as a percentage (0.953 → 95.3%), kept a number in
// the xlsx download.
type pct float64

// secs is a duration in seconds, shown rounded.
type secs float64

// statTable is one table of a statistics page; its chart and its sheet
// in the xlsx download are drawn from the same rows.
type statTable struct {
	ID      string   // the download's table=
	Title   string   // Chinese; translated on the page
	Note    string   // definitions under the table
	Columns []string // Chinese headers
	Rows    [][]any  // string, int64, pct or secs cells
	Links   []string // per row, a drill-down link (or none)
	Chart   string   // the ECharts option, JSON; "" for no chart
	Tall    bool     // a ranked bar chart with many rows
}

// statTile is one headline figure, with its change against the period
// before (环比) and the same period a year ago (同比) when there was one.
type statTile struct {
	Label, Value, Unit string
	Prev, LastYear     string // "+5.2%", or "+1.0" percentage points when Points; "" when nothing to compare
	Points             bool
	Bad                bool
}

// cellText is a cell as the page shows it.
func cellText(v any) string {
	switch x := v.(type) {
	case pct:
		return fmt.Sprintf("%.1f%%", float64(x)*100)
	case secs:
		return fmt.Sprintf("%.0f", float64(x))
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// chartSeries is one series of a chart: its name and values.
type chartSeries struct {
	Name   string
	Values []any
	Line   bool
}

// barChart is an ECharts option for bars over categories (horizontal
// when ranked, the first row on top), translated by tr.
func barChart(tr func(string) string, names []string, series []chartSeries, horizontal bool) string {
	cat := map[string]any{"type": "category", "data": names, "axisLabel": map[string]any{"interval": 0, "hideOverlap": true}}
	val := map[string]any{"type": "value"}
	opt := map[string]any{"tooltip": map[string]any{"trigger": "axis"}, "grid": map[string]any{"containLabel": true, "left": 8, "right": 24, "top": 32, "bottom": 8}}
	if horizontal {
		cat["inverse"] = true
		opt["xAxis"], opt["yAxis"] = val, cat
	} else {
		cat["axisLabel"] = map[string]any{"rotate": rotation(names), "hideOverlap": true}
		opt["xAxis"], opt["yAxis"] = cat, val
	}
	var ss []any
	var legend []string
	for _, s := range series {
		kind := "bar"
		if s.Line {
			kind = "line"
		}
		name := tr(s.Name)
		legend = append(legend, name)
		ss = append(ss, map[string]any{"type": kind, "name": name, "data": s.Values, "smooth": s.Line})
	}
	opt["series"] = ss
	if len(series) > 1 {
		opt["legend"] = map[string]any{"data": legend, "top": 0}
	}
	b, _ := json.Marshal(opt)
	return string(b)
}

func rotation(names []string) int {
	long := 0
	for _, n := range names {
		long = max(long, len([]rune(n)))
	}
	if len(names) > 8 || long*len(names) > 40 {
		return 30
	}
	return 0
}

// pieChart is an ECharts ring of shares.
func pieChart(names []string, values []int64) string {
	var data []any
	for i, n := range names {
		data = append(data, map[string]any{"name": n, "value": values[i]})
	}
	opt := map[string]any{
		"tooltip": map[string]any{"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
		"legend":  map[string]any{"orient": "vertical", "left": 0, "top": "middle"},
		"series":  []any{map[string]any{"type": "pie", "radius": []string{"40%", "70%"}, "center": []string{"62%", "50%"}, "data": data}},
	}
	b, _ := json.Marshal(opt)
	return string(b)
}

// writeStatSheets writes tables, one sheet each, with bold frozen headers
// and numbers as numbers (percentages formatted as such).
func writeStatSheets(x *excelize.File, tr func(string) string, tables []statTable) error {
	head, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#DCE6F1"}},
		Border: []excelize.Border{{Type: "bottom", Color: "#7F7F7F", Style: 1}}})
	if err != nil {
		return err
	}
	percent, err := x.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		return err
	}
	for i, t := range tables {
		sheet := tr(t.Title)
		if len([]rune(sheet)) > 31 {
			sheet = string([]rune(sheet)[:31])
		}
		if i == 0 {
			x.SetSheetName("Sheet1", sheet)
		} else if _, err := x.NewSheet(sheet); err != nil {
			return err
		}
		var header []any
		for _, c := range t.Columns {
			header = append(header, tr(c))
		}
		x.SetSheetRow(sheet, "A1", &header)
		last, _ := excelize.CoordinatesToCellName(len(t.Columns), 1)
		x.SetCellStyle(sheet, "A1", last, head)
		for r, row := range t.Rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
				switch x2 := v.(type) {
				case pct:
					x.SetCellFloat(sheet, cell, float64(x2), -1, 64)
					x.SetCellStyle(sheet, cell, cell, percent)
				case secs:
					x.SetCellFloat(sheet, cell, math.Round(float64(x2)), -1, 64)
				case string:
					x.SetCellStr(sheet, cell, tr(x2))
				default:
					x.SetCellValue(sheet, cell, v)
				}
			}
		}
		x.SetColWidth(sheet, "A", "A", 24)
		if len(t.Columns) > 1 {
			end, _ := excelize.ColumnNumberToName(len(t.Columns))
			x.SetColWidth(sheet, "B", end, 12)
		}
		if err := x.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight"}); err != nil {
			return err
		}
	}
	return nil
}
