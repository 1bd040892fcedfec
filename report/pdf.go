package report

import (
	"bytes"
	"fmt"
	"io"
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

// pdfTable draws a table across width: the first column twice as wide as
// the others, each cell cut to fit, the header again after a page break.
func pdfTable(pdf *fpdf.Fpdf, t *Table, width float64) {
	n := len(t.Columns)
	if n == 0 {
		return
	}
	unit := width / float64(n+1)
	colW := func(i int) float64 {
		if i == 0 {
			return unit * 2
		}
		return unit
	}
	const rowH = 6.5
	header := func() {
		pdf.SetFont("cjk", "", 9.5)
		pdf.SetFillColor(220, 230, 241)
		for i, c := range t.Columns {
			pdf.CellFormat(colW(i), rowH, fit(pdf, c, colW(i)-2), "1", 0, "C", true, 0, "")
		}
		pdf.Ln(-1)
	}
	header()
	_, pageH := pdf.GetPageSize()
	for _, r := range t.Rows {
		if pdf.GetY()+rowH > pageH-22 {
			pdf.AddPage()
			header()
		}
		pdf.SetFont("cjk", "", 9.5)
		for i := 0; i < n; i++ {
			cell, align := "", "R"
			if i < len(r) {
				cell = r[i]
			}
			if i == 0 {
				align = "L"
			}
			pdf.CellFormat(colW(i), rowH, fit(pdf, cell, colW(i)-2), "1", 0, align, false, 0, "")
		}
		pdf.Ln(-1)
	}
}

// fit cuts s to the width w (mm) in the current font, with an ellipsis.
func fit(pdf *fpdf.Fpdf, s string, w float64) string {
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && pdf.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
