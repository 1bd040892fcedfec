package report

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// WritePDF writes d as an A4 PDF with the TrueType font ttf embedded (a
// subset: the glyphs used), tables repeating their header on a new page,
// the charts as images and page numbers in the footer.
func WritePDF(w io.Writer, d *Doc, ttf []byte, at time.Time) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(at)
	pdf.SetModificationDate(at)
	pdf.SetTitle(d.Title, true)
	pdf.SetCreator("12345 热线平台", true)
	pdf.AddUTF8FontFromBytes("cjk", "", ttf)
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("the report font: %w", err)
	}
	pdf.SetMargins(20, 20, 20)
	pdf.SetAutoPageBreak(true, 20)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		pdf.SetFont("cjk", "", 9)
		pdf.CellFormat(0, 6, fmt.Sprintf("— %d —", pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	pageW, _ := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	width := pageW - left - right
	pdf.SetFont("cjk", "", 18)
	pdf.MultiCell(0, 10, d.Title, "", "C", false)
	if d.Subtitle != "" {
		pdf.SetFont("cjk", "", 11)
		pdf.MultiCell(0, 7, d.Subtitle, "", "C", false)
	}
	pdf.Ln(4)
	images := 0
	for _, b := range d.Blocks {
		switch {
		case b.Heading != "":
			pdf.Ln(2)
			pdf.SetFont("cjk", "", 14)
			pdf.MultiCell(0, 8, b.Heading, "", "L", false)
		case b.Table != nil:
			pdfTable(pdf, b.Table, width)
			pdf.Ln(3)
		case b.Image != nil:
			images++
			name := fmt.Sprintf("chart%d", images)
			pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(b.Image.PNG))
			wmm, hmm := min(b.Image.W*10, width), b.Image.H*10*min(b.Image.W*10, width)/(b.Image.W*10)
			_, pageH := pdf.GetPageSize()
			if pdf.GetY()+hmm > pageH-22 {
				pdf.AddPage()
			}
			pdf.ImageOptions(name, left+(width-wmm)/2, pdf.GetY(), wmm, hmm, true, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
			pdf.Ln(2)
		default:
			pdf.SetFont("cjk", "", 11)
			for _, line := range strings.Split(b.Text, "\n") {
				pdf.MultiCell(0, 6.5, line, "", "L", false)
			}
			pdf.Ln(1)
		}
	}
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}

// pdfTable draws a table across width: each column as wide as its
// longest text needs (its header at least), shrunk in proportion when
// they do not fit, long texts wrapped in their cell; numbers to the
// right; the header again after a page break.
func pdfTable(pdf *fpdf.Fpdf, t *Table, width float64) {
	n := len(t.Columns)
	if n == 0 {
		return
	}
	const lineH, pad = 4.6, 1.2
	pdf.SetFont("cjk", "", 9.5)
	widths := columnWidths(pdf, t, width)
	var row func(cells []string, header bool)
	row = func(cells []string, header bool) {
		lines := make([][]string, n)
		h := 0.0
		for i := 0; i < n; i++ {
			cell := ""
			if i < len(cells) {
				cell = cells[i]
			}
			lines[i] = wrap(pdf, cell, widths[i]-2*pad)
			h = math.Max(h, float64(len(lines[i]))*lineH+2*pad)
		}
		_, pageH := pdf.GetPageSize()
		if pdf.GetY()+h > pageH-22 && !header {
			pdf.AddPage()
			pdf.SetFont("cjk", "", 9.5)
			row(t.Columns, true)
		}
		x0, y := pdf.GetX(), pdf.GetY()
		x := x0
		for i := 0; i < n; i++ {
			style := "D"
			if header {
				pdf.SetFillColor(220, 230, 241)
				style = "FD"
			}
			pdf.Rect(x, y, widths[i], h, style)
			align := "L"
			if header {
				align = "C"
			} else if i > 0 && numeric(strings.Join(lines[i], "")) {
				align = "R"
			}
			for j, l := range lines[i] {
				pdf.SetXY(x+pad, y+pad+float64(j)*lineH)
				pdf.CellFormat(widths[i]-2*pad, lineH, l, "", 0, align, false, 0, "")
			}
			x += widths[i]
		}
		pdf.SetXY(x0, y+h)
	}
	row(t.Columns, true)
	for _, r := range t.Rows {
		row(r, false)
	}
}

// columnWidths gives each column the width its longest text needs (at
// least its header's and 14 mm). When the table would be wider than
// width, the narrow columns (dates, counts, states: up to 30 mm) keep
// theirs and the wide ones share the rest in proportion to their need,
// wrapping; a narrower table is widened in proportion.
func columnWidths(pdf *fpdf.Fpdf, t *Table, width float64) []float64 {
	n := len(t.Columns)
	need := make([]float64, n)
	for i, c := range t.Columns {
		need[i] = math.Max(pdf.GetStringWidth(c)+4, 14)
	}
	for _, r := range t.Rows {
		for i := 0; i < n && i < len(r); i++ {
			need[i] = math.Max(need[i], pdf.GetStringWidth(r[i])+4)
		}
	}
	out := make([]float64, n)
	total := sum(need)
	if total <= width {
		for i := range need {
			out[i] = need[i] * width / total
		}
		return out
	}
	const narrow = 30.0
	kept, wide := 0.0, 0.0
	for _, w := range need {
		if w <= narrow {
			kept += w
		} else {
			wide += w
		}
	}
	room := width - kept
	for i, w := range need {
		switch {
		case w <= narrow && room > 0:
			out[i] = w
		case w <= narrow: // nothing but narrow columns, and still too wide
			out[i] = w * width / total
		default:
			out[i] = math.Max(w*room/wide, 14)
		}
	}
	return out
}

func sum(v []float64) float64 {
	t := 0.0
	for _, x := range v {
		t += x
	}
	return t
}

// wrap breaks s into lines of at most w (mm) in the current font,
// character by character (Chinese has no spaces to break at).
func wrap(pdf *fpdf.Fpdf, s string, w float64) []string {
	var lines []string
	line := []rune{}
	for _, r := range s {
		if len(line) > 0 && pdf.GetStringWidth(string(append(line, r))) > w {
			lines = append(lines, string(line))
			line = line[:0]
		}
		line = append(line, r)
	}
	return append(lines, string(line))
}

// numeric reports whether a cell is a figure (12, 3.5%, +1.2, 1,234).
func numeric(s string) bool {
	s = strings.TrimSpace(s)
	if s == "—" {
		return true
	}
	if s == "" {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789.,%+-", r) {
			return false
		}
	}
	return true
}
